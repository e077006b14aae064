"""Two learners (two TUTOR_HOMEs) on one engine, the same lab at the same time: both finish it,
neither's checks see the other's resources, neither's reset touches the other's, and they never
get the same port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

LABS = ["docker-first-container", "docker-user-network", "docker-fix-wrong-port", "docker-named-volume"]
LAB = "docker-fix-wrong-port"


def tutor(home: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "TUTOR_CONTENT"}
    env["TUTOR_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args], env=env, capture_output=True, text=True, timeout=timeout
    )


def both(homes: list[Path], *args: str) -> list[subprocess.CompletedProcess[str]]:
    """The same command for every learner, at the same time."""
    with ThreadPoolExecutor(len(homes)) as pool:
        return list(pool.map(lambda h: tutor(h, *args), homes))


def solve(home: Path, lab: str, step: str) -> None:
    """What the learner types: the step's solution commands, in their workspace."""
    sol = json.loads(tutor(home, "lab", "solution", lab, "--step", step, "--json").stdout)
    env = {**os.environ, "TUTOR_HOME": str(home)}
    workspace = home / "labs" / lab
    for command in sol["commands"]:
        subprocess.run(["bash", "-c", command], cwd=workspace, env=env, check=True, timeout=120)


def test_two_learners_pass_the_same_labs_at_the_same_time(
    docker_client: Any, base_images: None, tmp_path: Path
) -> None:
    homes = [tmp_path / "learner-a", tmp_path / "learner-b"]
    runs = both(homes, "lab", "test", *LABS, "--json")
    for run in runs:
        reports = json.loads(run.stdout)
        failed = {r["lab"]: r["log"] for r in reports if not r["ok"]}
        assert run.returncode == 0 and not failed, failed
        assert [r["lab"] for r in reports] == LABS


def test_learners_never_see_or_touch_each_other(
    docker_client: Any, base_images: None, tmp_path: Path
) -> None:
    a, b = tmp_path / "learner-a", tmp_path / "learner-b"
    started = both([a, b], "lab", "start", LAB, "--json")
    assert all(s.returncode == 0 for s in started), [s.stderr for s in started]
    pa, pb = (json.loads(s.stdout)["params"] for s in started)
    assert pa["port"] != pb["port"]
    assert pa["shop"] != pb["shop"] and pa["suffix"] != pb["suffix"]
    for params in (pa, pb):  # each learner's setup made its own broken shop
        assert docker_client.containers.get(params["shop"]).labels["tutor.lab"] == LAB
    try:
        # A fixes its shop; B has not: A's check passes, B's does not see A's container.
        solve(a, LAB, "fix")
        assert tutor(a, "lab", "check", LAB).returncode == 0
        seen_by_b = json.loads(tutor(b, "lab", "check", LAB, "--json").stdout)
        assert not seen_by_b["passed"]
        solve(b, LAB, "fix")
        assert [tutor(h, "lab", "check", LAB).returncode for h in (a, b)] == [0, 0]
        # A's reset (of the lab, then of every lab) leaves B's work alone.
        assert tutor(a, "lab", "reset", LAB, "--yes").returncode == 0
        assert tutor(a, "lab", "reset", "--all", "--yes").returncode == 0
        assert not docker_client.containers.list(all=True, filters={"name": f"^/{pa['shop']}$"})
        assert docker_client.containers.get(pb["shop"]).status == "running"
        assert tutor(b, "lab", "check", LAB).returncode == 0
    finally:
        for home in (a, b):
            tutor(home, "lab", "reset", LAB, "--yes")
    assert not docker_client.containers.list(all=True, filters={"name": f"^/{pb['shop']}$"})


def test_a_reset_all_never_touches_another_learners_ecs_task(
    docker_client: Any, base_images: None, tmp_path: Path
) -> None:
    """B runs a task of the family `web` (what an ECS lab checks); A's `tutor ecs ps` does not
    list it and A's `lab reset --all` leaves it running."""
    a, b = tmp_path / "learner-a", tmp_path / "learner-b"
    taskdef = tmp_path / "web.json"
    taskdef.write_text(
        json.dumps(
            {
                "family": "web",
                "networkMode": "awsvpc",
                "containerDefinitions": [
                    {
                        "name": "web",
                        "image": "tutor-lab/web:1",
                        "memory": 64,
                        "essential": True,
                        "stopTimeout": 2,
                    }
                ],
            }
        )
    )
    try:
        ran = tutor(b, "ecs", "run", "--file", str(taskdef), "--json")
        assert ran.returncode == 0, ran.stderr
        task = json.loads(ran.stdout)["task_id"]
        assert json.loads(tutor(a, "ecs", "ps", "--json").stdout) == []
        assert tutor(a, "lab", "reset", "--all", "--yes").returncode == 0
        still = json.loads(tutor(b, "ecs", "ps", "--json").stdout)
        assert [(t["task_id"], t["last_status"]) for t in still] == [(task, "RUNNING")]
    finally:
        tutor(b, "lab", "reset", "ecs-register-task-definition", "--yes")
        for home in (a, b):
            tutor(home, "aws", "stop")
    assert not docker_client.containers.list(all=True, filters={"label": f"tutor.ecs.task={task}"})
