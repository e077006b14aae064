"""Run an ECS task on the local engine: its containers, limits, health checks, network mode and
start order, every container labelled with the task."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from tutor.aws.ecs.build import create_task, start_order
from tutor.aws.ecs.tasks import (
    CONTAINER,
    DEFAULT_START_TIMEOUT,
    ROLE,
    STOP_TIMEOUT,
    TASK,
    TaskError,
    TaskInfo,
    containers_of,
    describe_task,
    list_tasks,
    logs,
    note_stopped,
    ours,
    state_of,
)


def start_task(client: Any, task_id: str, td: dict[str, Any], *, timeout: float | None = None) -> None:
    """Start the containers in dependency order, waiting as each dependsOn says."""
    found = containers_of(client, task_id)
    by_name = {c.labels.get(CONTAINER): c for c in found if c.labels.get(ROLE) == "container"}
    for c in found:
        if c.labels.get(ROLE) == "pause":
            c.start()
    try:
        for spec in start_order(td["containerDefinitions"]):
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


# The task API the agent, the CLI and the checks use: lifecycle here, creation and reading beside it.
__all__ = [
    "TaskError",
    "TaskInfo",
    "create_task",
    "describe_task",
    "list_tasks",
    "logs",
    "remove_task",
    "run_task",
    "start_task",
    "stop_task",
]


def _first_line(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:300]


def _wait_for(container: Any, name: str, condition: str, waiter: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        state = state_of(container)
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


def stop_task(client: Any, task_id: str, *, reason: str = "Task stopped by user") -> bool:
    found = containers_of(client, task_id)
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
    """Remove a task's containers and network, by id from the engine's list: inspecting a
    container waits while something else stops it."""
    from docker.errors import APIError, NotFound

    found = client.api.containers(all=True, filters={"label": [f"{TASK}={task_id}", ours()]})
    for c in found:
        try:
            client.api.remove_container(c["Id"], force=True)
        except NotFound:
            pass
        except APIError as exc:
            if exc.status_code != 409:  # 409: its removal is already under way
                raise
    for n in client.networks.list(filters={"label": f"{TASK}={task_id}"}):
        n.remove()
