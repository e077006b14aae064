"""The learner's numbers: attempt history, readiness per exam domain, what is due."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from tutor.content.course import Course
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore
from tutor.quiz.srs import Repetition


def exam_history(course: Course, store: ProgressStore, limit: int = 20) -> dict[str, Any]:
    """Each exam's finished attempts, oldest first, with its scale and pass mark: a chart's data."""
    out: dict[str, Any] = {}
    for exam in sorted(course.exams.values(), key=lambda e: e.id):
        rows = [r for r in Attempts(store).history(exam.id, limit=limit) if r.result]
        if not rows:
            continue
        out[exam.id] = {
            "title": exam.title,
            "scale": [exam.scale.min, exam.scale.max],
            "pass_mark": exam.pass_mark,
            "attempts": [
                {
                    "attempt": r.id,
                    "finished": datetime.fromtimestamp(r.finished_at or 0, UTC).isoformat(timespec="seconds"),
                    "scaled": (r.result or {}).get("scaled"),
                    "passed": (r.result or {}).get("passed"),
                    "domains": {
                        d["id"]: round(100 * d["points"] / d["total"], 1) if d.get("total") else 0.0
                        for d in (r.result or {}).get("domains", [])
                    },
                }
                for r in reversed(rows)
            ],
        }
    return out


def learner_stats(course: Course, store: ProgressStore, when: datetime | None = None) -> dict[str, Any]:
    when = when or datetime.now(UTC)
    srs = Repetition(store)
    history = []
    for row in Attempts(store).history(limit=30):
        result = row.result or {}
        history.append(
            {
                "attempt": row.id,
                "quiz": row.quiz_id,
                "mode": row.mode,
                "finished": datetime.fromtimestamp(row.finished_at or 0, UTC).isoformat(timespec="seconds"),
                "points": result.get("points"),
                "total": result.get("total"),
                "scaled": result.get("scaled"),
                "passed": result.get("passed"),
            }
        )
    bank = list(course.questions.values())
    readiness = {
        exam.id: {
            "title": exam.title,
            "domains": [
                {
                    "domain": r.domain,
                    "name": r.name,
                    "readiness": round(r.readiness, 3),
                    "seen": r.seen,
                    "questions": r.total,
                }
                for r in srs.readiness(exam, bank, when)
            ],
        }
        for exam in sorted(course.exams.values(), key=lambda e: e.id)
    }
    next_due = srs.next_due()
    return {
        "exams": exam_history(course, store),
        "due": srs.due_count(when),
        "next_due": next_due.isoformat(timespec="seconds") if next_due else None,
        "mistakes": len(srs.mistakes()),
        "answered_questions": int(store.query("SELECT COUNT(*) FROM cards")[0][0]),
        "bank": len(bank),
        "history": history,
        "readiness": readiness,
    }
