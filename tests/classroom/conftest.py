"""Learners' histories for the classroom tests, made through the store's own API with a fake
clock, then exported as `tutor export` would: alice does everything on time, bob gets stuck on
the lab and passes the quiz late, carol fails the exam and starts nothing else."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor.classroom.export import build_export, checksum, write_export
from tutor.content.course import Course
from tutor.content.loading.loader import load_course
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


@pytest.fixture(scope="session")
def course() -> Course:
    return load_course(ROOTS, cache=False)


@pytest.fixture
def make_export(
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Callable[..., Path]]:
    clock = Clock()
    monkeypatch.setattr(time, "time", clock)

    def make(name: str, roots: list[Path] | None = None, out: Path | None = None) -> Path:
        home = tmp_path / "homes" / name
        learner = Learner(course if roots is None else load_course(roots, cache=False), home, clock)
        SCRIPTS.get(name, alice)(learner)
        clock.tick(3600)
        document = build_export(learner.course, roots or ROOTS, learner.store, name)
        learner.store.close()
        path = out or tmp_path / "exports" / f"{name}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        write_export(document, path)
        return path

    yield make


@pytest.fixture
def class_exports(make_export: Callable[..., Path], tmp_path: Path) -> dict[str, Path]:
    """The three learners, and four files a report must leave out, named as on a command line."""
    paths = {name: make_export(name) for name in SCRIPTS}
    folder = tmp_path / "exports"
    tampered = json.loads(paths["alice"].read_text())
    tampered["payload"]["attempts"][0]["points"] = 0
    (folder / "tampered.json").write_text(json.dumps(tampered, indent=2))
    other = tmp_path / "other-pack"
    shutil.copytree(PACK, other)
    with (other / "class.yaml").open("a") as f:
        f.write("# another term\n")
    paths["other"] = make_export("dave", [COURSE, other], folder / "other-pack.json")
    (folder / "truncated.json").write_text(paths["carol"].read_text()[:300])
    (folder / "not-an-export.json").write_text('{"hello": "world"}\n')
    paths.update(
        tampered=folder / "tampered.json",
        truncated=folder / "truncated.json",
        stranger=folder / "not-an-export.json",
    )
    assert tampered["checksum"] != checksum(tampered["payload"])
    return paths


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(time, "time", fake)
    return fake


@pytest.fixture
def live(course: Course, tutor_home: Path, clock: Clock) -> Callable[[str], Learner]:
    """Play a learner's script into this test's own TUTOR_HOME (what `tutor` commands read)."""

    def play(name: str) -> Learner:
        learner = Learner(course, tutor_home, clock)
        SCRIPTS[name](learner)
        return learner

    return play
