"""moto's server on 127.0.0.1, started on demand, one per TUTOR_HOME, stopping by itself when idle.

Labs and the learner's shell reach it through AWS_ENDPOINT_URL with dummy credentials;
the learner's own AWS settings (profiles, keys, endpoints) are never read by the labs
(see awsenv). Whether it runs is asked of its lock and a health path of our own, never of
moto's state dump, which takes seconds once a lab has made an EKS node group.
"""

from __future__ import annotations

import json
import os
import socket
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.aws import background
from tutor.aws.awsenv import ACCOUNT, DUMMY_KEY, REGION, environment, sandbox_home
from tutor.aws.awsenv import shell_lines as _shell_lines
from tutor.base.errors import EnvironmentProblem
from tutor.base.paths import data_home

__all__ = ["ACCOUNT", "DUMMY_KEY", "REGION", "EmulatorError", "EmulatorState", "client", "start"]

NAME = "emulator"
START_TIMEOUT = 30.0
HEALTH_PATH = "/_tutor/health"  # answered by tutor.aws.moto_server before moto sees the request


class EmulatorError(EnvironmentProblem):
    pass


@dataclass(frozen=True)
class EmulatorState:
    pid: int
    port: int
    started_at: float

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def aws_home() -> Path:
    return sandbox_home()


def _answers(port: int, *, tries: int = 3, timeout: float = 5.0) -> bool:
    """Our health path answers, or (a server busy with a big request) the port takes connections."""
    for attempt in range(tries):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=timeout) as r:
                body = json.loads(r.read(4096) or b"{}")
                return r.status == 200 and body.get("home") == str(data_home().resolve())
        except (urllib.error.HTTPError, ValueError):
            return False  # something else listens there
        except OSError:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=timeout):
                    return True  # accepted: alive, only slow to answer
            except OSError:
                pass
        if attempt + 1 < tries:
            time.sleep(0.3)
    return False


def status() -> EmulatorState | None:
    """The running emulator of this TUTOR_HOME, or None. Cheap: a lock probe and a health call."""
    found = background.running_state(
        NAME, lambda s: EmulatorState(int(s["pid"]), int(s["port"]), float(s["started_at"]))
    )
    return found if found is not None and _answers(found.port) else None


def _pick_port() -> int:
    from tutor.base.ports import bindable, free_port

    wanted = os.environ.get("TUTOR_AWS_PORT")
    if wanted:
        port = int(wanted)
        if not bindable(port):
            raise EmulatorError(
                f"port {port} (TUTOR_AWS_PORT) is already taken on 127.0.0.1, "
                "so the AWS emulator cannot start",
                hint=f"stop what listens there (`ss -ltnp | grep :{port}`) "
                "or unset TUTOR_AWS_PORT to pick a free port",
            )
        return port
    previous = background.last_port(NAME)  # keeps AWS_ENDPOINT_URL in the learner's shell valid
    if previous and bindable(previous):
        return previous
    return free_port(45000, 45999)


def start() -> EmulatorState:
    """Start moto's server (or return the one running). TUTOR_AWS_PORT fixes the port."""
    try:
        return background.start_once(NAME, status, lambda: _spawn(_pick_port()))
    except TimeoutError as exc:
        raise EmulatorError(str(exc), hint="try again, or `tutor aws stop` and start it afresh") from None


def _spawn(port: int) -> EmulatorState:
    log = aws_home() / "emulator.log"
    argv = ["tutor.aws.moto_server", "-H", "127.0.0.1", "-p", str(port)]
    proc = background.launch(argv, log, environment(f"http://127.0.0.1:{port}"))

    def started() -> EmulatorState | None:
        state = status()
        return state if state is not None and state.pid == proc.pid else None

    state = background.await_ready(proc, started, START_TIMEOUT)
    if state is not None:
        return state
    if proc.poll() is not None:
        raise EmulatorError(
            f"the AWS emulator (moto) exited at once:\n{background.log_tail(log)}",
            hint="is moto[server] installed?",
        )
    proc.kill()
    raise EmulatorError(f"the AWS emulator did not answer on port {port} within {START_TIMEOUT:g} s")


def ensure() -> EmulatorState:
    """The running emulator, started when it is not (EmulatorError when it cannot be)."""
    return start()


def stop() -> bool:
    """Stop the emulator cleanly; True when one was running."""
    return background.stop(NAME)


def sandbox_env(endpoint: str) -> dict[str, str]:
    from tutor.aws.awsenv import sandbox_env as env

    return env(endpoint)


def shell_lines(endpoint: str) -> str:
    return _shell_lines(endpoint)


def client(service: str, endpoint: str | None = None, *, agent: bool = False) -> Any:
    """A boto3 client bound to the emulator with dummy credentials (never the learner's)."""
    from tutor.aws.awsenv import boto_client

    if endpoint is None:
        state = status()
        if state is None:
            raise EmulatorError("the AWS emulator is not running", hint="start it with `tutor aws start`")
        endpoint = state.endpoint
    return boto_client(service, endpoint, user_agent=background.AGENT_USER_AGENT if agent else "")
