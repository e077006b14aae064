"""Declaring commands (one call a command, its arguments listed in order), and argument types
that turn bad command-line values into usage errors, never tracebacks."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any, NamedTuple

from tutor.base.errors import TutorError


class Arg(NamedTuple):
    """The words of one `add_argument` call."""

    names: tuple[str, ...]
    options: dict[str, Any]


def arg(*names: str, **options: Any) -> Arg:
    return Arg(names, options)


def flag(name: str, help: str | None = None) -> Arg:
    """An option that is on or off."""
    return arg(name, action="store_true", help=help)


JSON = flag("--json")


def command(
    sub: Any, name: str, func: Callable[[argparse.Namespace], int], help: str, *args: Arg, **options: Any
) -> argparse.ArgumentParser:
    """Add the command `name`, which runs `func`, with its arguments in the order given."""
    p = sub.add_parser(name, help=help, **options)
    for a in args:
        p.add_argument(*a.names, **a.options)
    p.set_defaults(func=func)
    return p


def group(sub: Any, name: str, help: str) -> Any:
    """A command of several actions (`tutor NAME ACTION ...`): where its actions are added."""
    return sub.add_parser(name, help=help).add_subparsers(
        dest=f"{name}_command", metavar="ACTION", required=True
    )


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
