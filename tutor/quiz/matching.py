"""Matching and numeric answers: the pure parts of grading them, and their typed forms.

    matching   {"matches": {"<pair id>": "<answer text>", ...}}   # items left out count as wrong
    numeric    {"text": "3.14"}                                   # typed; a comma may be the decimal mark

Headless, a matching answer may also be written `a=2,b=1`: each item's id, `=`, and the number
of its answer in the question's answer list (`Matching.answers()`, numbered from 1).
"""

from __future__ import annotations

import math
import re
from typing import Any

from tutor.base.errors import Exit, TutorError
from tutor.content.models.questions import Matching, Numeric, Scoring


class InvalidMatch(TutorError):
    """A matching answer that names no item or no answer of the question."""

    exit_code = Exit.USAGE


def check_matches(question: Matching, response: Any) -> dict[str, str]:
    if not isinstance(response, dict) or not isinstance(response.get("matches"), dict):
        raise InvalidMatch('the answer must be an object with "matches": {item id: answer text}')
    matches: dict[str, str] = {}
    items = {p.id for p in question.pairs}
    answers = set(question.answers())
    for item, answer in response["matches"].items():
        if item not in items:
            known = ", ".join(sorted(items))
            raise InvalidMatch(f"{item!r} is not an item of {question.id} (items: {known})")
        if not isinstance(answer, str) or answer not in answers:
            raise InvalidMatch(f"{answer!r} is not one of the answers of {question.id}")
        matches[str(item)] = answer
    return matches


def match_results(question: Matching, matches: dict[str, str]) -> list[tuple[str, str, str | None, bool]]:
    """(pair id, left, chosen answer or None, right?) for every pair, in the question's order."""
    return [(p.id, p.left, matches.get(p.id), matches.get(p.id) == p.right) for p in question.pairs]


def match_score(question: Matching, matches: dict[str, str], scoring: Scoring) -> float:
    """Per pair: the share of pairs matched right (partial), or all of them (all or nothing)."""
    right = sum(1 for *_, ok in match_results(question, matches) if ok)
    if scoring == "partial":
        return right / len(question.pairs)
    return 1.0 if right == len(question.pairs) else 0.0


def match_shorthand(question: Matching, text: str) -> dict[str, Any] | None:
    """`a=2,b=1` -> {"matches": {...}}; None when `text` is not in that form."""
    if not re.fullmatch(r"\s*[^=,\s]+\s*=\s*\d+\s*(,\s*[^=,\s]+\s*=\s*\d+\s*)*,?\s*", text):
        return None
    answers = question.answers()
    matches: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        item, number = (x.strip() for x in part.split("=", 1))
        n = int(number)
        if not 1 <= n <= len(answers):
            raise InvalidMatch(f"answer {n} does not exist: {question.id} has answers 1 to {len(answers)}")
        matches[item] = answers[n - 1]
    return {"matches": matches}


def right_matches(question: Matching) -> str:
    return "; ".join(f"{p.left} → {p.right}" for p in question.pairs)


# -- numbers --------------------------------------------------------------------------

_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_number(text: str) -> float | None:
    """A typed number: `3.14`, `-2`, `1e3`, `3,14` (one comma, no dot), `1 000`; None otherwise."""
    t = text.strip().replace("\u2212", "-")
    t = re.sub(r"(?<=\d)[ \u00a0_](?=\d{3}\b)", "", t)
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    if not _NUMBER.fullmatch(t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def numeric_verdict(question: Numeric, text: str) -> tuple[bool, str]:
    """(right?, reason or feedback) for a typed number."""
    number = parse_number(text)
    if number is None:
        return False, f"{text.strip()!r} is not a number"
    for accepted in question.accept:
        if accepted.contains(number):
            return True, accepted.why
    return False, ""


def right_number(question: Numeric) -> str:
    return " or ".join(r.describe() for r in question.accept)
