"""What a local ECS task is: its labels, its state as ECS reports it, its stopped reason and logs."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from typing import Any

from tutor.aws.awsenv import ACCOUNT, REGION, sandbox_home
from tutor.base.errors import TutorError
from tutor.base.labels import STORE_LABEL

LAB_VALUE = "ecs-local"
TASK = "tutor.ecs.task"
FAMILY = "tutor.ecs.family"
REVISION = "tutor.ecs.revision"
CONTAINER = "tutor.ecs.container"
ESSENTIAL = "tutor.ecs.essential"
ROLE = "tutor.ecs.role"  # pause | container
SERVICE = "tutor.ecs.service"  # cluster/service
CLUSTER = "tutor.ecs.cluster"
STOP_TIMEOUT = "tutor.ecs.stop-timeout"  # seconds from SIGTERM to SIGKILL, as the ECS agent applies it
DEFAULT_START_TIMEOUT = 120.0


class TaskError(TutorError):
    pass


@dataclass
class ContainerInfo:
    name: str
    docker_name: str
    status: str  # created | running | exited ...
    exit_code: int | None
    health: str  # HEALTHY | UNHEALTHY | UNKNOWN
    essential: bool
    started_at: str = ""
    image: str = ""


@dataclass
class TaskInfo:
    task_id: str
    family: str
    revision: int
    cluster: str
    service: str
    last_status: str  # PENDING | RUNNING | STOPPED (DEACTIVATING when an essential one stopped)
    health: str
    containers: list[ContainerInfo] = field(default_factory=list)
    ip: str = ""
    published: dict[str, str] = field(default_factory=dict)
    stopped_reason: str = ""
    created: str = ""
    checked: bool = False  # an essential container has a health check

    @property
    def arn(self) -> str:
        return f"arn:aws:ecs:{REGION}:{ACCOUNT}:task/{self.cluster}/{self.task_id}"

    @property
    def short_id(self) -> str:
        return self.task_id[:12]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "taskArn": self.arn}


# -- stopped reasons (Docker labels cannot change, so they live beside the store) ---------


def _reasons_file() -> Any:
    return sandbox_home() / "ecs" / "stopped.json"


def _reasons() -> dict[str, str]:
    try:
        return json.loads(_reasons_file().read_text())
    except (OSError, ValueError):
        return {}


def note_stopped(task_id: str, reason: str) -> None:
    reasons = _reasons()
    reasons.setdefault(task_id, reason)
    path = _reasons_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"stopped.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(dict(list(reasons.items())[-500:])))
    os.replace(tmp, path)


# -- creating and starting ---------------------------------------------------------------


def containers_of(client: Any, task_id: str) -> list[Any]:
    return client.containers.list(
        all=True, filters={"label": [f"{TASK}={task_id}", ours()]}, ignore_removed=True
    )


def state_of(container: Any) -> dict[str, Any]:
    container.reload()
    return container.attrs.get("State", {})


def _docker_health(state: dict[str, Any]) -> str:
    status = (state.get("Health") or {}).get("Status")
    return {"healthy": "HEALTHY", "unhealthy": "UNHEALTHY"}.get(status or "", "UNKNOWN")


def _task_from(task_id: str, found: list[Any], reasons: dict[str, str]) -> TaskInfo:
    pause = next((c for c in found if c.labels.get(ROLE) == "pause"), None)
    workers = [c for c in found if c.labels.get(ROLE) == "container"]
    any_c = found[0]
    labels = any_c.labels
    infos = []
    for c in sorted(workers, key=lambda c: c.labels.get(CONTAINER, "")):
        st = c.attrs.get("State", {})
        infos.append(
            ContainerInfo(
                c.labels.get(CONTAINER, c.name),
                c.name,
                st.get("Status", c.status),
                st.get("ExitCode") if st.get("Status") == "exited" else None,
                _docker_health(st),
                c.labels.get(ESSENTIAL) == "true",
                st.get("StartedAt", ""),
                c.attrs.get("Config", {}).get("Image", ""),
            )
        )
    essentials = [i for i in infos if i.essential]
    reason = reasons.get(task_id, "")
    if reason or all(i.status in ("exited", "dead") for i in infos):
        last = "STOPPED"
    elif any(i.status == "created" for i in infos):
        last = "PENDING"
    elif all(i.status == "running" for i in essentials):
        last = "RUNNING"
    else:
        last = "DEACTIVATING"
    checked = [i for i in essentials if i.health != "UNKNOWN" or _has_check(workers, i.name)]
    if any(i.health == "UNHEALTHY" for i in essentials):
        health = "UNHEALTHY"
    elif checked and all(i.health == "HEALTHY" for i in checked):
        health = "HEALTHY"
    else:
        health = "UNKNOWN"
    net_owner = pause or (workers[0] if workers else any_c)
    nets = (net_owner.attrs.get("NetworkSettings") or {}).get("Networks") or {}
    ip = next((n.get("IPAddress") for n in nets.values() if n.get("IPAddress")), "")
    published: dict[str, str] = {}
    for c in [pause] if pause else workers:
        for port, binds in ((c.attrs.get("NetworkSettings") or {}).get("Ports") or {}).items():
            for b in binds or []:
                published[port.split("/")[0]] = f"{b.get('HostIp')}:{b.get('HostPort')}"
    return TaskInfo(
        task_id,
        labels.get(FAMILY, ""),
        int(labels.get(REVISION, "0") or 0),
        labels.get(CLUSTER, "default"),
        labels.get(SERVICE, ""),
        last,
        health,
        infos,
        ip if last != "STOPPED" else "",
        published,
        reason or (_essential_reason(infos) if last == "STOPPED" else ""),
        any_c.attrs.get("Created", ""),
        bool(checked),
    )


def _has_check(workers: list[Any], name: str) -> bool:
    for c in workers:
        if c.labels.get(CONTAINER) == name:
            return bool((c.attrs.get("Config") or {}).get("Healthcheck"))
    return False


def _essential_reason(infos: list[ContainerInfo]) -> str:
    if any(i.essential and i.status == "exited" for i in infos):
        return "Essential container in task exited"
    return "Task stopped"


def ours() -> str:
    """The label that scopes tasks to this learner's store (tasks of other learners are never seen)."""
    from tutor.progress.identity import current_store_id

    return f"{STORE_LABEL}={current_store_id()}"


def list_tasks(client: Any, *, include_stopped: bool = False, service: str | None = None) -> list[TaskInfo]:
    """This learner's local tasks (of one service, or all)."""
    selector = f"{SERVICE}={service}" if service else TASK
    found = client.containers.list(all=True, filters={"label": [selector, ours()]}, ignore_removed=True)
    groups: dict[str, list[Any]] = {}
    for c in found:
        groups.setdefault(c.labels.get(TASK, ""), []).append(c)
    reasons = _reasons()
    tasks = [_task_from(tid, cs, reasons) for tid, cs in groups.items() if tid]
    if not include_stopped:
        tasks = [t for t in tasks if t.last_status != "STOPPED"]
    return sorted(tasks, key=lambda t: (t.service, t.family, t.created))


def describe_task(client: Any, task_id: str) -> TaskInfo | None:
    found = [
        c
        for c in client.containers.list(all=True, filters={"label": [TASK, ours()]}, ignore_removed=True)
        if c.labels.get(TASK, "").startswith(task_id)
    ]
    if not found:
        return None
    full = found[0].labels[TASK]
    return _task_from(full, [c for c in found if c.labels[TASK] == full], _reasons())


def logs(client: Any, task_id: str, container: str | None = None, tail: int = 200) -> list[tuple[str, str]]:
    out = []
    for c in containers_of(client, task_id):
        if c.labels.get(ROLE) != "container" or (container and c.labels.get(CONTAINER) != container):
            continue
        out.append((c.labels.get(CONTAINER, c.name), c.logs(tail=tail).decode("utf-8", "replace")))
    return out
