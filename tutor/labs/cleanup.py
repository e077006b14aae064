"""What a lab reset undoes beyond the engine's labelled resources: emulator calls, pushes, ECS tasks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tutor.content.models.labs import PLACEHOLDER, Lab
from tutor.labs.params import fill
from tutor.labs.sandbox import ResetPlan, Resource, plan_reset


def declared_names(
    lab: Lab, render: Callable[[Any], Any], step_id: str | None = None
) -> dict[str, list[str]]:
    """What the learner is asked to create, by name (rendered with the attempt's parameters);
    for a step, only the names that step uses. Names left with a placeholder (no attempt, so
    no per-learner name yet) name nothing."""
    cleanup = {
        kind: [n for n in names if not PLACEHOLDER.search(n)]
        for kind, names in render(lab.cleanup.model_dump(exclude={"ecs_tasks", "aws", "registry"})).items()
    }
    if step_id is None:
        return cleanup
    rendered = render(str(lab.step(step_id).model_dump()))
    return {kind: [n for n in names if n in rendered] for kind, names in cleanup.items()}


def lab_reset_plan(
    client: Any,
    lab: Lab,
    declared: dict[str, list[str]],
    *,
    started: float,
    store: str,
    whole_lab: bool,
    registry: str,
    params: dict[str, str] | None = None,
) -> ResetPlan:
    """What a reset of one learner's lab (or of one step) would remove; see sandbox.plan_reset."""
    plan = plan_reset(
        client,
        lab.id,
        declared,
        started,
        store=store,
        include_labelled=whole_lab,
        ours=(registry + "/",) if registry else (),
    )
    if whole_lab and lab.needs.swarm:  # swarm mode itself, when this lab turned it on
        from tutor.labs.orchestration import plan_swarm

        plan_swarm(client, lab.id, plan)
    if whole_lab and lab.cleanup.ecs_tasks:
        for names in lab_tasks(client, lab, params).values():
            for name in names:
                plan.sure.append(Resource("container", name, name, "a local ECS task of this lab"))
    return plan


def lab_tasks(client: Any, lab: Lab, params: dict[str, str] | None = None) -> dict[str, list[str]]:
    """This learner's local ECS tasks of the families and services this lab's checks look at
    (names filled in with the attempt's parameters): {task id: its container names}, from the
    engine's list (no container is inspected)."""
    from tutor.aws.ecs.tasks import FAMILY, SERVICE, TASK, ours

    checks = [fill(c, params or {}) for s in lab.steps for c in s.checks if getattr(c, "kind", "") == "ecs"]
    families = {c.family for c in checks if c.family}
    services = {c.service.split("/")[-1] for c in checks if c.service}
    found: dict[str, list[str]] = {}
    for c in client.api.containers(all=True, filters={"label": [TASK, ours()]}):
        labels = c.get("Labels") or {}
        service = labels.get(SERVICE, "")
        if labels.get(FAMILY) in families or (service and service.split("/")[-1] in services):
            names = [n.lstrip("/") for n in c.get("Names") or []]
            found.setdefault(labels[TASK], []).extend(names[:1])
    return found


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

    for task_id in lab_tasks(client, lab, params):
        runner.remove_task(client, task_id)


def undo_pushes(lab: Lab, render: Callable[[Any], Any]) -> None:
    from tutor.aws import registry

    reg = registry.status()
    if reg is None:
        return
    for ref in render(lab.cleanup.registry):
        repo, _, tag = ref.rpartition(":")
        registry.delete(reg.address, repo, tag)
