"""A question as the learner sees it headless (`tutor quiz start --json`): no answer key."""

from __future__ import annotations

import json
from typing import Any

from tutor.base.errors import TutorError
from tutor.base.limits import LimitExceeded, load_json
from tutor.content.models.questions import Matching, MultipleChoice, Question, states_count
from tutor.quiz.grading import choose_words
from tutor.quiz.matching import match_shorthand

RESPONSE_FORMATS = {
    "single": '{"choice": ID}',
    "multiple": '{"choices": [ID, ...]}',
    "true_false": '{"value": true|false}',
    "domc": '{"answers": [[ID, true|false], ...]} in the order the options are shown',
    "ordering": '{"order": [ID, ...]}',
    "command": '{"text": "the command"}',
    "short": '{"text": "the answer"}',
    "matching": '{"matches": {ITEM_ID: "answer text", ...}}, or ITEM_ID=N,... with N numbering "answers"',
    "numeric": '{"text": "the number"}',
}


def stem(question: Question, *, bold: bool = False) -> str:
    """The prompt as the exam shows it: a multiple-response one ends with "(Choose two.)", counted
    from its answer (unless the prompt already says so)."""
    text = question.prompt.strip()
    if isinstance(question, MultipleChoice) and not states_count(text):
        words = f"({choose_words(len(question.answer))})"
        text += f" **{words}**" if bold else f" {words}"
    return text


def public_question(question: Question, order: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"id": question.id, "type": question.type, "prompt": stem(question)}
    if question.type in ("single", "multiple", "domc"):
        out["options"] = [{"id": o, "text": question.option(o).text} for o in order]  # type: ignore[union-attr]
        if question.type == "multiple":
            out["choose"] = len(question.answer)
    elif question.type == "ordering":
        by_id = {s.id: s.text for s in question.steps}
        out["steps"] = [{"id": s, "text": by_id[s]} for s in order]
    elif isinstance(question, Matching):
        by_id = {p.id: p.left for p in question.pairs}
        out["items"] = [{"id": i, "text": by_id[i]} for i in order]
        out["answers"] = [{"number": n, "text": t} for n, t in enumerate(question.answers(), 1)]
    out["response_format"] = RESPONSE_FORMATS[question.type]
    return out


def parse_response(question: Question, raw: str) -> Any:
    """The answer typed on the command line: JSON, or for matching the `a=2,b=1` shorthand."""
    if isinstance(question, Matching):
        short = match_shorthand(question, raw)
        if short is not None:
            return short
    try:
        return load_json(raw)
    except LimitExceeded as exc:
        raise TutorError(f"the answer is too big: {exc.message}", hint='e.g. \'{"choice": "b"}\'') from None
    except json.JSONDecodeError as exc:
        hint = "e.g. a=2,b=1 or '{\"matches\": {...}}'" if isinstance(question, Matching) else None
        raise TutorError(
            f"the answer is not valid JSON: {exc.msg}", hint=hint or 'e.g. \'{"choice": "b"}\''
        ) from None
