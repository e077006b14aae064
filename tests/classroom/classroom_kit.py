"""Learners' histories for the classroom tests, made through the store's own API with a fake
clock: alice does everything on time, bob gets stuck on the lab and passes the quiz late, carol
fails the exam and starts nothing else. (A module of its own: `conftest` is a name every test
folder has, so tests import these from here.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.content.course import Course
from tutor.progress.labs import LabRecords
from tutor.progress.store import open_store
from tutor.quiz.exam import ExamSession
from tutor.quiz.session import PracticeSession

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classroom"
COURSE = FIXTURES / "course"
PACK = FIXTURES / "pack"
ROOTS = [COURSE, PACK]
AS_OF = dt.datetime(2027, 3, 20, 12, tzinfo=dt.UTC).timestamp()


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp()


class Clock:
    def __init__(self) -> None:
        self.now = at("2027-02-01T09:00:00")

    def __call__(self) -> float:
        return self.now

    def set(self, text: str) -> None:
        self.now = at(text)

    def tick(self, seconds: float) -> None:
        self.now += seconds


def result(title: str, passed: bool) -> dict[str, Any]:
    reason = f"{title}: yes" if passed else f"{title}: not yet"
    return {
        "index": 0,
        "kind": "file",
        "title": title,
        "passed": passed,
        "reason": reason,
        "hint": "",
        "seconds": 0.01,
    }


class Learner:
    def __init__(self, course: Course, home: Path, clock: Clock) -> None:
        self.course, self.clock = course, clock
        self.store = open_store(home)
        self.labs = LabRecords(self.store)

    def check(self, step: str, passed: bool, after: float = 60) -> None:
        self.clock.tick(after)
        self.labs.record_check("first-files", step, passed, [result(f"{step} check", passed)])
        if passed and self.labs.passed_steps("first-files") >= {"notes", "config"}:
            self.labs.complete("first-files")

    def practice(self, right: set[str] | None, seed: int = 3, gap: float = 30) -> None:
        quiz = self.course.quizzes["basics"]
        s = PracticeSession.start(
            self.course, self.store, [q.id for q in quiz.questions], quiz_id="basics", seed=seed
        )
        for _ in quiz.questions:
            self.clock.tick(gap)
            s.answer(answer(self.course, s.question.id, right is None or s.question.id in right))
            s.next()

    def exam(self, right: int, seed: int = 7, submit: bool = True) -> None:
        e = ExamSession.start(self.course, self.store, "mock", seed=seed, wall_clock=True)
        for i, qid in enumerate(e.question_ids[: 4 if submit else 2]):
            self.clock.tick(45)
            e.answer(answer(self.course, qid, i < right), qid)
        if submit:
            e.submit()


def answer(course: Course, qid: str, right: bool) -> dict[str, Any]:
    q = course.questions[qid]
    if q.type == "single":
        return {"choice": "a" if right else "b"}
    return {"value": right}


def alice(who: Learner) -> None:
    who.clock.set("2027-02-22T10:00:00")
    who.labs.start("first-files", "a1", {})
    who.check("notes", False, 60)
    who.check("notes", True, 180)
    who.check("config", True, 360)
    who.clock.set("2027-02-25T10:00:00")
    who.practice(None)
    who.clock.set("2027-03-10T10:00:00")
    who.exam(right=4)


def bob(who: Learner) -> None:
    who.clock.set("2027-02-26T20:00:00")
    who.labs.start("first-files", "b1", {})
    for _ in range(3):
        who.check("notes", False, 120)
    who.labs.note_help("first-files", "notes", hints=2)
    who.check("notes", True, 900)
    who.check("config", False, 300)
    who.check("config", False, 300)
    who.labs.note_help("first-files", "config", hints=1)
    who.labs.note_help("first-files", "config", solution=True)
    who.clock.set("2027-03-01T09:00:00")
    who.practice({"cq1", "cq2", "cq3"}, seed=5)
    who.clock.set("2027-03-09T08:00:00")
    who.practice({"cq1", "cq2", "cq3", "cq4", "cq5"}, seed=6)
    who.clock.set("2027-03-14T16:30:00")
    who.exam(right=1, submit=False)


def carol(who: Learner) -> None:
    who.clock.set("2027-03-14T11:00:00")
    who.exam(right=2)


SCRIPTS: dict[str, Callable[[Learner], None]] = {"alice": alice, "bob": bob, "carol": carol}
