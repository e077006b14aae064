"""Printing helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from typing import Any

# Things the learner must hear about whatever the command printed (a store moved aside):
# said on stderr at once, and added to the command's --json object.
NOTICES: dict[str, Any] = {}


def emit_json(value: Any) -> None:
    if NOTICES and isinstance(value, dict):
        value = {**value, "notices": dict(NOTICES)}
    json.dump(value, sys.stdout, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


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
