"""What an import or export did not carry over as is: one note per thing, with file and line."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from tutor.base.errors import Exit, TutorError
from tutor.base.record import Record

Level = Literal["error", "warning", "info"]
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from an imported file, safe to print on a terminal: control characters escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class InterchangeError(TutorError):
    """The input cannot be used at all (not GIFT, unreadable, syntax errors, a missing option)."""

    exit_code = Exit.USAGE

    def __init__(self, message: str, *, hint: str | None = None, notes: list[Note] | None = None) -> None:
        super().__init__(message, hint=hint)
        self.notes = list(notes or [])


class InvalidContent(InterchangeError):
    """The input was read, but what it holds is not valid course content."""

    exit_code = Exit.CONTENT


@dataclass(frozen=True)
class Note(Record):
    file: str
    line: int | None
    message: str
    level: Level = "info"
    question: str = ""  # the question id, when there is one

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" {self.question}:" if self.question else ""
        return printable(f"{where}: {self.level}:{who} {self.message}")


def count(notes: list[Note], level: Level) -> int:
    return sum(1 for n in notes if n.level == level)
