"""Checks that need the whole course: blueprints that can fill two different mocks, and every
`teaches:` link pointing at a lesson, a section of it and a lab that exist."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tutor.content.course import Course
from tutor.content.models.exams import ExamBlueprint, domain_quota, eligible, exam_domain
from tutor.content.sections import find_section, sections
from tutor.content.suggest import did_you_mean

Report = Callable[..., None]
"""crossrefs._report: (course, kind, item id, field path, message, hint, warning=...)."""

MOCKS = 2  # a bank must fill this many mocks without repeating a question


def _unknown(word: str, known: Iterable[str], what: str) -> str:
    return did_you_mean(word, known) or f"no {what} has this id"


def _types(exam: ExamBlueprint) -> str:
    allowed = sorted(exam.allowed_types())
    return "" if len(allowed) > 6 else f" of type {', '.join(allowed)}"


def check_exam_bank(course: Course, exam: ExamBlueprint, report: Report) -> None:
    """Too few eligible questions is an error: for the exam, per domain, per type of the mix."""
    pool = eligible(exam, course.questions.values())
    if len(pool) < exam.questions:
        report(
            course,
            "exam",
            exam.id,
            ("questions",),
            f"the exam needs {exam.questions} questions but the bank has {len(pool)}{_types(exam)} "
            "tagged with its domains",
            "tag more questions with this exam's domains, or lower `questions`",
        )
        return
    ids = frozenset(d.id for d in exam.domains)
    have: dict[str, int] = {}
    have_type: dict[str, int] = {}
    for q in pool:
        dom = exam_domain(q, exam, ids) or ""
        have[dom] = have.get(dom, 0) + 1
        have_type[q.type] = have_type.get(q.type, 0) + 1
    quota = domain_quota(exam)
    for i, dom in enumerate(exam.domains):
        need = MOCKS * quota[dom.id]
        if have.get(dom.id, 0) < need:
            report(
                course,
                "exam",
                exam.id,
                ("domains", i),
                f"domain {dom.id} ({dom.name}) has {have.get(dom.id, 0)} questions{_types(exam)}; "
                f"two different mocks need {need} ({quota[dom.id]} each)",
                "tag more questions with this domain, or lower its weight",
            )
    for kind, count in exam.type_mix.items():
        need = MOCKS * count
        if have_type.get(kind, 0) < need:
            report(
                course,
                "exam",
                exam.id,
                ("type_mix", kind),
                f"the bank has {have_type.get(kind, 0)} {kind} questions in this exam's domains; "
                f"two different mocks need {need} ({count} each)",
                f"write more {kind} questions for this exam, or change the mix",
            )


def check_teaches(course: Course, report: Report) -> None:
    for question in course.questions.values():
        teaches = question.teaches
        if teaches is None:
            continue
        lesson = course.lessons.get(teaches.lesson)
        if lesson is None:
            report(
                course,
                "question",
                question.id,
                ("teaches", "lesson"),
                f"question {question.id}: unknown lesson {teaches.lesson!r}",
                _unknown(teaches.lesson, course.lessons, "lesson"),
            )
        elif teaches.section and find_section(lesson.body, teaches.section) is None:
            titles = [s.title for s in sections(lesson.body)]
            report(
                course,
                "question",
                question.id,
                ("teaches", "section"),
                f"question {question.id}: lesson {lesson.id} has no section {teaches.section!r}",
                did_you_mean(teaches.section, titles) or f"its sections: {'; '.join(titles[:8])}",
            )
        if teaches.lab and teaches.lab not in course.labs:
            report(
                course,
                "question",
                question.id,
                ("teaches", "lab"),
                f"question {question.id}: unknown lab {teaches.lab!r}",
                _unknown(teaches.lab, course.labs, "lab"),
            )
