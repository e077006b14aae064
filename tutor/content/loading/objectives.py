"""Objective files (`kind: objectives`): read beside the quizzes, checked against the course."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from tutor.content.course import Course, Source
from tutor.content.loading.documents import Document, yaml_text
from tutor.content.loading.located import problem_errors, validated
from tutor.content.models.objectives import ObjectivesFile
from tutor.content.suggest import did_you_mean

Report = Callable[[Document, tuple[str | int, ...], str, str | None], None]


def load_objectives(course: Course, doc: Document, report: Report) -> None:
    item = validated(doc, ObjectivesFile, course.errors)
    if item is None:
        return
    if item.exam in course.objectives:
        report(
            doc, ("exam",), f"objectives for exam {item.exam!r} are listed twice", "keep one file per exam"
        )
        return
    course.objectives[item.exam] = item
    course.sources[("objectives", item.exam)] = Source(doc.path)


def check_objectives(course: Course) -> None:
    """Exams, domains, lessons and questions named by objectives exist; objective ids are unique."""
    seen: dict[str, str] = {}
    for exam_id, item in course.objectives.items():
        src = course.sources.get(("objectives", exam_id))
        if src is None:
            continue
        found: list[tuple[tuple[str | int, ...], str, str | None]] = []
        exam = course.exams.get(exam_id)
        if exam is None:
            found.append((("exam",), f"unknown exam {exam_id!r}", _guess(exam_id, course.exams, "exam")))
        domains = {d.id for d in exam.domains} if exam else set()
        for i, obj in enumerate(item.objectives):
            if obj.id in seen:
                found.append(((("objectives", i, "id")), f"objective id {obj.id!r} is used twice", None))
            seen[obj.id] = exam_id
            if exam is not None and obj.domain not in domains:
                found.append(
                    (
                        ("objectives", i, "domain"),
                        f"{obj.id}: {exam_id} has no domain {obj.domain!r}",
                        _guess(obj.domain, domains, "domain"),
                    )
                )
            for field, names, known, kind in (
                ("lessons", obj.lessons, course.lessons, "lesson"),
                ("questions", obj.questions, course.questions, "question"),
            ):
                found += [
                    (
                        ("objectives", i, field, j),
                        f"{obj.id}: unknown {kind} {name!r}",
                        _guess(name, known, kind),
                    )
                    for j, name in enumerate(names)
                    if name not in known
                ]
        course.errors.extend(problem_errors(found, file=src.file, text=yaml_text(Path(src.file))))


def _guess(word: str, known: Iterable[str], what: str) -> str:
    return did_you_mean(word, known) or f"no {what} has this id"
