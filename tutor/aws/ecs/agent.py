"""A small local ECS agent and scheduler, running in the background while ECS labs need it.

Each second it (1) stops a task whose essential container stopped, and (2) keeps every ACTIVE
service of the local AWS emulator at its desired count on the task definition revision the
service names, replacing stopped or unhealthy tasks and rolling out new revisions within
minimumHealthyPercent and maximumPercent. It writes service events as the ECS console shows
them, and reports counts back to the emulator as service tags (the API has no other way in).
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.aws import background
from tutor.aws.awsenv import sandbox_home
from tutor.aws.ecs import runner
from tutor.aws.ecs.taskdef import OUTPUT_ONLY
from tutor.aws.ecs.tasks import TaskError

TICK = 1.0
KEEP_STOPPED = 20  # stopped service tasks kept for inspection, per service


def _dir() -> Path:
    path = sandbox_home() / "ecs"
    path.mkdir(parents=True, exist_ok=True)
    return path


# -- events -----------------------------------------------------------------------------


def _events_file() -> Path:
    return _dir() / "events.json"


def events(service: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    try:
        data = json.loads(_events_file().read_text())
    except (OSError, ValueError):
        data = []
    if service:
        data = [e for e in data if e["service"] == service or e["service"].endswith(f"/{service}")]
    return data[-limit:][::-1]


def add_event(service: str, message: str) -> None:
    try:
        data = json.loads(_events_file().read_text())
    except (OSError, ValueError):
        data = []
    name = service.split("/")[-1]
    data.append(
        {
            "at": time.strftime("%Y-%m-%d %H:%M:%S"),
            "service": service,
            "message": f"(service {name}) {message}",
        }
    )
    tmp = _events_file().with_name(f"events.{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data[-1000:]))
    os.replace(tmp, _events_file())


# -- one pass of the scheduler -------------------------------------------------------------


@dataclass
class ServiceSpec:
    cluster: str
    name: str
    arn: str
    desired: int
    family: str
    revision: int
    min_percent: int
    max_percent: int

    @property
    def key(self) -> str:
        return f"{self.cluster}/{self.name}"


def _healthy(task: runner.TaskInfo) -> bool:
    """Running, and passing its health checks when it has any (as ECS counts for deployments)."""
    if task.last_status != "RUNNING":
        return False
    return task.health == "HEALTHY" if task.checked else task.health != "UNHEALTHY"


def _task_ids(tasks: list[runner.TaskInfo]) -> str:
    return " ".join(f"(task {t.task_id})" for t in tasks)


class Scheduler:
    def __init__(self, client: Any, ecs: Any | None = None) -> None:
        self.client = client
        self.ecs = ecs
        self.taskdefs: dict[tuple[str, int], dict[str, Any]] = {}
        self.starting: dict[str, threading.Thread] = {}
        self.changed: dict[str, bool] = {}  # tasks started or stopped since the last steady state
        self.history: list[dict[str, Any]] = []  # what each tick saw, before acting

    # 1. essential containers
    def enforce_essential(self) -> None:
        for task in runner.list_tasks(self.client):
            if task.task_id in self.starting:
                continue
            stopped = [c for c in task.containers if c.essential and c.status in ("exited", "dead")]
            if stopped and task.last_status != "STOPPED":
                runner.stop_task(self.client, task.task_id, reason="Essential container in task exited")
                if task.service:
                    add_event(
                        task.service,
                        f"has stopped 1 running tasks: (task {task.task_id}). "
                        f"Reason: Essential container in task exited ({stopped[0].name}, "
                        f"exit code {stopped[0].exit_code}).",
                    )

    # 2. services
    def services(self) -> list[ServiceSpec]:
        if self.ecs is None:
            return []
        specs = []
        for cluster_arn in self.ecs.list_clusters().get("clusterArns", []):
            arns = self.ecs.list_services(cluster=cluster_arn).get("serviceArns", [])
            if not arns:
                continue
            for svc in self.ecs.describe_services(cluster=cluster_arn, services=arns).get("services", []):
                if svc.get("status") != "ACTIVE":
                    continue
                family, _, rev = svc["taskDefinition"].rsplit("/", 1)[-1].partition(":")
                conf = svc.get("deploymentConfiguration") or {}
                specs.append(
                    ServiceSpec(
                        cluster_arn.rsplit("/", 1)[-1],
                        svc["serviceName"],
                        svc["serviceArn"],
                        int(svc.get("desiredCount", 0)),
                        family,
                        int(rev or 1),
                        int(conf.get("minimumHealthyPercent", 100)),
                        int(conf.get("maximumPercent", 200)),
                    )
                )
        return specs

    def taskdef(self, family: str, revision: int) -> dict[str, Any]:
        key = (family, revision)
        if key not in self.taskdefs:
            assert self.ecs is not None
            td = self.ecs.describe_task_definition(taskDefinition=f"{family}:{revision}")["taskDefinition"]
            self.taskdefs[key] = {k: v for k, v in td.items() if k not in OUTPUT_ONLY}
        return self.taskdefs[key]

    def reconcile(self, spec: ServiceSpec) -> None:
        tasks = runner.list_tasks(self.client, service=spec.key)
        self.history.append(
            {
                "at": time.time(),
                "service": spec.key,
                "healthy": sum(_healthy(t) for t in tasks),
                "total": len(tasks),
                "min_healthy": math.ceil(spec.desired * spec.min_percent / 100),
                "max_total": max(spec.desired, math.floor(spec.desired * spec.max_percent / 100)),
                "desired": spec.desired,
                "revisions": sorted({t.revision for t in tasks}),
            }
        )
        for t in [t for t in tasks if t.health == "UNHEALTHY" and t.task_id not in self.starting]:
            runner.stop_task(self.client, t.task_id, reason="Task failed container health checks")
            add_event(spec.key, f"(task {t.task_id}) failed container health checks.")
            add_event(spec.key, f"has stopped 1 running tasks: (task {t.task_id}).")
            self.changed[spec.key] = True
            tasks.remove(t)
        current = [t for t in tasks if t.revision == spec.revision and t.family == spec.family]
        old = [t for t in tasks if t not in current]
        max_total = max(spec.desired, math.floor(spec.desired * spec.max_percent / 100))
        min_healthy = math.ceil(spec.desired * spec.min_percent / 100)
        healthy = sum(_healthy(t) for t in tasks)
        # Stop old tasks first when the floor allows it (unhealthy ones cost nothing).
        if old:
            can_stop = healthy - min_healthy
            victims = sorted(old, key=lambda t: _healthy(t))
            stop = [t for t in victims if not _healthy(t)]
            stop += [t for t in victims if _healthy(t)][: max(0, can_stop)]
            if stop:
                for t in stop:
                    runner.stop_task(
                        self.client, t.task_id, reason=f"Deployment of {spec.family}:{spec.revision}"
                    )
                add_event(spec.key, f"has stopped {len(stop)} running tasks: {_task_ids(stop)}.")
                self.changed[spec.key] = True
                old = [t for t in old if t not in stop]
        elif len(current) > spec.desired:
            extra = sorted(current, key=lambda t: _healthy(t))[: len(current) - spec.desired]
            for t in extra:
                runner.stop_task(self.client, t.task_id, reason="Scaling activity initiated by (deployment)")
            add_event(spec.key, f"has stopped {len(extra)} running tasks: {_task_ids(extra)}.")
            self.changed[spec.key] = True
            current = [t for t in current if t not in extra]
        total = len(old) + len(current)
        start = min(spec.desired - len(current), max_total - total)
        if start > 0:
            started = [self.launch(spec) for _ in range(start)]
            add_event(
                spec.key,
                f"has started {len(started)} tasks: " + " ".join(f"(task {t})" for t in started) + ".",
            )
            self.changed[spec.key] = True
        steady = not old and len(current) == spec.desired and all(_healthy(t) for t in current) and start <= 0
        if steady and self.changed.get(spec.key, True):
            add_event(spec.key, "has reached a steady state.")
            self.changed[spec.key] = False
        self.report(spec, current, old)

    def launch(self, spec: ServiceSpec) -> str:
        td = self.taskdef(spec.family, spec.revision)
        task_id = runner.create_task(
            self.client, td, revision=spec.revision, cluster=spec.cluster, service=spec.key
        )
        thread = threading.Thread(target=self._start, args=(task_id, td, spec.key), daemon=True)
        self.starting[task_id] = thread
        thread.start()
        return task_id

    def _start(self, task_id: str, td: dict[str, Any], service: str) -> None:
        try:
            runner.start_task(self.client, task_id, td)
        except Exception as exc:
            add_event(service, f"(task {task_id}) failed to start: {exc}")
        finally:
            self.starting.pop(task_id, None)

    def report(self, spec: ServiceSpec, current: list[runner.TaskInfo], old: list[runner.TaskInfo]) -> None:
        """Counts back to the emulator, as tags: the only part of a service its API lets us write."""
        if self.ecs is None:
            return
        running = sum(t.last_status == "RUNNING" for t in current + old)
        tags = [
            {"key": "tutor:runningCount", "value": str(running)},
            {"key": "tutor:healthyCount", "value": str(sum(_healthy(t) for t in current + old))},
            {
                "key": "tutor:rolloutState",
                "value": "IN_PROGRESS" if old or running < spec.desired else "COMPLETED",
            },
        ]
        with contextlib.suppress(Exception):
            self.ecs.tag_resource(resourceArn=spec.arn, tags=tags)

    def prune(self, specs: list[ServiceSpec]) -> None:
        """Forget all but the newest stopped tasks of each service; stop tasks of deleted services."""
        live = {s.key for s in specs} if self.ecs is not None else None
        by_service: dict[str, list[runner.TaskInfo]] = {}
        for t in runner.list_tasks(self.client, include_stopped=True):
            if not t.service:
                continue
            if live is not None and t.service not in live and t.last_status != "STOPPED":
                runner.stop_task(self.client, t.task_id, reason="Service deleted")
            if t.last_status == "STOPPED":
                by_service.setdefault(t.service, []).append(t)
        for stopped in by_service.values():
            for t in sorted(stopped, key=lambda t: t.created)[:-KEEP_STOPPED]:
                runner.remove_task(self.client, t.task_id)

    def tick(self) -> None:
        self.enforce_essential()
        specs = self.services()
        for spec in specs:
            try:
                self.reconcile(spec)
            except Exception as exc:
                add_event(spec.key, f"could not be scheduled: {str(exc).splitlines()[0]}")
        self.prune(specs)


# -- the background process --------------------------------------------------------------

NAME = "agent"


def status() -> int | None:
    """The running agent's pid, or None."""
    return background.running_state(NAME, lambda s: int(s.get("pid") or 0) or None)


def start() -> int:
    """Start the agent (or return the running one): one per TUTOR_HOME."""
    return background.start_once(NAME, status, _spawn)


def _spawn() -> int:
    log = _dir() / "agent.log"
    proc = background.launch(["tutor.aws.ecs.agent"], log)
    pid = background.await_ready(proc, lambda: proc.pid if status() == proc.pid else None, 20, every=0.05)
    if pid is None:
        raise TaskError(f"the local ECS agent did not start:\n{background.log_tail(log)}")
    return pid


def stop() -> bool:
    return background.stop(NAME)


def main() -> None:
    from tutor.aws import emulator
    from tutor.base.dockerhost import connect

    if background.hold(NAME) is None:
        print("agent: another agent runs for this TUTOR_HOME; leaving", flush=True)
        return
    started = time.time()
    background.write_state(NAME)
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    client = connect(timeout=10)
    scheduler = Scheduler(client)
    ecs_endpoint: str | None = None
    while not stopping.is_set():
        if background.should_stop(started):
            print("agent: stopping, idle for too long", flush=True)
            break
        state = emulator.status()
        endpoint = state.endpoint if state else None
        if endpoint != ecs_endpoint:  # a client per emulator, not per tick (building one costs ~50 ms)
            ecs_endpoint = endpoint
            scheduler.ecs = emulator.client("ecs", endpoint, agent=True) if endpoint else None
        try:
            scheduler.tick()
        except Exception as exc:  # the engine or the emulator hiccuped; try again next tick
            print(f"agent: {exc}", flush=True)
        stopping.wait(TICK)


if __name__ == "__main__":
    main()
