"""Practice sessions over the progress store: one question at a time, feedback at once.

Every answer is written to the store when it is given. After the feedback the learner rates
their recall (again, hard, good, easy); moving on without rating derives one from correctness
and time. A question can be skipped (it comes back after the others) and a run can be left
and resumed later, in the app or headless. Timed exams are in `tutor.quiz.exam`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.base.errors import TutorError
from tutor.content.course import Course
from tutor.content.models.questions import Question, Scoring
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore
from tutor.quiz.grading import Grade, check_choices, grade
from tutor.quiz.shuffle import option_order
from tutor.quiz.srs import Repetition, derive_rating, expected_seconds

PRACTICE_MODES = ("practice", "review", "cram")
MAX_SECONDS = 30 * 60.0  # time on one question beyond this is time away, not thinking


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


class QuizError(TutorError):
    pass


@dataclass
class Pending:
    """An answer whose recall rating is still to be given."""

    question_id: str
    correct: bool
    seconds: float | None


@dataclass
class PracticeSession:
    """One question at a time, graded at once. `cram` never touches the schedule."""

    course: Course
    store: ProgressStore
    attempt_id: int
    quiz_id: str
    mode: str
    seed: int
    question_ids: list[str]
    scoring: Scoring = "all_or_nothing"
    index: int = 0
    grades: dict[str, Grade] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)
    ratings: dict[str, int] = field(default_factory=dict)  # given by the learner in this run
    pending: dict[str, Pending] = field(default_factory=dict)
    finished: bool = False
    clock: Callable[[], float] = time.time
    shown_at: float | None = None

    @classmethod
    def start(
        cls,
        course: Course,
        store: ProgressStore,
        question_ids: list[str],
        *,
        quiz_id: str,
        mode: str = "practice",
        seed: int | None = None,
        scoring: Scoring = "all_or_nothing",
        shuffle: bool = True,
        title: str = "",
        clock: Callable[[], float] = time.time,
    ) -> PracticeSession:
        if mode not in PRACTICE_MODES:
            raise QuizError(f"unknown mode {mode!r}")
        missing = [q for q in question_ids if q not in course.questions]
        if missing:
            raise QuizError(f"unknown question(s): {', '.join(missing)}")
        if not question_ids:
            raise QuizError("there are no questions to practise")
        seed = seed if seed is not None else new_seed()
        ids = list(question_ids)
        if shuffle:
            random.Random(seed).shuffle(ids)
        state = {"index": 0, "title": title, "scoring": scoring}
        attempt_id = Attempts(store).start(quiz_id, mode, seed, ids, state=state)
        session = cls(course, store, attempt_id, quiz_id, mode, seed, ids, scoring, clock=clock)
        session.shown_at = clock()
        return session

    @classmethod
    def resume(
        cls, course: Course, store: ProgressStore, attempt_id: int, clock: Callable[[], float] = time.time
    ) -> PracticeSession:
        """The run as it was left: answers, ratings still to give, the question on show."""
        attempts = Attempts(store)
        row = attempts.get(attempt_id)
        if row is None:
            raise QuizError(f"no attempt {attempt_id}", hint="`tutor quiz resume` lists the open ones")
        if row.mode not in PRACTICE_MODES:
            raise QuizError(
                f"attempt {attempt_id} is an exam", hint="an exam resumes from the app's home screen"
            )
        quiz = course.quizzes.get(row.quiz_id)
        scoring = row.state.get("scoring") or (quiz.scoring if quiz else "all_or_nothing")
        ids = [q for q in row.question_ids if q in course.questions]  # a question removed since
        session = cls(course, store, row.id, row.quiz_id, row.mode, row.seed, ids, scoring, clock=clock)
        session.finished = row.finished_at is not None
        unrated = attempts.unrated(row.id)
        for qid, a in attempts.answers(row.id).items():
            if a.response is None or qid not in course.questions:
                continue
            session.responses[qid] = a.response
            session.grades[qid] = g = grade(course.questions[qid], a.response, scoring)
            if qid in unrated and row.mode != "cram":
                session.pending[qid] = Pending(qid, g.correct, unrated[qid][1])
        index = int(row.state.get("index", 0) or 0)
        session.index = min(max(index, 0), len(ids) - 1) if ids else 0
        if session.question_ids and session.current_id in session.grades and not session.done:
            session.index = session._next_open(session.index)
        session.shown_at = attempts.last_activity(row.id) if clock is time.time else clock()
        return session

    # -- where we are ---------------------------------------------------------------------------
    @property
    def current_id(self) -> str:
        return self.question_ids[self.index]

    @property
    def question(self) -> Question:
        return self.course.questions[self.current_id]

    @property
    def title(self) -> str:
        row = Attempts(self.store).get(self.attempt_id)
        return str((row.state if row else {}).get("title") or self.quiz_id)

    def order(self, question: Question | None = None) -> list[str]:
        return option_order(question or self.question, self.seed)

    @property
    def done(self) -> bool:
        return len(self.grades) == len(self.question_ids)

    @property
    def right(self) -> int:
        return sum(1 for g in self.grades.values() if g.correct)

    @property
    def unanswered(self) -> list[str]:
        return [q for q in self.question_ids if q not in self.grades]

    @property
    def rates(self) -> bool:
        """Whether answers here are rated (cram leaves the schedule alone)."""
        return self.mode != "cram"

    # -- answering ------------------------------------------------------------------------------
    def answer(self, response: Any, rating: int | None = None) -> Grade:
        """Grade the current question and save the answer; schedule it now when `rating` is
        given, else when the learner rates it or moves on."""
        if self.finished:
            raise QuizError(
                f"attempt {self.attempt_id} has been submitted; answers to it are no longer accepted",
                hint="start a new attempt with `tutor quiz start`",
            )
        q = self.question
        if q.id in self.grades:
            raise QuizError(f"question {q.id!r} is already answered in attempt {self.attempt_id}")
        check_choices(q, response)  # more choices than the question asks for: refused, not saved
        result = grade(q, response, self.scoring)
        if not result.settled:  # a DOMC still waiting for the next yes/no
            return result
        self.settle(keep=q.id)  # an earlier answer left unrated gets its derived rating
        seconds = self._seconds()
        self.grades[q.id] = result
        self.responses[q.id] = response
        rated = None if self.rates else 0  # cram: nothing to rate
        Attempts(self.store).record_answer(
            self.attempt_id, q.id, response, score=result.score, seconds=seconds, rating=rated
        )
        if self.rates:
            self.pending[q.id] = Pending(q.id, result.correct, seconds)
            if rating is not None:
                self.rate(rating, q.id)
        if self.done:
            self.finish(keep=q.id)  # the last answer can still be rated
        return result

    def _seconds(self) -> float | None:
        if self.shown_at is None:
            return None
        return round(min(max(0.0, self.clock() - self.shown_at), MAX_SECONDS), 1)

    def rate(self, rating: int, question_id: str | None = None) -> Any:
        """The learner's recall rating (1 again .. 4 easy) for an answered question; returns
        when it is due next."""
        qid = question_id or self.current_id
        if not self.rates:
            raise QuizError("cram answers leave the schedule alone; there is nothing to rate")
        p = self.pending.pop(qid, None)
        if p is None:
            why = "is not answered yet" if qid not in self.grades else "is already rated"
            raise QuizError(f"question {qid!r} {why} in attempt {self.attempt_id}")
        due = Repetition(self.store).review(qid, rating, seconds=p.seconds, correct=p.correct)
        Attempts(self.store).set_rating(self.attempt_id, qid, rating)
        self.ratings[qid] = rating
        return due

    def settle(self, keep: str | None = None) -> None:
        """Give every unrated answer (but `keep`) the rating derived from correctness and time."""
        srs = Repetition(self.store)
        for qid, p in list(self.pending.items()):
            if qid == keep:
                continue
            expected = expected_seconds(self.course.questions[qid])
            rating = derive_rating(p.correct, p.seconds, expected, srs.state(qid))
            srs.review(qid, rating, seconds=p.seconds, rated_by="derived", correct=p.correct)
            Attempts(self.store).set_rating(self.attempt_id, qid, rating)
            del self.pending[qid]

    # -- moving ---------------------------------------------------------------------------------
    def _next_open(self, start: int) -> int:
        """The next unanswered question after `start`, wrapping round (skipped ones come back)."""
        n = len(self.question_ids)
        for step in range(1, n + 1):
            i = (start + step) % n
            if self.question_ids[i] not in self.grades:
                return i
        return start

    def next(self) -> bool:
        """On to the next unanswered question; False when none is left. An unanswered current
        question is skipped: it comes back after the others."""
        self.settle()
        if self.done:
            return False
        target = self._next_open(self.index)
        if target == self.index and self.current_id not in self.grades:
            return False  # the only one left
        self._go(target)
        return True

    def previous(self) -> bool:
        self.settle()
        if self.index == 0:
            return False
        self._go(self.index - 1)
        return True

    def _go(self, index: int) -> None:
        self.index = index
        self.shown_at = self.clock()
        if not self.finished:
            Attempts(self.store).checkpoint(self.attempt_id, 0.0, self._state())

    def _state(self) -> dict[str, Any]:
        row = Attempts(self.store).get(self.attempt_id)
        state = dict(row.state) if row else {}
        state["index"] = self.index
        return state

    def leave(self) -> None:
        """Stop for now: ratings are settled, the place kept; a run with no answer is dropped."""
        self.settle()
        if self.finished:
            return
        if not self.grades:
            Attempts(self.store).discard(self.attempt_id)
            return
        Attempts(self.store).checkpoint(self.attempt_id, 0.0, self._state())

    def finish(self, keep: str | None = None) -> None:
        self.settle(keep=keep)
        self.finished = True
        summary = {
            "answered": len(self.grades),
            "total": len(self.question_ids),
            "points": round(sum(g.score for g in self.grades.values()), 3),
            "right": self.right,
        }
        Attempts(self.store).finish(self.attempt_id, summary)
