"""Spaced repetition with FSRS: every question is a card; wrong is Again, right is Good."""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tutor.progress.store import ProgressStore

if TYPE_CHECKING:
    from tutor.content.models.exams import ExamBlueprint
    from tutor.content.models.questions import Question


def _scheduler():  # fsrs is imported lazily: it is not needed at start-up
    from fsrs import Scheduler

    return Scheduler(enable_fuzzing=False)


def _card_id(question_id: str) -> int:
    # fsrs makes ids from the clock (and sleeps 1 ms to keep them apart); ours are stable.
    return zlib.crc32(question_id.encode())


@dataclass(frozen=True)
class DomainReadiness:
    domain: str
    name: str
    readiness: float  # mean retrievability over the domain's questions, unseen ones count 0
    seen: int
    total: int


class Repetition:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store
        self._scheduler = None

    @property
    def _sched(self):  # type: ignore[no-untyped-def]
        if self._scheduler is None:
            self._scheduler = _scheduler()
        return self._scheduler

    def record(self, question_id: str, correct: bool, when: datetime | None = None) -> datetime:
        """Review the card; returns when it is due next."""
        from fsrs import Card, Rating

        when = when or datetime.now(UTC)
        rows = self.store.query("SELECT card FROM cards WHERE question_id = ?", (question_id,))
        card = Card.from_json(rows[0][0]) if rows else Card(card_id=_card_id(question_id), due=when)
        card, _log = self._sched.review_card(card, Rating.Good if correct else Rating.Again, when)
        with self.store.transaction() as db:
            db.execute(
                "INSERT INTO cards (question_id, card, due, last_review, last_correct) "
                "VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (question_id) DO UPDATE SET card = excluded.card, due = excluded.due, "
                "last_review = excluded.last_review, last_correct = excluded.last_correct",
                (question_id, card.to_json(), card.due.timestamp(), when.timestamp(), int(correct)),
            )
        return card.due

    def due(self, when: datetime | None = None, known: Iterable[str] | None = None) -> list[str]:
        """Question ids due for review now, most overdue first."""
        when = when or datetime.now(UTC)
        rows = self.store.query(
            "SELECT question_id FROM cards WHERE due <= ? ORDER BY due", (when.timestamp(),)
        )
        ids = [r[0] for r in rows]
        if known is not None:
            keep = set(known)
            ids = [i for i in ids if i in keep]
        return ids

    def due_count(self, when: datetime | None = None) -> int:
        when = when or datetime.now(UTC)
        return int(self.store.query("SELECT COUNT(*) FROM cards WHERE due <= ?", (when.timestamp(),))[0][0])

    def next_due(self) -> datetime | None:
        rows = self.store.query("SELECT MIN(due) FROM cards")
        return datetime.fromtimestamp(rows[0][0], UTC) if rows and rows[0][0] is not None else None

    def mistakes(self) -> list[str]:
        """Questions whose latest answer was wrong, most recent first."""
        rows = self.store.query(
            "SELECT question_id FROM cards WHERE last_correct = 0 ORDER BY last_review DESC"
        )
        return [r[0] for r in rows]

    def retrievability(self, when: datetime | None = None) -> dict[str, float]:
        from fsrs import Card

        when = when or datetime.now(UTC)
        rows = self.store.query("SELECT question_id, card FROM cards")
        return {r[0]: self._sched.get_card_retrievability(Card.from_json(r[1]), when) for r in rows}

    def readiness(
        self, exam: ExamBlueprint, bank: Iterable[Question], when: datetime | None = None
    ) -> list[DomainReadiness]:
        from tutor.quiz.drawing import eligible, exam_domain

        recall = self.retrievability(when)
        per: dict[str, list[float]] = {d.id: [] for d in exam.domains}
        seen: dict[str, int] = {d.id: 0 for d in exam.domains}
        for q in eligible(exam, bank):
            dom = exam_domain(q, exam)
            if dom is None:
                continue
            per[dom].append(recall.get(q.id, 0.0))
            seen[dom] += q.id in recall
        return [
            DomainReadiness(
                d.id,
                d.name,
                sum(per[d.id]) / len(per[d.id]) if per[d.id] else 0.0,
                seen[d.id],
                len(per[d.id]),
            )
            for d in exam.domains
        ]
