"""Printing helpers shared by the commands."""

from __future__ import annotations

import json
import sys
from typing import Any


def emit_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


def load(args: Any) -> Any:
    """Load the course the command line asks for (`--content`, `TUTOR_CONTENT`, built-in)."""
    from tutor.content.loading.loader import load_course
    from tutor.content.roots import resolve_roots

    return load_course(resolve_roots(getattr(args, "content", None)))
