"""What is ours: labels on everything a lab creates, workspaces, and reset that never removes
anything else without listing it and asking."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tutor.base.labels import (
    ATTEMPT_LABEL,
    CHECK_LABEL,
    HELPER_IMAGE,
    IMAGE_LABEL,
    LAB_LABEL,
    STORE_LABEL,
)
from tutor.base.paths import data_home
from tutor.labs import orch_reset

__all__ = ["ATTEMPT_LABEL", "CHECK_LABEL", "HELPER_IMAGE", "IMAGE_LABEL", "LAB_LABEL", "STORE_LABEL"]


def workspace(lab_id: str) -> Path:
    """The learner's folder for a lab: setup writes files here; file checks read here."""
    return data_home() / "labs" / lab_id


def labels(lab_id: str, attempt: str, store: str) -> dict[str, str]:
    """What a lab's setup puts on everything it makes: the lab, the attempt, the learner's store."""
    return {LAB_LABEL: lab_id, ATTEMPT_LABEL: attempt, STORE_LABEL: store}


@dataclass(frozen=True)
class Resource:
    kind: str  # container | network | volume | image | service | secret | config
    name: str
    id: str
    why: str  # why reset would remove it

    def to_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "name": self.name, "id": self.id[:12], "why": self.why}


@dataclass
class ResetPlan:
    sure: list[Resource] = field(default_factory=list)  # ours: labelled, or made during the attempt
    unsure: list[Resource] = field(default_factory=list)  # named like a lab resource but older: ask

    def to_dict(self) -> dict[str, list[dict[str, str]]]:
        return {"remove": [r.to_dict() for r in self.sure], "ask": [r.to_dict() for r in self.unsure]}


def docker_time(value: str | int | float | None) -> float:
    """Seconds since the epoch from Docker's RFC 3339 timestamps (nanoseconds allowed)."""
    if value is None:
        return 0.0
    if isinstance(value, int | float):
        return float(value)
    text = value.replace("Z", "+00:00")
    if "." in text:  # Docker gives nanoseconds; Python parses microseconds
        head, _, tail = text.partition(".")
        digits = "".join(ch for ch in tail if ch.isdigit())
        zone = tail[len(digits) :]
        text = f"{head}.{digits[:6]}{zone}"
    try:
        return datetime.fromisoformat(text).timestamp()
    except ValueError:
        return 0.0


def plan_reset(
    client: Any,
    lab_id: str | None,
    declared: dict[str, list[str]] | None = None,
    started_at: float = 0.0,
    *,
    store: str,
    include_labelled: bool = True,
    ours: tuple[str, ...] = (),
) -> ResetPlan:
    """Everything reset would remove for one lab (or every lab, with `lab_id=None`), of one
    learner's `store`: what carries another store's label is never listed.

    `declared` names what the lab asks the learner to create ({"containers": [...], ...});
    those are removed when made since `started_at`, and only listed when older. Names that
    start with one of `ours` (the lab's own registry address) are always the lab's.
    """
    from docker.errors import NotFound

    plan = ResetPlan()
    in_swarm = orch_reset.swarm_probe(client)
    seen: set[str] = set()
    mine = f"{STORE_LABEL}={store}"
    selector = [f"{LAB_LABEL}={lab_id}" if lab_id else LAB_LABEL, mine]

    def add(kind: str, name: str, rid: str, why: str, sure: bool = True) -> None:
        key = f"image {name}" if kind == "image" else rid  # one image may carry several of the lab's names
        if key in seen:
            return
        seen.add(key)
        (plan.sure if sure else plan.unsure).append(Resource(kind, name, rid, why))

    if include_labelled:
        for name, cid, tags in orch_reset.sparse_containers(client, {"label": selector}):
            add("container", name, cid, f"labelled {tags.get(LAB_LABEL)}")
        helpers = orch_reset.sparse_containers(client, {"label": [CHECK_LABEL, mine]}, older_than=60.0)
        for name, cid, _tags in helpers:
            add("container", name, cid, "a leftover helper of a check")  # a live one lives seconds
        for n in client.networks.list(filters={"label": selector}):
            add("network", n.name, n.id, f"labelled {n.attrs.get('Labels', {}).get(LAB_LABEL)}")
        for v in client.volumes.list(filters={"label": selector}):
            add("volume", v.name, v.id, f"labelled {(v.attrs.get('Labels') or {}).get(LAB_LABEL)}")
        for i in client.images.list(filters={"label": selector}):
            add("image", (i.tags or [i.short_id])[0], i.id, f"built by the lab {i.labels.get(LAB_LABEL)}")
        orch_reset.plan_labelled(client, selector, add, in_swarm)

    getters = {
        "containers": ("container", client.containers.get, lambda o: o.attrs.get("Created")),
        "networks": ("network", client.networks.get, lambda o: o.attrs.get("Created")),
        "volumes": ("volume", client.volumes.get, lambda o: o.attrs.get("CreatedAt")),
        "images": ("image", client.images.get, _image_time),
    }

    def made_since(obj: Any, key: str) -> bool:
        return bool(started_at) and docker_time(obj.attrs.get(key)) >= started_at

    for group, all_names in (declared or {}).items():
        names = [n for n in all_names if "{{" not in n]  # unfilled: no attempt, nothing made yet
        if orch_reset.plan_group(client, group, names, add, made_since, in_swarm):
            continue
        kind, get, created = getters[group]
        for name in names:
            try:
                obj = get(name)
            except NotFound:
                continue
            if kind == "network" and name in ("bridge", "host", "none"):
                continue
            attrs = obj.attrs or {}
            theirs = (attrs.get("Labels") or (attrs.get("Config") or {}).get("Labels") or {}).get(STORE_LABEL)
            if theirs and theirs != store:
                continue  # another learner's: never ours to remove, nor to list
            if ours and name.startswith(ours):
                add(kind, name, obj.id, "named for the lab's own registry")
                continue
            stamp = created(obj)
            made = docker_time(stamp)
            # Volumes give whole seconds: compare at the precision the engine gives.
            since = started_at if isinstance(stamp, str) and "." in stamp else float(int(started_at))
            orch_reset.add_named(add, kind, name, obj.id, bool(started_at) and made >= since)
    return plan


def _image_time(image: Any) -> str | None:
    """When an image got its name here: the last tag time (a pull or `docker tag`), else its build."""
    tagged = (image.attrs.get("Metadata") or {}).get("LastTagTime") or ""
    if tagged and not tagged.startswith("0001-"):
        return tagged
    return image.attrs.get("Created")


def apply_reset(client: Any, plan: ResetPlan, *, include_unsure: bool = False) -> list[Resource]:
    """Remove what the plan lists (containers, then networks, volumes, images)."""

    items = plan.sure + (plan.unsure if include_unsure else [])
    order = {
        k: i
        for i, k in enumerate(
            ("service", "container", "network", "volume", "image", "secret", "config", "swarm")
        )
    }
    removed: list[Resource] = []
    pending = sorted(items, key=lambda r: order[r.kind])
    for attempt in range(3):  # an image used by another one goes once its child has gone
        if attempt:
            import time

            time.sleep(0.5)  # a busy engine: give it a moment before the next pass
        pending = [r for r in pending if not _remove(client, r, removed)]
        if not pending:
            break
    return removed


def _remove(client: Any, r: Resource, removed: list[Resource]) -> bool:
    """Remove one resource; True when it is gone."""
    from docker.errors import APIError, NotFound
    from requests.exceptions import RequestException

    try:
        if r.kind in orch_reset.SWARM_KINDS:
            orch_reset.remove(client, r.kind, r.id)
        elif r.kind == "container":  # by id, uninspected: inspecting waits while another client stops it
            client.api.remove_container(r.id, force=True, v=True)
        elif r.kind == "network":
            net = client.networks.get(r.id)
            for c in net.attrs.get("Containers") or {}:
                net.disconnect(c, force=True)
            net.remove()
        elif r.kind == "volume":
            client.volumes.get(r.name).remove(force=True)
        else:
            # By name: removing an image by id would take every other tag of it with it
            # (a learner's own name for the same image, or a base image).
            client.images.remove(r.name if ":" in r.name else r.id, noprune=False)
    except NotFound:
        pass  # already gone
    except (APIError, RequestException):  # refused, or no answer in time from a busy engine
        return False
    removed.append(r)
    return True
