"""A class pack: an instructor's `class.yaml`, layered over a course with `--content`.

    name: Containers 101, spring term
    notes: Labs are due at midnight. Questions: the #containers channel.
    pass_mark: 70                      # percent, for quizzes (and exams that set none)
    assignments:
      - lab: docker-first-container
        due: 2027-03-01                # the end of that day, in the learner's time zone
      - quiz: docker-basics
        due: 2027-03-08 18:00          # or 2027-03-08T18:00:00+01:00
        pass_mark: 80
        timed: true                    # only attempts taken as a timed exam count
      - exam: dca
        notes: Take it twice if you like; the best score counts.

The ids must name labs, quizzes and exams of the course it is layered over; the loader
checks them once every content root is loaded (see `content.loading.classpack`).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr, model_validator
from pydantic_core import PydanticCustomError

from tutor.content.models.base import Id, Strict, Text

Kind = Literal["lab", "quiz", "exam"]
KINDS: tuple[Kind, ...] = ("lab", "quiz", "exam")
Problem = tuple[tuple[str | int, ...], str, str | None]


def _due(value: Any) -> Any:
    """A date (the end of that day) or a date and time, as YAML or as an ISO string."""
    if isinstance(value, datetime | date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text) if len(text) == 10 else datetime.fromisoformat(text)
        except ValueError:
            pass
    raise PydanticCustomError(
        "due_date",
        "{value} is not a due date: write 2027-03-01 (the end of that day) or 2027-03-01 18:00, "
        "with an offset such as +01:00 if the time is not the learner's local time",
        {"value": repr(value) if isinstance(value, str | int | float | bool) else type(value).__name__},
    )


Due = Annotated[datetime | date, BeforeValidator(_due)]


class Assignment(Strict):
    """One lab, quiz or exam the class must do, by its id in the course."""

    lab: Id | None = None
    quiz: Id | None = None
    exam: Id | None = None
    due: Due | None = Field(None, description="A date (its end counts) or a date and time.")
    pass_mark: float | None = Field(None, ge=0, le=100, description="Percent of the points.")
    timed: bool = Field(False, description="A quiz: only attempts taken as a timed exam count.")
    notes: str = ""
    _row: int = PrivateAttr(0)  # its place in the file (a pack salvaged from errors keeps the rest)

    @property
    def row(self) -> int:
        return self._row

    @property
    def kinds(self) -> list[Kind]:
        return [k for k in KINDS if getattr(self, k) is not None]

    @property
    def kind(self) -> Kind:
        """The first kind named (`problems()` reports an entry that names none or several)."""
        return (self.kinds or ["lab"])[0]

    @property
    def target(self) -> str:
        return getattr(self, self.kind) or ""


class ClassPack(Strict):
    """`class.yaml` at the top of a class pack folder."""

    name: Text
    notes: str = ""
    pass_mark: float = Field(70, ge=0, le=100, description="Default pass mark of quizzes, in percent.")
    assignments: Annotated[list[Assignment], Field(min_length=1)]

    @model_validator(mode="after")
    def _number(self) -> ClassPack:
        for i, a in enumerate(self.assignments):
            a._row = i
        return self

    def problems(self) -> Iterator[Problem]:
        seen: dict[tuple[str, str], int] = {}
        for a in self.assignments:
            i = a.row
            if not a.kinds:
                yield (
                    ("assignments", i),
                    "the assignment names no lab, quiz or exam",
                    "start it with `lab: ID`, `quiz: ID` or `exam: ID`",
                )
                continue
            if len(a.kinds) > 1:
                yield (
                    ("assignments", i, a.kinds[1]),
                    f"one assignment names a {a.kinds[0]} and a {a.kinds[1]}",
                    "give each its own entry (a new `- ` line)",
                )
                continue
            if a.kind == "lab" and a.pass_mark is not None:
                yield (
                    ("assignments", i, "pass_mark"),
                    "a lab has no pass mark: it is done when every step passes",
                    "remove pass_mark",
                )
            if a.timed and a.kind != "quiz":
                yield (
                    ("assignments", i, "timed"),
                    "`timed` is for quizzes" + (" (an exam is always timed)" if a.kind == "exam" else ""),
                    "remove timed",
                )
            key = (a.kind, a.target)
            if key in seen:
                yield (
                    ("assignments", i, a.kind),
                    f"{a.kind} {a.target!r} is assigned twice (also entry {seen[key] + 1})",
                    "keep one entry per lab, quiz or exam",
                )
            seen.setdefault(key, i)
