"""Grading as pure functions: a question, a response, a scoring rule -> a Grade.

Responses are plain JSON-able dicts, so the TUI, the CLI (`--json`) and the store share them:

    single      {"choice": "b"}
    multiple    {"choices": ["a", "c"]}
    true_false  {"value": true}
    domc        {"answers": [["c", false], ["a", true]]}   # (option, said yes) in the order shown
    ordering    {"order": ["tag", "login", "push"]}
    command     {"text": "docker run -d -p 8080:80 nginx"}
    short       {"text": "CMD"}
    matching    {"matches": {"canada": "Ottawa", "italy": "Rome"}}   # see tutor.quiz.matching
    numeric     {"text": "3.14"}

Options are graded by identity, never by position; typed answers are parsed, never run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from tutor.base.errors import TutorError
from tutor.content.models.commandline import explain_mismatch
from tutor.content.models.questions import (
    ChoiceQuestion,
    CommandQuestion,
    DiscreteOptions,
    Matching,
    MultipleChoice,
    Numeric,
    Ordering,
    Question,
    Scoring,
    ShortAnswer,
    SingleChoice,
    TrueFalse,
)
from tutor.quiz import matching

COUNT_NAMES = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six"}


class InvalidResponse(TutorError):
    """The response does not have the shape the question type needs."""

    exit_code = 2


@dataclass(frozen=True)
class OptionVerdict:
    id: str
    text: str
    chosen: bool
    correct: bool
    why: str


@dataclass(frozen=True)
class Grade:
    score: float  # 0..1
    verdicts: tuple[OptionVerdict, ...] = ()
    reason: str = ""  # for typed answers: what is wrong, in the learner's terms
    right_answer: str = ""  # the right answer, in words
    settled: bool = True  # DOMC: False while the outcome is still open
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def correct(self) -> bool:
        return self.score >= 1.0 - 1e-9

    def to_dict(self) -> dict[str, Any]:
        return {
            "score": round(self.score, 4),
            "correct": self.correct,
            "reason": self.reason,
            "right_answer": self.right_answer,
            "options": [v.__dict__ for v in self.verdicts],
        }


def _expect(response: Any, key: str, kind: type | tuple[type, ...], what: str) -> Any:
    if not isinstance(response, dict) or key not in response:
        raise InvalidResponse(f"the answer must be an object with {key!r} ({what})")
    value = response[key]
    if not isinstance(value, kind):
        raise InvalidResponse(f"{key!r} must be {what}")
    return value


def _known(question: Any, ids: list[str]) -> None:
    known = {o.id for o in question.options}
    for i in ids:
        if i not in known:
            raise InvalidResponse(
                f"{i!r} is not an option of {question.id} (options: {', '.join(sorted(known))})"
            )


def _verdicts(question: Any, chosen: set[str]) -> tuple[OptionVerdict, ...]:
    correct = question.correct_ids()
    return tuple(
        OptionVerdict(o.id, o.text, o.id in chosen, o.id in correct, o.why) for o in question.options
    )


def _right_options(question: Any) -> str:
    return "; ".join(o.text for o in question.options if o.id in question.correct_ids())


def right_answer(question: Question) -> str:
    """The right answer in words, for feedback and review."""
    if isinstance(question, ChoiceQuestion):
        return _right_options(question)
    if isinstance(question, TrueFalse):
        return "True" if question.answer else "False"
    if isinstance(question, Ordering):
        return " → ".join(s.text for s in question.steps)
    if isinstance(question, CommandQuestion):
        return question.example
    if isinstance(question, ShortAnswer):
        return question.accept[0]
    if isinstance(question, Matching):
        return matching.right_matches(question)
    if isinstance(question, Numeric):
        return matching.right_number(question)
    return ""  # pragma: no cover


def grade(question: Question, response: Any, scoring: Scoring = "all_or_nothing") -> Grade:
    if isinstance(question, SingleChoice):
        choice = _expect(response, "choice", str, "an option id")
        _known(question, [choice])
        return Grade(
            1.0 if choice == question.answer else 0.0,
            _verdicts(question, {choice}),
            right_answer=right_answer(question),
        )
    if isinstance(question, MultipleChoice):
        choices = _expect(response, "choices", list, "a list of option ids")
        if not all(isinstance(c, str) for c in choices):
            raise InvalidResponse("'choices' must be a list of option ids")
        _known(question, choices)
        return Grade(
            multiple_score(question.correct_ids(), set(choices), scoring),
            _verdicts(question, set(choices)),
            right_answer=right_answer(question),
        )
    if isinstance(question, TrueFalse):
        value = _expect(response, "value", bool, "true or false")
        why = question.why_true if value else question.why_false
        return Grade(
            1.0 if value == question.answer else 0.0,
            reason=why,
            right_answer=right_answer(question),
        )
    if isinstance(question, DiscreteOptions):
        pairs = _expect(response, "answers", list, "a list of [option id, yes/no] pairs")
        answers = _pairs(pairs)
        _known(question, [a for a, _ in answers])
        state = domc_state(question, answers)
        return Grade(
            1.0 if state == "right" else 0.0,
            _verdicts(question, {a for a, yes in answers if yes}),
            right_answer=right_answer(question),
            settled=state != "open",
        )
    if isinstance(question, Ordering):
        order = _expect(response, "order", list, "a list of step ids")
        right = [s.id for s in question.steps]
        if sorted(map(str, order)) != sorted(right):
            raise InvalidResponse(f"'order' must list each step once: {', '.join(right)}")
        return Grade(
            ordering_score(right, order, scoring),
            right_answer=right_answer(question),
            extra={"positions_right": sum(1 for a, b in zip(order, right, strict=True) if a == b)},
        )
    if isinstance(question, CommandQuestion):
        text = _expect(response, "text", str, "the command as text")
        reason = explain_mismatch(question.rule, text)
        return Grade(0.0 if reason else 1.0, reason=reason or "", right_answer=right_answer(question))
    if isinstance(question, ShortAnswer):
        text = _expect(response, "text", str, "the answer as text")
        ok = normalise(text) in {normalise(a) for a in question.accept}
        return Grade(1.0 if ok else 0.0, right_answer=right_answer(question))
    if isinstance(question, Matching):
        chosen = matching.check_matches(question, response)
        why = {p.id: p.why for p in question.pairs}
        verdicts = tuple(
            OptionVerdict(pid, f"{left} → {answer or '(no answer)'}", answer is not None, ok, why[pid])
            for pid, left, answer, ok in matching.match_results(question, chosen)
        )
        return Grade(
            matching.match_score(question, chosen, scoring), verdicts, right_answer=right_answer(question)
        )
    if isinstance(question, Numeric):
        text = _expect(response, "text", str, "the number as text")
        ok, reason = matching.numeric_verdict(question, text)
        return Grade(1.0 if ok else 0.0, reason=reason, right_answer=right_answer(question))
    raise InvalidResponse(f"cannot grade a {type(question).__name__}")  # pragma: no cover


def choose_words(n: int) -> str:
    """ "Choose two." for a multiple-response question with two right answers."""
    return f"Choose {COUNT_NAMES.get(n, str(n))}."


def check_choices(question: Question, response: Any) -> None:
    """A multiple-response answer holds at most as many choices as the question has right answers
    (as the exams allow); fewer is allowed while an exam runs and shown as incomplete."""
    if not isinstance(question, MultipleChoice) or not isinstance(response, dict):
        return
    chosen = response.get("choices")
    if isinstance(chosen, list) and len(set(map(str, chosen))) > len(question.answer):
        n = len(question.answer)
        raise InvalidResponse(
            f"{choose_words(n)[:-1]}: question {question.id} takes {n} answers, not {len(set(chosen))}",
            hint="leave out one of your choices",
        )


def is_incomplete(question: Question, response: Any) -> bool:
    """An answer saved with fewer choices (or matches) than the question asks for."""
    if not isinstance(response, dict):
        return False
    if isinstance(question, MultipleChoice):
        return len(set(response.get("choices") or [])) < len(question.answer)
    if isinstance(question, Matching):
        return len(response.get("matches") or {}) < len(question.pairs)
    return False


def multiple_score(correct: set[str], chosen: set[str], scoring: Scoring) -> float:
    """All-or-nothing (as AWS scores it), or Moodle-style partial credit floored at 0."""
    if scoring == "all_or_nothing":
        return 1.0 if chosen == correct else 0.0
    hits = len(chosen & correct)
    wrong = len(chosen - correct)
    return max(0.0, (hits - wrong) / len(correct))


def ordering_score(right: list[str], order: list[str], scoring: Scoring) -> float:
    if scoring == "all_or_nothing":
        return 1.0 if list(order) == right else 0.0
    return sum(1 for a, b in zip(order, right, strict=True) if a == b) / len(right)


def normalise(text: str) -> str:
    """Case- and whitespace-insensitive form of a typed answer (quotes and a final dot dropped)."""
    text = " ".join(text.strip().split()).casefold()
    text = text.strip("`'\"")
    return text.rstrip(".").strip()


# -- DOMC: one option at a time -------------------------------------------------------


def _pairs(raw: list[Any]) -> list[tuple[str, bool]]:
    out = []
    for item in raw:
        if not (isinstance(item, list | tuple) and len(item) == 2 and isinstance(item[1], bool)):
            raise InvalidResponse("each DOMC answer must be [option id, true or false]")
        out.append((str(item[0]), item[1]))
    return out


def domc_state(
    question: DiscreteOptions, answers: list[tuple[str, bool]]
) -> Literal["open", "right", "wrong"]:
    """Settled as soon as the outcome is known: a wrong yes/no ends it; accepting every
    correct option ends it right."""
    correct = question.correct_ids()
    accepted: set[str] = set()
    for option, yes in answers:
        if yes != (option in correct):
            return "wrong"
        if yes:
            accepted.add(option)
    return "right" if accepted == correct else "open"


def domc_next(question: DiscreteOptions, order: list[str], answers: list[tuple[str, bool]]) -> str | None:
    """The next option to show, or None once the outcome is settled."""
    if domc_state(question, answers) != "open":
        return None
    seen = {a for a, _ in answers}
    return next((o for o in order if o not in seen), None)
