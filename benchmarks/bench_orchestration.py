"""Time from `tutor lab start` to ready for a Compose lab and a Swarm lab, beside the bare
`docker compose up -d` / `docker stack deploy` of the same files, in the same run.

    python benchmarks/bench_orchestration.py [ROUNDS]

Ready means: for Compose, `up -d` has returned (it waits for `db` to be healthy before it starts
`web`); for Swarm, every task of the stack runs. When the engine is not in a swarm, both sides of
the Swarm figure include turning swarm mode on (the lab does it itself; the baseline runs
`docker swarm init`), and swarm mode is off again after each round. Target: ratio <= 1.5x.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tutor.base import compose
from tutor.base.dockerhost import connect
from tutor.content.course import Course
from tutor.content.models.labs import Lab
from tutor.content.roots import builtin_root
from tutor.labs.engine import LabSession
from tutor.labs.images import prepare
from tutor.progress import open_store

COMPOSE = """\
services:
  db:
    image: tutor-lab/minidb:1
    environment: {STARTUP_SECONDS: "1"}
    healthcheck: {test: ["CMD", "minidb-ready"], interval: 1s, retries: 30}
  web:
    image: tutor-lab/app:1
    depends_on: {db: {condition: service_healthy}}
"""
STACK = """\
services:
  web:
    image: tutor-lab/web:1
    deploy: {replicas: 2}
  worker:
    image: tutor-lab/busybox:1
    command: ["sleep", "3600"]
"""


def lab(kind: str) -> Lab:
    if kind == "compose":
        needs = {"compose": True, "images": ["tutor-lab/minidb:1", "tutor-lab/app:1"]}
        setup = [
            {"action": "write", "path": "app/compose.yaml", "content": COMPOSE},
            {"action": "compose", "project": "{{project}}", "file": "app/compose.yaml"},
        ]
        cleanup = {"compose": ["{{project}}"]}
    else:
        needs = {"swarm": True, "images": ["tutor-lab/web:1", "tutor-lab/busybox:1"]}
        setup = [
            {"action": "write", "path": "app/stack.yaml", "content": STACK},
            {"action": "stack", "name": "{{project}}", "file": "app/stack.yaml"},
        ]
        cleanup = {"stacks": ["{{project}}"]}
    return Lab.model_validate(
        {
            "id": f"bench-{kind}",
            "title": "Bench",
            "topic": "docker",
            "objectives": ["x"],
            "references": ["https://docs.docker.com/"],
            "needs": needs,
            "params": {"project": {"kind": "name", "prefix": f"bench-{kind}", "random": True}},
            "setup": setup,
            "steps": [{"id": "s", "title": "S", "instructions": "I", "checks": [{"kind": "swarm"}]}],
            "cleanup": cleanup,
        }
    )


def stack_ready(client: Any, stack: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        services = client.services.list(filters={"label": f"com.docker.stack.namespace={stack}"})
        if len(services) == 2:
            want = sum(
                ((s.attrs["Spec"].get("Mode") or {}).get("Replicated") or {}).get("Replicas", 1)
                for s in services
            )
            running = sum(
                1 for s in services for t in s.tasks() if (t.get("Status") or {}).get("State") == "running"
            )
            if running >= want:
                return
        time.sleep(0.1)
    raise TimeoutError(f"the stack {stack} did not get ready")


def run(argv: list[str], cwd: Path) -> None:
    subprocess.run(argv, cwd=cwd, check=True, capture_output=True, timeout=300)


def leave_if(client: Any, was_active: bool) -> None:
    if not was_active and (client.info().get("Swarm") or {}).get("LocalNodeState") == "active":
        client.swarm.leave(force=True)
        for net in client.networks.list(names=["docker_gwbridge"]):
            net.remove()


def main(rounds: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        client = connect(timeout=30)
        prepare(client, ["tutor-lab/minidb:1", "tutor-lab/app:1", "tutor-lab/web:1"], [builtin_root()])
        binary = str(compose.require().path)
        swarm_was = (client.info().get("Swarm") or {}).get("LocalNodeState") == "active"
        work = Path(home) / "bare"
        work.mkdir()
        (work / "compose.yaml").write_text(COMPOSE)
        (work / "stack.yaml").write_text(STACK)
        course = Course(labs={"bench-compose": lab("compose"), "bench-swarm": lab("swarm")})
        figures: dict[str, list[float]] = {
            k: [] for k in ("lab-compose", "bare-compose", "lab-swarm", "bare-swarm")
        }
        for i in range(rounds):
            # Compose: the lab's start, then the bare command, on the same file.
            session = LabSession(course, open_store(), "bench-compose", client=client)
            t = time.perf_counter()
            session.start(fresh=True)
            figures["lab-compose"].append(time.perf_counter() - t)
            session.reset()
            project = f"bench-bare-{i}"
            t = time.perf_counter()
            run([binary, "-p", project, "up", "-d", "--quiet-pull"], work)
            figures["bare-compose"].append(time.perf_counter() - t)
            run([binary, "-p", project, "down"], work)
            # Swarm: the lab's start (with swarm init when needed) until every task runs.
            session = LabSession(course, open_store(), "bench-swarm", client=client)
            t = time.perf_counter()
            session.start(fresh=True)
            stack_ready(client, session.params()["project"])
            figures["lab-swarm"].append(time.perf_counter() - t)
            session.reset()
            leave_if(client, swarm_was)
            stack = f"bench-bare-{i}"
            t = time.perf_counter()
            if not swarm_was:
                run(
                    [
                        "docker",
                        "swarm",
                        "init",
                        "--advertise-addr",
                        "127.0.0.1",
                        "--listen-addr",
                        "127.0.0.1:2377",
                    ],
                    work,
                )
            run(["docker", "stack", "deploy", "--detach=true", "-c", "stack.yaml", stack], work)
            stack_ready(client, stack)
            figures["bare-swarm"].append(time.perf_counter() - t)
            run(["docker", "stack", "rm", stack], work)
            time.sleep(2)  # the stack's tasks and network go away
            leave_if(client, swarm_was)
            session.close()
    med = {k: statistics.median(v) for k, v in figures.items()}
    print(f"rounds: {rounds}; swarm mode {'was on' if swarm_was else 'off: both sides include swarm init'}")
    for what in ("compose", "swarm"):
        lab_s, bare_s = med[f"lab-{what}"], med[f"bare-{what}"]
        bare_cmd = "docker compose up -d" if what == "compose" else "docker stack deploy"
        print(
            f"{what:<8} lab start to ready: median {lab_s:.2f} s; bare {bare_cmd}: median {bare_s:.2f} s; "
            f"ratio {lab_s / bare_s:.2f}x (target <= 1.5x)"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
