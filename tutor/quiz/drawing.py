"""Draw an exam from the question bank by the blueprint's domain weights."""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tutor.content.models.questions import ExamBlueprint, Question, domain_quota

__all__ = ["domain_quota"]


def exam_domain(question: Question, exam: ExamBlueprint, ids: frozenset[str] | None = None) -> str | None:
    """The exam domain a question counts toward: its first tag that the exam defines."""
    ids = ids if ids is not None else frozenset(d.id for d in exam.domains)
    return next((tag for tag in question.domains if tag in ids), None)


@dataclass
class Draw:
    question_ids: list[str]
    domain_of: dict[str, str]
    shortfalls: dict[str, int] = field(default_factory=dict)  # domain -> questions missing


def eligible(exam: ExamBlueprint, bank: Iterable[Question]) -> list[Question]:
    topics = set(exam.topics)
    ids = frozenset(d.id for d in exam.domains)
    return [q for q in bank if (not topics or q.topic in topics) and not ids.isdisjoint(q.domains)]


def draw_exam(exam: ExamBlueprint, bank: Sequence[Question], seed: int) -> Draw:
    """Pick `exam.questions` questions to the domain weights; fill shortfalls from other domains."""
    rng = random.Random(seed)
    pools: dict[str, list[Question]] = {d.id: [] for d in exam.domains}
    ids = frozenset(pools)
    for q in eligible(exam, bank):
        pools[exam_domain(q, exam, ids) or ""].append(q)
    quota = domain_quota(exam)
    picked: list[Question] = []
    domain_of: dict[str, str] = {}
    shortfalls: dict[str, int] = {}
    leftovers: list[Question] = []
    for dom, pool in pools.items():
        rng.shuffle(pool)
        want = quota[dom]
        take = pool[:want]
        if len(take) < want:
            shortfalls[dom] = want - len(take)
        leftovers.extend(pool[want:])
        picked.extend(take)
    missing = exam.questions - len(picked)
    if missing > 0:
        rng.shuffle(leftovers)
        picked.extend(leftovers[:missing])
    for q in picked:
        domain_of[q.id] = exam_domain(q, exam, ids) or ""
    rng.shuffle(picked)
    return Draw([q.id for q in picked], domain_of, shortfalls)
