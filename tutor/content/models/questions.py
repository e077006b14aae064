"""Questions, quizzes and exam blueprints: a discriminated union on `type` / `kind`."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import Annotated, Literal, get_args

from pydantic import Field, StringConstraints

from tutor.content.models.base import Id, References, Strict, Text
from tutor.content.models.commandline import CommandRule, OptionRule, explain_mismatch

__all__ = ["CommandRule", "OptionRule"]

DomainTag = Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+:[a-z0-9-]+$")]
"""An exam domain, as `exam:domain`: `clf-c02:3`, `dca:orchestration`."""

Difficulty = Literal["easy", "medium", "hard"]
Scoring = Literal["all_or_nothing", "partial"]

Problem = tuple[tuple[str | int, ...], str, str | None]
"""(field path, message, fix) for a rule that a schema alone cannot express."""


class Option(Strict):
    id: Id
    text: Text
    why: Text = Field(description="Why this option is right or wrong.")


class Teaches(Strict):
    """Where the course teaches what a question asks (checked by `tutor validate`)."""

    lesson: Id
    section: Text | None = Field(None, description="A heading of the lesson, as written there.")
    lab: Id | None = Field(None, description="The lab that practises it; default: the lesson's labs.")


class QuestionBase(Strict):
    id: Id
    topic: Id
    domains: Annotated[list[DomainTag], Field(min_length=1)]
    difficulty: Difficulty = "medium"
    prompt: Text
    explanation: Text
    references: References
    teaches: Teaches | None = None

    def problems(self) -> Iterator[Problem]:
        return iter(())


def _new_id(seen: set[str], field: str, i: int, item_id: str, what: str) -> Iterator[Problem]:
    """The problem when an earlier item of `field` had this id; the id is then noted as seen."""
    if item_id in seen:
        yield (field, i, "id"), f"duplicate {what} id {item_id!r}", f"give each {what} its own id"
    seen.add(item_id)


class _WithOptions(QuestionBase):
    options: Annotated[list[Option], Field(min_length=3)]

    def option(self, option_id: str) -> Option:
        return next(o for o in self.options if o.id == option_id)

    def correct_ids(self) -> set[str]:
        raise NotImplementedError

    def problems(self) -> Iterator[Problem]:
        seen: set[str] = set()
        for i, opt in enumerate(self.options):
            yield from _new_id(seen, "options", i, opt.id, "option")
        answer = self.answer
        keys = [answer] if isinstance(answer, str) else list(answer)
        for i, key in enumerate(keys):
            if key not in seen:
                path: tuple[str | int, ...] = ("answer",) if isinstance(answer, str) else ("answer", i)
                hint = _suggest(key, seen) or f"use one of the option ids: {', '.join(sorted(seen))}"
                yield path, f"the answer names option {key!r}, which does not exist", hint
        if len(set(keys)) != len(keys):
            yield ("answer",), "the answer lists an option twice", "list each correct option once"


class SingleChoice(_WithOptions):
    """One correct option of three or more."""

    type: Literal["single"]
    answer: Id

    def correct_ids(self) -> set[str]:
        return {self.answer}


COUNT_WORDS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
_STATED = re.compile(r"\b(?:choose|select)\s+(?:two|three|four|five|six|\d)\b", re.IGNORECASE)
_WHICH_N = re.compile(r"\b(?:which|what)\s+(two|three|four|five|six)\b", re.IGNORECASE)


def states_count(prompt: str) -> bool:
    """Whether a prompt already carries the exam's "(Choose two.)" instruction."""
    return _STATED.search(prompt) is not None


class MultipleChoice(_WithOptions):
    """Several correct options; the app states how many, as AWS does ("(Choose two.)")."""

    type: Literal["multiple"]
    answer: Annotated[list[Id], Field(min_length=2)]

    def correct_ids(self) -> set[str]:
        return set(self.answer)

    def problems(self) -> Iterator[Problem]:
        yield from super().problems()
        if len(self.answer) >= len(self.options):
            yield ("answer",), "every option is correct", "add at least one wrong option"
        if states_count(self.prompt):
            yield (
                ("prompt",),
                "the prompt says how many to choose; the app adds it from the answer",
                'remove "(Choose ...)" from the prompt',
            )
        asked = _WHICH_N.search(self.prompt)
        if asked and COUNT_WORDS[asked.group(1).lower()] != len(self.answer):
            yield (
                ("answer",),
                f"the prompt asks for {asked.group(1).lower()} but the answer lists {len(self.answer)}",
                "make the prompt and the answer agree",
            )


class TrueFalse(QuestionBase):
    type: Literal["true_false"]
    answer: bool
    why_true: Text
    why_false: Text


class DiscreteOptions(_WithOptions):
    """Docker DCA's DOMC: options shown one at a time, each answered yes or no."""

    type: Literal["domc"]
    answer: Annotated[list[Id], Field(min_length=1)]

    def correct_ids(self) -> set[str]:
        return set(self.answer)


class OrderingStep(Strict):
    id: Id
    text: Text
    why: Text = Field(description="Why the step belongs in this place.")


class Ordering(QuestionBase):
    """Put steps in order; `steps` lists them in the correct order."""

    type: Literal["ordering"]
    steps: Annotated[list[OrderingStep], Field(min_length=3)]

    def problems(self) -> Iterator[Problem]:
        ids: set[str] = set()
        texts: set[str] = set()
        for i, step in enumerate(self.steps):
            yield from _new_id(ids, "steps", i, step.id, "step")
            norm = " ".join(step.text.lower().split())
            if norm in texts:
                yield (
                    ("steps", i, "text"),
                    "two steps have the same text, so no order can be told apart",
                    "make each step's text distinct",
                )
            texts.add(norm)


class CommandQuestion(QuestionBase):
    """The learner types a command; it is parsed, never run."""

    type: Literal["command"]
    rule: CommandRule
    example: Text = Field(description="A model answer; it must satisfy the rule.")

    def problems(self) -> Iterator[Problem]:
        reason = explain_mismatch(self.rule, self.example)
        if reason is not None:
            yield (
                ("example",),
                f"the rule can never match: its own example fails it ({reason})",
                "fix the rule or the example so that the example is a right answer",
            )


class ShortAnswer(QuestionBase):
    type: Literal["short"]
    accept: Annotated[list[Text], Field(min_length=1)]


class MatchPair(Strict):
    id: Id
    left: Text = Field(description="The item to match (Moodle's subquestion).")
    right: Text = Field(description="Its match, offered among the answers.")
    why: str = Field("", description="Why they belong together; shown after answering.")


MAX_MATCH_ANSWERS = 9  # one digit key per answer in the app


class Matching(QuestionBase):
    """Match each item with one answer; graded per pair. Answers may repeat across items."""

    type: Literal["matching"]
    pairs: Annotated[list[MatchPair], Field(min_length=2)]
    distractors: list[Text] = Field(default_factory=list, description="Extra answers that match nothing.")

    def answers(self) -> list[str]:
        """Every answer offered, each once, in a fixed order that gives nothing away."""
        return sorted({*(p.right for p in self.pairs), *self.distractors}, key=lambda t: (t.casefold(), t))

    def problems(self) -> Iterator[Problem]:
        ids: set[str] = set()
        for i, pair in enumerate(self.pairs):
            yield from _new_id(ids, "pairs", i, pair.id, "pair")
        rights = {p.right for p in self.pairs}
        for i, extra in enumerate(self.distractors):
            if extra in rights:
                yield ("distractors", i), f"{extra!r} is also a right answer", "remove it from distractors"
        if len(self.answers()) > MAX_MATCH_ANSWERS:
            yield (
                ("pairs",),
                f"{len(self.answers())} answers to choose from; at most {MAX_MATCH_ANSWERS} fit the keys",
                "split the question in two",
            )


class NumericRange(Strict):
    """An accepted number: `value` within `tolerance`, or anything from `min` to `max`."""

    value: float | None = None
    tolerance: float = Field(0.0, ge=0)
    min: float | None = None
    max: float | None = None
    why: str = Field("", description="Feedback for an answer in this range.")

    def contains(self, number: float) -> bool:
        if self.value is not None:
            diff = abs(number - self.value)
            return diff <= self.tolerance or math.isclose(diff, self.tolerance, rel_tol=1e-9)
        return self.min is not None and self.max is not None and self.min <= number <= self.max

    def describe(self) -> str:
        if self.value is not None:
            return f"{self.value:g}" + (f" ± {self.tolerance:g}" if self.tolerance else "")
        return f"{self.min:g} to {self.max:g}"


class Numeric(QuestionBase):
    """A typed number, right when it falls in one of the accepted ranges."""

    type: Literal["numeric"]
    accept: Annotated[list[NumericRange], Field(min_length=1)]

    def problems(self) -> Iterator[Problem]:
        for i, r in enumerate(self.accept):
            ranged = r.min is not None or r.max is not None
            if (r.value is not None) == ranged:
                yield (
                    ("accept", i),
                    "give either value (with an optional tolerance) or min and max",
                    "e.g. {value: 3.14, tolerance: 0.01} or {min: 1, max: 5}",
                )
            elif ranged and (r.min is None or r.max is None):
                yield ("accept", i), "a range needs both min and max", None
            elif ranged and r.tolerance:
                yield ("accept", i, "tolerance"), "a tolerance applies to value, not to a range", None
            elif r.min is not None and r.max is not None and r.min > r.max:
                yield ("accept", i), f"min {r.min:g} is above max {r.max:g}", "swap them"


Question = Annotated[
    SingleChoice
    | MultipleChoice
    | TrueFalse
    | DiscreteOptions
    | Ordering
    | CommandQuestion
    | ShortAnswer
    | Matching
    | Numeric,
    Field(discriminator="type"),
]
ChoiceQuestion = SingleChoice | MultipleChoice | DiscreteOptions  # options, some of them right
TypedQuestion = CommandQuestion | ShortAnswer | Numeric  # answered by typing text, graded by parsing it
QuestionType = Literal[
    "single", "multiple", "true_false", "domc", "ordering", "command", "short", "matching", "numeric"
]
QUESTION_TYPES: tuple[str, ...] = get_args(QuestionType)


class Quiz(Strict):
    """A topic quiz: a bank of questions practised together."""

    kind: Literal["quiz"]
    id: Id
    title: Text
    topic: Id
    description: str = ""
    order: int = 0
    scoring: Scoring = "all_or_nothing"
    questions: Annotated[list[Question], Field(min_length=1)]


def _suggest(word: str, choices: set[str] | list[str]) -> str | None:
    from tutor.content.suggest import did_you_mean

    return did_you_mean(word, choices)
