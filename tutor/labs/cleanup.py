"""What a lab reset undoes beyond the engine's labelled resources: emulator calls, pushes, ECS tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tutor.content.models.labs import Lab
from tutor.labs.params import fill


def lab_tasks(client: Any, lab: Lab, params: dict[str, str] | None = None) -> list[Any]:
    """Local ECS tasks of the families and services this lab's checks look at (names filled in
    with the attempt's parameters)."""
    from tutor.aws.ecs import runner

    checks = [fill(c, params or {}) for s in lab.steps for c in s.checks if getattr(c, "kind", "") == "ecs"]
    families = {c.family for c in checks if c.family}
    services = {c.service.split("/")[-1] for c in checks if c.service}
    return [
        t
        for t in runner.list_tasks(client, include_stopped=True)
        if t.family in families or (t.service and t.service.split("/")[-1] in services)
    ]


def undo_aws(lab: Lab, params: dict[str, str]) -> None:
    """Undo what the learner made in the emulator (calls that fail because it is gone are fine)."""
    from tutor.aws import emulator

    if emulator.status() is None:
        return
    for call in lab.cleanup.aws:
        call = fill(call, params)
        try:
            getattr(emulator.client(call.service), call.operation)(**call.params)
        except Exception:  # already gone, or never made
            continue


def undo_tasks(client: Any, lab: Lab, params: dict[str, str] | None = None) -> None:
    """Whatever tasks the agent started while the services were being deleted."""
    from tutor.aws.ecs import runner

    for task in lab_tasks(client, lab, params):
        runner.remove_task(client, task.task_id)


def undo_pushes(lab: Lab, render: Callable[[Any], Any]) -> None:
    from tutor.aws import registry

    reg = registry.status()
    if reg is None:
        return
    for ref in render(lab.cleanup.registry):
        repo, _, tag = ref.rpartition(":")
        registry.delete(reg.address, repo, tag)
