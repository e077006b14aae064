"""Printing helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from tutor.base.text import clean, clean_data

# Things the learner must hear about whatever the command printed (a store moved aside):
# said on stderr at once, and added to the command's --json object.
NOTICES: dict[str, Any] = {}


def emit_json(value: Any) -> None:
    """Print `value` as JSON; every string in it (paths and objects too, once they are strings)
    goes through the sanitiser first, so the decoded values carry no control characters."""
    if NOTICES and isinstance(value, dict):
        value = {**value, "notices": dict(NOTICES)}
    plain = json.loads(json.dumps(value, default=str))
    json.dump(clean_data(plain), sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def answer(args: Any, data: Any, lines: Iterable[str]) -> None:
    """A command's result: `data` as JSON with --json, else `lines` for a person (made only then)."""
    if args.json:
        emit_json(data)
    else:
        for line in lines:
            print(line)


def warn(message: str) -> None:
    print(f"tutor: {message}", file=sys.stderr, flush=True)


def open_progress() -> Any:
    """The progress store for a command: writes refused when it is read-only, waits announced,
    and a damaged file that was moved aside reported (stderr, and `notices` in --json)."""
    from tutor.progress import open_store

    opened = open_store(strict=True, on_wait=warn)
    if opened.moved_aside is not None:
        NOTICES["store_moved_aside"] = {
            "store": str(opened.path),
            "moved_to": str(opened.moved_aside),
            "reason": opened.moved_reason,
        }
        warn(
            f"the progress store was damaged ({opened.moved_reason}); it was moved to {opened.moved_aside} "
            "and a new one was started"
        )
    return opened


def load(args: Any) -> Any:
    """Load the course the command line asks for (`--content`, `TUTOR_CONTENT`, built-in)."""
    from tutor.content.loading.loader import load_course
    from tutor.content.roots import resolve_roots

    return load_course(resolve_roots(getattr(args, "content", None)))


def lab_session(args: Any) -> Any:
    """The session of the lab the command names (`args.lab_id`), over its course and store."""
    from tutor.labs.engine import LabSession

    return LabSession(load(args), open_progress(), args.lab_id)


class CleanWriter:
    """A text stream that makes every control character but newline and tab visible.

    The CLI's last step: content is sanitised when it is loaded, and what engines, containers
    and files say is sanitised where it is quoted; this catches whatever else reaches stdout.
    """

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(clean(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def clean_stdout() -> Iterator[None]:
    original = sys.stdout
    sys.stdout = CleanWriter(original)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout = original
