"""Parsing ahead in a second process (content/loading/prefetch.py): the course loaded is the
same whoever parsed each file, and a helper that dies, hangs or talks nonsense costs nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.content.course import Course
from tutor.content.loading import prefetch
from tutor.content.loading.documents import ParseCache, parse_file
from tutor.content.loading.loader import builtin_root, load_course

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PACKS = [FIXTURES / "course", *sorted(p for p in (FIXTURES / "broken").iterdir() if p.is_dir())]

LESSON = """---
id: {id}
title: Lesson {n}
topic: basics
order: {n}
minutes: 5
objectives: [Know thing {n}]
references: [https://docs.docker.com/get-started/]
---
# Lesson {n}

Body of lesson {n}, with a \\x1b and a tab.
"""


def question(n: int) -> str:
    return f"""  - id: big-q{n:04d}
    type: single
    topic: basics
    domains: [dca:images]
    prompt: "Which command lists running containers (case {n})?"
    options:
      - {{id: a, text: docker ps, why: It lists running containers.}}
      - {{id: b, text: docker images, why: It lists images.}}
      - {{id: c, text: docker rm, why: It removes containers.}}
      - {{id: d, text: docker pull, why: It pulls an image.}}
    answer: a
    explanation: docker ps lists the running containers; -a adds the stopped ones.
    references: [https://docs.docker.com/reference/cli/docker/container/ls/]
"""


def make_pack(root: Path, lessons: int = 30, questions: int = 200) -> Path:
    (root / "lessons").mkdir(parents=True)
    (root / "quizzes").mkdir()
    (root / "lessons" / "topics.yaml").write_text("topics:\n  - id: basics\n    title: Basics\n")
    for n in range(lessons):
        (root / "lessons" / f"l{n:03d}.md").write_text(LESSON.format(id=f"big-l{n:03d}", n=n))
    for first in range(0, questions, 500):  # files well under the 2 MB limit
        body = "".join(question(n) for n in range(first, min(first + 500, questions)))
        (root / "quizzes" / f"big{first}.yaml").write_text(
            f"kind: quiz\nid: big{first}\ntitle: Big\ntopic: basics\nquestions:\n{body}"
        )
    # What the helper leaves to the loader: a syntax error, a value marshal cannot carry (a date).
    (root / "quizzes" / "broken.yaml").write_text("kind: quiz\nid: broken\n  topic: [\n")
    (root / "lessons" / "dated.md").write_text(
        LESSON.format(id="dated", n=99).replace("minutes: 5", "minutes: 2024-01-01")
    )
    return root


def content_files(root: Path) -> list[Path]:
    return sorted((root / "lessons").glob("*.md")) + sorted((root / "quizzes").glob("*.yaml"))


def summary(course: Course) -> dict[str, Any]:
    """Everything a load produces that a learner or an author sees."""
    return {
        "lessons": {k: (v.meta.model_dump(), v.body, v.body_line) for k, v in course.lessons.items()},
        "questions": {k: v.model_dump() for k, v in course.questions.items()},
        "exams": {k: v.model_dump() for k, v in course.exams.items()},
        "errors": sorted(str(e) for e in course.errors),
    }


def loaded(roots: list[Path], monkeypatch: pytest.MonkeyPatch, *, ahead: bool) -> Course:
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0 if ahead else 1 << 62)
    return load_course(roots, cache=False)


@pytest.fixture
def helpers(monkeypatch: pytest.MonkeyPatch) -> list[subprocess.Popen[bytes]]:
    """Every helper process the loader starts during the test."""
    started: list[subprocess.Popen[bytes]] = []
    real = prefetch.Prefetched.__init__

    def recording(self: prefetch.Prefetched, paths: Any, proc: subprocess.Popen[bytes]) -> None:
        started.append(proc)
        real(self, paths, proc)

    monkeypatch.setattr(prefetch.Prefetched, "__init__", recording)
    return started


def reaped(procs: list[subprocess.Popen[bytes]]) -> bool:
    """Each helper has ended and been waited for (no process, no zombie left)."""
    return all(proc.returncode is not None for proc in procs)


def handed_over(pack: Path) -> dict[Path, Any]:
    """Start a helper on the pack's files and take what it hands over until it is done."""
    paths = content_files(pack)
    ahead = prefetch.prefetch(paths, ParseCache(pack, None))
    assert ahead is not None, "a second core and a pack to parse: the helper starts"
    taken: dict[Path, Any] = {}
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            running = ahead.running  # before taking: what came before its end is taken below
            for path in paths:
                got = ahead.take(path)
                if got is not None:
                    taken[path] = got
            if not running:
                break
            time.sleep(0.02)
    finally:
        ahead.close()
    return taken


def test_the_helper_parses_each_file_as_the_loader_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = make_pack(tmp_path / "pack")
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    taken = handed_over(pack)
    left = {p.name for p in content_files(pack)} - {p.name for p in taken}
    assert left == {"broken.yaml", "dated.md"}, "files with problems or dates are the loader's"
    for path, got in taken.items():
        assert got == parse_file(path, []), path.name


def test_the_helper_imports_nothing_from_the_folder_it_starts_in(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pack's own `yaml.py` (or `tutor/`) is data: run from inside the pack, the helper still
    imports the loader's modules, never the pack's."""
    pack = make_pack(tmp_path / "pack")
    marker = tmp_path / "ran"
    for name in ("yaml.py", "struct.py", "marshal.py"):
        (pack / name).write_text(f"open({str(marker)!r}, 'w').write('{name}')\n")
    (pack / "tutor").mkdir()
    (pack / "tutor" / "__init__.py").write_text(f"open({str(marker)!r}, 'w').write('tutor')\n")
    monkeypatch.chdir(pack)
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    taken = handed_over(pack)
    assert not marker.exists(), f"the helper ran the pack's {marker.read_text()}"
    assert len(taken) == len(content_files(pack)) - 2, "and it did its work"


def test_a_helper_of_another_copy_of_tutor_hands_nothing_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = make_pack(tmp_path / "pack")
    other = tmp_path / "prefetch.py"
    other.write_text("")
    monkeypatch.setattr(prefetch, "MIN_BYTES", 0)
    command = [*prefetch.helper_command()[:-1], str(other)]
    monkeypatch.setattr(prefetch, "helper_command", lambda: command)
    assert handed_over(pack) == {}


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.name)
def test_a_pack_loads_the_same_with_and_without_the_helper(
    pack: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert summary(loaded([pack], monkeypatch, ahead=True)) == summary(
        loaded([pack], monkeypatch, ahead=False)
    )


def test_a_large_pack_and_the_course_load_the_same_with_the_helper(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[subprocess.Popen[bytes]]
) -> None:
    roots = [builtin_root(), make_pack(tmp_path / "pack", lessons=200, questions=2000)]
    with_helper = summary(loaded(roots, monkeypatch, ahead=True))
    assert with_helper == summary(loaded(roots, monkeypatch, ahead=False))
    assert len(with_helper["questions"]) > 2000
    assert len(helpers) == 2 and reaped(helpers), "one helper per root, each stopped with its root"


@pytest.mark.parametrize(
    "helper",
    [
        "import os; os._exit(3)",  # dies at once
        "import sys; sys.stdout.buffer.write(bytes(4) + bytes([5, 0, 0, 0]) + b'junk!')",  # nonsense
        "import sys; sys.stdout.buffer.write(bytes(8))",  # an empty frame
        "import time; time.sleep(120)",  # hangs
    ],
    ids=["dies", "nonsense", "empty-frame", "hangs"],
)
def test_a_broken_helper_costs_nothing(
    helper: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, helpers: list[subprocess.Popen[bytes]]
) -> None:
    pack = make_pack(tmp_path / "pack")
    expected = summary(loaded([pack], monkeypatch, ahead=False))
    monkeypatch.setattr(prefetch, "helper_command", lambda: [sys.executable, "-c", helper])
    start = time.monotonic()
    assert summary(loaded([pack], monkeypatch, ahead=True)) == expected
    assert time.monotonic() - start < 30, "the loader never waits for its helper"
    assert len(helpers) == 1 and reaped(helpers), "the helper is stopped and reaped with its root"


def test_no_helper_on_one_core_or_for_what_the_cache_holds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = make_pack(tmp_path / "pack")
    paths = content_files(pack)
    monkeypatch.setattr(prefetch, "MIN_BYTES", 1)
    monkeypatch.setattr(prefetch, "cores", lambda: 1)
    assert prefetch.prefetch(paths, ParseCache(pack, None)) is None
    monkeypatch.setattr(prefetch, "cores", lambda: 2)
    monkeypatch.setattr(sys, "frozen", True, raising=False)  # a frozen app's binary is no Python
    assert prefetch.prefetch(paths, ParseCache(pack, None)) is None
    monkeypatch.delattr(sys, "frozen")
    monkeypatch.delattr(os, "set_blocking")  # Windows before Python 3.12
    assert prefetch.prefetch(paths, ParseCache(pack, None)) is None
    monkeypatch.undo()
    monkeypatch.setattr(prefetch, "MIN_BYTES", 1)
    cache = ParseCache(pack, tmp_path / "cache")
    for path in paths:
        parsed = parse_file(path, [])
        if parsed is not None:
            cache.put(path, *parsed)
    cached = [p for p in paths if p.name not in ("broken.yaml", "dated.md")]
    assert prefetch.prefetch(cached, cache) is None, "every file is in the cache: nothing to parse"


def test_the_helper_never_reads_what_the_scan_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text(LESSON.format(id="secret-lesson", n=1))
    pack = make_pack(tmp_path / "pack")
    (pack / "lessons" / "link.md").symlink_to(outside)
    course = loaded([pack], monkeypatch, ahead=True)
    assert "secret-lesson" not in course.lessons
    assert any("refused" in e.message and e.file.name == "link.md" for e in course.errors)
