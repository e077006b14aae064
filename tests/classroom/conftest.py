"""Learners' histories for the classroom tests, made through the store's own API with a fake
clock, then exported as `tutor export` would: alice does everything on time, bob gets stuck on
the lab and passes the quiz late, carol fails the exam and starts nothing else."""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from classroom_kit import COURSE, PACK, ROOTS, SCRIPTS, Clock, Learner, alice

from tutor.classroom.export import build_export, checksum, write_export
from tutor.content.course import Course
from tutor.content.loading.loader import load_course


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
