"""Lessons carry `verified: YYYY-MM`, the month they were last checked against the official docs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from tutor.content.lint.findings import Finding
from tutor.content.models.lessons import Lesson

MAX_AGE_MONTHS = 12
"""A lesson checked more than this many months ago (relative to today) is stale. Staleness stays a
warning under --strict, so that a build never fails only because the calendar moved on; a missing
`verified:` fails --strict."""


def months_between(verified: str, today: date) -> int:
    year, month = (int(x) for x in verified.split("-"))
    return (today.year * 12 + today.month) - (year * 12 + month)


def freshness(lesson: Lesson, today: date) -> Iterator[Finding]:
    verified = lesson.meta.verified
    if verified is None:
        yield Finding(
            "verified",
            "lesson",
            lesson.id,
            ("id",),
            "the lesson has no `verified:` date",
            "check it against the official docs it cites, then add `verified: YYYY-MM`",
        )
        return
    age = months_between(verified, today)
    if age > MAX_AGE_MONTHS:
        yield Finding(
            "verified",
            "lesson",
            lesson.id,
            ("verified",),
            f"the lesson was last verified {verified}, {age} months ago (more than {MAX_AGE_MONTHS})",
            "check every fact against the current docs, then set `verified:` to this month",
            strict=False,
        )
