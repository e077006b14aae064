"""Learners share one Docker engine: a lab whose containers, networks, volumes, images, Compose
projects, stacks, or Swarm services, secrets and configs have fixed names makes two learners
collide (one's `docker run --name web` fails, one's check passes on the other's container, one's
reset removes the other's). `tutor validate` warns about every such name; an isolated lab names
them with a random name param (`{{web}}` -> `web-3f9a`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from tutor.content.models.lab_setup import (
    ComposeAction,
    NameParam,
    NetworkAction,
    PortParam,
    RunAction,
    StackAction,
    VolumeAction,
)

# Placeholders whose value differs between learners (or attempts).
PER_LEARNER_BUILTINS = ("attempt", "suffix", "store", "registry", "workspace")
ENGINE_NETWORKS = {"bridge", "host", "none", "default"}
CHECK_FIELDS = {  # (check kind, field) -> what the field names
    ("container", "name"): "container",
    ("container", "networks"): "network",
    ("exec", "container"): "container",
    ("logs", "container"): "container",
    ("volume", "name"): "volume",
    ("volume", "used_by"): "container",
    ("network", "name"): "network",
    ("network", "containers"): "container",
    ("compose", "project"): "Compose project",
    ("service", "name"): "service",
    ("service", "secrets"): "secret",
    ("service", "configs"): "config",
    ("secret", "name"): "secret",
    ("config", "name"): "config",
}
CLEANUP_GROUPS = (
    ("containers", "container"),
    ("networks", "network"),
    ("volumes", "volume"),
    ("images", "image"),
    ("compose", "Compose project"),
    ("stacks", "stack"),
    ("services", "service"),
    ("secrets", "secret"),
    ("configs", "config"),
)

Problem = tuple[tuple[str | int, ...], str, str | None]


def per_learner(lab: Any) -> set[str]:
    names = {n for n, p in lab.params.items() if isinstance(p, NameParam) and p.random}
    names |= {n for n, p in lab.params.items() if isinstance(p, PortParam)}
    return names | set(PER_LEARNER_BUILTINS)


def fixed_names(lab: Any) -> Iterator[Problem]:
    """Every engine-wide name in the lab that is the same for every learner."""
    from tutor.content.models.labs import PLACEHOLDER

    varying = per_learner(lab)

    def fixed(value: Any) -> bool:
        return (
            isinstance(value, str)
            and value not in ENGINE_NETWORKS
            and not (set(PLACEHOLDER.findall(value)) & varying)
        )

    def problem(path: tuple[str | int, ...], what: str, value: str) -> Problem:
        return (
            path,
            f"the {what} name {value!r} is the same for every learner: two learners on one "
            "Docker engine would collide",
            f"declare a random name param (e.g. `{_key(value)}: {{kind: name, prefix: {_key(value)}, "
            f"random: true}}`) and write {{{{{_key(value)}}}}} wherever the lab uses this name",
        )

    for i, action in enumerate(lab.setup):
        if isinstance(action, RunAction):
            if fixed(action.name):
                yield problem(("setup", i, "name"), "container", action.name)
            if action.network and fixed(action.network):
                yield problem(("setup", i, "network"), "network", action.network)
            for source in action.volumes:
                if "/" not in source and not source.startswith(".") and fixed(source):
                    yield problem(("setup", i, "volumes", source), "volume", source)
        elif isinstance(action, VolumeAction | NetworkAction) and fixed(action.name):
            yield problem(("setup", i, "name"), action.action, action.name)
        elif isinstance(action, ComposeAction) and fixed(action.project):
            yield problem(("setup", i, "project"), "Compose project", action.project)
        elif isinstance(action, StackAction) and fixed(action.name):
            yield problem(("setup", i, "name"), "stack", action.name)
    for i, step in enumerate(lab.steps):
        for j, check in enumerate(step.checks):
            at = ("steps", i, "checks", j)
            for (kind, field), what in CHECK_FIELDS.items():
                value = getattr(check, field, None) if check.kind == kind else None
                for k, item in enumerate(value if isinstance(value, list) else [value]):
                    if item is not None and fixed(item):
                        yield problem((*at, field, *((k,) if isinstance(value, list) else ())), what, item)
            for k, mount in enumerate(getattr(check, "mounts", None) or []):
                if mount.volume and fixed(mount.volume):
                    yield problem((*at, "mounts", k, "volume"), "volume", mount.volume)
    for group, what in CLEANUP_GROUPS:
        for k, value in enumerate(getattr(lab.cleanup, group)):
            if fixed(value):
                yield problem(("cleanup", group, k), what, value)

def _key(name: str) -> str:
    key = "".join(c if c.isalnum() else "_" for c in name.split(":")[0].rsplit("/", 1)[-1])
    return key.strip("_") or "name"
