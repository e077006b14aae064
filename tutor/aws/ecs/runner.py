"""Run an ECS task on the local engine: its containers, limits, health checks, network mode and
start order, every container labelled with the task."""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import Any

from tutor.aws.ecs.taskdef import Problem, TaskDefinitionError, check, explain, units
from tutor.aws.emulator import ACCOUNT, REGION, aws_home
from tutor.base.errors import TutorError
from tutor.base.labels import HELPER_IMAGE, LAB_LABEL

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
    return aws_home() / "ecs" / "stopped.json"


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


def _order(containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Containers in an order where each comes after those it depends on."""
    by_name = {c["name"]: c for c in containers}
    done: list[str] = []

    def visit(name: str) -> None:
        if name in done:
            return
        for dep in by_name[name].get("dependsOn") or []:
            if dep.get("containerName") in by_name:
                visit(dep["containerName"])
        done.append(name)

    for c in containers:
        visit(c["name"])
    return [by_name[n] for n in done]


def _health(spec: dict[str, Any] | None) -> dict[str, Any] | None:
    if not spec:
        return None
    ns = 1_000_000_000
    return {
        "test": spec["command"],
        "interval": int(spec.get("interval", 30) * ns),
        "timeout": int(spec.get("timeout", 5) * ns),
        "retries": int(spec.get("retries", 3)),
        "start_period": int(spec.get("startPeriod", 0) * ns),
    }


def _port_free(port: int) -> bool:
    import socket

    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _need_images(client: Any, containers: list[dict[str, Any]]) -> None:
    from docker.errors import ImageNotFound

    for c in containers:
        image = c["image"]
        try:
            client.images.get(image)
        except ImageNotFound:
            if image.startswith(("127.0.0.1:", "localhost:")):
                client.images.pull(image)  # the lab's own registry, on loopback
                continue
            raise TaskError(
                f"the image {image} (container {c['name']}) is not on this machine; local tasks never pull "
                "from the internet",
                hint=f"build it (`docker build -t {image} .`) "
                "or push it to the lab's registry and use that name",
            ) from None


def create_task(
    client: Any,
    td: dict[str, Any],
    *,
    revision: int = 1,
    cluster: str = "default",
    service: str = "",
    publish: dict[int, int] | None = None,
) -> str:
    """Validate, then create the task's containers (not started). Returns the task id."""
    problems = [p for p in _local_problems(td)]
    if problems:
        raise TaskDefinitionError(problems)
    containers = td["containerDefinitions"]
    _need_images(client, containers)
    mode = td.get("networkMode", "bridge")
    publish = publish or {}
    clashes = [h for h in publish.values() if not _port_free(h)]
    if mode == "bridge":
        clashes += [
            pm["hostPort"]
            for c in containers
            for pm in c.get("portMappings") or []
            if pm.get("hostPort") and not _port_free(pm["hostPort"])
        ]
    if clashes:
        raise TaskError(
            f"host port {clashes[0]} is already in use on 127.0.0.1, so the task cannot publish it",
            hint="stop what uses it (`docker ps`, `ss -ltnp`), or pick another hostPort",
        )
    task_id = uuid.uuid4().hex
    family = td["family"]
    base = {LAB_LABEL: LAB_VALUE, TASK: task_id, FAMILY: family, REVISION: str(revision), CLUSTER: cluster}
    if service:
        base[SERVICE] = service
    short = task_id[:12]
    task_cpu = units(td.get("cpu"))  # cpu units
    task_mem = units(td.get("memory"))
    network = None
    made: list[Any] = []
    try:
        if mode == "awsvpc":
            pause = client.containers.create(
                HELPER_IMAGE,
                ["sleep", "2147483647"],
                name=f"ecs-{family}-{revision}-internalecspause-{short}",
                labels={**base, ROLE: "pause"},
                ports={f"{c}/tcp": ("127.0.0.1", h) for c, h in publish.items()},
            )
            made.append(pause)
            net_kwargs: dict[str, Any] = {"network_mode": f"container:{pause.id}"}
        else:
            network = client.networks.create(f"ecs-task-{short}", labels=base)
            net_kwargs = {"network": network.name}
        for c in _order(containers):
            kwargs: dict[str, Any] = dict(net_kwargs)
            if mode == "bridge":
                kwargs["ports"] = {
                    f"{pm['containerPort']}/{pm.get('protocol', 'tcp')}": (
                        "127.0.0.1",
                        pm.get("hostPort") or None,
                    )
                    for pm in c.get("portMappings") or []
                }
                kwargs["networking_config"] = {
                    network.name: client.api.create_endpoint_config(aliases=[c["name"]])
                }
                kwargs["hostname"] = c["name"]
            memory = c.get("memory") or task_mem
            if memory:
                kwargs["mem_limit"] = f"{memory}m"
            if c.get("memoryReservation"):
                kwargs["mem_reservation"] = f"{c['memoryReservation']}m"
            if c.get("cpu"):
                kwargs["cpu_shares"] = max(2, int(c["cpu"]))
            if task_cpu:
                kwargs["nano_cpus"] = int(task_cpu / 1024 * 1e9)
            health = _health(c.get("healthCheck"))
            if health:
                kwargs["healthcheck"] = health
            env = {e["name"]: e.get("value", "") for e in c.get("environment") or []}
            container = client.containers.create(
                c["image"],
                c.get("command"),
                entrypoint=c.get("entryPoint"),
                environment=env,
                name=f"ecs-{family}-{revision}-{c['name']}-{short}",
                labels={
                    **(c.get("dockerLabels") or {}),
                    **base,
                    ROLE: "container",
                    CONTAINER: c["name"],
                    ESSENTIAL: "true" if c.get("essential", True) else "false",
                    STOP_TIMEOUT: str(int(c.get("stopTimeout") or 30)),
                },
                user=c.get("user"),
                working_dir=c.get("workingDirectory"),
                stop_signal="SIGTERM",
                **kwargs,
            )
            made.append(container)
    except Exception:
        for obj in reversed(made):
            with contextlib.suppress(Exception):
                obj.remove(force=True)
        if network is not None:
            network.remove()
        raise
    return task_id


def _local_problems(td: dict[str, Any]) -> list[Problem]:
    try:
        check(td)
    except TaskDefinitionError as exc:
        return exc.problems
    refused = explain(td)["refused"]
    return [Problem(k.split("=")[0], "refused-locally", v) for k, v in refused]


def _containers(client: Any, task_id: str) -> list[Any]:
    return client.containers.list(all=True, filters={"label": f"{TASK}={task_id}"})


def _state(container: Any) -> dict[str, Any]:
    container.reload()
    return container.attrs.get("State", {})


def start_task(client: Any, task_id: str, td: dict[str, Any], *, timeout: float | None = None) -> None:
    """Start the containers in dependency order, waiting as each dependsOn says."""
    found = _containers(client, task_id)
    by_name = {c.labels.get(CONTAINER): c for c in found if c.labels.get(ROLE) == "container"}
    for c in found:
        if c.labels.get(ROLE) == "pause":
            c.start()
    try:
        for spec in _order(td["containerDefinitions"]):
            wait = timeout or float(spec.get("startTimeout") or DEFAULT_START_TIMEOUT)
            for dep in spec.get("dependsOn") or []:
                _wait_for(
                    by_name[dep["containerName"]], dep["containerName"], dep["condition"], spec["name"], wait
                )
            try:
                by_name[spec["name"]].start()
            except Exception as exc:  # e.g. a command that is not in the image
                raise TaskError(f"the container {spec['name']} could not start: {_first_line(exc)}") from None
    except TaskError as exc:
        stop_task(client, task_id, reason=exc.message)
        raise


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:300]


def _wait_for(container: Any, name: str, condition: str, waiter: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        state = _state(container)
        status = state.get("Status")
        code = state.get("ExitCode")
        health = (state.get("Health") or {}).get("Status")
        if condition == "START" and status in ("running", "exited"):
            return
        if condition == "COMPLETE" and status == "exited":
            return
        if condition == "SUCCESS" and status == "exited":
            if code == 0:
                return
            raise TaskError(f"{waiter} waits for {name} to succeed, but {name} exited with code {code}")
        if condition == "HEALTHY":
            if health == "healthy":
                return
            if health == "unhealthy" or status == "exited":
                raise TaskError(f"{waiter} waits for {name} to be healthy, but {name} is {health or status}")
        if time.monotonic() > deadline:
            raise TaskError(
                f"{waiter} waited {timeout:g} s for {name} to reach {condition}; it is {health or status}",
                hint="look at `tutor ecs logs` for that container",
            )
        time.sleep(0.1)


def run_task(client: Any, td: dict[str, Any], **kwargs: Any) -> TaskInfo:
    timeout = kwargs.pop("timeout", None)
    task_id = create_task(client, td, **kwargs)
    start_task(client, task_id, td, timeout=timeout)
    info = describe_task(client, task_id)
    assert info is not None
    return info


# -- reading -----------------------------------------------------------------------------


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


def list_tasks(client: Any, *, include_stopped: bool = False, service: str | None = None) -> list[TaskInfo]:
    selector = f"{SERVICE}={service}" if service else TASK
    found = client.containers.list(all=True, filters={"label": selector})
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
        for c in client.containers.list(all=True, filters={"label": TASK})
        if c.labels.get(TASK, "").startswith(task_id)
    ]
    if not found:
        return None
    full = found[0].labels[TASK]
    return _task_from(full, [c for c in found if c.labels[TASK] == full], _reasons())


def stop_task(client: Any, task_id: str, *, reason: str = "Task stopped by user") -> bool:
    found = _containers(client, task_id)
    if not found:
        return False
    note_stopped(task_id, reason)
    workers = [
        c
        for c in found
        if c.labels.get(ROLE) == "container" and c.status in ("running", "restarting", "paused")
    ]
    if workers:  # all at once, each with its own stopTimeout
        with ThreadPoolExecutor(max_workers=len(workers)) as pool:
            list(pool.map(lambda c: c.stop(timeout=int(c.labels.get(STOP_TIMEOUT) or 30)), workers))
    for c in found:
        if c.labels.get(ROLE) == "pause":
            _remove(c)
    return True


def _remove(container: Any) -> None:
    """Remove a container; one already gone (or going) is fine."""
    from docker.errors import APIError, NotFound

    try:
        container.remove(force=True)
    except NotFound:
        pass
    except APIError as exc:
        if exc.status_code != 409:  # 409: its removal is already under way
            raise


def remove_task(client: Any, task_id: str) -> None:
    for c in _containers(client, task_id):
        _remove(c)
    for n in client.networks.list(filters={"label": f"{TASK}={task_id}"}):
        n.remove()


def logs(client: Any, task_id: str, container: str | None = None, tail: int = 200) -> list[tuple[str, str]]:
    out = []
    for c in _containers(client, task_id):
        if c.labels.get(ROLE) != "container" or (container and c.labels.get(CONTAINER) != container):
            continue
        out.append((c.labels.get(CONTAINER, c.name), c.logs(tail=tail).decode("utf-8", "replace")))
    return out
