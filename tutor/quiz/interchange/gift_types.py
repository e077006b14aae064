"""Each GIFT question kind -> the fields of one of the course's question types.

Raises ValueError (with a sentence for the import report) for a question that cannot be one.
"""

from __future__ import annotations

from typing import Any, Protocol

from tutor.quiz.interchange.gift import GiftItem, GiftText
from tutor.quiz.interchange.report import Level


class _Converter(Protocol):
    """What the converter offers each kind: notes for the report, text as the course shows it."""

    def note(self, line: int | None, message: str, level: Level = "info", qid: str = "") -> None: ...

    def plain(self, t: GiftText | None, line: int, qid: str, what: str) -> str: ...


def letters(n: int) -> list[str]:
    """Option ids as the course writes them: a, b, c..."""
    return [chr(97 + i) if i < 26 else f"o{i + 1}" for i in range(n)]


def _ids(ann: dict[str, Any], key: str, n: int) -> list[str]:
    given = ann.get(key)
    if isinstance(given, list) and len(given) == n and all(isinstance(x, str) for x in given):
        return given
    return letters(n)


def _pct(w: float) -> str:
    return f"{w:g}%"


def convert_body(c: _Converter, item: GiftItem, qid: str, ann: dict[str, Any]) -> dict[str, Any]:
    kind = item.kind
    if kind == "multichoice":
        return _choice(c, item, qid, ann)
    if kind == "truefalse":
        return _true_false(c, item, qid)
    if kind == "shortanswer":
        return _short(c, item, qid)
    if kind == "matching":
        return _matching(c, item, qid, ann)
    if kind == "numerical":
        return _numeric(c, item, qid)
    raise ValueError(f"{kind} questions cannot be imported")  # pragma: no cover


def _choice(c: _Converter, item: GiftItem, qid: str, ann: dict[str, Any]) -> dict[str, Any]:
    answers = item.answers
    if len(answers) < 3:
        raise ValueError(f"the course needs at least three options; this question has {len(answers)}")
    if any(a.right for a in answers):
        rights = [i for i, a in enumerate(answers) if a.right]
        for a in answers:
            if not a.right and a.weight and a.weight > 0:
                c.note(
                    a.line,
                    f"partial credit {_pct(a.weight)} for {a.text.text!r} is not kept: it counts as wrong",
                    "warning",
                    qid,
                )
        if len(rights) > 1:
            raise ValueError(
                f"{len(rights)} answers are marked = but a choice question has one right answer "
                "(for several right answers give each a %weight% instead)"
            )
        kind = "single"
    else:
        rights = [i for i, a in enumerate(answers) if (a.weight or 0) > 0]
        if not rights:
            raise ValueError("no answer is right: mark one with = or give right answers a positive %weight%")
        kind = "multiple" if len(rights) > 1 else "single"
        if kind == "single":
            c.note(item.line, "only one answer carries weight: imported as a single choice", "info", qid)
        else:
            _weights(c, item, qid, rights)
    if ann.get("type") == "domc":
        kind = "domc"
    ids = _ids(ann, "options", len(answers))
    options, neutral = [], 0
    for i, a in enumerate(answers):
        why = c.plain(a.feedback, a.line, qid, "feedback")
        if not why:
            why = "This is a right answer." if i in rights else "This is not a right answer."
            neutral += 1
        options.append({"id": ids[i], "text": c.plain(a.text, a.line, qid, "an answer"), "why": why})
    if neutral:
        c.note(
            item.line,
            f"{neutral} of {len(answers)} options had no feedback (#): a neutral why was written",
            "info",
            qid,
        )
    right_texts = [options[i]["text"] for i in rights]
    answer: str | list[str] = ids[rights[0]] if kind == "single" else [ids[i] for i in rights]
    explain = ("The right answers: " if len(rights) > 1 else "The right answer: ") + "; ".join(right_texts)
    return {"type": kind, "options": options, "answer": answer, "_explain": explain + "."}


def _weights(c: _Converter, item: GiftItem, qid: str, rights: list[int]) -> None:
    weights = [item.answers[i].weight or 0.0 for i in rights]
    if max(weights) - min(weights) > 0.01 or abs(sum(weights) - 100) > 0.1:
        shown = ", ".join(_pct(w) for w in weights)
        c.note(item.line, f"right answers weigh {shown}: here each is worth the same share", "warning", qid)
    share = -100 / len(rights)
    wrong = [a.weight or 0.0 for i, a in enumerate(item.answers) if i not in rights]
    if any(abs(w - share) > 0.01 for w in wrong):
        shown = ", ".join(sorted({_pct(w) for w in wrong}))
        c.note(
            item.line,
            f"wrong answers weigh {shown}: here (with scoring: partial) each wrong choice "
            f"costs {_pct(share)}",
            "warning",
            qid,
        )


def _true_false(c: _Converter, item: GiftItem, qid: str) -> dict[str, Any]:
    truth = bool(item.truth)
    word = "true" if truth else "false"
    right = c.plain(item.right_feedback, item.line, qid, "feedback")
    wrong = c.plain(item.wrong_feedback, item.line, qid, "feedback")
    if not right or not wrong:
        c.note(item.line, "feedback missing for True or False: a neutral why was written", "info", qid)
    right = right or f"Right: the statement is {word}."
    wrong = wrong or f"Not so: the statement is {word}."
    return {
        "type": "true_false",
        "answer": truth,
        "why_true": right if truth else wrong,
        "why_false": wrong if truth else right,
        "_explain": f"The statement is {word}.",
    }


def _short(c: _Converter, item: GiftItem, qid: str) -> dict[str, Any]:
    accept: list[str] = []
    for a in item.answers:
        text = c.plain(a.text, a.line, qid, "an answer")
        if a.weight is None or a.weight >= 100:
            accept.append(text)
            if "*" in text:
                c.note(a.line, f"{text!r}: * is a wildcard in Moodle; here it is a plain *", "warning", qid)
        else:
            c.note(
                a.line,
                f"answer {text!r} ({_pct(a.weight)} credit) is not kept: typed answers are right or wrong",
                "warning",
                qid,
            )
        if a.feedback is not None and a.feedback.text:
            c.note(a.line, f"feedback for the answer {text!r} is not kept", "warning", qid)
    if not accept:
        raise ValueError("no answer gets full credit")
    return {"type": "short", "accept": accept, "_explain": f"Accepted: {', '.join(accept)}."}


def _matching(c: _Converter, item: GiftItem, qid: str, ann: dict[str, Any]) -> dict[str, Any]:
    real = [(left, right, line) for left, right, line in item.pairs if left.text]
    ids = _ids(ann, "pairs", len(real))
    pairs = [
        {"id": ids[i], "left": c.plain(left, line, qid, "an item"), "right": right}
        for i, (left, right, line) in enumerate(real)
    ]
    distractors = [right for left, right, _ in item.pairs if not left.text]
    explain = "; ".join(f"{p['left']} → {p['right']}" for p in pairs)
    out: dict[str, Any] = {"type": "matching", "pairs": pairs, "_explain": f"The matches: {explain}."}
    if distractors:
        out["distractors"] = distractors
    return out


def _numeric(c: _Converter, item: GiftItem, qid: str) -> dict[str, Any]:
    accept: list[dict[str, Any]] = []
    for n in item.numbers:
        shown = f"{n.min:g}..{n.max:g}" if n.value is None else f"{n.value:g}:{n.tolerance:g}"
        if n.weight is not None and n.weight < 100:
            c.note(
                n.line,
                f"answer {shown} ({_pct(n.weight)} credit) is not kept: numbers here are right or wrong",
                "warning",
                qid,
            )
            continue
        spec: dict[str, Any] = (
            {"min": n.min, "max": n.max} if n.value is None else {"value": n.value, "tolerance": n.tolerance}
        )
        why = c.plain(n.feedback, n.line, qid, "feedback")
        if why:
            spec["why"] = why
        accept.append(spec)
    if item.wrong_feedback is not None and item.wrong_feedback.text:
        c.note(item.line, "feedback for wrong numbers (~#) is not kept", "warning", qid)
    if not accept:
        raise ValueError("no number gets full credit")
    shown = " or ".join(
        f"{a['min']:g} to {a['max']:g}"
        if "min" in a
        else f"{a['value']:g}" + (f" ± {a['tolerance']:g}" if a["tolerance"] else "")
        for a in accept
    )
    return {"type": "numeric", "accept": accept, "_explain": f"The right answer: {shown}."}
