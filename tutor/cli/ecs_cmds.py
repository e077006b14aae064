"""`tutor ecs ...`: task definitions that really run on the local engine, and local services."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tutor.base.errors import Exit, TutorError
from tutor.cli.args import JSON, arg, command, count, flag, group
from tutor.cli.output import answer, emit_json


def register(sub: Any) -> None:
    ecs = group(sub, "ecs", "run ECS task definitions and services on the local engine")
    command(
        ecs,
        "run",
        run,
        "run a task: FAMILY[:REVISION] from the emulator, or --file",
        arg("taskdef", nargs="?", help="family or family:revision registered with the emulator"),
        arg("--file", type=Path, help="a task definition JSON file instead"),
        arg(
            "--publish",
            action="append",
            default=[],
            metavar="HOST:CONTAINER",
            help="awsvpc: reach a container port from the host (repeatable)",
        ),
        arg("--cluster", default="default"),
        JSON,
    )
    command(
        ecs,
        "ps",
        ps,
        "local tasks as ECS shows them",
        arg("-a", "--all", action="store_true", help="include stopped tasks"),
        JSON,
    )
    command(ecs, "stop", stop, "stop a task (or --all)", arg("task", nargs="?"), flag("--all"))
    command(
        ecs,
        "logs",
        logs,
        "a task's container logs",
        arg("task"),
        arg("container", nargs="?"),
        arg("--tail", type=count, default=100),
    )
    command(
        ecs,
        "validate",
        validate,
        "check a task definition as ECS would",
        arg("file", type=Path),
        flag("--fargate", "apply Fargate's rules whatever requiresCompatibilities says"),
        JSON,
    )
    command(
        ecs,
        "explain",
        explain,
        "which fields run locally, which are ignored, which are refused",
        arg("taskdef", help="a JSON file, or a family[:revision] registered with the emulator"),
        JSON,
    )
    command(ecs, "events", events, "a local service's events, newest first", arg("service", nargs="?"), JSON)
    command(
        ecs,
        "agent",
        agent,
        "the local agent that runs services (start | stop | status)",
        arg("action", choices=["start", "stop", "status"]),
    )


def resolve_taskdef(ref: str | None, file: Path | None) -> tuple[dict[str, Any], int]:
    """A task definition and its revision: from a file, or registered with the emulator."""
    from tutor.aws.ecs.taskdef import OUTPUT_ONLY, load

    if file is not None or (ref and ref.endswith(".json")):
        td = load(file or Path(str(ref)))
        revision = int(td.get("revision") or 1)
        return {k: v for k, v in td.items() if k not in OUTPUT_ONLY}, revision
    if not ref:
        raise TutorError("name a task definition (FAMILY[:REVISION]) or pass --file")
    from botocore.exceptions import ClientError

    from tutor.aws import emulator

    try:
        got = emulator.client("ecs").describe_task_definition(taskDefinition=ref)["taskDefinition"]
    except ClientError as exc:
        raise TutorError(
            f"the emulator has no task definition {ref!r} ({exc.response['Error'].get('Message', '')})",
            hint="register it: `aws ecs register-task-definition --cli-input-json file://taskdef.json`",
        ) from None
    return {k: v for k, v in got.items() if k not in OUTPUT_ONLY}, int(got["revision"])


def _publish(items: list[str]) -> dict[int, int]:
    out = {}
    for item in items:
        host, _, cont = item.partition(":")
        if not (host.isdigit() and cont.isdigit()):
            raise TutorError(f"--publish takes HOST:CONTAINER ports, not {item!r}")
        out[int(cont)] = int(host)
    return out


def _row(t: Any) -> str:
    containers = ", ".join(
        f"{c.name}:{c.status}" + (f"({c.health.lower()})" if c.health != "UNKNOWN" else "")
        for c in t.containers
    )
    where = " ".join(f"{hp}->{cp}" for cp, hp in t.published.items()) or t.ip
    return (
        f"{t.short_id}  {t.family}:{t.revision:<3} {t.last_status:<12} {t.health:<9} "
        f"{t.service or '-':<18} {where:<20} {containers}"
    )


def run(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import agent, runner
    from tutor.base.dockerhost import connect

    td, revision = resolve_taskdef(args.taskdef, args.file)
    client = connect()
    info = runner.run_task(
        client, td, revision=revision, cluster=args.cluster, publish=_publish(args.publish)
    )
    agent.start()  # stops the task when an essential container stops
    status = f"task {info.task_id} ({info.family}:{info.revision}) is {info.last_status}"
    answer(args, info.to_dict(), [status, _row(info)])
    return 0


def ps(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import runner
    from tutor.base.dockerhost import connect

    tasks = runner.list_tasks(connect(), include_stopped=args.all)
    if args.json:
        emit_json([t.to_dict() for t in tasks])
        return 0
    print(
        f"{'TASK':<12}  {'DEFINITION':<10} {'STATUS':<12} {'HEALTH':<9} {'SERVICE':<18} "
        f"{'ADDRESS':<20} CONTAINERS"
    )
    for t in tasks:
        print(_row(t))
        if t.last_status == "STOPPED" and t.stopped_reason:
            print(f"{'':14}stopped: {t.stopped_reason}")
    return 0


def stop(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import runner
    from tutor.base.dockerhost import connect

    client = connect()
    if args.all:
        ids = [t.task_id for t in runner.list_tasks(client)]
    elif args.task:
        info = runner.describe_task(client, args.task)
        if info is None:
            raise TutorError(f"no local task {args.task!r}", hint="`tutor ecs ps` lists them")
        ids = [info.task_id]
    else:
        raise TutorError("name a task, or pass --all")
    for task_id in ids:
        runner.stop_task(client, task_id)
        print(f"stopped {task_id}")
    return 0


def logs(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import runner
    from tutor.base.dockerhost import connect

    client = connect()
    info = runner.describe_task(client, args.task)
    if info is None:
        raise TutorError(f"no local task {args.task!r}", hint="`tutor ecs ps -a` lists them")
    for name, text in runner.logs(client, info.task_id, args.container, args.tail):
        for line in text.splitlines():
            print(f"{name} | {line}")
    return 0


def validate(args: argparse.Namespace) -> int:
    from tutor.aws.ecs.taskdef import load
    from tutor.aws.ecs.taskdef import validate as check

    problems = check(load(args.file), fargate=True if args.fargate else None)
    data = {"ok": not problems, "problems": [p.to_dict() for p in problems]}
    verdict = "valid" if not problems else f"{len(problems)} problem(s)"
    answer(args, data, [*(f"✘ {p}" for p in problems), verdict])
    return 1 if problems else 0


def explain(args: argparse.Namespace) -> int:
    from tutor.aws.ecs.fidelity import explain as report
    from tutor.aws.ecs.taskdef import validate as check

    ref = args.taskdef
    td, _ = resolve_taskdef(
        None if ref.endswith(".json") else ref, Path(ref) if ref.endswith(".json") else None
    )
    # The problems first: a report of what would run means little for a definition ECS refuses.
    problems = check(td)
    data = {"ok": not problems, "problems": [p.to_dict() for p in problems], **report(td)}
    if args.json:
        emit_json(data)
        return Exit.FAILED if problems else Exit.OK
    if problems:
        print(f"This task definition is not valid ({len(problems)} problem(s)); ECS would refuse it:")
        for p in problems:
            print(f"  ✘ {p}")
        print()
    titles = {
        "simulated": "Runs locally",
        "ignored": "Accepted, but ignored locally",
        "refused": "Refused locally",
    }
    for key, title in titles.items():
        print(f"{title}:")
        for field, note in data[key] or [("(none)", "")]:
            print(f"  {field:<40} {note}")
    if data["unknown"]:
        print("Not covered by this report: " + ", ".join(data["unknown"]))
    print(
        "\nOn Fargate, AWS runs and patches the hosts, the OS, the container runtime and the ECS agent; "
        "you size the task (cpu, memory) and pay for what it asks for."
    )
    return Exit.FAILED if problems else Exit.OK


def events(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import agent

    rows = agent.events(args.service)
    answer(args, rows, (f"{e['at']}  {e['message']}" for e in rows))
    return 0


def agent(args: argparse.Namespace) -> int:
    from tutor.aws.ecs import agent as local_agent

    if args.action == "start":
        print(f"agent running (pid {local_agent.start()})")
    elif args.action == "stop":
        print("agent stopped" if local_agent.stop() else "the agent was not running")
    else:
        pid = local_agent.status()
        print(f"agent running (pid {pid})" if pid else "agent stopped")
    return 0
