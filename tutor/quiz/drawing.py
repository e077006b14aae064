"""Draw a mock exam from the question bank: the blueprint's domain weights, the question types it
allows and, where it has one, its type mix (the DCA's 42 DOMC and 13 multiple choice).

The same blueprint, bank and seed always give the same draw.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from tutor.content.models.exams import (
    ExamBlueprint,
    domain_quota,
    eligible,
    exam_domain,
    type_quota,
)
from tutor.content.models.questions import Question

__all__ = ["Draw", "domain_quota", "draw_exam", "eligible", "exam_domain"]

ANY = "*"  # the one pool of a domain when the blueprint has no type mix


@dataclass
class Draw:
    question_ids: list[str]
    domain_of: dict[str, str]
    shortfalls: dict[str, int] = field(default_factory=dict)  # domain -> questions missing
    type_shortfalls: dict[str, int] = field(default_factory=dict)  # type -> questions missing


def draw_exam(exam: ExamBlueprint, bank: Sequence[Question], seed: int) -> Draw:
    """Pick `exam.questions` questions to the quotas; fill what a pool lacks from the closest pool:
    the same type in another domain (the exam's format first), then the same domain, then any."""
    rng = random.Random(seed)
    ids = frozenset(d.id for d in exam.domains)
    mixed = bool(exam.type_mix)
    pools: dict[str, dict[str, list[Question]]] = {d.id: {} for d in exam.domains}
    for q in eligible(exam, bank):
        dom = exam_domain(q, exam, ids) or ""
        pools[dom].setdefault(q.type if mixed else ANY, []).append(q)
    quota = domain_quota(exam)
    sizes = {(d, t): len(pool) for d, by_type in pools.items() for t, pool in by_type.items()}
    cells = type_quota(exam, sizes) if mixed else {d: {ANY: quota[d]} for d in pools}
    picked: list[Question] = []
    missing: list[tuple[str, str]] = []  # (domain, type) of each place a pool could not fill
    leftovers: list[Question] = []
    for dom, wants in cells.items():
        for kind, want in wants.items():
            pool = pools[dom].get(kind, [])
            rng.shuffle(pool)
            picked.extend(pool[:want])
            leftovers.extend(pool[want:])
            missing.extend([(dom, kind)] * max(0, want - len(pool)))
        for kind, pool in pools[dom].items():
            if kind not in wants:
                rng.shuffle(pool)
                leftovers.extend(pool)
    rng.shuffle(leftovers)
    domain_of = {q.id: exam_domain(q, exam, ids) or "" for q in picked}
    for dom, kind in missing:
        fits = (
            lambda q, dom=dom, kind=kind: q.type == kind,
            lambda q, dom=dom, kind=kind: exam_domain(q, exam, ids) == dom,
            lambda q, dom=dom, kind=kind: True,
        )
        for fit in fits if mixed else fits[2:]:
            found = next((i for i, q in enumerate(leftovers) if fit(q)), None)
            if found is not None:
                q = leftovers.pop(found)
                picked.append(q)
                domain_of[q.id] = exam_domain(q, exam, ids) or ""
                break
    rng.shuffle(picked)
    got_domain = {d: 0 for d in quota}
    got_type: dict[str, int] = {}
    for q in picked:
        got_domain[domain_of[q.id]] = got_domain.get(domain_of[q.id], 0) + 1
        got_type[q.type] = got_type.get(q.type, 0) + 1
    return Draw(
        [q.id for q in picked],
        domain_of,
        {d: n - got_domain[d] for d, n in quota.items() if got_domain[d] < n},
        {t: n - got_type.get(t, 0) for t, n in exam.type_mix.items() if got_type.get(t, 0) < n},
    )
