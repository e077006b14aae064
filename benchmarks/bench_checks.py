"""A lab step with 10 checks evaluated against the local engine (through LabSession, as the
app runs it), beside 10 bare Docker API pings, in the same run.

    python benchmarks/bench_checks.py

Target: the 10-check step under 150 ms.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time

from tutor.base.dockerhost import connect
from tutor.content.course import Course
from tutor.content.models.labs import Lab
from tutor.content.roots import builtin_root
from tutor.labs.engine import LabSession
from tutor.labs.images import prepare
from tutor.progress import open_store

CHECKS = [
    {"kind": "container", "name": "bench-web", "running": True},
    {"kind": "container", "name": "bench-web", "image": "tutor-lab/web:1"},
    {"kind": "container", "name": "bench-web", "ports": {"80": "{{port}}"}},
    {"kind": "container", "name": "bench-web", "env": {"MODE": "bench"}},
    {"kind": "container", "name": "bench-web", "memory": "64m"},
    {"kind": "container", "name": "bench-web", "networks": ["bridge"]},
    {"kind": "image", "name": "tutor-lab/web:1", "exposes": ["80"]},
    {"kind": "http", "port": "{{port}}", "contains": "Hello"},
    {"kind": "logs", "container": "bench-web", "contains": "url:/"},
    {"kind": "network", "name": "bridge", "containers": ["bench-web"]},
]


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        client = connect()
        prepare(client, ["tutor-lab/web:1"], [builtin_root()])
        lab = Lab.model_validate(
            {
                "id": "bench",
                "title": "Bench",
                "topic": "docker",
                "objectives": ["x"],
                "references": ["https://docs.docker.com/"],
                "params": {"port": {"kind": "port", "min": 30000, "max": 39999}},
                "setup": [
                    {
                        "action": "run",
                        "name": "bench-web",
                        "image": "tutor-lab/web:1",
                        "ports": {"80": "{{port}}"},
                        "env": {"MODE": "bench"},
                    }
                ],
                "steps": [{"id": "s", "title": "S", "instructions": "I", "checks": CHECKS}],
            }
        )
        course = Course(labs={"bench": lab})
        session = LabSession(course, open_store(), "bench", client=client)
        session.start(fresh=True)
        # the setup container has no memory limit; give it one so every check passes
        client.containers.get("bench-web").update(mem_limit="64m", memswap_limit="128m")
        time.sleep(0.5)
        session.run_step("s", record=False)  # warm up (and make the log line)
        steps, pings = [], []
        for _ in range(20):
            t = time.perf_counter()
            results = session.run_step("s", record=False)
            steps.append(time.perf_counter() - t)
            t = time.perf_counter()
            for _ in range(10):
                client.ping()
            pings.append(time.perf_counter() - t)
        failed = [r.reason for r in results if not r.passed]
        session.reset()
        session.close()
    assert not failed, failed
    print(f"10 bare Docker API pings:        median {statistics.median(pings) * 1000:.1f} ms")
    print(
        f"a step with 10 checks (engine):  median {statistics.median(steps) * 1000:.1f} ms, "
        f"max {max(steps) * 1000:.1f} ms (target < 150 ms)"
    )


if __name__ == "__main__":
    main()
