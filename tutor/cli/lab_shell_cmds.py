"""`tutor lab shell` (the lab's environment in your own terminal) and `tutor lab show`."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
from typing import Any

from tutor.cli.args import JSON, arg, command
from tutor.cli.output import emit_json, lab_session


def register(lab: Any) -> None:
    lab_id = arg("lab_id")
    command(lab, "shell", lab_shell, "a shell in the lab's workspace and environment (as in the app)", lab_id)
    command(
        lab,
        "show",
        lab_show,
        "steps and their status, workspace, parameters, what the lab owns",
        lab_id,
        JSON,
    )


def lab_shell(args: argparse.Namespace) -> int:
    """Your shell with the lab's variables, Docker endpoint and AWS sandbox; its exit code."""
    from tutor.labs import shellenv

    s = lab_session(args)
    if s.attempt is None:
        print(f"Starting {s.lab.title}…", file=sys.stderr)
        s.start()
    launch = shellenv.for_session(s)  # TERM stays yours
    variables = " ".join(f"{k}={v}" for k, v in launch.exported.items())
    print(f"Lab shell for {s.lab.title}, in {launch.cwd}", file=sys.stderr)
    if variables:
        print(f"The lab's variables: {variables}", file=sys.stderr)
    if launch.note:
        print(launch.note, file=sys.stderr)
    print(
        f"Leave with `exit` or ctrl+d. Check your work with `tutor lab check {s.lab.id}`.",
        file=sys.stderr,
    )
    # ctrl+c belongs to the shell; this process only waits for it (the handler is reset in the child).
    previous = signal.signal(signal.SIGINT, lambda *_: None)
    try:
        code = subprocess.run(launch.argv, env=launch.env, cwd=launch.cwd).returncode
    finally:
        signal.signal(signal.SIGINT, previous)
        s.close()
    return 128 - code if code < 0 else code


def lab_show(args: argparse.Namespace) -> int:
    from tutor.labs.overview import overview

    s = lab_session(args)
    data = overview(s)
    s.close()
    if args.json:
        emit_json(data)
        return 0
    state = "completed" if data["completed"] else ("started" if data["started"] else "not started")
    print(f"{data['title']} ({data['lab']}), {state}")
    print(f"workspace: {data['workspace']}")
    if data["params"]:
        print("params:    " + ", ".join(f"{k}={v}" for k, v in data["params"].items()))
        print("variables: " + " ".join(f"${k}" for k in data["variables"]))
    marks = {"passed": "✔", "current": "▶", "ready": "○", "waiting": "·"}
    for i, step in enumerate(data["steps"], 1):
        print(f"  {marks[step['status']]} {i}. {step['title']}  [{step['status']}]")
        for check in step["checks"]:
            print(f"      {'✔' if check['passed'] else '✘'} {check['title']}")
    if data["resources"] is not None:
        print("owns on the engine:" + ("" if data["resources"] else " nothing yet"))
        for r in data["resources"]:
            print(f"  {r['kind']} {r['name']} ({r['why']})")
        for r in data["older_named"]:
            print(f"  (kept) {r['kind']} {r['name']}: {r['why']}")
    elif data["resources_error"]:
        print(f"owns on the engine: unknown ({data['resources_error']})")
    if not data["started"]:
        print(f"Start it with `tutor lab start {data['lab']}` or `tutor lab shell {data['lab']}`.")
    return 0
