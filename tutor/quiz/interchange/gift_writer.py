"""A quiz -> GIFT text that Moodle imports, and that `tutor quiz import` reads back unchanged.

What GIFT has no place for (topic, exam domains, difficulty, references, option ids other
than a, b, c..., the DOMC type) goes into one `// tutor: {json}` comment above each question,
and `// tutor-quiz: {json}` above the category; Moodle ignores comments. Question types GIFT
cannot hold are left out and listed, never dropped silently.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.content.models.questions import (
    ChoiceQuestion,
    DiscreteOptions,
    Matching,
    MultipleChoice,
    Numeric,
    Question,
    Quiz,
    ShortAnswer,
    TrueFalse,
)
from tutor.quiz.interchange.gift import FORMATS
from tutor.quiz.interchange.gift_types import letters
from tutor.quiz.interchange.text import gift_escape

NOT_EXPORTED = {
    "ordering": "Moodle's GIFT and XML formats have no ordering question",
    "command": "it is graded by parsing the command; an LMS short answer would accept only the exact text",
}


@dataclass
class Exported:
    text: str = ""
    written: list[str] = field(default_factory=list)
    left_out: list[tuple[str, str]] = field(default_factory=list)  # (question id, why)
    notes: list[str] = field(default_factory=list)  # exported, with a change the reader should know

    def to_dict(self) -> dict[str, Any]:
        return {
            "written": self.written,
            "left_out": [{"id": i, "reason": r} for i, r in self.left_out],
            "notes": self.notes,
        }


def weight(share: float) -> str:
    """A percentage as Moodle writes it: 50, 33.33333, -25."""
    return f"{share:.5f}".rstrip("0").rstrip(".")


def number(x: float) -> str:
    return str(int(x)) if x == int(x) and abs(x) < 1e15 else repr(x)


def _t(text: str, *, weight_if_needed: str = "") -> str:
    """Escaped text; a leading [format] or %n% that is really text is kept as text."""
    out = gift_escape(text)
    if out.startswith("[") and out[1:].split("]", 1)[0] in FORMATS:
        out = "[markdown]" + out
    if weight_if_needed and out.startswith("%"):
        out = weight_if_needed + out
    return out


def _refs(q: Question) -> list[Any]:
    return [{"url": r.url, "title": r.title} if r.title else {"url": r.url} for r in q.references]


def annotation(q: Question) -> str:
    data: dict[str, Any] = {
        "topic": q.topic,
        "domains": list(q.domains),
        "difficulty": q.difficulty,
        "references": _refs(q),
    }
    if q.teaches is not None:
        data["teaches"] = q.teaches.model_dump(exclude_none=True)
    if isinstance(q, DiscreteOptions):
        data["type"] = "domc"
    if isinstance(q, ChoiceQuestion):
        ids = [o.id for o in q.options]
        if ids != letters(len(ids)):
            data["options"] = ids
    if isinstance(q, Matching):
        ids = [p.id for p in q.pairs]
        if ids != letters(len(ids)):
            data["pairs"] = ids
    return "// tutor: " + json.dumps(data, ensure_ascii=False)


def unsupported(q: Question) -> str | None:
    if q.type in NOT_EXPORTED:
        return NOT_EXPORTED[q.type]
    if isinstance(q, ShortAnswer) and any("->" in a for a in q.accept):
        return "an accepted answer contains ->, which GIFT reads as a matching pair"
    if isinstance(q, Matching) and any("->" in t for p in q.pairs for t in (p.left, p.right)):
        return "an item or match contains ->, which GIFT cannot escape"
    return None


def _body(q: Question) -> list[str]:
    if isinstance(q, TrueFalse):
        right, wrong = (q.why_true, q.why_false) if q.answer else (q.why_false, q.why_true)
        return [f"\t{'TRUE' if q.answer else 'FALSE'}#{_t(wrong)}#{_t(right)}"]
    if isinstance(q, ChoiceQuestion):
        right = q.correct_ids()
        many = len(right) > 1
        out = []
        for o in q.options:
            if many:
                share = 100 / len(right)
                mark = f"~%{weight(share if o.id in right else -share)}%"
            else:
                mark = "=" if o.id in right else "~"
            text = _t(o.text, weight_if_needed="%0%" if mark == "~" else "")
            out.append(f"\t{mark}{text}#{_t(o.why)}")
        return out
    if isinstance(q, ShortAnswer):
        return [f"\t={_t(a, weight_if_needed='%100%')}" for a in q.accept]
    if isinstance(q, Matching):
        return [f"\t={_t(p.left)} -> {_t(p.right)}" for p in q.pairs] + [
            f"\t= -> {_t(d)}" for d in q.distractors
        ]
    if isinstance(q, Numeric):
        out = []
        for r in q.accept:
            if r.value is not None:
                spec = number(r.value) + (f":{number(r.tolerance)}" if r.tolerance else "")
            else:
                spec = f"{number(r.min or 0)}..{number(r.max or 0)}"
            out.append(f"\t={spec}" + (f"#{_t(r.why)}" if r.why else ""))
        return ["#", *out]
    raise ValueError(q.type)  # pragma: no cover


def question_gift(q: Question) -> str:
    body = _body(q)
    head = "{" + body.pop(0) if body and body[0] == "#" else "{"
    lines = [annotation(q), f"::{_t(q.id)}::[markdown]{gift_escape(q.prompt)}{head}"]
    lines += [*body, f"\t####{_t(q.explanation)}", "}"]
    return "\n".join(lines)


def quiz_to_gift(quiz: Quiz) -> Exported:
    meta = {
        "title": quiz.title,
        "topic": quiz.topic,
        "order": quiz.order,
        "scoring": quiz.scoring,
        "description": quiz.description,
    }
    parts = [
        f"// {quiz.title}: exported from Container Tutor. The // tutor comments keep what GIFT has "
        "no place for; Moodle ignores them.",
        "// tutor-quiz: " + json.dumps(meta, ensure_ascii=False) + f"\n$CATEGORY: $course$/{quiz.id}",
    ]
    out = export(quiz, lambda q: parts.append(question_gift(q)), unsupported)
    out.text = "\n\n".join(parts) + "\n"
    return out


def export(
    quiz: Quiz, write: Callable[[Question], object], why_not: Callable[[Question], str | None]
) -> Exported:
    """Write each question of the quiz the format can hold; list the others, and what an LMS
    will do differently with those written. The caller puts the text together."""
    out = Exported()
    for q in quiz.questions:
        reason = why_not(q)
        if reason:
            out.left_out.append((q.id, reason))
            continue
        write(q)
        out.written.append(q.id)
        out.notes.extend(change_notes(q, quiz))
    return out


def change_notes(q: Question, quiz: Quiz) -> list[str]:
    """What an LMS will do differently with an exported question."""
    notes = []
    if isinstance(q, DiscreteOptions):
        notes.append(f"{q.id}: a DOMC question becomes multiple choice (options shown together)")
    many = isinstance(q, MultipleChoice | DiscreteOptions) and len(q.correct_ids()) > 1
    if many and quiz.scoring == "all_or_nothing":
        notes.append(f"{q.id}: Moodle gives partial credit (±{weight(100 / len(q.correct_ids()))}%)")
    if isinstance(q, Matching) and any(p.why for p in q.pairs):
        notes.append(f"{q.id}: the pairs' why texts are not exported (matching has no feedback)")
    return notes
