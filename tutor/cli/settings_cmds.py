"""`tutor settings`: the settings the app keeps between runs, headless.

tutor settings [--json]              every setting, its value and its default
tutor settings get KEY
tutor settings set KEY VALUE         e.g. tutor settings set new_per_day 10
tutor settings reset KEY
"""

from __future__ import annotations

import argparse
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.args import JSON, arg, command
from tutor.cli.output import emit_json, open_progress


def register(sub: Any) -> None:
    command(
        sub,
        "settings",
        settings,
        "show or change the settings kept between runs (theme, daily limits, retention)",
        arg("action", nargs="?", choices=["get", "set", "reset"], help="what to do (default: list)"),
        arg("args", nargs="*", help="KEY, and for set the VALUE"),
        JSON,
        description="tutor settings [--json] | get KEY | set KEY VALUE | reset KEY",
    )


def _check_theme(value: str) -> None:
    from textual.theme import BUILTIN_THEMES  # the CLI may know the app's themes; the core does not

    if value not in BUILTIN_THEMES:
        from tutor.content.suggest import did_you_mean

        raise TutorError(
            f"no theme {value[:40]!r}",
            hint=did_you_mean(value, BUILTIN_THEMES) or f"themes: {', '.join(BUILTIN_THEMES)}",
        )


def settings(args: argparse.Namespace) -> int:
    from tutor.progress.settings import SETTINGS, Settings

    want = {None: 0, "get": 1, "reset": 1, "set": 2}[args.action]
    if len(args.args) != want:
        raise TutorError("usage: tutor settings [--json] | get KEY | set KEY VALUE | reset KEY")
    store = Settings(open_progress())
    if args.action is None:
        rows = [
            {
                "key": key,
                "value": store.get(key),
                "default": spec.default,
                "changed": not store.is_default(key),
                "help": spec.describe().partition(": ")[2],
            }
            for key, spec in SETTINGS.items()
        ]
        if args.json:
            emit_json({"settings": rows})
        else:
            for r in rows:
                mark = "*" if r["changed"] else " "
                print(f"{mark} {r['key']:<18} {r['value']!s:<14} {r['help']}")
        return 0
    key = args.args[0]
    if args.action == "set":
        if key == "theme":
            _check_theme(args.args[1])
        value = store.set(key, args.args[1])
    elif args.action == "reset":
        value = store.reset(key)
    else:
        value = store.get(key)
    if args.json:
        emit_json({"key": key, "value": value})
    else:
        print(f"{key} = {value}")
    return 0
