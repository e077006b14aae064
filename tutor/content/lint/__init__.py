"""Lint the course beyond its schema: item-writing rules for questions, lesson freshness.

Pure functions over a loaded Course; each rule yields Findings, which `to_errors` locates in
their files as warnings. `tutor validate` prints them; `tutor validate --strict` fails on them.
The thresholds are the constants at the top of each rule module (documented in docs/authoring.md).
"""

from __future__ import annotations

from datetime import date

from tutor.base.errors import ContentError
from tutor.content.course import Course
from tutor.content.lint.findings import Finding, to_errors
from tutor.content.lint.freetext import command_answer, short_answer
from tutor.content.lint.freshness import freshness
from tutor.content.lint.options import catch_all, length_ratio, longest_share
from tutor.content.lint.responses import exam_options
from tutor.content.lint.stems import document_frequency, giveaway, near_duplicates, negative_stem

__all__ = ["Finding", "lint_course", "lint_errors"]


def lint_course(course: Course, today: date | None = None) -> list[Finding]:
    today = today or date.today()
    bank = list(course.questions.values())
    df, size = document_frequency(bank)
    found: list[Finding] = []
    for lesson in course.lessons.values():
        found.extend(freshness(lesson, today))
    for quiz in course.quizzes.values():
        found.extend(longest_share(quiz))
        for q in quiz.questions:
            found.extend(length_ratio(q))
            found.extend(catch_all(q))
            found.extend(giveaway(q, df, size))
            found.extend(negative_stem(q))
            found.extend(short_answer(q))
            found.extend(command_answer(q))
    found.extend(near_duplicates(bank))
    found.extend(exam_options(course.exams.values(), bank))
    return found


def lint_errors(course: Course, today: date | None = None) -> tuple[list[ContentError], list[ContentError]]:
    """(every finding as a warning, the ones that fail --strict)."""
    findings = lint_course(course, today)
    located = to_errors(course, findings)
    return located, [e for f, e in zip(findings, located, strict=True) if f.strict]
