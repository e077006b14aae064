"""The `tutor` command: a thin layer over the core. Heavy imports happen inside commands."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from tutor import __version__
from tutor.base.errors import TutorError
from tutor.base.text import clean
from tutor.cli import aws_cmds, content_cmds, doctor_cmd, ecs_cmds, lab_cmds, quiz_cmds
from tutor.cli.output import clean_stdout

COMMAND_MODULES = [content_cmds, quiz_cmds, lab_cmds, aws_cmds, ecs_cmds, doctor_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Container Tutor: lessons, quizzes and hands-on labs for Docker and AWS containers.",
    )
    parser.add_argument("--version", action="version", version=f"container-tutor {__version__}")
    parser.add_argument(
        "--content",
        action="append",
        metavar="DIR",
        help="load this content folder instead of the built-in course (repeat to layer; "
        "the word 'builtin' names the shipped course). Default: $TUTOR_CONTENT or builtin.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            from tutor.cli.tui_cmd import run_app

            return run_app(args)
        with clean_stdout():
            return int(args.func(args) or 0)
    except TutorError as exc:
        _fail(str(exc))
        return exc.exit_code
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `tutor ... | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def _fail(message: str) -> None:
    message = clean(message)  # before our own colour codes go around it
    if sys.stderr.isatty():
        message = f"\x1b[31m{message}\x1b[0m"
    print(f"tutor: {message}", file=sys.stderr)
