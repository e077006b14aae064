"""Argument types that turn bad command-line values into usage errors, never tracebacks."""

from __future__ import annotations

import argparse

from tutor.base.errors import TutorError


def _whole(text: str, what: str, low: int, high: int) -> int:
    if not (text.isascii() and text.lstrip("-").isdigit() and len(text) <= 20):
        raise argparse.ArgumentTypeError(f"{what} must be a whole number, not {text[:40]!r}")
    value = int(text)
    if not low <= value <= high:
        raise argparse.ArgumentTypeError(f"{what} must be between {low} and {high}, not {value}")
    return value


def seed_number(text: str) -> int:
    return _whole(text, "the seed", 0, 2**63 - 1)


def port_number(text: str) -> int:
    return _whole(text, "the port", 1, 65535)


def count(text: str) -> int:
    return _whole(text, "the count", 1, 1_000_000)


def attempt_number(text: str) -> int:
    """An attempt id from the command line: a positive whole number SQLite can hold."""
    if not (text.isascii() and text.isdigit() and len(text) <= 19) or not 0 < int(text) < 2**63:
        raise TutorError(f"{text[:40]!r} is not an attempt id", hint="attempt ids are whole numbers, e.g. 12")
    return int(text)
