"""Compose and Swarm on the real engine: `docker compose` in a lab's environment, what a setup may
not start, the engine's own message for a rejected project, and swarm mode left as it was found."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor.base import compose_run
from tutor.base.errors import ContentInvalid, EnvironmentProblem
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.labs.engine import LabSession
from tutor.labs.swarm import state
from tutor.progress import open_store


@pytest.fixture
def course() -> Any:
    return load_course()


def _skip_outside_ci(why: str) -> None:
    """CI's engine is set up for this test: there a missing precondition is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{why} (CI=true)")
    pytest.skip(why)


def test_docker_compose_works_in_a_labs_environment(docker_client: Any, course: Any) -> None:
    if shutil.which("docker") is None:
        pytest.fail("the docker CLI is not installed (.ci/run installs docker.io)")
    session = LabSession(course, open_store(), "compose-web-db", client=docker_client)
    env = session.env()
    proc = subprocess.run(
        ["docker", "compose", "version"], env=env, capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 0, proc.stderr
    assert "Docker Compose version v2" in proc.stdout or "Docker Compose version 2" in proc.stdout


def test_a_setup_refuses_an_unsafe_project_and_starts_nothing(
    docker_client: Any, tmp_path: Path, uid: str
) -> None:
    file = tmp_path / "compose.yaml"
    file.write_text("services:\n  root:\n    image: tutor-lab/busybox:1\n    privileged: true\n")
    project = f"unsafe-{uid}"
    with pytest.raises(ContentInvalid, match="privileged mode"):
        compose_run.up(file, project, tmp_path, dict(os.environ))
    assert not docker_client.containers.list(
        all=True, filters={"label": f"com.docker.compose.project={project}"}
    )


def test_a_rejected_project_names_the_file_the_service_and_the_engines_words(
    docker_client: Any, base_images: None, tmp_path: Path, uid: str
) -> None:
    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen(1)
    port = busy.getsockname()[1]
    file = tmp_path / "compose.yaml"
    file.write_text(f'services:\n  web:\n    image: tutor-lab/web:1\n    ports: ["127.0.0.1:{port}:80"]\n')
    project = f"busy-{uid}"
    env = dict(os.environ)
    try:
        with pytest.raises(compose_run.ComposeFailed) as err:
            compose_run.up(file, project, tmp_path, env)
        message = err.value.message
        assert message.startswith(f"{file}, service web: the engine rejected the project {project}:"), message
        assert "address already in use" in message or "port is already allocated" in message
        assert err.value.exit_code == 1
    finally:
        busy.close()
        from tutor.base import compose

        subprocess.run(compose.argv("-p", project, "down"), capture_output=True, env=env, timeout=60)


@pytest.fixture
def swarm_as_found(docker_client: Any) -> Iterator[bool]:
    """Whether the engine was in a swarm; afterwards it is put back exactly so."""
    was = state(docker_client).active
    yield was
    if not was and state(docker_client).active:
        docker_client.swarm.leave(force=True)
        for net in docker_client.networks.list(names=["docker_gwbridge"]):
            with contextlib.suppress(Exception):
                net.remove()


def test_a_swarm_lab_says_so_first_and_leaves_the_engine_as_it_found_it(
    docker_client: Any, base_images: None, swarm_as_found: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    if swarm_as_found:
        _skip_outside_ci("the engine is already in a swarm (this test needs one it can turn on and off)")
    had_gwbridge = bool(docker_client.networks.list(names=["docker_gwbridge"]))
    assert main(["lab", "start", "swarm-services", "--json"]) == 0
    out = capsys.readouterr()
    assert "turns on swarm mode" in out.err and json.loads(out.out)["lab"] == "swarm-services"
    assert state(docker_client).active
    assert main(["lab", "reset", "swarm-services", "--yes"]) == 0
    assert "swarm mode" in capsys.readouterr().out
    assert not state(docker_client).active
    assert bool(docker_client.networks.list(names=["docker_gwbridge"])) == had_gwbridge


def test_in_a_swarm_it_did_not_make_a_lab_touches_only_its_own(
    docker_client: Any, base_images: None, swarm_as_found: bool, course: Any, uid: str
) -> None:
    if not swarm_as_found:
        docker_client.swarm.init(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:2377")
    mine = docker_client.services.create(
        "tutor-lab/busybox:1", ["sleep", "300"], name=f"not-the-labs-{uid}", labels={"tutor.test": "1"}
    )
    try:
        cluster = state(docker_client).cluster
        # The lab that labels and drains the node refuses, and changes nothing.
        drain = LabSession(course, open_store(), "swarm-placement-drain", client=docker_client)
        with pytest.raises(EnvironmentProblem) as err:
            drain.start(fresh=True)
        assert err.value.exit_code == 3 and "will not change your node" in err.value.message
        assert drain.attempt is None
        # A lab that only adds services runs, and its reset removes only what it made.
        session = LabSession(course, open_store(), "swarm-services", client=docker_client)
        session.start(fresh=True)
        session.apply_solution("replicated")
        web = session.params()["web"]
        assert docker_client.services.list(filters={"name": web})
        session.reset()
        assert not [s for s in docker_client.services.list(filters={"name": web}) if s.name == web]
        assert state(docker_client).active and state(docker_client).cluster == cluster
        assert docker_client.services.get(mine.id)
    finally:
        mine.remove()


def test_a_compose_lab_without_compose_v2_exits_3_and_says_how_to_get_it(
    docker_client: Any, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from tutor.base import compose

    monkeypatch.setattr(compose, "SYSTEM_PLUGIN_DIRS", (str(tmp_path / "none"),))
    monkeypatch.setattr(compose, "package_binary", lambda: None)
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "no-config"))
    monkeypatch.setenv("PATH", "/usr/bin:/bin")
    compose.find.cache_clear()
    try:
        if compose.find() is not None:
            _skip_outside_ci("a Compose v2 plugin is installed system-wide here")
        assert main(["lab", "start", "compose-web-db"]) == 3
        err = capsys.readouterr().err
        assert "needs Docker Compose v2" in err and "docker-compose-plugin" in err
        assert LabSession(load_course(), open_store(), "compose-web-db", client=docker_client).attempt is None
    finally:
        compose.find.cache_clear()
