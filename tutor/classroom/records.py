"""A learner's results as plain data: lab completions with their steps, quiz and exam attempts.

Read from the progress store (for `tutor class status`, the home screen and `tutor export`) or
from an export file (for `tutor class report`, see `payload`); the same status rules then apply
to both. Times are POSIX seconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from tutor.progress.store import ProgressStore

COUNTED_MODES = ("practice", "cram", "exam")  # review and mistakes sessions are not a quiz's attempts


@dataclass(frozen=True)
class Completion:
    attempt: str
    started_at: float
    completed_at: float


@dataclass(frozen=True)
class StepRecord:
    """One step in the attempt a lab record describes (the first completed one, else the current)."""

    id: str
    passed_at: float | None = None  # the first passing check
    first_check_at: float | None = None
    last_check_at: float | None = None
    checks: int = 0  # check runs (the lab screen's watch mode runs them every 2 seconds)
    failed_checks: int = 0  # failing runs before the first pass
    hints_seen: int | None = None  # None: not known (kept only for the attempt under way)
    solution_seen: bool | None = None
    results: list[dict[str, Any]] = field(default_factory=list)  # the passing run, else the last one

    @property
    def passed(self) -> bool:
        return self.passed_at is not None

    @property
    def reached(self) -> bool:
        return self.checks > 0 or bool(self.hints_seen) or bool(self.solution_seen)


@dataclass(frozen=True)
class LabRecord:
    id: str
    completions: list[Completion] = field(default_factory=list)
    attempt: str | None = None  # the attempt under way
    attempt_started_at: float | None = None
    steps_attempt: str | None = None  # the attempt `steps` describe
    steps_started_at: float | None = None
    steps: list[StepRecord] = field(default_factory=list)

    @property
    def done(self) -> bool:
        return bool(self.completions)

    def step(self, step_id: str) -> StepRecord | None:
        return next((s for s in self.steps if s.id == step_id), None)

    def step_seconds(self) -> dict[str, float]:
        """Per passed step: from the lab's start (or the previous step's pass) to its first pass."""
        out: dict[str, float] = {}
        since = self.steps_started_at
        for s in self.steps:
            if s.passed_at is None:
                continue
            start = since if since is not None else s.first_check_at
            if start is not None:
                out[s.id] = max(0.0, s.passed_at - start)
            since = s.passed_at if since is None else max(since, s.passed_at)
        return out


@dataclass(frozen=True)
class QuestionRecord:
    id: str
    score: float | None = None  # 0..1; None: not answered
    answered_at: float | None = None
    flagged: bool = False

    @property
    def correct(self) -> bool | None:
        return None if self.score is None else self.score >= 1.0 - 1e-9


@dataclass(frozen=True)
class AttemptRecord:
    id: int
    quiz_id: str  # a quiz, an exam blueprint, or a session such as 'review'
    mode: str  # practice, cram, exam, review
    started_at: float
    finished_at: float | None = None
    time_used: float = 0.0  # the exam clock (practice does not keep one)
    points: float = 0.0
    total: int = 0
    scaled: int | None = None  # exams: the score on the exam's scale
    passed: bool | None = None  # exams: the exam's own verdict
    questions: list[QuestionRecord] = field(default_factory=list)

    @property
    def finished(self) -> bool:
        return self.finished_at is not None

    @property
    def percent(self) -> float:
        return 100.0 * self.points / self.total if self.total else 0.0

    @property
    def seconds(self) -> float:
        """The exam clock; for practice, from the start to the end (or the last answer)."""
        if self.mode == "exam":
            return self.time_used
        end = self.finished_at or max((q.answered_at or 0.0 for q in self.questions), default=0.0)
        return max(0.0, end - self.started_at) if end else 0.0


@dataclass(frozen=True)
class LearnerRecords:
    labs: dict[str, LabRecord] = field(default_factory=dict)
    attempts: list[AttemptRecord] = field(default_factory=list)

    def attempts_of(self, quiz_id: str, modes: Iterable[str] = COUNTED_MODES) -> list[AttemptRecord]:
        wanted = set(modes)
        return [a for a in self.attempts if a.quiz_id == quiz_id and a.mode in wanted]


# -- reading the store -----------------------------------------------------------------------


def _in(column: str, values: Sequence[str] | None) -> tuple[str, tuple[str, ...]]:
    if values is None:
        return "", ()
    return f" WHERE {column} IN ({','.join('?' * len(values))})", tuple(values)


def from_store(
    store: ProgressStore,
    *,
    labs: Mapping[str, Sequence[str]] | None = None,
    quizzes: Sequence[str] | None = None,
    answers: bool = True,
) -> LearnerRecords:
    """The learner's records: only the labs and quizzes named (all when None).

    `labs` maps a lab to its steps in order (steps the course no longer has come after them);
    `answers=False` leaves out the per-question results (the home screen needs only scores).
    """
    lab_ids = sorted(labs) if labs is not None else None
    return LearnerRecords(
        _labs(store, lab_ids, labs or {}), _attempts(store, list(quizzes) if quizzes else quizzes, answers)
    )


def _labs(store: ProgressStore, lab_ids: list[str] | None, order: Mapping[str, Sequence[str]]) -> dict:
    where, args = _in("lab_id", lab_ids)
    completions: dict[str, list[Completion]] = {}
    for r in store.query(
        f"SELECT lab_id, attempt_id, started_at, completed_at FROM lab_completions{where} "
        "ORDER BY completed_at",
        args,
    ):
        completions.setdefault(r[0], []).append(Completion(r[1], r[2], r[3]))
    current = {
        r[0]: (r[1], r[2])
        for r in store.query(f"SELECT lab_id, attempt_id, started_at FROM lab_attempts{where}", args)
    }
    runs: dict[str, list[Any]] = {}
    for r in store.query(
        f"SELECT lab_id, step_id, at, passed, results, attempt_id FROM check_runs{where} ORDER BY at, id",
        args,
    ):
        runs.setdefault(r[0], []).append(r)
    help_seen = {
        (r[0], r[1]): (int(r[2]), bool(r[3]))
        for r in store.query(f"SELECT lab_id, step_id, hints_seen, solution_seen FROM lab_steps{where}", args)
    }
    out: dict[str, LabRecord] = {}
    for lab_id in sorted(set(completions) | set(current) | set(runs)):
        done = completions.get(lab_id, [])
        attempt, attempt_start = current.get(lab_id, (None, None))
        lab_runs = runs.get(lab_id, [])
        if done:
            steps_attempt, steps_start = done[0].attempt, done[0].started_at
        elif attempt is not None:
            steps_attempt, steps_start = attempt, attempt_start
        else:  # reset since: the latest attempt that ran checks
            steps_attempt = next((r[5] for r in reversed(lab_runs) if r[5]), None)
            steps_start = None
        if steps_attempt is not None and any(r[5] == steps_attempt for r in lab_runs):
            lab_runs = [r for r in lab_runs if r[5] == steps_attempt]
        known_help = steps_attempt is not None and steps_attempt == attempt
        steps = _steps(lab_id, lab_runs, order.get(lab_id, ()), help_seen if known_help else None)
        out[lab_id] = LabRecord(lab_id, done, attempt, attempt_start, steps_attempt, steps_start, steps)
    return out


def _steps(
    lab_id: str,
    runs: list[Any],
    order: Sequence[str],
    help_seen: Mapping[tuple[str, str], tuple[int, bool]] | None,
) -> list[StepRecord]:
    by_step: dict[str, list[Any]] = {}
    for r in runs:
        by_step.setdefault(r[1], []).append(r)
    names = list(order) + sorted(set(by_step) - set(order))
    if help_seen is not None:
        names += sorted({s for (lab, s) in help_seen if lab == lab_id} - set(names))
    steps = []
    for step_id in names:
        rows = by_step.get(step_id, [])
        first_pass = next((i for i, r in enumerate(rows) if r[3]), None)
        shown = rows[first_pass] if first_pass is not None else (rows[-1] if rows else None)
        hints, solution = (None, None)
        if help_seen is not None:
            hints, solution = help_seen.get((lab_id, step_id), (0, False))
        steps.append(
            StepRecord(
                step_id,
                passed_at=rows[first_pass][2] if first_pass is not None else None,
                first_check_at=rows[0][2] if rows else None,
                last_check_at=rows[-1][2] if rows else None,
                checks=len(rows),
                failed_checks=first_pass if first_pass is not None else len(rows),
                hints_seen=hints,
                solution_seen=solution,
                results=json.loads(shown[4]) if shown is not None else [],
            )
        )
    return steps


def _attempts(store: ProgressStore, quizzes: list[str] | None, answers: bool) -> list[AttemptRecord]:
    where, args = _in("quiz_id", quizzes)
    rows = store.query(
        "SELECT id, quiz_id, mode, question_ids, started_at, time_used, finished_at, result "
        f"FROM attempts{where} ORDER BY started_at, id",
        args,
    )
    given: dict[int, dict[str, Any]] = {}
    if rows:
        ids = [r[0] for r in rows]
        for a in store.query(
            "SELECT attempt_id, question_id, score, flagged, answered_at FROM answers "
            f"WHERE attempt_id IN ({','.join('?' * len(ids))})",
            tuple(ids),
        ):
            given.setdefault(a[0], {})[a[1]] = a
    out = []
    for r in rows:
        result = json.loads(r[7]) if r[7] else {}
        asked = [str(q) for q in json.loads(r[3])]
        mine = given.get(r[0], {})
        questions = [
            QuestionRecord(q, mine[q][2], mine[q][4], bool(mine[q][3])) if q in mine else QuestionRecord(q)
            for q in asked
        ]
        points = result.get("points")
        if points is None:
            points = sum(q.score or 0.0 for q in questions)
        out.append(
            AttemptRecord(
                r[0],
                r[1],
                r[2],
                r[4],
                r[6],
                r[5] or 0.0,
                float(points),
                int(result.get("total") or len(asked)),
                result.get("scaled"),
                result.get("passed"),
                questions if answers else [],
            )
        )
    return out
