"""Time from `tutor ecs run` to all containers of a two-container task running, beside
`docker run` of the same two containers, in the same run.

    python benchmarks/bench_ecs.py [runs]
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tutor.aws.ecs import runner
from tutor.base.dockerhost import connect
from tutor.content.roots import builtin_root
from tutor.labs.images import prepare

TASK = {
    "family": "bench",
    "networkMode": "awsvpc",
    "containerDefinitions": [
        {"name": "web", "image": "tutor-lab/web:1", "essential": True, "memory": 64, "stopTimeout": 1},
        {
            "name": "side",
            "image": "tutor-lab/busybox:1",
            "essential": True,
            "memory": 64,
            "command": ["sleep", "600"],
            "stopTimeout": 1,
        },
    ],
}


def docker_pair(tag: str) -> float:
    t = time.perf_counter()
    for args in (["tutor-lab/web:1"], ["tutor-lab/busybox:1", "sleep", "600"]):
        subprocess.run(
            ["docker", "run", "-d", "--label", "bench=1", "--memory", "64m", *args],
            check=True,
            capture_output=True,
        )
    return time.perf_counter() - t


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    client = connect()
    prepare(client, ["tutor-lab/web:1"], [builtin_root()])
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TUTOR_HOME": home}
        path = Path(home) / "td.json"
        path.write_text(json.dumps(TASK))
        cli_ecs, cli_docker, lib_ecs, lib_docker = [], [], [], []
        for i in range(runs):
            t = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "tutor", "ecs", "run", "--file", str(path), "--json"],
                check=True,
                capture_output=True,
                env=env,
            )
            cli_ecs.append(time.perf_counter() - t)
            cli_docker.append(docker_pair(str(i)))
            os.environ["TUTOR_HOME"] = home
            t = time.perf_counter()
            runner.run_task(client, TASK)
            lib_ecs.append(time.perf_counter() - t)
            t = time.perf_counter()
            client.containers.run("tutor-lab/web:1", detach=True, labels={"bench": "1"}, mem_limit="64m")
            client.containers.run(
                "tutor-lab/busybox:1", ["sleep", "600"], detach=True, labels={"bench": "1"}, mem_limit="64m"
            )
            lib_docker.append(time.perf_counter() - t)
        for task in runner.list_tasks(client, include_stopped=True):
            runner.remove_task(client, task.task_id)
        for c in client.containers.list(all=True, filters={"label": "bench=1"}):
            c.remove(force=True)
        subprocess.run([sys.executable, "-m", "tutor", "ecs", "agent", "stop"], env=env, capture_output=True)
    med = statistics.median
    print(f"runs: {runs}")
    print(f"command line: tutor ecs run (2 containers)      median {med(cli_ecs) * 1000:.0f} ms")
    print(
        f"command line: docker run x2 (same containers)   median {med(cli_docker) * 1000:.0f} ms  "
        f"(ratio {med(cli_ecs) / med(cli_docker):.2f}x)"
    )
    print(f"library: runner.run_task                        median {med(lib_ecs) * 1000:.0f} ms")
    print(
        f"library: docker SDK containers.run x2           median {med(lib_docker) * 1000:.0f} ms  "
        f"(ratio {med(lib_ecs) / med(lib_docker):.2f}x)"
    )


if __name__ == "__main__":
    main()
