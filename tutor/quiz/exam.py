"""Timed exams over the progress store, drawn from a blueprint (or a whole quiz).

An exam's clock is saved with every answer and at every checkpoint, so an exam interrupted by a
crash resumes with the time it had left (a crash can only give the learner back the seconds since
the last checkpoint).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.content.course import Course
from tutor.content.models.exams import ExamBlueprint
from tutor.content.models.questions import Question, Scoring
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore
from tutor.quiz.drawing import draw_exam
from tutor.quiz.grading import Grade, check_choices, grade, is_incomplete
from tutor.quiz.results import DomainScore, ExamResult, scaled_score
from tutor.quiz.session import QuizError, new_seed
from tutor.quiz.shuffle import option_order
from tutor.quiz.srs import Repetition


@dataclass
class ExamSession:
    """A timed exam: answers saved but not shown, flags, a review list, submission."""

    course: Course
    store: ProgressStore
    attempt_id: int
    exam_id: str
    title: str
    seed: int
    question_ids: list[str]
    domain_of: dict[str, str]
    domain_names: dict[str, str]
    time_limit: float
    scale: tuple[int, int]
    pass_mark: int
    scoring: Scoring
    shortfalls: dict[str, int] = field(default_factory=dict)
    responses: dict[str, Any] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    index: int = 0
    used_before: float = 0.0
    clock: Callable[[], float] = time.monotonic
    wall: bool = False
    _since: float | None = None
    result: ExamResult | None = None

    # -- starting and resuming --------------------------------------------------------------
    @classmethod
    def start(
        cls,
        course: Course,
        store: ProgressStore,
        exam_or_quiz_id: str,
        *,
        seed: int | None = None,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: bool = False,
    ) -> ExamSession:
        """`wall_clock`: the exam runs from its start without pausing (headless, one command
        per answer), instead of counting only the time the app shows it."""
        seed = seed if seed is not None else new_seed()
        spec = _exam_spec(course, exam_or_quiz_id, seed)
        session = cls(
            course,
            store,
            0,  # the attempt's id, once it is saved below
            exam_or_quiz_id,
            spec["title"],
            seed,
            spec["question_ids"],
            spec["domain_of"],
            spec["domain_names"],
            spec["time_limit"],
            spec["scale"],
            spec["pass_mark"],
            spec["scoring"],
            spec["shortfalls"],
            clock=clock,
            wall=wall_clock,
        )
        session.attempt_id = Attempts(store).start(
            exam_or_quiz_id, "exam", seed, spec["question_ids"], spec["time_limit"], session._state()
        )
        if wall_clock:
            session.clock = time.time
            row = Attempts(store).get(session.attempt_id)
            session._since = row.started_at if row else time.time()
        session.resume_clock()
        return session

    @classmethod
    def resume(
        cls,
        course: Course,
        store: ProgressStore,
        attempt_id: int,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> ExamSession:
        row = Attempts(store).get(attempt_id)
        if row is None or row.mode != "exam":
            raise QuizError(f"no exam attempt {attempt_id}")
        if row.finished_at is not None:
            raise QuizError(f"exam attempt {attempt_id} was already submitted")
        missing = [q for q in row.question_ids if q not in course.questions]
        if missing:
            raise QuizError(
                f"the exam uses questions that are no longer in the course: {', '.join(missing[:5])}",
                hint="discard it and start a new one",
            )
        spec = _exam_spec(course, row.quiz_id, row.seed, draw=False)
        answers = Attempts(store).answers(attempt_id)
        session = cls(
            course,
            store,
            attempt_id,
            row.quiz_id,
            spec["title"],
            row.seed,
            row.question_ids,
            row.state.get("domain_of", {}),
            row.state.get("domain_names", {}),
            row.time_limit or spec["time_limit"],
            spec["scale"],
            spec["pass_mark"],
            spec["scoring"],
            row.state.get("shortfalls", {}),
            responses={q: a.response for q, a in answers.items() if a.response is not None},
            flags={q for q, a in answers.items() if a.flagged},
            index=int(row.state.get("index", 0)),
            used_before=row.time_used,
            clock=clock,
            wall=row.state.get("clock") == "wall",
        )
        if session.wall:  # the clock has run since the exam started
            session.clock = time.time
            session.used_before = 0.0
            session._since = row.started_at
        session.resume_clock()
        return session

    # -- the clock ---------------------------------------------------------------------------
    def resume_clock(self) -> None:
        if self._since is None:
            self._since = self.clock()

    def elapsed(self) -> float:
        running = self.clock() - self._since if self._since is not None else 0.0
        return self.used_before + running

    def remaining(self) -> float:
        return max(0.0, self.time_limit - self.elapsed())

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def _state(self) -> dict[str, Any]:
        """What `resume` reads back besides the answers: the draw's domains, the place, the clock."""
        return {
            "domain_of": self.domain_of,
            "domain_names": self.domain_names,
            "shortfalls": self.shortfalls,
            "index": self.index,
            "clock": "wall" if self.wall else "app",
        }

    def checkpoint(self) -> None:
        Attempts(self.store).checkpoint(self.attempt_id, self.elapsed(), self._state())

    def pause(self) -> None:
        """Stop the clock (leaving the exam); the time used so far is saved."""
        self.used_before = self.elapsed()
        self._since = None
        Attempts(self.store).checkpoint(self.attempt_id, self.used_before, self._state())

    # -- answering -------------------------------------------------------------------------
    @property
    def question(self) -> Question:
        return self.course.questions[self.question_ids[self.index]]

    def order(self, question: Question | None = None) -> list[str]:
        return option_order(question or self.question, self.seed)

    def answer(self, response: Any, question_id: str | None = None) -> Grade:
        """Save the answer when it is settled (a DOMC may still wait for its next yes/no)."""
        if self.result is not None:
            raise QuizError(
                f"exam attempt {self.attempt_id} has been submitted; answers to it are no longer accepted"
            )
        qid = question_id or self.question.id
        check_choices(self.course.questions[qid], response)  # never more than "Choose N"
        g = grade(self.course.questions[qid], response, self.scoring)  # checks the shape, too
        if not g.settled:
            return g
        self.responses[qid] = response
        Attempts(self.store).record_answer(
            self.attempt_id, qid, response, score=g.score, time_used=self.elapsed()
        )
        return g

    def flag(self, question_id: str | None = None, flagged: bool | None = None) -> bool:
        qid = question_id or self.question.id
        now = (qid not in self.flags) if flagged is None else flagged
        (self.flags.add if now else self.flags.discard)(qid)
        Attempts(self.store).set_flag(self.attempt_id, qid, now)
        return now

    def goto(self, index: int) -> None:
        self.index = max(0, min(index, len(self.question_ids) - 1))

    def unanswered(self) -> list[int]:
        return [i for i, q in enumerate(self.question_ids) if q not in self.responses]

    def flagged(self) -> list[int]:
        return [i for i, q in enumerate(self.question_ids) if q in self.flags]

    def incomplete(self) -> list[int]:
        """Answered with fewer choices than the question asks for (counted as answered, too)."""
        return [
            i
            for i, q in enumerate(self.question_ids)
            if q in self.responses and is_incomplete(self.course.questions[q], self.responses[q])
        ]

    # -- submitting ------------------------------------------------------------------------
    def submit(self) -> ExamResult:
        if self.result is not None:
            return self.result
        used = min(self.elapsed(), self.time_limit)
        scores: dict[str, float] = {}
        per_points: dict[str, float] = {}
        per_total: dict[str, int] = {}
        for qid in self.question_ids:
            dom = self.domain_of.get(qid, "")
            per_total[dom] = per_total.get(dom, 0) + 1
            if qid in self.responses:
                scores[qid] = grade(self.course.questions[qid], self.responses[qid], self.scoring).score
                per_points[dom] = per_points.get(dom, 0.0) + scores[qid]
        points = sum(scores.values())
        total = len(self.question_ids)
        domains = [
            DomainScore(d, self.domain_names.get(d, d), per_points.get(d, 0.0), n)
            for d, n in per_total.items()
        ]
        order = list(self.domain_names)
        domains.sort(key=lambda x: order.index(x.id) if x.id in order else len(order))
        self.result = ExamResult(
            self.title,
            points,
            total,
            scaled_score(points, total, *self.scale),
            self.scale[0],
            self.scale[1],
            self.pass_mark,
            used,
            self.time_limit,
            domains,
            scores,
            len(scores),
        )
        Attempts(self.store).finish(self.attempt_id, self.result.to_dict(), used)
        srs = Repetition(self.store)
        for qid, score in scores.items():
            srs.record(qid, score >= 1.0)
        self._since = None
        return self.result


def _exam_spec(course: Course, exam_or_quiz_id: str, seed: int, *, draw: bool = True) -> dict[str, Any]:
    """What an exam looks like: a blueprint draw, or a timed run through one quiz."""
    exam = course.exams.get(exam_or_quiz_id)
    if exam is not None:
        return _blueprint_spec(course, exam, seed, draw)
    quiz = course.quizzes.get(exam_or_quiz_id)
    if quiz is None:
        from tutor.content.suggest import did_you_mean

        known = list(course.exams) + list(course.quizzes)
        raise QuizError(
            f"no exam or quiz {exam_or_quiz_id!r}",
            hint=did_you_mean(exam_or_quiz_id, known) or "run `tutor quiz list` to see them",
        )
    ids = [q.id for q in quiz.questions]
    random.Random(seed).shuffle(ids)
    domain_of = {q.id: q.topic for q in quiz.questions}
    topic = course.topics.get(quiz.topic)
    return {
        "title": f"{quiz.title} (timed)",
        "question_ids": ids,
        "domain_of": domain_of,
        "domain_names": {quiz.topic: topic.title if topic else quiz.topic},
        "shortfalls": {},
        "time_limit": 60.0 * max(5, round(1.5 * len(ids))),
        "scale": (0, 100),
        "pass_mark": 70,
        "scoring": quiz.scoring,
    }


def _blueprint_spec(course: Course, exam: ExamBlueprint, seed: int, draw: bool) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "title": exam.title,
        "time_limit": 60.0 * exam.minutes,
        "scale": (exam.scale.min, exam.scale.max),
        "pass_mark": exam.pass_mark,
        "scoring": exam.scoring,
        "domain_names": {d.id: d.name for d in exam.domains},
    }
    if draw:
        drawn = draw_exam(exam, list(course.questions.values()), seed)
        if not drawn.question_ids:
            raise QuizError(f"the question bank has no questions for {exam.title}")
        spec.update(question_ids=drawn.question_ids, domain_of=drawn.domain_of, shortfalls=drawn.shortfalls)
    return spec
