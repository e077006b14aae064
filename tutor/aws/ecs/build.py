"""Creating a task's containers from a task definition: images, limits, health checks, networking."""

from __future__ import annotations

import contextlib
import uuid
from typing import Any

from tutor.aws.ecs.fidelity import explain
from tutor.aws.ecs.taskdef import Problem, TaskDefinitionError, check, units
from tutor.aws.ecs.tasks import (
    CLUSTER,
    CONTAINER,
    ESSENTIAL,
    FAMILY,
    LAB_VALUE,
    REVISION,
    ROLE,
    SERVICE,
    STOP_TIMEOUT,
    TASK,
    TaskError,
)
from tutor.base.labels import HELPER_IMAGE, LAB_LABEL, STORE_LABEL


def start_order(containers: list[dict[str, Any]]) -> list[dict[str, Any]]:
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
    from tutor.progress.identity import current_store_id

    base = {
        LAB_LABEL: LAB_VALUE,
        STORE_LABEL: current_store_id(),
        TASK: task_id,
        FAMILY: family,
        REVISION: str(revision),
        CLUSTER: cluster,
    }
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
        for c in start_order(containers):
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
