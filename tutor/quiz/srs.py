"""Spaced repetition with FSRS: every question is a card, rated Again, Hard, Good or Easy.

The learner rates their recall after seeing the answer; when they go on without rating, a
rating is derived from correctness and time (`derive_rating`). The scheduler is py-fsrs's,
configured as its documentation describes: one short learning step, so a question missed for
the first time comes back in the same sitting and one answered right graduates to days away;
the learner's desired retention; fuzzed intervals. Every review is logged (`reviews`), which
is what the daily limits for new and due questions count.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from tutor.base.errors import TutorError
from tutor.progress.settings import Settings
from tutor.progress.store import ProgressStore, upsert

if TYPE_CHECKING:
    from tutor.content.models.exams import ExamBlueprint
    from tutor.content.models.questions import Question

RATINGS = {"again": 1, "hard": 2, "good": 3, "easy": 4}
RATING_NAMES = {v: k for k, v in RATINGS.items()}
LEARNING_STEP = timedelta(minutes=10)  # a missed question comes back within the sitting
NEW = 0  # the state of a question never reviewed (fsrs: 1 learning, 2 review, 3 relearning)
REVIEW_STATES = (2, 3)
SLOW = 3.0  # answers taking this many times the expected time count as Hard (when reviewing)


def parse_rating(text: str | int) -> int:
    """'good', 'Good', '3' -> 3; anything else is a usage error."""
    if isinstance(text, int) and text in RATING_NAMES:
        return text
    word = str(text).strip().lower()
    if word.isdigit() and int(word) in RATING_NAMES:
        return int(word)
    if word in RATINGS:
        return RATINGS[word]
    raise TutorError(f"{str(text)[:20]!r} is not a rating", hint="use again, hard, good or easy (or 1 to 4)")


def expected_seconds(question: Question) -> float:
    """About how long reading and answering `question` takes: 10 s plus 0.3 s a word."""
    words = len(question.prompt.split())
    for option in getattr(question, "options", ()):
        words += len(option.text.split())
    return 10.0 + 0.3 * words


def derive_rating(correct: bool, seconds: float | None, expected: float, state: int) -> int:
    """The rating a learner who did not rate gets: wrong is Again, right is Good, and right but
    very slow on a question already in review is Hard. A first right answer is never Hard: in
    learning, Hard repeats the ten-minute step, and a right answer should be days away."""
    if not correct:
        return RATINGS["again"]
    if seconds is not None and seconds > SLOW * expected and state in REVIEW_STATES:
        return RATINGS["hard"]
    return RATINGS["good"]


def scheduler(desired_retention: float = 0.9, fuzz: bool = True):  # type: ignore[no-untyped-def]
    from fsrs import Scheduler  # imported lazily: not needed at start-up

    return Scheduler(
        desired_retention=desired_retention,
        learning_steps=(LEARNING_STEP,),
        relearning_steps=(LEARNING_STEP,),
        enable_fuzzing=fuzz,
    )


def _card_id(question_id: str) -> int:
    # fsrs makes ids from the clock (and sleeps 1 ms to keep them apart); ours are stable.
    return zlib.crc32(question_id.encode())


def start_of_day(when: datetime) -> datetime:
    """Local midnight before `when` (the learner's day), in UTC."""
    local = when.astimezone()
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


@dataclass(frozen=True)
class DomainReadiness:
    domain: str
    name: str
    readiness: float  # mean retrievability over the domain's questions, unseen ones count 0
    seen: int
    total: int


@dataclass(frozen=True)
class DailyQueue:
    due: list[str]  # due questions, most overdue first, within today's review limit
    new: list[str]  # never-seen questions, in course order, within today's new limit
    due_total: int  # due questions before the limit
    new_today: int  # new questions already met today
    reviews_today: int

    @property
    def questions(self) -> list[str]:
        return [*self.due, *self.new]


class Repetition:
    def __init__(self, store: ProgressStore, *, fuzz: bool = True) -> None:
        self.store = store
        self.fuzz = fuzz
        self._scheduler = None

    @property
    def _sched(self):  # type: ignore[no-untyped-def]
        if self._scheduler is None:
            retention = Settings(self.store).get("desired_retention")
            self._scheduler = scheduler(retention, self.fuzz)
        return self._scheduler

    def _card(self, question_id: str, when: datetime):  # type: ignore[no-untyped-def]
        from fsrs import Card

        rows = self.store.query("SELECT card FROM cards WHERE question_id = ?", (question_id,))
        if rows:
            return Card.from_json(rows[0][0]), True
        return Card(card_id=_card_id(question_id), due=when), False

    def state(self, question_id: str) -> int:
        """NEW, or the fsrs state of the question's card."""
        card, known = self._card(question_id, datetime.now(UTC))
        return int(card.state) if known else NEW

    def review(
        self,
        question_id: str,
        rating: int,
        when: datetime | None = None,
        *,
        seconds: float | None = None,
        rated_by: str = "learner",
        correct: bool | None = None,
    ) -> datetime:
        """Review the card with `rating` (1-4); returns when it is due next."""
        from fsrs import Rating

        when = when or datetime.now(UTC)
        card, known = self._card(question_id, when)
        before = int(card.state) if known else NEW
        duration = None if seconds is None else int(seconds * 1000)
        card, _log = self._sched.review_card(card, Rating(rating), when, duration)
        if correct is None:
            correct = rating > 1
        with self.store.transaction() as db:
            row = {
                "question_id": question_id,
                "card": card.to_json(),
                "due": card.due.timestamp(),
                "last_review": when.timestamp(),
                "last_correct": int(correct),
            }
            upsert(db, "cards", row, ("question_id",))
            db.execute(
                "INSERT INTO reviews (question_id, rating, rated_by, state_before, at, seconds, due) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (question_id, rating, rated_by, before, when.timestamp(), seconds, card.due.timestamp()),
            )
        return card.due

    def record(
        self, question_id: str, correct: bool, when: datetime | None = None, *, seconds: float | None = None
    ) -> datetime:
        """Review with the rating derived from correctness (exams, and answers left unrated)."""
        rating = derive_rating(correct, seconds, float("inf"), self.state(question_id))
        return self.review(question_id, rating, when, seconds=seconds, rated_by="derived", correct=correct)

    # -- what is due ---------------------------------------------------------------------------
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

    def seen(self) -> set[str]:
        return {r[0] for r in self.store.query("SELECT question_id FROM cards")}

    def today(self, when: datetime | None = None) -> tuple[int, int]:
        """(new questions met today, reviews of known questions today)."""
        since = start_of_day(when or datetime.now(UTC)).timestamp()
        row = self.store.query(
            "SELECT COALESCE(SUM(state_before = 0), 0), COALESCE(SUM(state_before != 0), 0) "
            "FROM reviews WHERE at >= ?",
            (since,),
        )[0]
        return int(row[0]), int(row[1])

    def daily(self, bank: Sequence[str], when: datetime | None = None) -> DailyQueue:
        """Today's review: what is due, then new questions (in `bank` order), within the limits."""
        when = when or datetime.now(UTC)
        settings = Settings(self.store)
        new_today, reviews_today = self.today(when)
        due = self.due(when, known=bank)
        seen = self.seen()
        room_due = max(0, settings.get("reviews_per_day") - reviews_today)
        room_new = max(0, settings.get("new_per_day") - new_today)
        fresh = [q for q in bank if q not in seen][:room_new]
        return DailyQueue(due[:room_due], fresh, len(due), new_today, reviews_today)

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
