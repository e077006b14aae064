"""The sandbox fails closed: a learner's own AWS settings are never used by a lab, a check or
`lab test`, and without the emulator nothing runs. Checks refuse another learner's resources;
the registry and the ECS agent stop by themselves when idle."""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from fakeaws import USER_AWS, Trap, fake_home, guarded_env, run_lab_test

from tutor.aws import background
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.labs.engine import LabSession
from tutor.progress import open_store

AWS_LABS = ["eks-cluster-and-manifests", "ecr-create-repository"]


def test_lab_test_never_uses_the_learners_aws_settings(
    docker_client: Any,
    tmp_path: Path,
    trap: str,
) -> None:
    """A fake HOME whose ~/.aws has a region, keys and an endpoint (the trap), and a shell with
    every AWS variable set: `lab test` passes, the trap hears nothing, nothing leaves loopback."""
    home = fake_home(tmp_path, trap)
    env, log = guarded_env(tmp_path)
    env.update(
        {
            **USER_AWS,
            "AWS_ENDPOINT_URL": trap,
            "AWS_ENDPOINT_URL_ECR": trap,
            "AWS_ENDPOINT_URL_EKS": trap,
            "AWS_CONFIG_FILE": str(home / ".aws" / "config"),
            "AWS_SHARED_CREDENTIALS_FILE": str(home / ".aws" / "credentials"),
            "HOME": str(home),
        }
    )
    run_lab_test(AWS_LABS, env)
    assert Trap.hits == []
    assert log.read_text() == ""


def test_no_emulator_no_commands(docker_client: Any, tutor_home: Path, monkeypatch: Any, capsys: Any) -> None:
    """The emulator cannot start (its port is taken): the lab environment is refused, no
    solution command runs, and `lab test` stops with exit code 3 and one line saying why."""
    from tutor.labs import environment, solution

    ran: list[Any] = []
    monkeypatch.setattr(solution, "apply", lambda *a, **k: ran.append(a))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        monkeypatch.setenv("TUTOR_AWS_PORT", str(s.getsockname()[1]))
        session = LabSession(load_course(), open_store(), "ecr-create-repository", client=docker_client)
        with pytest.raises(environment.SandboxUnavailable) as err:
            session.env()
        assert err.value.exit_code == 3 and "needs the local AWS emulator" in err.value.message
        assert "TUTOR_AWS_PORT" in (err.value.hint or "")
        with pytest.raises(environment.SandboxUnavailable):
            session.apply_solution("create")
        assert ran == []
        assert main(["lab", "test", "ecr-create-repository"]) == 3
    err_text = capsys.readouterr().err
    assert "already taken" in err_text and "fix:" in err_text


def test_a_docker_lab_points_aws_nowhere(docker_client: Any, tutor_home: Path, monkeypatch: Any) -> None:
    for key, value in USER_AWS.items():
        monkeypatch.setenv(key, value)
    env = LabSession(load_course(), open_store(), "docker-first-container", client=docker_client).env()
    assert env["AWS_ENDPOINT_URL"] == "http://127.0.0.1:1"
    assert env["AWS_ACCESS_KEY_ID"] == "testing" and "AWS_PROFILE" not in env
    assert env["TUTOR_HOME"] == str(tutor_home)


def test_checks_refuse_another_learners_resources(
    docker_client: Any, base_images: None, tmp_path: Path
) -> None:
    """A container with this attempt's name but another store's label is not the learner's."""
    from pydantic import TypeAdapter

    from tutor.content.models.lab_checks import Check
    from tutor.labs.checks import REGISTRY, load_check_kinds
    from tutor.labs.checks.base import CheckContext

    load_check_kinds()

    def run(spec: dict[str, Any], ctx: CheckContext) -> Any:
        parsed = TypeAdapter(Check).validate_python(spec)
        return REGISTRY[parsed.kind](parsed, ctx)

    name = f"isolation-{os.getpid()}-{time.monotonic_ns() % 10**6}"
    theirs = docker_client.containers.run(
        "tutor-lab/busybox:1",
        ["sleep", "60"],
        name=name,
        detach=True,
        labels={"tutor.test": "1", "tutor.store": "someone-else", "tutor.lab": "x"},
    )
    try:
        ctx = CheckContext(docker_client, {"store": "me", "suffix": "beef"}, tmp_path, None, "t")
        seen = run({"kind": "container", "name": name, "running": True}, ctx)
        assert not seen.passed and "belongs to another learner" in seen.reason
        assert run({"kind": "container", "name": name, "exists": False}, ctx).passed
        assert (
            "belongs to another learner"
            in run({"kind": "logs", "container": name, "contains": "x"}, ctx).reason
        )
        by_label = run({"kind": "container", "label": "tutor.lab=x"}, ctx)
        assert not by_label.passed and "of yours" in by_label.reason
        mine = CheckContext(docker_client, {"store": "someone-else"}, tmp_path, None, "t")
        assert run({"kind": "container", "name": name, "running": True}, mine).passed
    finally:
        theirs.remove(force=True)


def test_registry_and_agent_stop_by_themselves(
    docker_client: Any, tutor_home: Path, monkeypatch: Any
) -> None:
    from tutor.aws import registry
    from tutor.aws.ecs import agent

    monkeypatch.setenv(background.IDLE_ENV, "0.03")  # about 2 s
    reg = registry.start(docker_client)
    assert background.info("registry").rss  # asked at once: 2 s idle on, it may have stopped already
    pid = agent.start()  # (its start-up can take that long on a loaded machine)
    assert background.info("agent").pid == pid
    deadline = time.monotonic() + 120
    while (background.running("registry") or background.running("agent")) and time.monotonic() < deadline:
        time.sleep(0.5)
        background.reap(pid)
        background.reap(reg.pid)
    assert not background.running("registry") and not background.running("agent")
    assert registry.status() is None
    if reg.kind == "container":
        assert not docker_client.containers.list(all=True, filters={"name": registry.container_name()})


def test_the_ecr_gate_does_not_keep_the_sandbox_awake(
    docker_client: Any, tutor_home: Path, monkeypatch: Any
) -> None:
    """The gate in front of the registry watches the emulator and the registry; its watching is
    no use of the sandbox: with an idle limit longer than its 5 s watch, all of it still stops."""
    from tutor.aws import ecr_gate, registry
    from tutor.aws import emulator as emu

    monkeypatch.setenv(background.IDLE_ENV, "0.2")  # 12 s: a watch that counted as use would reset it
    state = emu.start()
    reg = registry.start(docker_client)
    assert ecr_gate.start(reg.address, state.endpoint) == ecr_gate.status()
    deadline = time.monotonic() + 150
    while (background.running("emulator") or background.running("registry")) and time.monotonic() < deadline:
        time.sleep(1)
        background.reap(state.pid)
        background.reap(reg.pid)
    assert not background.running("emulator") and not background.running("registry")
    for _ in range(30):  # the gate follows within one watch
        if ecr_gate.status() is None:
            break
        time.sleep(0.5)
    assert ecr_gate.status() is None
