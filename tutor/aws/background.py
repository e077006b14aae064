"""The background services of one TUTOR_HOME: the AWS emulator, the local registry, the ECS agent.

- At most one of each: a service holds an exclusive lock on `<name>.lock` for as long as it
  runs, and whoever starts one does it under `<name>.start.lock`, so two starts at once make one.
- Alive means that lock is held: no pid that may have been reused, no slow request to a busy
  server. The service writes `<name>.json` (pid, port, started_at) once it holds the lock.
- Each stops by itself after TUTOR_IDLE_MINUTES (default 15; 0 never) without use: any command
  of the app that uses the sandbox, and any request of the learner to the emulator, touch
  `activity`; the ECS agent's own requests do not.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

try:
    import fcntl
except ImportError:  # pragma: no cover - no background services without it
    fcntl = None  # type: ignore[assignment]

from tutor.aws.awsenv import sandbox_home, scrub

IDLE_ENV = "TUTOR_IDLE_MINUTES"
DEFAULT_IDLE_MINUTES = 15.0
NAMES = ("emulator", "registry", "agent")
AGENT_USER_AGENT = "tutor-ecs-agent"  # the emulator does not count the agent's calls as use
T = TypeVar("T")


def idle_limit() -> float:
    """Seconds without use after which a service stops (0: never)."""
    raw = os.environ.get(IDLE_ENV, "")
    try:
        minutes = float(raw) if raw.strip() else DEFAULT_IDLE_MINUTES
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return max(0.0, minutes) * 60


def _path(name: str, suffix: str) -> Path:
    home = sandbox_home()
    home.mkdir(parents=True, exist_ok=True)
    return home / f"{name}{suffix}"


# -- use ----------------------------------------------------------------------------


def touch_activity() -> None:
    """Note that the sandbox is in use now."""
    path = _path("activity", "")
    with contextlib.suppress(OSError):
        path.touch()


class UseNotes:
    """Touch the activity file on use, but not on every request: at most every few seconds
    (a quarter of the idle limit, so a short limit in tests is still honoured)."""

    def __init__(self) -> None:
        self.noted = 0.0

    def __call__(self) -> None:
        every = min(5.0, idle_limit() / 4) if idle_limit() else 5.0
        if time.monotonic() - self.noted >= every:
            self.noted = time.monotonic()
            touch_activity()


def last_activity() -> float:
    try:
        return _path("activity", "").stat().st_mtime
    except OSError:
        return 0.0


def idle_for(started_at: float) -> float:
    return time.time() - max(started_at, last_activity())


def should_stop(started_at: float) -> bool:
    limit = idle_limit()
    return bool(limit) and idle_for(started_at) > limit


# -- alive, at most one ------------------------------------------------------------------


def running(name: str) -> bool:
    """Is the service's lock held (by the service, for as long as it runs)?"""
    if fcntl is None:
        return read_state(name) is not None
    path = _path(name, ".lock")
    if not path.exists():
        return False
    fd = os.open(path, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def hold(name: str, wait: float = 5.0) -> int | None:
    """Called by the service itself: take its lock for the life of the process (the fd stays
    open). None when another one already runs."""
    fd = os.open(_path(name, ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    if fcntl is None:
        return fd
    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:  # a probe holds it for an instant, or another service runs
            if time.monotonic() > deadline:
                os.close(fd)
                return None
            time.sleep(0.05)


@contextlib.contextmanager
def starting(name: str, timeout: float = 60.0) -> Iterator[None]:
    """One start at a time per service and TUTOR_HOME (across processes)."""
    fd = os.open(_path(name, ".start.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        if fcntl is not None:
            deadline = time.monotonic() + timeout
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"another start of the {name} did not finish") from None
                    time.sleep(0.1)
        yield
    finally:
        os.close(fd)


# -- starting -------------------------------------------------------------------------


def start_once(name: str, status: Callable[[], T | None], spawn: Callable[[], T]) -> T:
    """The running service `name`, or the one `spawn` starts. It counts as use of the sandbox;
    of two starts at once (in any processes) one spawns and the other finds it running."""
    touch_activity()
    found = status()
    if found is not None:
        return found
    with starting(name):
        found = status()
        return found if found is not None else spawn()


def launch(argv: list[str], log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Run `python -m *argv` in a session of its own (it outlives this command and stops itself
    when idle), its output added to `log`. Its environment: `env`, by default ours without the
    learner's AWS settings, with TUTOR_HOME made absolute."""
    from tutor.base.paths import data_home

    env = {**(scrub(os.environ) if env is None else env), "TUTOR_HOME": str(data_home().resolve())}
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", *argv],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )


def await_ready(
    proc: subprocess.Popen[bytes], ready: Callable[[], T | None], seconds: float, every: float = 0.2
) -> T | None:
    """What `ready` gives once the service `proc` runs answers; None when it exited or time ran out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        found = ready()
        if found is not None:
            return found
        time.sleep(every)
    return None


def log_tail(log: Path) -> str:
    return log.read_text(errors="replace")[-400:]


# -- state ------------------------------------------------------------------------------


def read_state(name: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(name, ".json").read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def write_state(name: str, **data: Any) -> None:
    path = _path(name, ".json")
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"pid": os.getpid(), "started_at": time.time(), **data}))
    os.replace(tmp, path)


def clear_state(name: str) -> None:
    _path(name, ".json").unlink(missing_ok=True)


def running_state(name: str, parse: Callable[[dict[str, Any]], T]) -> T | None:
    """What the running service `name` wrote of itself, through `parse`; None when it does not
    run or wrote something `parse` cannot read (a KeyError, TypeError or ValueError)."""
    if not running(name):
        return None
    try:
        return parse(read_state(name) or {})
    except (KeyError, TypeError, ValueError):
        return None


def last_port(name: str) -> int | None:
    """The port the service had last time, to keep `AWS_ENDPOINT_URL` in a learner's shell valid."""
    state = read_state(name) or {}
    port = state.get("port")
    return int(port) if isinstance(port, int) else None


# -- stopping and memory ---------------------------------------------------------------


def stop(name: str, timeout: float = 5.0) -> bool:
    """SIGTERM the running service (SIGKILL after `timeout`); True when one was running."""
    state = read_state(name) or {}
    pid = int(state.get("pid") or 0)
    if not running(name) or not pid:
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while running(name) and time.monotonic() < deadline:
        reap(pid)
        time.sleep(0.05)
    if running(name):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while running(name) and time.monotonic() < deadline + 5:
            reap(pid)
            time.sleep(0.05)
    reap(pid)
    clear_state(name)
    return True


def reap(pid: int) -> None:
    """Collect a child that has exited (when this process started it)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)


def rss_bytes(pid: int) -> int | None:
    """Resident memory of a process, from /proc (None where there is no /proc)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    running: bool
    pid: int
    address: str
    rss: int | None
    started_at: float
    idle_stop_in: float | None  # seconds left before it stops by itself (None: never)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "running": self.running,
            "pid": self.pid or None,
            "address": self.address or None,
            "rss_mb": round(self.rss / 2**20, 1) if self.rss is not None else None,
            "started_at": self.started_at or None,
            "idle_stop_in_s": round(self.idle_stop_in) if self.idle_stop_in is not None else None,
        }


def info(name: str) -> ServiceInfo:
    state = read_state(name) or {}
    alive = running(name)
    pid = int(state.get("pid") or 0) if alive else 0
    pids = [pid, *[int(p) for p in state.get("children", [])]] if alive else []
    sizes = [s for s in (rss_bytes(p) for p in pids if p) if s is not None]
    started = float(state.get("started_at") or 0)
    limit = idle_limit()
    left = max(0.0, limit - idle_for(started)) if alive and limit else None
    return ServiceInfo(
        name,
        alive,
        pid,
        str(state.get("address") or "") if alive else "",
        sum(sizes) if sizes else None,
        started if alive else 0.0,
        left,
    )
