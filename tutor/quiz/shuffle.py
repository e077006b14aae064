"""Per-attempt option order: shuffled with the attempt's recorded seed, so it can be replayed."""

from __future__ import annotations

import random

from tutor.content.models.questions import (
    ChoiceQuestion,
    Matching,
    Ordering,
    Question,
)


def rng_for(seed: int, question_id: str) -> random.Random:
    return random.Random(f"{seed}:{question_id}")


def option_order(question: Question, seed: int) -> list[str]:
    """Option ids (ordering step ids, matching item ids) in the order this attempt shows them."""
    if isinstance(question, ChoiceQuestion):
        ids = [o.id for o in question.options]
        rng_for(seed, question.id).shuffle(ids)
        return ids
    if isinstance(question, Ordering):
        right = [s.id for s in question.steps]
        ids = list(right)
        rng = rng_for(seed, question.id)
        while ids == right:  # never show the answer as the starting order
            rng.shuffle(ids)
        return ids
    if isinstance(question, Matching):
        ids = [p.id for p in question.pairs]
        rng_for(seed, question.id).shuffle(ids)
        return ids
    return []
