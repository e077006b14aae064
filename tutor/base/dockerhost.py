"""The local Docker engine: connect with a timeout, and say how to start one when it is missing."""

from __future__ import annotations

import os
import platform
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING

from tutor.base.errors import EngineUnavailable

if TYPE_CHECKING:
    import docker


@dataclass(frozen=True)
class EngineStatus:
    ok: bool
    version: str = ""
    api_version: str = ""
    error: str = ""
    hint: str = ""


def start_hint(error: str = "") -> str:
    if "permission denied" in error.lower():
        return (
            "your user may not use the Docker socket: run `sudo usermod -aG docker $USER` "
            "and log in again (or run Docker rootless)"
        )
    system = platform.system()
    if system in ("Darwin", "Windows"):
        return "start Docker Desktop (or another engine such as Colima) and try again"
    if shutil.which("dockerd") or shutil.which("docker"):
        return "start the engine: `sudo systemctl start docker` (or run `sudo dockerd &`)"
    return (
        "install and start an engine: `sudo apt-get install -y docker.io && sudo systemctl start docker`"
        " (Debian/Ubuntu), or see https://docs.docker.com/engine/install/"
    )


def connect(timeout: float = 5.0) -> docker.DockerClient:
    """A client that has answered a ping; EngineUnavailable (with a fix) otherwise."""
    import docker
    from docker.errors import DockerException

    try:
        client = docker.from_env(timeout=max(1, int(timeout)))
        client.ping()
    except (DockerException, OSError) as exc:
        message = _short(exc)
        raise EngineUnavailable(
            f"the Docker engine does not answer ({message})", hint=start_hint(message)
        ) from None
    return client


def status(timeout: float = 3.0) -> EngineStatus:
    try:
        client = connect(timeout)
        version = client.version()
        client.close()
    except EngineUnavailable as exc:
        return EngineStatus(False, error=exc.message, hint=exc.hint or "")
    except Exception as exc:  # the engine answered the ping but not the version call
        return EngineStatus(False, error=_short(exc), hint=start_hint(str(exc)))
    return EngineStatus(True, version.get("Version", "?"), version.get("ApiVersion", "?"))


def _short(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    host = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    if "FileNotFoundError" in text or "No such file" in text:
        return f"no engine socket at {host}"
    if "Connection refused" in text:
        return f"connection refused at {host}"
    if "Read timed out" in text or "timed out" in text:
        return f"no answer from {host} within the timeout"
    return text.splitlines()[0][:200]
