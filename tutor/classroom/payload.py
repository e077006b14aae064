"""Learner records to and from the JSON of an export file.

Times are written as ISO 8601 in UTC, to the second. Reading is strict: a file that does not
have this shape is refused with the path of the first thing wrong (`labs[0].steps[1].checks`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from tutor.classroom.records import (
    AttemptRecord,
    Completion,
    LabRecord,
    LearnerRecords,
    QuestionRecord,
    StepRecord,
)

T = TypeVar("T")
RESULT_KEYS = ("kind", "title", "passed", "reason", "seconds")


class PayloadError(ValueError):
    """The export's data does not have the expected shape; `path` says where."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}" if path else message)
        self.path = path


def iso(t: float | None) -> str | None:
    return None if t is None else dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")


def parse_time(text: str) -> float:
    stamp = dt.datetime.fromisoformat(text)
    if stamp.tzinfo is None:
        raise ValueError("no time zone")
    return stamp.timestamp()


# -- writing ---------------------------------------------------------------------------------


def records_to_json(records: LearnerRecords, titles: Mapping[str, str] | None = None) -> dict[str, Any]:
    titles = titles or {}
    return {
        "labs": [_lab(lab, titles.get(f"lab:{lab.id}", "")) for lab in records.labs.values()],
        "attempts": [_attempt(a, titles.get(f"quiz:{a.quiz_id}", "")) for a in records.attempts],
    }


def _lab(lab: LabRecord, title: str) -> dict[str, Any]:
    return {
        "id": lab.id,
        "title": title,
        "done": lab.done,
        "completions": [
            {"attempt": c.attempt, "started_at": iso(c.started_at), "completed_at": iso(c.completed_at)}
            for c in lab.completions
        ],
        "attempt": None
        if lab.attempt is None
        else {"id": lab.attempt, "started_at": iso(lab.attempt_started_at)},
        "steps_attempt": lab.steps_attempt,
        "steps_started_at": iso(lab.steps_started_at),
        "steps": [
            {
                "id": s.id,
                "passed": s.passed,
                "passed_at": iso(s.passed_at),
                "first_check_at": iso(s.first_check_at),
                "last_check_at": iso(s.last_check_at),
                "checks": s.checks,
                "failed_checks": s.failed_checks,
                "hints_seen": s.hints_seen,
                "solution_seen": s.solution_seen,
                "results": [
                    {k: (round(r[k], 3) if k == "seconds" else r[k]) for k in RESULT_KEYS if k in r}
                    for r in s.results
                ],
            }
            for s in lab.steps
        ],
    }


def _attempt(a: AttemptRecord, title: str) -> dict[str, Any]:
    return {
        "id": a.id,
        "quiz": a.quiz_id,
        "title": title,
        "mode": a.mode,
        "started_at": iso(a.started_at),
        "finished_at": iso(a.finished_at),
        "time_used": round(a.time_used, 1),
        "points": round(a.points, 4),
        "total": a.total,
        "percent": round(a.percent, 1),
        "scaled": a.scaled,
        "passed": a.passed,
        "questions": [
            {
                "id": q.id,
                "score": q.score,
                "correct": q.correct,
                "answered_at": iso(q.answered_at),
                "flagged": q.flagged,
            }
            for q in a.questions
        ],
    }


# -- reading ---------------------------------------------------------------------------------


class _Reader:
    def __init__(self, data: Any, path: str) -> None:
        if not isinstance(data, dict):
            raise PayloadError(path, "expected an object")
        self.data, self.path = data, path

    def at(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def get(self, key: str, kinds: type | tuple[type, ...], *, optional: bool = False) -> Any:
        if key not in self.data:
            if optional:
                return None
            raise PayloadError(self.at(key), "missing")
        value = self.data[key]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in (kinds if isinstance(kinds, tuple) else (kinds,)):
            raise PayloadError(self.at(key), f"expected {_name(kinds)}, found true/false")
        if not isinstance(value, kinds):
            raise PayloadError(self.at(key), f"expected {_name(kinds)}, found {type(value).__name__}")
        return value

    def time(self, key: str, *, optional: bool = False) -> float | None:
        text = self.get(key, str, optional=optional)
        if text is None:
            return None
        try:
            return parse_time(text)
        except ValueError:
            raise PayloadError(self.at(key), f"{text[:40]!r} is not an ISO time with a zone") from None

    def items(self, key: str, read: Callable[[_Reader], T]) -> list[T]:
        values = self.get(key, list)
        return [read(_Reader(v, f"{self.at(key)}[{i}]")) for i, v in enumerate(values)]


def _name(kinds: type | tuple[type, ...]) -> str:
    names = {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list"}
    parts = kinds if isinstance(kinds, tuple) else (kinds,)
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in parts))


def records_from_json(data: Any, path: str = "") -> LearnerRecords:
    r = _Reader(data, path)
    labs = r.items("labs", _read_lab)
    return LearnerRecords({lab.id: lab for lab in labs}, r.items("attempts", _read_attempt))


def _read_lab(r: _Reader) -> LabRecord:
    attempt = r.get("attempt", dict, optional=True)
    current = _Reader(attempt, r.at("attempt")) if attempt is not None else None
    return LabRecord(
        r.get("id", str),
        r.items("completions", _read_completion),
        current.get("id", str) if current else None,
        current.time("started_at") if current else None,
        r.get("steps_attempt", str, optional=True),
        r.time("steps_started_at", optional=True),
        r.items("steps", _read_step),
    )


def _read_completion(r: _Reader) -> Completion:
    return Completion(r.get("attempt", str), r.time("started_at") or 0.0, r.time("completed_at") or 0.0)


def _read_step(r: _Reader) -> StepRecord:
    results = r.get("results", list)
    for i, item in enumerate(results):
        _Reader(item, f"{r.at('results')}[{i}]").get("passed", bool)
    return StepRecord(
        r.get("id", str),
        r.time("passed_at", optional=True),
        r.time("first_check_at", optional=True),
        r.time("last_check_at", optional=True),
        r.get("checks", int),
        r.get("failed_checks", int),
        r.get("hints_seen", int, optional=True),
        r.get("solution_seen", bool, optional=True),
        results,
    )


def _read_attempt(r: _Reader) -> AttemptRecord:
    return AttemptRecord(
        r.get("id", int),
        r.get("quiz", str),
        r.get("mode", str),
        r.time("started_at") or 0.0,
        r.time("finished_at", optional=True),
        float(r.get("time_used", (int, float))),
        float(r.get("points", (int, float))),
        r.get("total", int),
        r.get("scaled", int, optional=True),
        r.get("passed", bool, optional=True),
        r.items("questions", _read_question),
    )


def _read_question(r: _Reader) -> QuestionRecord:
    score = r.get("score", (int, float), optional=True)
    return QuestionRecord(
        r.get("id", str),
        None if score is None else float(score),
        r.time("answered_at", optional=True),
        r.get("flagged", bool),
    )
