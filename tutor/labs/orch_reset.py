"""What reset removes of orchestrated apps: Compose projects (by their project label), Swarm stacks
(by their namespace label), and Swarm services, secrets and configs by name or by the lab's label.

A project or stack name comes from a random per-attempt parameter, so whatever carries it is the
lab's. Services, secrets and configs named by the lab are the lab's when made during the attempt;
older ones are only listed (they may be yours), as for containers.
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from typing import Any

from tutor.labs import swarm

PROJECT_LABEL = "com.docker.compose.project"
SERVICE_LABEL = "com.docker.compose.service"
STACK_LABEL = "com.docker.stack.namespace"
TASK_SERVICE_LABEL = "com.docker.swarm.service.id"
SWARM_KINDS = ("service", "secret", "config", "swarm")
Add = Callable[..., None]  # add(kind, name, id, why, sure=True)
InSwarm = Callable[[], bool]  # asks the engine once per plan (swarm_probe)


def swarm_probe(client: Any) -> InSwarm:
    """Whether the engine is in a swarm, asked at most once: a plan has several Swarm groups."""
    return functools.cache(functools.partial(swarm.active, client))


def _swarm_lists(client: Any) -> dict[str, Callable[..., list[Any]]]:
    return {"service": client.services.list, "secret": client.secrets.list, "config": client.configs.list}


def plan_labelled(client: Any, selector: str | list[str], add: Add, in_swarm: InSwarm) -> None:
    """Services, secrets and configs that carry the lab's label (made by a setup)."""
    if not in_swarm():
        return
    for kind, lister in _swarm_lists(client).items():
        for obj in lister(filters={"label": selector}):
            add(kind, obj.name, obj.id, "labelled by the lab")


def plan_group(
    client: Any,
    group: str,
    names: list[str],
    add: Add,
    made_since: Callable[[Any, str], bool],
    in_swarm: InSwarm,
) -> bool:
    """Plan one orchestration group of a lab's cleanup; False when `group` is not one of them."""
    if group == "compose":
        for project in names:
            _plan_project(client, project, add)
        return True
    if group == "stacks":
        for stack in names:
            _plan_stack(client, stack, add, in_swarm)
        return True
    kind = {"services": "service", "secrets": "secret", "configs": "config"}.get(group)
    if kind is None:
        return False
    if not names or not in_swarm():
        return True
    for name in names:
        found = [o for o in _swarm_lists(client)[kind](filters={"name": name}) if o.name == name]
        for obj in found:
            add_named(add, kind, name, obj.id, made_since(obj, "CreatedAt"))
    return True


def add_named(add: Add, kind: str, name: str, rid: str, made_now: bool) -> None:
    """A resource the lab names is the lab's when made during the attempt; an older one is only
    listed (it may be yours)."""
    if made_now:
        add(kind, name, rid, "made during this lab")
    else:
        add(kind, name, rid, "named like a lab resource but older than this lab attempt", sure=False)


def _plan_project(client: Any, project: str, add: Add) -> None:
    selector = {"label": f"{PROJECT_LABEL}={project}"}
    why = f"of the lab's Compose project {project}"
    for name, cid, _labels in sparse_containers(client, selector):
        add("container", name, cid, why)
    for n in client.networks.list(filters=selector):
        add("network", n.name, n.id, why)
    for v in client.volumes.list(filters=selector):
        add("volume", v.name, v.id, why)
    for i in client.images.list(filters=selector):  # what `build:` made (Compose labels it too)
        add("image", (i.tags or [i.short_id])[0], i.id, why)


def _plan_stack(client: Any, stack: str, add: Add, in_swarm: InSwarm) -> None:
    if not in_swarm():
        return
    selector = {"label": f"{STACK_LABEL}={stack}"}
    why = f"of the lab's stack {stack}"
    for kind, lister in _swarm_lists(client).items():
        for obj in lister(filters=selector):
            add(kind, obj.name, obj.id, why)
    for n in client.networks.list(filters=selector):
        add("network", n.name, n.id, why)


def sparse_containers(
    client: Any, filters: dict[str, Any], *, older_than: float = 0.0
) -> list[tuple[str, str, dict[str, str]]]:
    """(name, id, labels) of matching containers from the list call alone: inspecting each one
    would wait on any container the engine is busy with (a shared engine has some)."""
    import time

    found = client.containers.list(all=True, filters=filters, sparse=True)
    if older_than:
        found = [c for c in found if time.time() - float(c.attrs.get("Created") or 0) > older_than]
    return [
        ((c.attrs.get("Names") or ["/?"])[0].lstrip("/"), c.id, c.attrs.get("Labels") or {}) for c in found
    ]


def remove(client: Any, kind: str, rid: str) -> None:
    """Remove a service (and wait for its task containers to go), a secret or a config."""
    if kind == "service":
        client.services.get(rid).remove()
        wait_tasks_gone(client, [rid])
    elif kind == "secret":
        client.secrets.get(rid).remove()
    elif kind == "config":
        client.configs.get(rid).remove()
    # "swarm" (swarm mode itself) is listed on the plan only: the lab's reset releases it, once
    # everything else is gone (orchestration.after_reset), and says what it did.


def wait_tasks_gone(client: Any, service_ids: list[str], seconds: float = 30.0) -> None:
    """A removed service's containers stop a moment later; networks can go only after them."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [
            c
            for sid in service_ids
            for c in client.containers.list(
                all=True, sparse=True, filters={"label": f"{TASK_SERVICE_LABEL}={sid}"}
            )
        ]
        if not left:
            return
        time.sleep(0.3)
