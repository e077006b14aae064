"""moto's server on 127.0.0.1, started on demand and kept while labs need it.

Labs and the learner's shell reach it through AWS_ENDPOINT_URL with dummy credentials;
the learner's own AWS settings (profiles, keys) are never read by the labs.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.errors import TutorError
from tutor.base.paths import data_home

REGION = "us-east-1"
ACCOUNT = "123456789012"
DUMMY_KEY = "testing"
START_TIMEOUT = 30.0


class EmulatorError(TutorError):
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
    return data_home() / "aws"


def _state_file() -> Path:
    return aws_home() / "emulator.json"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _answers(port: int, timeout: float = 1.0) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/moto-api/data.json", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def status() -> EmulatorState | None:
    """The running emulator, or None (a stale state file is cleared)."""
    try:
        raw = json.loads(_state_file().read_text())
        state = EmulatorState(int(raw["pid"]), int(raw["port"]), float(raw["started_at"]))
    except (OSError, ValueError, KeyError):
        return None
    if _alive(state.pid) and _answers(state.port):
        return state
    return None


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def start() -> EmulatorState:
    """Start moto's server (or return the one running). TUTOR_AWS_PORT fixes the port."""
    running = status()
    if running is not None:
        return running
    wanted = os.environ.get("TUTOR_AWS_PORT")
    if wanted:
        port = int(wanted)
        if not _port_free(port):
            raise EmulatorError(
                f"port {port} (TUTOR_AWS_PORT) is already taken on 127.0.0.1, "
                "so the AWS emulator cannot start",
                hint=f"stop what listens there (`ss -ltnp | grep :{port}`) "
                "or unset TUTOR_AWS_PORT to pick a free port",
            )
    else:
        from tutor.base.ports import free_port

        port = free_port(45000, 45999)
    aws_home().mkdir(parents=True, exist_ok=True)
    log = (aws_home() / "emulator.log").open("ab")
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor.aws.moto_server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # it outlives this command; `tutor aws stop` ends it
            env={**sandbox_env(f"http://127.0.0.1:{port}"), "PATH": os.environ.get("PATH", "")},
        )
    finally:
        log.close()
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = (aws_home() / "emulator.log").read_text(errors="replace")[-400:]
            raise EmulatorError(
                f"the AWS emulator (moto) exited at once:\n{tail}", hint="is moto[server] installed?"
            )
        if _answers(port):
            state = EmulatorState(proc.pid, port, time.time())
            _state_file().write_text(json.dumps(state.__dict__))
            return state
        time.sleep(0.2)
    proc.kill()
    raise EmulatorError(f"the AWS emulator did not answer on port {port} within {START_TIMEOUT:g} s")


def stop() -> bool:
    """Stop the emulator cleanly; True when one was running."""
    try:
        raw = json.loads(_state_file().read_text())
        pid = int(raw["pid"])
    except (OSError, ValueError, KeyError):
        return False
    stopped = False
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
            _reap(pid)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        stopped = True
    _state_file().unlink(missing_ok=True)
    return stopped


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)


def sandbox_env(endpoint: str) -> dict[str, str]:
    """Environment for anything that must reach the emulator and nothing else."""
    home = aws_home()
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(home / "config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(home / "credentials"),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    }


def shell_lines(endpoint: str) -> str:
    lines = [f"export {k}={_quote(v)}" for k, v in sandbox_env(endpoint).items()]
    here = Path(sys.executable).parent
    import shutil

    if (here / "aws").exists() and shutil.which("aws") != str(here / "aws"):
        lines.append(f'export PATH={_quote(str(here))}:"$PATH"  # the aws CLI installed with Container Tutor')
    lines += ["unset AWS_PROFILE AWS_SESSION_TOKEN AWS_SECURITY_TOKEN"]
    lines += ["# Container Tutor: the aws CLI now talks to the local emulator only."]
    return "\n".join(lines)


def _quote(value: str) -> str:
    return "''" if value == "" else value if all(c.isalnum() or c in "/:._-" for c in value) else f"'{value}'"


def client(service: str, endpoint: str | None = None) -> Any:
    """A boto3 client bound to the emulator with dummy credentials (never the learner's)."""
    import boto3
    from botocore.config import Config

    state = status() if endpoint is None else None
    if endpoint is None:
        if state is None:
            raise EmulatorError("the AWS emulator is not running", hint="start it with `tutor aws start`")
        endpoint = state.endpoint
    session = boto3.session.Session(
        aws_access_key_id=DUMMY_KEY, aws_secret_access_key=DUMMY_KEY, region_name=REGION, profile_name=None
    )
    return session.client(
        service,
        endpoint_url=endpoint,
        config=Config(connect_timeout=3, read_timeout=10, retries={"max_attempts": 1}),
    )
