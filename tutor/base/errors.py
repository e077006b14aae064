"""User-facing errors: what went wrong, where, and what to do about it."""

from __future__ import annotations

from pathlib import Path


class TutorError(Exception):
    """An error meant for a person, not a traceback. The CLI prints it and exits."""

    exit_code = 1

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  fix: {self.hint}"


class ContentError(TutorError):
    """A problem in one content file: the file, the line, the field path and a fix.

    The loader collects these instead of raising them, so one broken file never
    hides the rest of the course.
    """

    def __init__(
        self,
        file: Path | str,
        message: str,
        *,
        line: int | None = None,
        field: str = "",
        hint: str | None = None,
        warning: bool = False,
    ) -> None:
        super().__init__(message, hint=hint)
        self.file = Path(file)
        self.line = line
        self.field = field
        self.warning = warning

    @property
    def where(self) -> str:
        shown = _display(self.file)
        return f"{shown}:{self.line}" if self.line else shown

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        level = " warning:" if self.warning else ""
        text = f"{self.where}:{level}{field} {self.message}"
        return text if not self.hint else f"{text}\n  fix: {self.hint}"

    def to_dict(self) -> dict[str, object]:
        return {
            "file": str(self.file),
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": "warning" if self.warning else "error",
        }


class EngineUnavailable(TutorError):
    """The Docker engine (or another local service) does not answer."""

    exit_code = 3


def _display(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
