"""`tutor doctor`: is this machine ready? Exit 0 ready, 3 no engine, 4 content broken, 5 store."""

from __future__ import annotations

from typing import Any

from tutor.cli.args import JSON, command


def register(sub: Any) -> None:
    command(sub, "doctor", run, "check Python, the course, the progress store and Docker", JSON)


def run(args: Any) -> int:
    from tutor.labs.doctor import diagnose, render

    report = diagnose(getattr(args, "content", None))
    if args.json:
        from tutor.cli.output import emit_json

        emit_json(report.to_dict())
    else:
        print(render(report))
    return int(report.exit_code)
