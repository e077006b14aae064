"""The `tutor` command: a thin layer over the core. Heavy imports happen inside commands, and
`tutor` alone (the app) imports neither argparse nor the commands' helpers before its first frame."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.base.errors import Exit, TutorError
from tutor.base.text import clean

if TYPE_CHECKING:
    import argparse


def build_parser() -> argparse.ArgumentParser:
    import argparse

    from tutor.base.errors import EXIT_CODES_HELP

    parser = argparse.ArgumentParser(
        prog="tutor",
        description="Container Tutor: lessons, quizzes and hands-on labs for Docker and AWS containers.",
        epilog=EXIT_CODES_HELP,
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
    from tutor.cli import (
        aws_cmds,
        class_cmds,
        content_cmds,
        doctor_cmd,
        ecs_cmds,
        find_cmds,
        lab_cmds,
        quiz_cmds,
        serve_cmd,
        settings_cmds,
        study_cmds,
    )

    command_modules = [
        content_cmds,
        quiz_cmds,
        study_cmds,
        lab_cmds,
        class_cmds,
        aws_cmds,
        ecs_cmds,
        doctor_cmd,
        serve_cmd,
        settings_cmds,
        find_cmds,
    ]

    for module in command_modules:
        module.register(sub)
    return parser


def _app_only(argv: Sequence[str]) -> Any:
    """`tutor` alone, or with `--content DIR` only: the app starts without building every command's
    parser (the first frame should not wait for argument tables it never uses)."""
    content: list[str] = []
    items = list(argv)
    while items:
        word = items.pop(0)
        if word == "--content" and items and not items[0].startswith("-"):
            content.append(items.pop(0))
        elif word.startswith("--content=") and len(word) > len("--content="):
            content.append(word.partition("=")[2])
        else:
            return None
    return SimpleNamespace(command=None, content=content or None)  # what argparse would give


def main(argv: Sequence[str] | None = None) -> int:
    _ignore_file_size_signal()
    words = sys.argv[1:] if argv is None else list(argv)
    args = _app_only(words) or build_parser().parse_args(words)  # usage errors exit 2 (argparse)
    try:
        if args.command is None:
            from tutor.cli.tui_cmd import run_app

            return run_app(args)
        from tutor.cli.output import clean_stdout

        with clean_stdout():
            return int(args.func(args) or 0)
    except TutorError as exc:
        _fail(str(exc))
        return int(exc.exit_code)
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except BrokenPipeError:  # `tutor ... | head`: the reader left; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Exit.OK
    except RecursionError:
        _fail("the input is nested too deeply to read\n  fix: flatten it (at most a few dozen levels)")
        return Exit.USAGE
    except MemoryError:
        _fail("the input is too large to read in memory\n  fix: give a smaller file")
        return Exit.USAGE
    except Exception as exc:
        if _from_engine(exc):  # the engine answered too slowly or went away mid-command
            from tutor.base.dockerhost import start_hint

            first = (str(exc) or type(exc).__name__).splitlines()[0][:200]
            _fail(f"the Docker engine did not answer: {first}\n  fix: {start_hint(str(exc))}")
            return Exit.ENVIRONMENT
        return _internal(exc)


def _from_engine(exc: BaseException) -> bool:
    """An error raised by the docker SDK or the HTTP stack under it."""
    return type(exc).__module__.split(".")[0] in ("docker", "requests", "urllib3")


def _internal(exc: BaseException) -> int:
    """A bug: one line for the learner, the traceback in a file."""
    from tutor.base.crashlog import crash_log

    where = crash_log(exc)
    _fail(
        f"internal error: {type(exc).__name__}: {str(exc)[:200]} (your progress is saved)"
        + (f"\n  details: {where}" if where else "")
    )
    return Exit.INTERNAL


def _ignore_file_size_signal() -> None:
    """A file-size limit then fails the write (reported as a full disk) instead of killing us."""
    import signal

    if hasattr(signal, "SIGXFSZ"):
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _fail(message: str) -> None:
    message = clean(message)  # before our own colour codes go around it
    if sys.stderr.isatty():
        message = f"\x1b[31m{message}\x1b[0m"
    print(f"tutor: {message}", file=sys.stderr)
