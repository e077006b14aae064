"""Exam blueprints: domains and weights, the question types a mock draws, and the quotas they give.

A blueprint says which question types its mock exam draws (`types: [single, multiple]` for the
AWS exams, whose guides list only multiple choice and multiple response) and, where the real
exam publishes a mix, how many of each (`type_mix: {domc: 42, single: 13}` for the DCA), and the
fewest options each type needs (`min_options`, checked by the item-writing lint). The
quotas are pure functions of the blueprint and the bank, shared by drawing and `tutor validate`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Annotated, Literal

from pydantic import Field

from tutor.content.models.base import Id, References, Strict, Text
from tutor.content.models.questions import (
    QUESTION_TYPES,
    DomainTag,
    Problem,
    Question,
    QuestionType,
    Quiz,
    Scoring,
)


class ExamDomain(Strict):
    id: DomainTag
    name: Text
    weight: float = Field(gt=0, description="Share of the exam, in percent.")


class Scale(Strict):
    min: int = 0
    max: int = 100


class ExamBlueprint(Strict):
    """The shape of a certification exam, drawn from the whole question bank."""

    kind: Literal["exam"]
    id: Id
    title: Text
    exam: Text = Field(description="The official exam name and code.")
    description: str = ""
    questions: int = Field(gt=0)
    minutes: int = Field(gt=0)
    scale: Scale = Scale()
    pass_mark: int
    scoring: Scoring = "all_or_nothing"
    domains: Annotated[list[ExamDomain], Field(min_length=1)]
    references: References
    topics: list[Id] = Field(default_factory=list, description="Topics to draw from; empty means all.")
    types: list[QuestionType] = Field(
        default_factory=list, description="Question types the mock draws; empty means every type."
    )
    type_mix: dict[QuestionType, Annotated[int, Field(gt=0)]] = Field(
        default_factory=dict,
        description="How many questions of each type, as the real exam has them; sums to `questions`.",
    )
    min_options: dict[QuestionType, Annotated[int, Field(ge=2)]] = Field(
        default_factory=dict,
        description="Fewest options a question of each type needs to suit this exam, as its guide "
        "describes its response types (AWS: `single` 4, `multiple` 5); `tutor validate --strict` "
        "flags the questions the mock may draw that have fewer.",
    )

    def allowed_types(self) -> frozenset[str]:
        if self.type_mix:
            return frozenset(self.type_mix)
        return frozenset(self.types or QUESTION_TYPES)

    def problems(self) -> Iterator[Problem]:
        for kind in sorted(set(self.min_options) - self.allowed_types()):
            yield (
                ("min_options", kind),
                f"min_options names {kind}, a type this exam does not draw",
                "drop it, or add the type to `types`",
            )
        if not self.scale.min <= self.pass_mark <= self.scale.max:
            yield (
                ("pass_mark",),
                f"pass mark {self.pass_mark} is outside the scale",
                "put it between scale.min and scale.max",
            )
        if self.scale.min >= self.scale.max:
            yield ("scale",), "scale.min must be below scale.max", None
        seen: set[str] = set()
        for i, dom in enumerate(self.domains):
            if dom.id in seen:
                yield ("domains", i, "id"), f"domain {dom.id!r} is listed twice", None
            seen.add(dom.id)
        if len(set(self.types)) != len(self.types):
            yield ("types",), "a question type is listed twice", "list each type once"
        if self.type_mix:
            total = sum(self.type_mix.values())
            if total != self.questions:
                yield (
                    ("type_mix",),
                    f"the type mix adds up to {total} questions, the exam has {self.questions}",
                    "make the counts add up to `questions`",
                )
            if self.types and set(self.types) != set(self.type_mix):
                yield (
                    ("types",),
                    "types and type_mix name different question types",
                    "list the same types in both, or drop `types`",
                )


QuizFile = Annotated[Quiz | ExamBlueprint, Field(discriminator="kind")]


# -- quotas ----------------------------------------------------------------------------------


def _largest_remainder(total: int, weights: Mapping[str, float]) -> dict[str, int]:
    weight_sum = sum(weights.values())
    exact = {k: total * w / weight_sum for k, w in weights.items()}
    quota = {k: int(v) for k, v in exact.items()}
    left = total - sum(quota.values())
    for k in sorted(exact, key=lambda k: exact[k] - quota[k], reverse=True)[:left]:
        quota[k] += 1
    return quota


def domain_quota(exam: ExamBlueprint, total: int | None = None) -> dict[str, int]:
    """Questions per domain for `total` questions (largest-remainder rounding)."""
    n = exam.questions if total is None else total
    return _largest_remainder(n, {d.id: d.weight for d in exam.domains})


Cells = dict[str, dict[str, int]]
"""domain -> question type -> count."""


def type_quota(exam: ExamBlueprint, have: Mapping[tuple[str, str], int] | None = None) -> Cells:
    """How many questions of each type each domain gets, so that every domain keeps its quota
    and every type its count in `type_mix` (proportionally, then moved around what the bank
    `have`s per (domain, type) where it can: a swap between two domains keeps both totals)."""
    rows = domain_quota(exam)
    mix = dict(exam.type_mix)
    if not mix:
        return {d: {} for d in rows}
    n = sum(rows.values())
    cells = {d: {t: int(rows[d] * c / n) for t, c in mix.items()} for d in rows}
    row_left = {d: rows[d] - sum(cells[d].values()) for d in rows}
    col_left = {t: mix[t] - sum(cells[d][t] for d in rows) for t in mix}
    order = sorted(
        ((d, t) for d in rows for t in mix),
        key=lambda dt: (rows[dt[0]] * mix[dt[1]] / n) - cells[dt[0]][dt[1]],
        reverse=True,
    )
    for d, t in order:  # largest remainders first, within both margins
        if row_left[d] > 0 and col_left[t] > 0:
            cells[d][t] += 1
            row_left[d] -= 1
            col_left[t] -= 1
    for d in rows:  # whatever rounding left (the margins always meet)
        for t in mix:
            step = min(row_left[d], col_left[t])
            if step > 0:
                cells[d][t] += step
                row_left[d] -= step
                col_left[t] -= step
    if have is not None:
        _fit(cells, have)
    return cells


def _fit(cells: Cells, have: Mapping[tuple[str, str], int]) -> None:
    """Swap units between domains so no cell asks for more than the bank has, when possible."""
    for _ in range(sum(sum(r.values()) for r in cells.values())):
        over = next(((d, t) for d in cells for t in cells[d] if cells[d][t] > have.get((d, t), 0)), None)
        if over is None:
            return
        d, t = over
        swap = next(
            (
                (t2, d2)
                for t2 in cells[d]
                if t2 != t and cells[d][t2] < have.get((d, t2), 0)
                for d2 in cells
                if d2 != d and cells[d2][t2] > 0 and cells[d2][t] < have.get((d2, t), 0)
            ),
            None,
        )
        if swap is None:
            return
        t2, d2 = swap
        cells[d][t] -= 1
        cells[d][t2] += 1
        cells[d2][t2] -= 1
        cells[d2][t] += 1


# -- the pool a blueprint draws from ---------------------------------------------------------


def exam_domain(question: Question, exam: ExamBlueprint, ids: frozenset[str] | None = None) -> str | None:
    """The exam domain a question counts toward: its first tag that the exam defines."""
    ids = ids if ids is not None else frozenset(d.id for d in exam.domains)
    return next((tag for tag in question.domains if tag in ids), None)


def eligible(exam: ExamBlueprint, bank: Iterable[Question]) -> list[Question]:
    """The questions a mock may draw: in the exam's topics and domains, of the types it allows."""
    topics = set(exam.topics)
    ids = frozenset(d.id for d in exam.domains)
    types = exam.allowed_types()
    return [
        q
        for q in bank
        if q.type in types and (not topics or q.topic in topics) and not ids.isdisjoint(q.domains)
    ]


def pool_sizes(exam: ExamBlueprint, bank: Iterable[Question]) -> dict[tuple[str, str], int]:
    """Eligible questions per (domain, type)."""
    ids = frozenset(d.id for d in exam.domains)
    out: dict[tuple[str, str], int] = {}
    for q in eligible(exam, bank):
        key = (exam_domain(q, exam, ids) or "", q.type)
        out[key] = out.get(key, 0) + 1
    return out
