"""Lab attempts, step status and check runs in the progress store.

An attempt is what is under way; a completion is history. Resetting a lab (or starting it again)
ends the attempt and its step status, but every completion stays, with when it happened.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from tutor.progress.store import ProgressStore, upsert

STEP_KEY = ("lab_id", "step_id")


@dataclass(frozen=True)
class LabCompletion:
    lab_id: str
    attempt_id: str
    started_at: float
    completed_at: float


@dataclass(frozen=True)
class LabAttempt:
    lab_id: str
    attempt_id: str
    params: dict[str, str]
    started_at: float
    completed_at: float | None


class LabRecords:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    def start(self, lab_id: str, attempt_id: str, params: dict[str, str]) -> LabAttempt:
        now = time.time()
        row = {"lab_id": lab_id, "attempt_id": attempt_id, "params": json.dumps(params), "started_at": now}
        with self.store.transaction() as db:
            upsert(db, "lab_attempts", row, ("lab_id",), update={"completed_at": "NULL"})
            db.execute("DELETE FROM lab_steps WHERE lab_id = ?", (lab_id,))
        return LabAttempt(lab_id, attempt_id, params, now, None)

    def attempt(self, lab_id: str) -> LabAttempt | None:
        return self._attempts("WHERE lab_id = ?", (lab_id,)).get(lab_id)

    def attempts(self) -> dict[str, LabAttempt]:
        return self._attempts()

    def _attempts(self, where: str = "", args: tuple[str, ...] = ()) -> dict[str, LabAttempt]:
        rows = self.store.query(
            f"SELECT lab_id, attempt_id, params, started_at, completed_at FROM lab_attempts {where}", args
        )
        return {r[0]: LabAttempt(r[0], r[1], json.loads(r[2]), r[3], r[4]) for r in rows}

    def forget(self, lab_id: str, step_id: str | None = None) -> None:
        with self.store.transaction() as db:
            if step_id is None:
                db.execute("DELETE FROM lab_attempts WHERE lab_id = ?", (lab_id,))
                db.execute("DELETE FROM lab_steps WHERE lab_id = ?", (lab_id,))
            else:
                db.execute("DELETE FROM lab_steps WHERE lab_id = ? AND step_id = ?", (lab_id, step_id))
                db.execute("UPDATE lab_attempts SET completed_at = NULL WHERE lab_id = ?", (lab_id,))

    def record_check(self, lab_id: str, step_id: str, passed: bool, results: list[dict[str, Any]]) -> None:
        now = time.time()
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO check_runs (lab_id, step_id, at, passed, results, attempt_id) "
                "VALUES (?, ?, ?, ?, ?, (SELECT attempt_id FROM lab_attempts WHERE lab_id = ?))",
                (lab_id, step_id, now, int(passed), json.dumps(results), lab_id),
            )
            if passed:
                row = {"lab_id": lab_id, "step_id": step_id, "status": "passed", "updated_at": now}
                upsert(db, "lab_steps", row, STEP_KEY)

    def complete(self, lab_id: str) -> None:
        now = time.time()
        with self.store.transaction() as db:
            db.execute(
                "UPDATE lab_attempts SET completed_at = COALESCE(completed_at, ?) WHERE lab_id = ?",
                (now, lab_id),
            )
            db.execute(
                "INSERT INTO lab_completions (lab_id, attempt_id, started_at, completed_at) "
                "SELECT lab_id, attempt_id, started_at, completed_at FROM lab_attempts WHERE lab_id = ? "
                "ON CONFLICT (lab_id, attempt_id) DO NOTHING",
                (lab_id,),
            )

    def completions(self, lab_id: str | None = None) -> list[LabCompletion]:
        """Every time a lab was completed, oldest first (all labs, or one)."""
        where, args = ("WHERE lab_id = ?", (lab_id,)) if lab_id else ("", ())
        rows = self.store.query(
            f"SELECT lab_id, attempt_id, started_at, completed_at FROM lab_completions {where} "
            "ORDER BY completed_at",
            args,
        )
        return [LabCompletion(*r) for r in rows]

    def passed_steps(self, lab_id: str) -> set[str]:
        rows = self.store.query(
            "SELECT step_id FROM lab_steps WHERE lab_id = ? AND status = 'passed'", (lab_id,)
        )
        return {r[0] for r in rows}

    def note_help(
        self, lab_id: str, step_id: str, *, hints: int | None = None, solution: bool = False
    ) -> None:
        row = {
            "lab_id": lab_id,
            "step_id": step_id,
            "status": "pending",
            "hints_seen": hints or 0,
            "solution_seen": int(solution),
            "updated_at": time.time(),
        }
        most = {c: f"MAX({c}, excluded.{c})" for c in ("hints_seen", "solution_seen")}
        with self.store.transaction() as db:
            upsert(db, "lab_steps", row, STEP_KEY, keep=("status",), update=most)

    def hints_seen(self, lab_id: str, step_id: str) -> int:
        rows = self.store.query(
            "SELECT hints_seen FROM lab_steps WHERE lab_id = ? AND step_id = ?", (lab_id, step_id)
        )
        return int(rows[0][0]) if rows else 0

    def last_results(self, lab_id: str, step_id: str) -> list[dict[str, Any]]:
        """The step's last check results in the attempt under way (a new attempt starts clean)."""
        rows = self.store.query(
            "SELECT results FROM check_runs WHERE lab_id = ? AND step_id = ? AND attempt_id = "
            "(SELECT attempt_id FROM lab_attempts WHERE lab_id = ?) ORDER BY at DESC LIMIT 1",
            (lab_id, step_id, lab_id),
        )
        return json.loads(rows[0][0]) if rows else []
