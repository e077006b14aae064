"""User-facing errors: what went wrong, where, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from tutor.base.text import clean


class Exit(IntEnum):
    """The `tutor` command's exit codes (listed in the README and `tutor --help`)."""

    OK = 0
    FAILED = 1  # a check failed, an answer was wrong, a task definition is invalid, an export left out
    USAGE = 2  # the command line or its input is wrong (unknown id, malformed answer or file)
    ENVIRONMENT = 3  # something the command needs is missing: the Docker engine, the emulator, a tool
    CONTENT = 4  # the content (course or pack) is invalid
    STORE = 5  # the progress store cannot be written (read-only, locked, disk full)
    INTERNAL = 70  # a bug in Container Tutor (the traceback goes to a log file)
    INTERRUPTED = 130  # ctrl+c


EXIT_CODES_HELP = (
    "exit codes: 0 ok; 1 a check failed, an answer is wrong, a task definition is invalid or a "
    "report left an export out; "
    "2 usage or input error; "
    "3 something missing in the environment (Docker engine, emulator, tool); 4 content invalid; "
    "5 progress store cannot be written; 70 internal error; 130 interrupted"
)


class TutorError(Exception):
    """An error meant for a person, not a traceback. The CLI prints it and exits with `exit_code`.

    Messages often quote a pack's values or an engine's output: they are sanitised here, once.
    """

    exit_code: int = Exit.USAGE

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        message = clean(message)
        super().__init__(message)
        self.message = message
        self.hint = clean(hint) if hint else hint

    def __str__(self) -> str:
        return self.message if not self.hint else f"{self.message}\n  fix: {self.hint}"


class ContentError(TutorError):
    """A problem in one content file: the file, the line, the field path and a fix.

    The loader collects these instead of raising them, so one broken file never
    hides the rest of the course.
    """

    exit_code = Exit.CONTENT

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
        self.field = clean(field)
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
            "file": clean(str(self.file)),
            "line": self.line,
            "field": self.field,
            "message": self.message,
            "hint": self.hint,
            "severity": "warning" if self.warning else "error",
        }


class EngineUnavailable(TutorError):
    """The Docker engine (or another local service) does not answer."""

    exit_code = Exit.ENVIRONMENT


class EnvironmentProblem(TutorError):
    """Something the command needs is missing or broken on this machine (a tool, a service)."""

    exit_code = Exit.ENVIRONMENT


class ContentInvalid(TutorError):
    """The content cannot be used as it is (see `tutor validate`)."""

    exit_code = Exit.CONTENT


@dataclass
class FileProblems:
    """One file's problems as shown: the first few, and how many more there are."""

    file: str  # as every problem of it shows it
    shown: list[ContentError]
    more: int


def by_file(problems: list[ContentError], per_file: int | None) -> list[FileProblems]:
    """Problems in file and line order, grouped by file, at most `per_file` shown of each: a file
    written with the wrong keys has a problem per question (thousands)."""
    groups: dict[Path, list[ContentError]] = {}
    for err in sorted(problems, key=lambda e: (str(e.file), e.line or 0)):
        groups.setdefault(err.file, []).append(err)
    cap = len(problems) if per_file is None else per_file
    return [FileProblems(_display(f), errs[:cap], max(0, len(errs) - cap)) for f, errs in groups.items()]


def _display(path: Path) -> str:
    """A path relative to the working directory when it is below it."""
    try:
        return clean(str(path.relative_to(Path.cwd())))
    except (ValueError, OSError):  # not below it, or the working directory is gone
        return clean(str(path))
