"""How deep the bank is for each exam blueprint, and which exam objectives nothing covers.

A domain is deep enough when it holds at least TARGET_RATIO times the questions one mock draws
from it, among the question types the blueprint draws: then three mocks in a row rarely repeat
a question. A question counts toward the first of its tags that the blueprint defines (as when
an exam is drawn).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from tutor.content.course import Course
from tutor.content.models.exams import ExamBlueprint, domain_quota

TARGET_RATIO = 3.0
"""AWS exams (CLF-C02, SAA-C03, DVA-C02) use only multiple choice and multiple response."""
"""The DCA: 42 discrete option multiple choice and 13 multiple choice items of 55."""


def blueprint_types(exam: ExamBlueprint) -> tuple[tuple[str, ...], dict[str, int]]:
    """(types the blueprint draws, questions per type in one mock when it fixes a mix).

    From the blueprint's `type_mix` or `types`; a blueprint that declares neither draws every type.
    """
    if exam.type_mix:
        return tuple(exam.type_mix), dict(exam.type_mix)
    return (tuple(exam.types) if exam.types else tuple(sorted(exam.allowed_types()))), {}


@dataclass
class DomainRow:
    domain: str
    name: str
    eligible: int
    draws: int
    by_type: dict[str, int] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.eligible / self.draws if self.draws else float("inf")

    @property
    def ok(self) -> bool:
        return self.ratio >= TARGET_RATIO


@dataclass
class TypeRow:
    type: str
    eligible: int
    draws: int

    @property
    def ratio(self) -> float:
        return self.eligible / self.draws if self.draws else float("inf")


@dataclass
class ObjectiveRow:
    id: str
    domain: str
    text: str
    lessons: int
    questions: int


@dataclass
class ExamCoverage:
    exam: str
    title: str
    questions: int
    types: tuple[str, ...]
    domains: list[DomainRow]
    type_mix: list[TypeRow]
    objectives: list[ObjectiveRow]

    @property
    def uncovered(self) -> list[ObjectiveRow]:
        return [o for o in self.objectives if not o.lessons and not o.questions]

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.domains) and all(t.ratio >= TARGET_RATIO for t in self.type_mix)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for row, raw in zip(self.domains, data["domains"], strict=True):
            raw["ratio"] = round(row.ratio, 2)
            raw["ok"] = row.ok
        for row, raw in zip(self.type_mix, data["type_mix"], strict=True):
            raw["ratio"] = round(row.ratio, 2)
        data["types"] = list(self.types)
        data["uncovered"] = [o.id for o in self.uncovered]
        data["ok"] = self.ok
        return data


def exam_coverage(course: Course, exam: ExamBlueprint) -> ExamCoverage:
    types, mix = blueprint_types(exam)
    ids = [d.id for d in exam.domains]
    pool = [
        q
        for q in course.questions.values()
        if q.type in types and (not exam.topics or q.topic in exam.topics)
    ]
    home = {q.id: next((t for t in q.domains if t in ids), None) for q in pool}
    per_domain: dict[str, Counter[str]] = {d: Counter() for d in ids}
    for q in pool:
        dom = home[q.id]
        if dom is not None:
            per_domain[dom][q.type] += 1
    quota = domain_quota(exam)
    rows = [
        DomainRow(
            d.id, d.name, sum(per_domain[d.id].values()), quota[d.id], dict(sorted(per_domain[d.id].items()))
        )
        for d in exam.domains
    ]
    by_type = Counter(q.type for q in pool if home[q.id] is not None)
    type_rows = [TypeRow(t, by_type.get(t, 0), n) for t, n in mix.items()]
    objectives: list[ObjectiveRow] = []
    item = course.objectives.get(exam.id)
    for obj in item.objectives if item else []:
        lessons = sum(1 for x in obj.lessons if x in course.lessons)
        questions = sum(1 for x in obj.questions if x in course.questions)
        objectives.append(ObjectiveRow(obj.id, obj.domain, obj.text, lessons, questions))
    return ExamCoverage(exam.id, exam.title, exam.questions, types, rows, type_rows, objectives)


def coverage(course: Course) -> list[ExamCoverage]:
    return [exam_coverage(course, exam) for exam in sorted(course.exams.values(), key=lambda e: e.id)]
