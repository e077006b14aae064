"""A real local registry for `docker push` (moto's ECR does not accept pushes): the registry:2
image when it is on the machine, else the docker-registry program from the OS. One per
TUTOR_HOME, run by a small guard (tutor.aws.registry_guard) that stops it when idle."""

from __future__ import annotations

import contextlib
import json
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from tutor.aws import background
from tutor.aws.awsenv import sandbox_home
from tutor.base.errors import EnvironmentProblem
from tutor.base.labels import LAB_LABEL, STORE_LABEL

NAME = "registry"
REGISTRY_LABEL_VALUE = "_registry"
IMAGE = "registry:2"
MANIFEST_TYPES = ", ".join(
    [
        "application/vnd.docker.distribution.manifest.v2+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.oci.image.index.v1+json",
    ]
)


class RegistryError(EnvironmentProblem):
    pass


@dataclass(frozen=True)
class RegistryState:
    kind: str  # container | program
    port: int
    pid: int = 0  # the guard that runs it (tutor.aws.registry_guard)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"


def container_name() -> str:
    """The registry container of this learner's store (never another learner's)."""
    from tutor.progress.identity import current_store_id

    return f"tutor-registry-{current_store_id()}"


def _answers(port: int, tries: int = 3) -> bool:
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=5) as r:
                return r.status == 200
        except urllib.error.HTTPError:
            return False
        except OSError:
            if attempt + 1 < tries:
                time.sleep(0.3)
    return False


def status() -> RegistryState | None:
    """The running registry of this TUTOR_HOME (its guard holds the lock), or None."""
    state = background.running_state(
        NAME, lambda s: RegistryState(str(s["kind"]), int(s["port"]), int(s.get("pid", 0)))
    )
    return state if state is not None and _answers(state.port) else None


def start(client: Any) -> RegistryState:
    """Start the registry (or return the one running), with a guard that stops it when idle."""
    return background.start_once(NAME, status, lambda: _spawn(client))


def _spawn(client: Any) -> RegistryState:
    from tutor.base.ports import bindable, free_port

    previous = background.last_port(NAME)
    port = previous if previous and bindable(previous) else free_port(46000, 46999)
    args = _container_args(client, port) or _program_args(port)
    return _spawn_guard(port, args)


def _spawn_guard(port: int, args: list[str]) -> RegistryState:
    log = sandbox_home() / "registry-guard.log"
    proc = background.launch(["tutor.aws.registry_guard", "--port", str(port), *args], log)
    state = background.await_ready(proc, status, 20)
    if state is not None:
        return state
    if proc.poll() is not None:
        raise RegistryError(f"the local registry exited at once:\n{background.log_tail(log)}")
    proc.kill()
    raise RegistryError(f"the local registry did not answer on 127.0.0.1:{port}")


def _container_args(client: Any, port: int) -> list[str] | None:
    """The registry:2 image, when it is here (or can be pulled): a container of this store."""
    from docker.errors import APIError, ImageNotFound, NotFound

    try:
        client.images.get(IMAGE)
    except ImageNotFound:
        try:
            client.images.pull("registry", tag="2")
        except Exception:
            return None
    name = container_name()
    with contextlib.suppress(NotFound):
        client.containers.get(name).remove(force=True)  # ours: the name carries our store id
    from tutor.progress.identity import current_store_id

    try:
        client.containers.run(
            IMAGE,
            name=name,
            detach=True,
            ports={"5000/tcp": ("127.0.0.1", port)},
            labels={LAB_LABEL: REGISTRY_LABEL_VALUE, STORE_LABEL: current_store_id()},
        )
    except APIError:
        return None
    return ["--container", name]


def _program_args(port: int) -> list[str]:
    program = shutil.which("docker-registry") or shutil.which("registry")
    if program is None:
        raise RegistryError(
            "there is no local registry to push to: the registry:2 image is not here and cannot be pulled, "
            "and the docker-registry program is not installed",
            hint="install it (`sudo apt-get install docker-registry`), "
            "or `docker pull registry:2` where a registry answers",
        )
    home = sandbox_home() / "registry"
    (home / "data").mkdir(parents=True, exist_ok=True)
    config = home / "config.yml"
    config.write_text(
        "version: 0.1\nlog:\n  level: info\nstorage:\n  filesystem:\n"
        f"    rootdirectory: {home / 'data'}\n  delete:\n    enabled: true\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    return ["--program", program, "--config", str(config)]


def stop(client: Any | None = None) -> bool:
    """Stop the registry (its guard stops the program or removes the container)."""
    stopped = background.stop(NAME, timeout=15)
    if client is not None:
        from docker.errors import NotFound

        with contextlib.suppress(NotFound):
            client.containers.get(container_name()).remove(force=True)
    return stopped


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
