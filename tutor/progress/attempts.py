"""Quiz and exam attempts in the progress store: every answer is committed when it is given."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

from tutor.progress.store import ProgressStore, upsert

ANSWER_KEY = ("attempt_id", "question_id")


@dataclass
class AttemptRow:
    id: int
    quiz_id: str
    mode: str
    seed: int
    question_ids: list[str]
    time_limit: float | None
    started_at: float
    time_used: float
    finished_at: float | None
    state: dict[str, Any]
    result: dict[str, Any] | None

    @property
    def remaining(self) -> float | None:
        return None if self.time_limit is None else max(0.0, self.time_limit - self.time_used)


@dataclass
class AnswerRow:
    question_id: str
    response: dict[str, Any] | None
    score: float | None
    flagged: bool
    answered_at: float


def _attempt(row: Any) -> AttemptRow:
    return AttemptRow(
        row["id"],
        row["quiz_id"],
        row["mode"],
        row["seed"],
        json.loads(row["question_ids"]),
        row["time_limit"],
        row["started_at"],
        row["time_used"],
        row["finished_at"],
        json.loads(row["state"] or "{}"),
        json.loads(row["result"]) if row["result"] else None,
    )


class Attempts:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    def start(
        self,
        quiz_id: str,
        mode: str,
        seed: int,
        question_ids: list[str],
        time_limit: float | None = None,
        state: dict[str, Any] | None = None,
    ) -> int:
        with self.store.transaction() as db:
            cur = db.execute(
                "INSERT INTO attempts (quiz_id, mode, seed, question_ids, time_limit, started_at, state) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    quiz_id,
                    mode,
                    seed,
                    json.dumps(question_ids),
                    time_limit,
                    time.time(),
                    json.dumps(state or {}),
                ),
            )
            return int(cur.lastrowid or 0)

    def get(self, attempt_id: int) -> AttemptRow | None:
        rows = self.store.query("SELECT * FROM attempts WHERE id = ?", (attempt_id,))
        return _attempt(rows[0]) if rows else None

    def record_answer(
        self,
        attempt_id: int,
        question_id: str,
        response: dict[str, Any] | None,
        *,
        score: float | None = None,
        time_used: float | None = None,
        seconds: float | None = None,
        rating: int | None = None,
    ) -> None:
        """Save (or replace) the answer to one question, and the exam clock with it.

        `rating`: the recall rating given (0: none needed); None leaves it to be given."""
        now = time.time()
        with self.store.transaction() as db:
            row = {
                "attempt_id": attempt_id,
                "question_id": question_id,
                "response": json.dumps(response),
                "score": score,
                "correct": None if score is None else int(score >= 1.0),
                "answered_at": now,
                "seconds": seconds,
                "rating": rating,
            }
            upsert(db, "answers", row, ANSWER_KEY)
            if time_used is not None:
                db.execute("UPDATE attempts SET time_used = ? WHERE id = ?", (time_used, attempt_id))

    def set_rating(self, attempt_id: int, question_id: str, rating: int) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE answers SET rating = ? WHERE attempt_id = ? AND question_id = ?",
                (rating, attempt_id, question_id),
            )

    def unrated(self, attempt_id: int) -> dict[str, tuple[float | None, float | None]]:
        """Answers still waiting for a recall rating: question id -> (score, seconds)."""
        rows = self.store.query(
            "SELECT question_id, score, seconds FROM answers WHERE attempt_id = ? AND rating IS NULL "
            "AND score IS NOT NULL",
            (attempt_id,),
        )
        return {r[0]: (r[1], r[2]) for r in rows}

    def set_flag(self, attempt_id: int, question_id: str, flagged: bool) -> None:
        row = {
            "attempt_id": attempt_id,
            "question_id": question_id,
            "response": "null",
            "flagged": int(flagged),
            "answered_at": time.time(),
        }
        with self.store.transaction() as db:
            upsert(db, "answers", row, ANSWER_KEY, keep=("response", "answered_at"))

    def checkpoint(self, attempt_id: int, time_used: float, state: dict[str, Any] | None = None) -> None:
        """Persist the exam clock (and the cursor) so a crash costs the learner no time."""
        with self.store.transaction() as db:
            if state is None:
                db.execute("UPDATE attempts SET time_used = ? WHERE id = ?", (time_used, attempt_id))
            else:
                db.execute(
                    "UPDATE attempts SET time_used = ?, state = ? WHERE id = ?",
                    (time_used, json.dumps(state), attempt_id),
                )

    def finish(self, attempt_id: int, result: dict[str, Any], time_used: float | None = None) -> None:
        with self.store.transaction() as db:
            db.execute(
                "UPDATE attempts SET finished_at = ?, result = ?, time_used = COALESCE(?, time_used) "
                "WHERE id = ?",
                (time.time(), json.dumps(result), time_used, attempt_id),
            )

    def discard(self, attempt_id: int) -> None:
        with self.store.transaction() as db:
            db.execute("DELETE FROM attempts WHERE id = ?", (attempt_id,))

    def answers(self, attempt_id: int) -> dict[str, AnswerRow]:
        rows = self.store.query(
            "SELECT question_id, response, score, flagged, answered_at FROM answers WHERE attempt_id = ?",
            (attempt_id,),
        )
        return {
            r[0]: AnswerRow(r[0], json.loads(r[1]) if r[1] else None, r[2], bool(r[3]), r[4]) for r in rows
        }

    def unfinished(self, mode: str | tuple[str, ...] = "exam") -> list[AttemptRow]:
        modes = (mode,) if isinstance(mode, str) else mode
        marks = ", ".join("?" for _ in modes)
        rows = self.store.query(
            f"SELECT * FROM attempts WHERE finished_at IS NULL AND mode IN ({marks}) "
            "ORDER BY started_at DESC",
            modes,
        )
        return [_attempt(r) for r in rows]

    def last_activity(self, attempt_id: int) -> float | None:
        """When the attempt was last answered (or started)."""
        rows = self.store.query(
            "SELECT MAX(COALESCE((SELECT MAX(answered_at) FROM answers WHERE attempt_id = t.id), 0), "
            "t.started_at) FROM attempts t WHERE t.id = ?",
            (attempt_id,),
        )
        return rows[0][0] if rows else None

    def history(self, quiz_id: str | None = None, limit: int = 50) -> list[AttemptRow]:
        if quiz_id is None:
            rows = self.store.query(
                "SELECT * FROM attempts WHERE finished_at IS NOT NULL ORDER BY finished_at DESC LIMIT ?",
                (limit,),
            )
        else:
            rows = self.store.query(
                "SELECT * FROM attempts WHERE finished_at IS NOT NULL AND quiz_id = ? "
                "ORDER BY finished_at DESC LIMIT ?",
                (quiz_id, limit),
            )
        return [_attempt(r) for r in rows]

    def last_results(self) -> dict[str, bool]:
        """For each question ever answered: was the latest answer right?"""
        rows = self.store.query(
            "SELECT question_id, correct FROM answers a WHERE correct IS NOT NULL AND answered_at = "
            "(SELECT MAX(answered_at) FROM answers b WHERE b.question_id = a.question_id "
            "AND b.correct IS NOT NULL)"
        )
        return {r[0]: bool(r[1]) for r in rows}
