"""Every check kind against the real engine: a passing and a failing case, with the reason."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from tutor.content.models.lab_checks import Check
from tutor.labs.checks import REGISTRY, load_check_kinds
from tutor.labs.checks.docker_checks import parse_memory

load_check_kinds()
CHECK: TypeAdapter[Any] = TypeAdapter(Check)
LABELS = {"tutor.test": "1"}


class ImageRef:
    """Lets the cleanup fixture remove an image by tag."""

    def __init__(self, client: Any, tag: str) -> None:
        self.client, self.tag = client, tag

    def remove(self, force: bool = True) -> None:
        self.client.images.remove(self.tag, force=force)


def run(spec: dict[str, Any], ctx: Any) -> Any:
    parsed = CHECK.validate_python(spec)
    return REGISTRY[parsed.kind](parsed, ctx)


def wait_running(container: Any, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        container.reload()
        if container.status == "running":
            return
        time.sleep(0.1)


@pytest.fixture
def web(docker_client: Any, base_images: None, cleanup: list[Any], uid: str) -> Any:
    from tutor.base.ports import free_port

    port = free_port(20000, 29999)
    c = docker_client.containers.run(
        "tutor-lab/web:1",
        name=f"t-web-{uid}",
        detach=True,
        ports={"80/tcp": ("127.0.0.1", port)},
        environment={"MODE": "test"},
        labels={**LABELS, "team": "blue"},
        mem_limit="64m",
        nano_cpus=500_000_000,
        restart_policy={"Name": "unless-stopped"},
        healthcheck={"test": ["CMD-SHELL", "wget -qO- http://127.0.0.1/ || exit 1"], "interval": 500_000_000},
    )
    cleanup.append(c)
    wait_running(c)
    c.port = port  # type: ignore[attr-defined]
    return c


def test_container_passes_and_fails_with_reasons(web: Any, ctx: Any, uid: str) -> None:
    name = web.name
    good = run(
        {
            "kind": "container",
            "name": name,
            "running": True,
            "image": "tutor-lab/web:1",
            "restart": "unless-stopped",
            "ports": {"80": str(web.port)},
            "env": {"MODE": "test"},
            "memory": "64m",
            "cpus": 0.5,
            "labels": {"team": "blue"},
        },
        ctx,
    )
    assert good.passed, good.reason
    assert run({"kind": "container", "label": "team=blue", "running": True}, ctx).passed

    missing = run({"kind": "container", "name": f"nope-{uid}", "running": True}, ctx)
    assert not missing.passed and missing.reason == f"no container named nope-{uid} exists yet."
    assert "docker run --name" in missing.hint

    wrong_port = run({"kind": "container", "name": name, "ports": {"80": "1"}}, ctx)
    assert f"publishes container port 80 on host port {web.port}, not 1" in wrong_port.reason

    not_published = run({"kind": "container", "name": name, "ports": {"8080": str(web.port)}}, ctx)
    assert (
        f"publishes host port {web.port} to container port 80, but the server inside listens on 8080"
        in not_published.reason
    )

    unpublished = run({"kind": "container", "name": name, "ports": {"443": "9999"}}, ctx)
    assert "port 443 is not published to the host; you may have left out -p" in unpublished.reason

    assert (
        "has no environment variable NOPE"
        in run({"kind": "container", "name": name, "env": {"NOPE": "*"}}, ctx).reason
    )
    assert (
        "MODE='test', but the task needs 'prod'"
        in run({"kind": "container", "name": name, "env": {"MODE": "prod"}}, ctx).reason
    )
    assert (
        "memory limit of 64m, not 128m"
        in run({"kind": "container", "name": name, "memory": "128m"}, ctx).reason
    )
    assert "has 0.5 CPUs, not 1" in run({"kind": "container", "name": name, "cpus": 1}, ctx).reason
    assert (
        "restart policy 'unless-stopped', not 'always'"
        in run({"kind": "container", "name": name, "restart": "always"}, ctx).reason
    )
    assert "runs as root" in run({"kind": "container", "name": name, "non_root": True}, ctx).reason
    assert (
        "runs the image tutor-lab/web:1, not other:1"
        in run({"kind": "container", "name": name, "image": "other:1"}, ctx).reason
    )
    assert (
        "is on bridge, not on othernet"
        in run({"kind": "container", "name": name, "networks": ["othernet"]}, ctx).reason
    )
    assert "still exists" in run({"kind": "container", "name": name, "exists": False}, ctx).reason
    assert (
        "does not carry the label team=red"
        in run({"kind": "container", "name": name, "labels": {"team": "red"}}, ctx).reason
    )


def test_container_health_and_stopped_state(
    web: Any, ctx: Any, docker_client: Any, cleanup: list[Any], uid: str
) -> None:
    deadline = time.monotonic() + 20
    while (
        time.monotonic() < deadline
        and not run({"kind": "container", "name": web.name, "health": "healthy"}, ctx).passed
    ):
        time.sleep(0.3)
    assert run({"kind": "container", "name": web.name, "health": "healthy"}, ctx).passed
    exited = docker_client.containers.run(
        "tutor-lab/busybox:1",
        ["sh", "-c", "echo bye; exit 3"],
        name=f"t-exit-{uid}",
        detach=True,
        labels=LABELS,
    )
    cleanup.append(exited)
    exited.wait(timeout=10)
    r = run({"kind": "container", "name": exited.name, "running": True}, ctx)
    assert not r.passed and "exists but it is exited (exit code 3)" in r.reason and "docker logs" in r.hint
    assert run({"kind": "container", "name": exited.name, "running": False, "exit_code": 3}, ctx).passed
    assert (
        "exited with code 3, not 0"
        in run({"kind": "container", "name": exited.name, "exit_code": 0}, ctx).reason
    )
    assert (
        "has no health check"
        in run({"kind": "container", "name": exited.name, "health": "healthy"}, ctx).reason
    )


def test_container_mounts(
    docker_client: Any, base_images: None, ctx: Any, cleanup: list[Any], uid: str
) -> None:
    vol = docker_client.volumes.create(f"t-vol-{uid}", labels=LABELS)
    cleanup.append(vol)
    c = docker_client.containers.run(
        "tutor-lab/busybox:1",
        ["sleep", "60"],
        name=f"t-mnt-{uid}",
        detach=True,
        labels=LABELS,
        volumes={vol.name: {"bind": "/data", "mode": "ro"}},
    )
    cleanup.append(c)
    ok = run(
        {
            "kind": "container",
            "name": c.name,
            "mounts": [{"destination": "/data", "volume": vol.name, "read_only": True}],
        },
        ctx,
    )
    assert ok.passed, ok.reason
    assert (
        "nothing mounted at /srv"
        in run({"kind": "container", "name": c.name, "mounts": [{"destination": "/srv"}]}, ctx).reason
    )
    wrong = run(
        {"kind": "container", "name": c.name, "mounts": [{"destination": "/data", "volume": "other"}]}, ctx
    )
    assert f"mounts the volume {vol.name} at /data, not the volume other" in wrong.reason
    assert (
        "read-only"
        in run(
            {"kind": "container", "name": c.name, "mounts": [{"destination": "/data", "read_only": False}]},
            ctx,
        ).reason
    )


def test_image_check(
    docker_client: Any, base_images: None, ctx: Any, cleanup: list[Any], uid: str, tmp_path: Path
) -> None:
    (tmp_path / "Dockerfile").write_text(
        "FROM tutor-lab/busybox:1\nRUN mkdir /app && echo hi > /app/x\nUSER 1000\nEXPOSE 8080\nENV A=b\n"
        'LABEL team=blue\nCMD ["/app/run"]\n'
    )
    tag = f"t-img-{uid}:1"
    docker_client.images.build(path=str(tmp_path), tag=tag, labels=LABELS, rm=True)
    cleanup.append(ImageRef(docker_client, tag))
    spec = {
        "kind": "image",
        "name": tag,
        "non_root": True,
        "exposes": ["8080"],
        "env": {"A": "b"},
        "cmd": ["/app/run"],
        "labels": {"team": "blue"},
        "files_present": ["/app/x"],
        "files_absent": ["/app/y"],
        "max_size_mb": 10,
        "max_layers": 10,
    }
    good = run(spec, ctx)
    assert good.passed, good.reason
    assert "there is no image tagged nope:1 yet" in run({"kind": "image", "name": "nope:1"}, ctx).reason
    assert "should be at most 0.5 MB" in run({"kind": "image", "name": tag, "max_size_mb": 0.5}, ctx).reason
    assert "should have at most 1" in run({"kind": "image", "name": tag, "max_layers": 1}, ctx).reason
    assert "exposes 8080, not 80" in run({"kind": "image", "name": tag, "exposes": ["80"]}, ctx).reason
    assert (
        "has no file /app/y" in run({"kind": "image", "name": tag, "files_present": ["/app/y"]}, ctx).reason
    )
    assert (
        "still contains /app/x" in run({"kind": "image", "name": tag, "files_absent": ["/app/x"]}, ctx).reason
    )
    assert (
        "the command ['/app/run'], not ['x']" in run({"kind": "image", "name": tag, "cmd": ["x"]}, ctx).reason
    )
    assert not run({"kind": "image", "name": "tutor-lab/busybox:1", "non_root": True}, ctx).passed
    assert docker_client.containers.list(all=True, filters={"label": "tutor.check"}) == []  # helpers removed


def test_volume_and_network_checks(
    docker_client: Any, base_images: None, ctx: Any, cleanup: list[Any], uid: str
) -> None:
    vol = docker_client.volumes.create(f"t-vol2-{uid}", labels=LABELS)
    net = docker_client.networks.create(f"t-net-{uid}", labels=LABELS)
    cleanup.extend([vol, net])
    c = docker_client.containers.run(
        "tutor-lab/busybox:1",
        ["sh", "-c", "echo secret-42 > /data/note.txt; sleep 60"],
        name=f"t-vn-{uid}",
        detach=True,
        labels=LABELS,
        volumes={vol.name: {"bind": "/data", "mode": "rw"}},
        network=net.name,
    )
    cleanup.append(c)
    spec = {
        "kind": "volume",
        "name": vol.name,
        "driver": "local",
        "used_by": [c.name],
        "file": {"path": "note.txt", "contains": "secret-42"},
    }
    deadline = time.monotonic() + 30  # once the container has written its note (slow under load)
    while not (ok_vol := run(spec, ctx)).passed and time.monotonic() < deadline:
        time.sleep(0.2)
    assert ok_vol.passed, ok_vol.reason
    assert "no volume named nope" in run({"kind": "volume", "name": f"nope-{uid}"}, ctx).reason.replace(
        f"-{uid}", ""
    )
    assert (
        "has no file missing.txt"
        in run({"kind": "volume", "name": vol.name, "file": {"path": "missing.txt"}}, ctx).reason
    )
    assert (
        "does not contain 'other'"
        in run(
            {"kind": "volume", "name": vol.name, "file": {"path": "note.txt", "contains": "other"}}, ctx
        ).reason
    )
    assert (
        f"used by {c.name}, not by someone"
        in run({"kind": "volume", "name": vol.name, "used_by": ["someone"]}, ctx).reason
    )
    assert run({"kind": "network", "name": net.name, "driver": "bridge", "containers": [c.name]}, ctx).passed
    assert "no network named" in run({"kind": "network", "name": f"nope-{uid}"}, ctx).reason
    assert (
        f"someone is not on the network {net.name}"
        in run({"kind": "network", "name": net.name, "containers": ["someone"]}, ctx).reason
    )
    assert (
        "bridge driver, not overlay"
        in run({"kind": "network", "name": net.name, "driver": "overlay"}, ctx).reason
    )


def test_exec_logs_and_http(web: Any, ctx: Any) -> None:
    assert run(
        {
            "kind": "exec",
            "container": web.name,
            "command": ["cat", "/www/index.html"],
            "output_contains": "Hello",
        },
        ctx,
    ).passed
    bad = run({"kind": "exec", "container": web.name, "command": ["sh", "-c", "echo oops; exit 4"]}, ctx)
    assert not bad.passed and "exited with 4 and printed: oops" in bad.reason
    slow = run({"kind": "exec", "container": web.name, "command": ["sleep", "5"], "timeout": 0.5}, ctx)
    assert "did not finish within 0.5 s" in slow.reason
    assert run({"kind": "http", "port": str(web.port), "contains": "Hello from a container"}, ctx).passed
    missing = run({"kind": "http", "port": str(web.port), "path": "/nope"}, ctx)
    assert "answers 404, not 200" in missing.reason
    assert run({"kind": "logs", "container": web.name, "contains": "url:/nope"}, ctx).passed
    assert (
        "do not say 'never said'"
        in run({"kind": "logs", "container": web.name, "contains": "never said"}, ctx).reason
    )
    closed = run({"kind": "http", "port": "1"}, ctx)
    assert "nothing answers at http://127.0.0.1:1/" in closed.reason


def test_file_check(ctx: Any, tmp_path: Path) -> None:
    assert "no file x.json in your workspace" in run({"kind": "file", "path": "x.json"}, ctx).reason
    (tmp_path / "x.json").write_text('{"family": "web", "cpu": 256')
    assert "is not valid JSON" in run({"kind": "file", "path": "x.json", "format": "json"}, ctx).reason
    (tmp_path / "x.json").write_text(json.dumps({"family": "web", "cpu": "256"}))
    schema = {"type": "object", "required": ["family"], "properties": {"cpu": {"type": "integer"}}}
    r = run({"kind": "file", "path": "x.json", "format": "json", "schema": schema}, ctx)
    assert not r.passed and "at cpu, '256' is not of type 'integer'" in r.reason
    (tmp_path / "x.json").write_text(json.dumps({"family": "web", "cpu": 256}))
    assert run(
        {"kind": "file", "path": "x.json", "format": "json", "schema": schema, "contains": "web"}, ctx
    ).passed
    (tmp_path / "m.yaml").write_text("a: [1, 2\n")
    assert "is not valid YAML" in run({"kind": "file", "path": "m.yaml", "format": "yaml"}, ctx).reason


def test_parse_memory() -> None:
    assert parse_memory("64m") == 64 * 1024**2
    assert parse_memory("1g") == 1024**3
    assert parse_memory("512k") == 512 * 1024
    assert parse_memory("100") == 100
