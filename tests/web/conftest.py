"""`tutor serve` as a learner starts it: a real process on a free loopback port, its own home.

Every server runs in a process group of its own; whatever is left in the group when a test
is done (the server, the app subprocesses of its browser sessions) is killed.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

URL = re.compile(r"http://127\.0\.0\.1:(\d+)/([A-Za-z0-9_-]+)/")


@dataclass
class Served:
    url: str  # with the token: http://127.0.0.1:PORT/TOKEN/
    origin: str  # http://127.0.0.1:PORT
    token: str
    proc: subprocess.Popen[bytes]
    log: Path
    home: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def processes(self) -> list[str]:
        """What still runs in the server's process group: itself and its sessions' apps."""
        return group_members(self.proc.pid)

    def terminate(self, timeout: float = 30) -> list[str]:
        """SIGTERM the server as Ctrl+C would; what is still running `timeout` seconds later."""
        self.proc.send_signal(signal.SIGTERM)
        return wait_for_empty_group(self.proc.pid, timeout)


def group_members(pgid: int) -> list[str]:
    """Live (not zombie) processes in a process group, as 'pid cmdline'."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            found.append(f"{entry.name} {cmdline.strip()}")
    return found


def wait_for_empty_group(pgid: int, timeout: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout
    while (left := group_members(pgid)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def start_server(home: Path, log: Path, *extra: str) -> Served:
    env = {**os.environ, "TUTOR_HOME": str(home)}
    env.pop("TUTOR_CONTENT", None)
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tutor", "serve", "--port", "0", *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if match := URL.search(log.read_text(errors="replace")):
            origin = f"http://127.0.0.1:{match.group(1)}"
            return Served(match.group(0), origin, match.group(2), proc, log, home)
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    stop_server_group(proc)
    pytest.fail(f"`tutor serve` printed no URL; its output:\n{log.read_text(errors='replace')}")


def stop_server_group(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server, then SIGKILL anything still in its group."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=20)
    wait_for_empty_group(proc.pid, timeout=10)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.wait(timeout=10)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server for the module's tests (sessions still start one app each)."""
    root = tmp_path_factory.mktemp("serve")
    server = start_server(root / "home", root / "serve.log")
    try:
        yield server
    finally:
        stop_server_group(server.proc)


@pytest.fixture
def start_serve(tmp_path: Path) -> Iterator[Callable[..., Served]]:
    """Start a server of the test's own (extra arguments for `tutor serve`); all stop at the end."""
    started: list[Served] = []

    def start(*extra: str) -> Served:
        server = start_server(tmp_path / "serve-home", tmp_path / f"serve-{len(started)}.log", *extra)
        started.append(server)
        return server

    yield start
    for server in started:
        stop_server_group(server.proc)
