"""`tutor aws ...` (the local AWS emulator) and `tutor eb ...` (Beanstalk bundles, locally)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tutor.cli.args import JSON, arg, command, group, port_number
from tutor.cli.output import emit_json


def register(sub: Any) -> None:
    aws = group(sub, "aws", "the local AWS emulator (no account, no cost, no network)")
    command(aws, "env", aws_env, 'shell lines for the aws CLI: eval "$(tutor aws env)"')
    command(
        aws,
        "status",
        aws_status,
        "the emulator, the local registry and the ECS agent, with their memory",
        JSON,
    )
    command(aws, "start", aws_start, "start the emulator")
    command(aws, "stop", aws_stop, "stop the emulator, the local registry and the ECS agent")

    eb = group(sub, "eb", "check and run an Elastic Beanstalk Docker bundle locally")
    bundle = arg("bundle", type=Path, help="a folder, or its .zip")
    command(
        eb, "check", eb_check, "check a source bundle (a folder or a .zip) as Beanstalk would", bundle, JSON
    )
    command(
        eb,
        "run",
        eb_run,
        "check a bundle, then run it on the local engine (like eb local run)",
        bundle,
        arg(
            "--env",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="an environment property (repeatable)",
        ),
        arg("--port", type=port_number, help="host port (default: a free one)"),
        arg("--name", help="container name (default: eb-<bundle name>)"),
        JSON,
    )
    command(eb, "stop", eb_stop, "stop and remove a bundle's container or Compose project", arg("name"))


def aws_env(args: argparse.Namespace) -> int:
    from tutor.aws import emulator

    state = emulator.start()
    print(emulator.shell_lines(state.endpoint))
    return 0


def aws_status(args: argparse.Namespace) -> int:
    from tutor.aws import background, emulator, registry

    state = emulator.status()
    reg = registry.status()
    services = [background.info(name) for name in background.NAMES]
    data = {
        "emulator": {
            "running": state is not None,
            "endpoint": state.endpoint if state else None,
            "pid": state.pid if state else None,
        },
        "registry": {
            "running": reg is not None,
            "address": reg.address if reg else None,
            "kind": reg.kind if reg else None,
        },
        "services": [s.to_dict() for s in services],
        "idle_minutes": background.idle_limit() / 60,
    }
    if args.json:
        emit_json(data)
        return 0
    print(f"AWS emulator: {'running at ' + state.endpoint if state else 'stopped'}")
    print(f"local registry: {'running at ' + reg.address + ' (' + reg.kind + ')' if reg else 'stopped'}")
    for s in services:
        if not s.running:
            print(f"  {s.name:<9} stopped")
            continue
        memory = f"{s.rss / 2**20:.0f} MB" if s.rss is not None else "? MB"
        idle = (
            f", stops after {s.idle_stop_in / 60:.0f} more idle minutes" if s.idle_stop_in is not None else ""
        )
        print(f"  {s.name:<9} pid {s.pid:<7} {memory:>7}  {s.address or '-'}{idle}")
    return 0


def aws_start(args: argparse.Namespace) -> int:
    from tutor.aws import emulator

    state = emulator.start()
    print(f'AWS emulator running at {state.endpoint} (pid {state.pid}); use it with: eval "$(tutor aws env)"')
    return 0


def aws_stop(args: argparse.Namespace) -> int:
    """Stop everything the sandbox runs for this TUTOR_HOME: agent, ECR gate, emulator, registry."""
    from tutor.aws import ecr_gate, emulator, registry
    from tutor.aws.ecs import agent

    stopped = {"agent": agent.stop(), "ecr_gate": ecr_gate.stop(), "emulator": emulator.stop()}
    client = None
    try:
        from tutor.base.dockerhost import connect

        client = connect(timeout=3)
    except Exception:
        pass
    stopped["registry"] = registry.stop(client)
    ran = [name for name, was in stopped.items() if was]
    print(f"stopped: {', '.join(ran)}" if ran else "nothing was running")
    print("AWS emulator stopped" if stopped["emulator"] else "the AWS emulator was not running")
    return 0


def eb_check(args: argparse.Namespace) -> int:
    from tutor.aws.beanstalk import check_bundle

    report = check_bundle(args.bundle)
    if args.json:
        emit_json(report.to_dict())
        return 0 if report.ok else 1
    for line in report.notes:
        print(f"  ✔ {line}")
    for line in report.warnings:
        print(f"  ! {line}")
    for p in report.problems:
        print(f"  ✘ {p}")
    if report.local:
        print("used here too (tutor eb run):")
        print("\n".join(f"  - {line}" for line in report.local))
    if report.aws_only:
        print("only on AWS (on the environment's instances):")
        print("\n".join(f"  - {line}" for line in report.aws_only))
    if report.compose_draft:
        print("a docker-compose.yml for the Docker platform, as a start:")
        print("\n".join(f"    {line}" for line in report.compose_draft.splitlines()))
    if not report.ok:
        print("the bundle would fail to deploy (see ✘ above)")
    elif report.runs_locally:
        print(f"the bundle is ready for the {report.platform} platform branch")
    else:
        print(f"the bundle is valid for the {report.platform} platform branch (see above)")
    return 0 if report.ok else 1


def eb_run(args: argparse.Namespace) -> int:
    from tutor.aws.beanstalk import run_bundle
    from tutor.aws.beanstalk.extensions import env_pairs
    from tutor.base.dockerhost import connect

    env = env_pairs(args.env)
    result = run_bundle(
        connect(), args.bundle, port=args.port, name=args.name, env=env, progress=None if args.json else print
    )
    if args.json:
        emit_json(result)
    else:
        what = result.get("container") or f"the Compose project {result['project']}"
        print(f"running as {what}: {result['url']} (health: {result['health']})")
        print(f"stop it with: tutor eb stop {result.get('container') or result['project']}")
    return 0 if result["health"] in ("healthy", "unknown") else 1


def eb_stop(args: argparse.Namespace) -> int:
    from tutor.aws.beanstalk import stop_bundle
    from tutor.base.dockerhost import connect

    print("stopped" if stop_bundle(connect(), args.name) else f"no bundle container named {args.name}")
    return 0
