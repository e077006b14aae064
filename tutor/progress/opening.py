"""Opening the progress store: what each SQLite failure means, and what to do about it.

Only a failed integrity check (a file that is not a database, or a damaged one) moves a file
aside. A read-only folder or file opens the store read-only; a store locked by another process
is waited for; anything else is an error that names the file and loses nothing.
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from tutor.base.errors import Exit, TutorError

DB_NAME = "progress.db"
DEFAULT_LOCK_WAIT = 60.0  # seconds a command waits for another process's write to finish
BUSY_TIMEOUT_MS = 2000  # one SQLite wait; between waits the caller is told what is happening


class StoreError(TutorError):
    exit_code = Exit.STORE


class StoreCorrupt(StoreError):
    """The file is not a database, or fails its integrity check."""


class StoreReadOnly(StoreError):
    pass


class StoreLocked(StoreError):
    pass


class StoreFull(StoreError):
    pass


def lock_wait() -> float:
    """How long to wait for a locked store (`TUTOR_STORE_WAIT` seconds, default 60)."""
    try:
        return max(0.0, float(os.environ.get("TUTOR_STORE_WAIT", DEFAULT_LOCK_WAIT)))
    except ValueError:
        return DEFAULT_LOCK_WAIT


def classify(exc: sqlite3.Error, path: Path) -> StoreError:
    """The user-facing error for a SQLite failure on the store at `path`."""
    text = str(exc).lower()
    if "locked" in text or "busy" in text:
        return StoreLocked(
            f"the progress store {path} is locked by another process",
            hint="close the other Container Tutor (or wait for it); nothing was lost",
        )
    if "readonly" in text or "read-only" in text or "attempt to write" in text:
        return StoreReadOnly(
            f"the progress store {path} is read-only, so progress cannot be saved",
            hint="make the file and its folder writable, or set TUTOR_HOME to a folder you can write to",
        )
    name = getattr(exc, "sqlite_errorname", "")
    if "full" in text or name.startswith("SQLITE_IOERR"):
        # a full disk is SQLITE_FULL; a file-size limit or a failing disk is an I/O error on write
        return StoreFull(
            f"no space left to save progress in {path} (disk full, a file-size limit, or a disk error)",
            hint="free some disk space and try again; everything saved before is intact",
        )
    if "not a database" in text or "malformed" in text or "integrity" in text or "encrypted" in text:
        return StoreCorrupt(f"the progress store {path} is damaged ({exc})")
    return StoreError(f"the progress store {path} cannot be used: {exc}", hint="run `tutor doctor`")


def connect(path: Path) -> sqlite3.Connection:
    """A read-write connection in WAL mode that has passed a quick integrity check."""
    db = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False)
    try:
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if str(mode).lower() != "wal":
            raise sqlite3.OperationalError(f"attempt to write: cannot switch to WAL (journal_mode={mode})")
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")
        integrity(db)
    except BaseException:
        db.close()
        raise
    return db


def connect_read_only(path: Path | None) -> sqlite3.Connection:
    """An in-memory copy of the store (empty when there is none): reading works, nothing is saved."""
    memory = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
    memory.row_factory = sqlite3.Row
    if path is not None and path.exists():
        try:
            _copy(f"{path.resolve().as_uri()}?mode=ro", memory)
        except sqlite3.OperationalError:
            # immutable=1 needs no -shm or lock file, which a read-only folder cannot hold
            # (it cannot see a write-ahead log either: SQLite folds it in when a store is closed).
            _copy(f"{path.resolve().as_uri()}?mode=ro&immutable=1", memory)
    return memory


def _copy(uri: str, memory: sqlite3.Connection) -> None:
    source = sqlite3.connect(uri, uri=True)
    try:
        integrity(source)
        source.backup(memory)
    finally:
        source.close()


def integrity(db: sqlite3.Connection) -> None:
    check = db.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        raise sqlite3.DatabaseError(f"integrity check failed: {check}")


def retry_locked(
    action: Callable[[], object], path: Path, on_wait: Callable[[str], None] | None, wait: float | None = None
) -> None:
    """Run `action`, waiting while another process holds the store's write lock."""
    deadline = time.monotonic() + (lock_wait() if wait is None else wait)
    told = False
    while True:
        try:
            action()
            return
        except sqlite3.OperationalError as exc:
            error = classify(exc, path)
            if not isinstance(error, StoreLocked) or time.monotonic() >= deadline:
                raise error from None
            if not told and on_wait is not None:
                on_wait(f"waiting for another process to release the progress store {path}…")
                told = True
            time.sleep(0.2)


def move_aside(path: Path) -> Path:
    """Rename a damaged store (and its -wal/-shm files) with a timestamp; never delete it."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    try:
        path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
    except OSError as exc:
        raise StoreError(
            f"the progress store {path} is damaged and could not be moved aside: {exc.strerror}",
            hint=f"move or delete {path} yourself, or set TUTOR_HOME to another folder",
        ) from None
    return target


def writable_folder(folder: Path) -> bool:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return False
    return os.access(folder, os.W_OK | os.X_OK)
