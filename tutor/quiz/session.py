"""Practice sessions over the progress store: one question at a time, feedback at once.

Every answer is written to the store when it is given. Timed exams are in `tutor.quiz.exam`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from tutor.base.errors import TutorError
from tutor.content.course import Course
from tutor.content.models.questions import Question, Scoring
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore
from tutor.quiz.grading import Grade, check_choices, grade
from tutor.quiz.shuffle import option_order
from tutor.quiz.srs import Repetition

PRACTICE_MODES = ("practice", "review", "cram")


def new_seed() -> int:
    return random.SystemRandom().randrange(1, 2**31)


class QuizError(TutorError):
    pass


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
    finished: bool = False

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
        attempt_id = Attempts(store).start(quiz_id, mode, seed, ids)
        return cls(course, store, attempt_id, quiz_id, mode, seed, ids, scoring)

    @property
    def question(self) -> Question:
        return self.course.questions[self.question_ids[self.index]]

    def order(self, question: Question | None = None) -> list[str]:
        return option_order(question or self.question, self.seed)

    def answer(self, response: Any) -> Grade:
        """Grade the current question, save the answer, update the learner's schedule."""
        if self.finished:
            raise QuizError(
                f"attempt {self.attempt_id} has been submitted; answers to it are no longer accepted",
                hint="start a new attempt with `tutor quiz start`",
            )
        q = self.question
        check_choices(q, response)
        result = grade(q, response, self.scoring)
        if not result.settled:  # a DOMC still waiting for the next yes/no
            return result
        self.grades[q.id] = result
        Attempts(self.store).record_answer(self.attempt_id, q.id, response, score=result.score)
        if self.mode != "cram":
            Repetition(self.store).record(q.id, result.correct)
        if len(self.grades) == len(self.question_ids):
            self.finish()
        return result

    def next(self) -> bool:
        if self.index + 1 < len(self.question_ids):
            self.index += 1
            return True
        return False

    @property
    def done(self) -> bool:
        return len(self.grades) == len(self.question_ids)

    @property
    def right(self) -> int:
        return sum(1 for g in self.grades.values() if g.correct)

    def finish(self) -> None:
        self.finished = True
        summary = {
            "answered": len(self.grades),
            "total": len(self.question_ids),
            "points": round(sum(g.score for g in self.grades.values()), 3),
            "right": self.right,
        }
        Attempts(self.store).finish(self.attempt_id, summary)
