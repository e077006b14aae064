"""Free loopback ports for labs and local services, and reservations that keep two learners on
one machine from getting the same port before either of them has bound it.

Reservations live in one machine-wide JSON file (TUTOR_PORTS_FILE overrides where), read and
written under an exclusive lock; each names its owner (store/lab/attempt) and expires after a
week, so an abandoned attempt cannot hold a port for ever.
"""

from __future__ import annotations

import json
import os
import random
import socket
import tempfile
import time
from collections.abc import Collection, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: reservations without a lock
    fcntl = None  # type: ignore[assignment]

PORTS_FILE_ENV = "TUTOR_PORTS_FILE"
RESERVATION_TTL = 7 * 86400.0


def bindable(port: int) -> bool:
    """Nothing listens on 127.0.0.1:port right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def reservations_file() -> Path:
    env = os.environ.get(PORTS_FILE_ENV)
    if env:
        return Path(env).expanduser()
    return Path(tempfile.gettempdir()) / "container-tutor" / "ports.json"


def _open(path: Path) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(OSError):  # shared by every user of the machine: sticky and writable, like /tmp
        os.chmod(path.parent, 0o1777)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    with suppress(OSError):
        os.fchmod(fd, 0o666)
    return fd


@contextmanager
def _table() -> Iterator[dict[str, dict[str, object]]]:
    """The reservations {port: {owner, at}}, locked; changes are written back on exit."""
    path = reservations_file()
    try:
        fd = _open(path)
    except OSError:  # another user's folder we may not write: keep our own beside it
        fd = _open(path.with_name(f"{path.parent.name}-{os.getuid()}") / path.name)
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX)
        raw = b""
        while chunk := os.read(fd, 65536):
            raw += chunk
        try:
            data = json.loads(raw or b"{}")
        except ValueError:
            data = {}
        now = time.time()
        table = {
            str(port): entry
            for port, entry in (data.items() if isinstance(data, dict) else [])
            if isinstance(entry, dict)
            and str(port).isdigit()
            and now - float(entry.get("at", 0) or 0) < RESERVATION_TTL
        }
        before = json.dumps(table, sort_keys=True)
        yield table
        after = json.dumps(table, sort_keys=True)
        if after != before or len(table) != len(data if isinstance(data, dict) else {}):
            os.lseek(fd, 0, os.SEEK_SET)
            os.ftruncate(fd, 0)
            os.write(fd, after.encode())
    finally:
        os.close(fd)  # releases the lock


def reserved_ports(exclude_owner: str = "") -> set[int]:
    with _table() as table:
        return {int(p) for p, e in table.items() if not exclude_owner or e.get("owner") != exclude_owner}


def _candidates(low: int, high: int, rng: random.Random | None) -> list[int]:
    candidates = list(range(low, high + 1))
    (rng or random.Random()).shuffle(candidates)
    return candidates


def free_port(low: int, high: int, rng: random.Random | None = None, *, avoid: Collection[int] = ()) -> int:
    """A port in [low, high] that nothing listens on at 127.0.0.1 and no learner has reserved."""
    taken = reserved_ports() | set(avoid)
    for port in [p for p in _candidates(low, high, rng) if p not in taken][:200]:
        if bindable(port):
            return port
    raise OSError(f"no free port between {low} and {high}")


def reserve_port(
    low: int, high: int, owner: str, *, avoid: Collection[int] = (), rng: random.Random | None = None
) -> int:
    """A free port in [low, high] that no one has reserved, now reserved for `owner` until
    `release_ports` (or a week)."""
    with _table() as table:
        taken = {int(p) for p in table} | set(avoid)
        for port in [p for p in _candidates(low, high, rng) if p not in taken][:200]:
            if bindable(port):
                table[str(port)] = {"owner": owner, "at": time.time()}
                return port
    raise OSError(f"no free port between {low} and {high}")


def release_ports(owner_prefix: str) -> int:
    """Drop the reservations whose owner starts with `owner_prefix`; how many went."""
    if not owner_prefix:
        return 0
    with _table() as table:
        mine = [p for p, e in table.items() if str(e.get("owner", "")).startswith(owner_prefix)]
        for p in mine:
            del table[p]
    return len(mine)
