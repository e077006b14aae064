"""Checks on local ECS tasks and services, and on task definition files."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tutor.content.models.lab_checks import TaskCheck, TaskDefinitionCheck
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, ok, workspace_check
from tutor.labs.sandbox import docker_time


def _first_healthy(client: Any, docker_name: str) -> float | None:
    c = client.containers.get(docker_name)
    for probe in (c.attrs.get("State", {}).get("Health") or {}).get("Log") or []:
        if probe.get("ExitCode") == 0:
            return docker_time(probe["End"])
    return None


@check("ecs")
def ecs_check(spec: TaskCheck, ctx: CheckContext) -> Outcome:
    from tutor.aws.ecs import agent, runner

    client = ctx.engine
    service = spec.service
    if service and "/" not in service:
        service = f"default/{service}"
    everything = runner.list_tasks(client, include_stopped=True, service=service)
    if spec.family:
        everything = [t for t in everything if t.family == spec.family]
    what = f"the service {spec.service}" if spec.service else f"the family {spec.family}"
    tasks = [t for t in everything if t.last_status == spec.status]
    if not tasks:
        seen = ", ".join(sorted({t.last_status for t in everything})) or "none"
        hint = spec.hint or (
            f"`tutor ecs run {spec.family}` starts one"
            if spec.family and not spec.service
            else "is the service created (`aws ecs create-service ...`)? The local agent starts its tasks"
        )
        stopped = [t for t in everything if t.last_status == "STOPPED" and t.stopped_reason]
        extra = (
            f" (the last one stopped: {stopped[-1].stopped_reason})"
            if stopped and spec.status != "STOPPED"
            else ""
        )
        return fail(f"no task of {what} is {spec.status} (tasks: {seen}){extra}.", hint)
    if spec.count is not None and len(tasks) != spec.count:
        return fail(f"{len(tasks)} task(s) of {what} are {spec.status}, not {spec.count}.", spec.hint)
    if spec.revision is not None:
        other = sorted({t.revision for t in tasks if t.revision != spec.revision})
        if other:
            return fail(
                f"tasks of {what} still run revision {', '.join(map(str, other))}, not only {spec.revision}.",
                spec.hint,
            )
    if spec.healthy is not None:
        bad = [t for t in tasks if (t.health == "HEALTHY") != spec.healthy]
        if bad:
            return fail(f"task {bad[0].short_id} of {what} is {bad[0].health}.", spec.hint)
    for name in spec.containers_running:
        for t in tasks:
            c = next((c for c in t.containers if c.name == name), None)
            if c is None or c.status != "running":
                state = c.status if c else "missing"
                return fail(f"the container {name} of task {t.short_id} is {state}.", spec.hint)
    for later, first in spec.started_after.items():
        for t in tasks:
            a = next((c for c in t.containers if c.name == later), None)
            b = next((c for c in t.containers if c.name == first), None)
            if a is None or b is None:
                return fail(f"task {t.short_id} has no container {later if a is None else first}.", spec.hint)
            healthy_at = _first_healthy(client, b.docker_name)
            if healthy_at is None:
                return fail(f"{first} in task {t.short_id} has never been healthy.", spec.hint)
            if docker_time(a.started_at) + 0.5 < healthy_at:
                return fail(
                    f"{later} started before {first} was healthy (dependsOn {first} HEALTHY is missing?).",
                    spec.hint,
                )
    if spec.serves is not None:
        for t in tasks:
            url = f"http://{t.ip}:{spec.serves.port}{spec.serves.path}"
            try:
                with urllib.request.urlopen(url, timeout=3) as r:
                    body = r.read(100_000).decode("utf-8", "replace")
            except (urllib.error.URLError, OSError) as exc:
                return fail(
                    f"task {t.short_id} does not answer at {url} ({getattr(exc, 'reason', exc)}).", spec.hint
                )
            if spec.serves.contains and spec.serves.contains not in body:
                return fail(
                    f"task {t.short_id} answers at {url}, but not with {spec.serves.contains!r}.", spec.hint
                )
    if spec.replaced_at_least is not None:
        stopped = [t for t in everything if t.last_status == "STOPPED"]
        if len(stopped) < spec.replaced_at_least:
            return fail(
                f"{what} has replaced {len(stopped)} stopped task(s) so far.",
                spec.hint
                or "stop one of its containers (`docker kill ...`) and watch the agent replace the task",
            )
    if spec.event_contains:
        found = [e["message"] for e in agent.events(spec.service)]
        if not any(spec.event_contains in m for m in found):
            return fail(
                f"the events of {what} do not mention {spec.event_contains!r} yet.",
                spec.hint or "`tutor ecs events`",
            )
    return ok(f"{len(tasks)} task(s) of {what} are {spec.status}.")


@workspace_check("taskdef")
def taskdef_check(spec: TaskDefinitionCheck, ctx: CheckContext, path: Path) -> Outcome:
    from tutor.aws.ecs.taskdef import load, validate
    from tutor.base.errors import TutorError

    try:
        td = load(path)
    except TutorError as exc:
        return fail(exc.message, spec.hint)
    problems = validate(td, fargate=spec.fargate)
    if problems:
        more = (
            f" (and {len(problems) - 1} more; `tutor ecs validate {spec.path}` lists them)"
            if len(problems) > 1
            else ""
        )
        return fail(f"{spec.path}: {problems[0]}{more}", spec.hint)
    return ok(f"{spec.path} is a valid task definition.")
