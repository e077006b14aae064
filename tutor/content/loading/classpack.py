"""Reading a root's `class.yaml`, and checking its assignments once every root is loaded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tutor.content.course import Course, Source
from tutor.content.loading.documents import Document, yaml_text
from tutor.content.loading.located import document_errors, problem_errors, valid_rows
from tutor.content.models.classpack import KINDS, ClassPack
from tutor.content.roots import CLASS_FILE
from tutor.content.suggest import did_you_mean

SOURCE_KEY = ("class", CLASS_FILE)


def load_class(course: Course, root: Path, read: Callable[[Path], Document | None]) -> None:
    """The root's class pack, if it has one; problems go to the course's errors."""
    path = root / CLASS_FILE
    if not path.is_file():
        return
    doc = read(path)
    if doc is None:
        return
    try:
        pack = ClassPack.model_validate(doc.data)
    except ValidationError as exc:
        course.errors.extend(document_errors(exc, doc, ClassPack))
        salvaged = _salvage(doc.data, exc)
        if salvaged is None:
            return
        pack = salvaged
    course.errors.extend(problem_errors(pack.problems(), file=path, text=doc.text))
    course.klass = pack
    course.sources[SOURCE_KEY] = Source(path)


def check_class(course: Course) -> None:
    """Every assignment must name a lab, quiz or exam of the course it is layered over."""
    pack, src = course.klass, course.sources.get(SOURCE_KEY)
    if pack is None or src is None:
        return
    items = {"lab": course.labs, "quiz": course.quizzes, "exam": course.exams}
    problems = []
    for a in pack.assignments:
        i = a.row
        if len(a.kinds) != 1 or a.target in items[a.kind]:
            continue
        other = next((k for k in KINDS if k != a.kind and a.target in items[k]), None)
        if other is not None:
            hint = f"write `{other}: {a.target}`"
            if other == "quiz":
                hint += " (add `timed: true` to count only timed attempts)"
            message = f"{a.target!r} is {_a(other)}, not {_a(a.kind)}"
            problems.append((("assignments", i, a.kind), message, hint))
            continue
        if not items[a.kind]:
            hint = (
                f"the content loaded has no {_plural(a.kind)}: layer the class pack over its course "
                "(`tutor validate --with-builtin DIR`, `tutor --content builtin --content DIR`)"
            )
        else:
            known = items[a.kind]
            hint = did_you_mean(a.target, known) or f"`tutor list` shows the course's {_plural(a.kind)}"
        problems.append((("assignments", i, a.kind), f"unknown {a.kind} {a.target!r}", hint))
    course.errors.extend(problem_errors(problems, file=src.file, text=yaml_text(src.file)))


def _salvage(data: Any, exc: ValidationError) -> ClassPack | None:
    """A pack with some broken assignments keeps the others (each still knows its row)."""
    if not isinstance(data, dict) or not isinstance(data.get("assignments"), list):
        return None
    kept = valid_rows(ClassPack, data, "assignments", exc, ("assignments",))
    if kept is None:
        return None
    pack, rows = kept
    for a, row in zip(pack.assignments, rows, strict=True):
        a._row = row
    return pack


def _a(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def _plural(kind: str) -> str:
    return "quizzes" if kind == "quiz" else f"{kind}s"
