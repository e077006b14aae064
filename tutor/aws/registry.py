"""A real local registry for `docker push` (moto's ECR does not accept pushes): the registry:2
image when it is on the machine, else the docker-registry program from the OS."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from tutor.aws.emulator import aws_home
from tutor.base.errors import TutorError
from tutor.base.labels import LAB_LABEL

CONTAINER = "tutor-registry"
REGISTRY_LABEL_VALUE = "_registry"
MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)


class RegistryError(TutorError):
    pass


@dataclass(frozen=True)
class RegistryState:
    kind: str  # container | program
    port: int
    pid: int = 0

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def _state_file() -> Any:
    return aws_home() / "registry.json"


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def status() -> RegistryState | None:
    try:
        raw = json.loads(_state_file().read_text())
        state = RegistryState(raw["kind"], int(raw["port"]), int(raw.get("pid", 0)))
    except (OSError, ValueError, KeyError):
        return None
    return state if _answers(state.port) else None


def start(client: Any) -> RegistryState:
    running = status()
    if running is not None:
        return running
    from tutor.base.ports import free_port

    port = free_port(46000, 46999)
    aws_home().mkdir(parents=True, exist_ok=True)
    state = _start_container(client, port) or _start_program(port)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not _answers(port):
        time.sleep(0.2)
    if not _answers(port):
        raise RegistryError(f"the local registry did not answer on 127.0.0.1:{port}")
    _state_file().write_text(json.dumps(state.__dict__))
    return state


def _start_container(client: Any, port: int) -> RegistryState | None:
    from docker.errors import APIError, ImageNotFound, NotFound

    try:
        client.images.get("registry:2")
    except ImageNotFound:
        try:
            client.images.pull("registry", tag="2")
        except Exception:
            return None
    with contextlib.suppress(NotFound):
        client.containers.get(CONTAINER).remove(force=True)
    try:
        client.containers.run(
            "registry:2",
            name=CONTAINER,
            detach=True,
            ports={"5000/tcp": ("127.0.0.1", port)},
            labels={LAB_LABEL: REGISTRY_LABEL_VALUE},
        )
    except APIError:
        return None
    return RegistryState("container", port)


def _start_program(port: int) -> RegistryState:
    program = shutil.which("docker-registry") or shutil.which("registry")
    if program is None:
        raise RegistryError(
            "there is no local registry to push to: the registry:2 image is not here and cannot be pulled, "
            "and the docker-registry program is not installed",
            hint="install it (`sudo apt-get install docker-registry`), "
            "or `docker pull registry:2` where a registry answers",
        )
    home = aws_home() / "registry"
    (home / "data").mkdir(parents=True, exist_ok=True)
    config = home / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: warn\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {home / 'data'}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log = (home / "registry.log").open("ab")
    try:
        proc = subprocess.Popen(
            [program, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    finally:
        log.close()
    return RegistryState("program", port, proc.pid)


def stop(client: Any | None = None) -> bool:
    try:
        raw = json.loads(_state_file().read_text())
    except (OSError, ValueError):
        return False
    if raw.get("kind") == "container" and client is not None:
        from docker.errors import NotFound

        with contextlib.suppress(NotFound):
            client.containers.get(CONTAINER).remove(force=True)
    elif raw.get("pid"):
        with contextlib.suppress(ProcessLookupError):
            os.kill(int(raw["pid"]), signal.SIGTERM)
    _state_file().unlink(missing_ok=True)
    return True


def tags(address: str, repository: str) -> list[str] | None:
    """The repository's tags, or None when the registry has no such repository."""
    try:
        with urllib.request.urlopen(f"http://{address}/v2/{repository}/tags/list", timeout=5) as r:
            return list(json.loads(r.read()).get("tags") or [])
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            return None
        raise


def digest(address: str, repository: str, tag: str) -> str | None:
    req = urllib.request.Request(
        f"http://{address}/v2/{repository}/manifests/{tag}", method="HEAD", headers={"Accept": MANIFEST_TYPES}
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as r:
            return r.headers.get("Docker-Content-Digest")
    except urllib.error.HTTPError:
        return None


def delete(address: str, repository: str, tag: str) -> bool:
    """Delete a pushed tag's manifest (the registry runs with deletes enabled)."""
    found = digest(address, repository, tag)
    if not found:
        return False
    req = urllib.request.Request(f"http://{address}/v2/{repository}/manifests/{found}", method="DELETE")
    try:
        with urllib.request.urlopen(req, timeout=5):
            return True
    except urllib.error.HTTPError:
        return False
