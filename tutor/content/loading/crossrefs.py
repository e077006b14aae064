"""Checks across files: ids that must exist, ids that must be unique, exams that must be drawable."""

from __future__ import annotations

from collections.abc import Iterable

from tutor.content.course import Course
from tutor.content.loading.documents import yaml_text
from tutor.content.loading.exam_checks import check_exam_bank, check_teaches
from tutor.content.loading.located import problem_errors
from tutor.content.suggest import did_you_mean


def _report(
    course: Course,
    kind: str,
    item_id: str,
    path: tuple[str | int, ...],
    message: str,
    hint: str | None = None,
    *,
    warning: bool = False,
) -> None:
    src = course.sources.get((kind, item_id))
    if src is None:
        return
    for err in problem_errors(
        [(path, message, hint)],
        file=src.file,
        text=yaml_text(src.file),
        line_offset=src.line_offset,
        prefix=src.prefix,
    ):
        err.warning = warning
        course.errors.append(err)


def _unknown(word: str, known: Iterable[str], what: str) -> str:
    guess = did_you_mean(word, known)
    return guess or f"no {what} has this id"


def check_references(course: Course) -> None:
    topics = set(course.topics)
    for lesson in course.lessons.values():
        meta = lesson.meta
        _check_topic(course, "lesson", meta.id, meta.topic, topics)
        for field, names, known, kind in (
            ("labs", meta.labs, course.labs, "lab"),
            ("questions", meta.questions, course.questions, "question"),
        ):
            for i, name in enumerate(names):
                if name not in known:
                    hint = _unknown(name, known, kind)
                    _report(course, "lesson", meta.id, (field, i), f"unknown {kind} {name!r}", hint)

    _check_questions(course, topics)
    _check_exams(course, topics)
    check_teaches(course, _report)
    for lab in course.labs.values():
        _check_topic(course, "lab", lab.id, lab.topic, topics)


def _check_topic(
    course: Course,
    kind: str,
    item_id: str,
    topic: str,
    topics: set[str],
    at: tuple[str | int, ...] = ("topic",),
    label: str = "",
) -> None:
    if topic not in topics:
        hint = _unknown(topic, topics, "topic")
        _report(course, kind, item_id, at, f"{label}unknown topic {topic!r}", hint)


def _check_questions(course: Course, topics: set[str]) -> None:
    owner: dict[str, str] = {}
    domains = {d.id for exam in course.exams.values() for d in exam.domains}
    exam_codes = {d.split(":")[0] for d in domains}
    for quiz in course.quizzes.values():
        _check_topic(course, "quiz", quiz.id, quiz.topic, topics)
        for q in quiz.questions:
            if q.id in owner and owner[q.id] != quiz.id:
                _report(
                    course,
                    "question",
                    q.id,
                    ("id",),
                    f"question id {q.id!r} is also used in quiz {owner[q.id]!r}",
                    "give each question its own id",
                )
            owner[q.id] = quiz.id
            _check_topic(course, "question", q.id, q.topic, topics, label=f"question {q.id}: ")
            if not course.exams or domains.issuperset(q.domains):  # the common case: all known
                continue
            for i, tag in enumerate(q.domains):
                if tag.split(":")[0] in exam_codes and tag not in domains:
                    _report(
                        course,
                        "question",
                        q.id,
                        ("domains", i),
                        f"question {q.id}: unknown exam domain {tag!r}",
                        _unknown(tag, domains, "exam domain"),
                    )
                elif tag.split(":")[0] not in exam_codes:
                    _report(
                        course,
                        "question",
                        q.id,
                        ("domains", i),
                        f"question {q.id}: no exam blueprint defines {tag.split(':')[0]!r}",
                        _unknown(tag, domains, "exam domain"),
                    )


def _check_exams(course: Course, topics: set[str]) -> None:
    for exam in course.exams.values():
        for i, topic in enumerate(exam.topics):
            _check_topic(course, "exam", exam.id, topic, topics, at=("topics", i))
        check_exam_bank(course, exam, _report)
