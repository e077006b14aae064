"""Exam shape: a question a mock may draw has as many options as the exam's response type.

The AWS exam guides describe two response types: multiple choice, one correct response of
four, and multiple response, two or more correct responses of five or more. A blueprint states
that as `min_options: {single: 4, multiple: 5}`; a question that blueprint may draw (tagged with
one of its domains, of a type it draws) with fewer options is flagged once, naming every exam
that would draw it. A DCA-only `multiple` question is drawn by no AWS mock, so it is not flagged.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from tutor.content.lint.findings import Finding
from tutor.content.models.exams import ExamBlueprint, eligible
from tutor.content.models.questions import Question

RESPONSE_TYPES = {"single": "multiple choice", "multiple": "multiple response"}
"""How the AWS exam guides name the two types, for the message."""


def option_count(q: Question) -> int:
    return len(getattr(q, "options", None) or [])


def exam_options(exams: Iterable[ExamBlueprint], bank: list[Question]) -> Iterator[Finding]:
    short: dict[str, list[tuple[str, int]]] = {}  # question id -> [(exam id, options it needs)]
    for exam in sorted(exams, key=lambda e: e.id):
        if not exam.min_options:
            continue
        for q in eligible(exam, bank):
            need = exam.min_options.get(q.type)
            if need is not None and option_count(q) < need:
                short.setdefault(q.id, []).append((exam.id, need))
    for q in bank:
        if q.id not in short:
            continue
        exams_ = [e for e, _ in short[q.id]]
        need = max(n for _, n in short[q.id])
        have = option_count(q)
        many = len(exams_) > 1
        missing = need - have
        yield Finding(
            "exam-options",
            "question",
            q.id,
            ("options",),
            f"{have} options, but the {' and '.join(exams_)} mock{'s' if many else ''} may draw this "
            f"`{q.type}` question and {'their' if many else 'its'} exam guide's "
            f"{RESPONSE_TYPES.get(q.type, q.type)} has at least {need}",
            f"add {missing} plausible distractor{'s' if missing > 1 else ''}, each wrong for a reason "
            "its `why` states, or drop the exam's domain tags if the question does not fit that exam",
        )
