"""SQLite progress store: WAL, a schema version with migrations, every change committed at once.

Two `tutor` processes may share one store (WAL; a writer waits for the other, with a message).
A damaged file is moved aside with a timestamp, never deleted, and the caller is told; a
read-only one opens read-only (see `opening`).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.paths import data_home
from tutor.progress.migrations import LATEST, MIGRATIONS
from tutor.progress.opening import (
    DB_NAME,
    StoreCorrupt,
    StoreError,
    StoreReadOnly,
    classify,
    connect,
    connect_read_only,
    move_aside,
    retry_locked,
    writable_folder,
)

__all__ = ["DB_NAME", "ProgressStore", "StoreError", "open_store", "upsert"]


def upsert(
    db: sqlite3.Connection,
    table: str,
    row: dict[str, Any],
    key: tuple[str, ...],
    *,
    keep: tuple[str, ...] = (),
    update: dict[str, str] | None = None,
) -> None:
    """Insert `row`, or update the row of `table` with the same `key` columns: the columns of
    `row` outside the key and `keep` take the new values, and `update` sets columns to SQL
    expressions (`excluded.x` is the new row's x). Names are the code's own, never input."""
    sets = {c: f"excluded.{c}" for c in row if c not in key and c not in keep} | (update or {})
    db.execute(
        f"INSERT INTO {table} ({', '.join(row)}) VALUES ({', '.join('?' * len(row))}) "
        f"ON CONFLICT ({', '.join(key)}) DO UPDATE SET " + ", ".join(f"{c} = {e}" for c, e in sets.items()),
        tuple(row.values()),
    )


@dataclass(frozen=True)
class LessonState:
    lesson_id: str
    status: str
    opened_at: float
    completed_at: float | None


class ProgressStore:
    """One connection, safe to share between the UI thread and worker threads."""

    def __init__(
        self,
        path: Path,
        *,
        db: sqlite3.Connection | None = None,
        read_only: str = "",
        strict: bool = True,
        on_wait: Callable[[str], None] | None = None,
        moved_aside: Path | None = None,
        moved_reason: str = "",
    ) -> None:
        self.path = path
        self.read_only = read_only  # why progress is not being saved ("" when it is)
        self.strict = strict  # read-only: refuse writes (CLI) rather than keep them in memory (app)
        self.on_wait = on_wait  # told once when a write waits for another process
        self.moved_aside = moved_aside  # where a damaged store was moved, to tell the learner
        self.moved_reason = moved_reason
        self._lock = threading.RLock()
        self._db = db if db is not None else connect(path)
        self._migrate()

    # -- plumbing -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed unit of work. Writers queue on the file lock (busy timeout)."""
        if self.read_only and self.strict:
            raise StoreReadOnly(
                f"progress is not being saved: {self.read_only}",
                hint="make the progress folder writable, or set TUTOR_HOME to a folder you can write to",
            )
        with self._write() as db:
            yield db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            retry_locked(lambda: self._db.execute("BEGIN IMMEDIATE"), self.path, self.on_wait)
            try:
                yield self._db
                self._db.execute("COMMIT")
            except BaseException as exc:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise classify(exc, self.path) from None
                raise

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.OperationalError as exc:
                raise classify(exc, self.path) from None

    @property
    def saving(self) -> bool:
        return not self.read_only

    def schema_version(self) -> int:
        return int(self.query("PRAGMA user_version")[0][0])

    def _migrate(self) -> None:
        current = self.schema_version()
        if current > LATEST:
            raise StoreError(
                f"the progress store at {self.path} was written by a newer Container Tutor "
                f"(schema {current}, this one knows {LATEST})",
                hint="upgrade container-tutor, or set TUTOR_HOME to use another store",
            )
        if current == LATEST:
            return
        if current == 0:  # a new, empty store: its creation need not wait for the disk (WAL keeps
            self._db.execute("PRAGMA synchronous = NORMAL")  # it whole; at worst it is made again)
        try:
            self._apply_migrations(current)
        finally:
            self._db.execute("PRAGMA synchronous = FULL")  # every answer is on disk when given

    def _apply_migrations(self, current: int) -> None:
        with self._write() as db:  # every step in one transaction: one commit for a new store
            for version in range(current + 1, LATEST + 1):
                # Another process may have migrated while we waited for the lock.
                if int(db.execute("PRAGMA user_version").fetchone()[0]) >= version:
                    continue
                for statement in _statements(MIGRATIONS[version - 1]):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {version}")

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- lessons ---------------------------------------------------------------
    def open_lesson(self, lesson_id: str) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO lessons (lesson_id, status, opened_at) VALUES (?, 'started', ?) "
                "ON CONFLICT (lesson_id) DO NOTHING",
                (lesson_id, time.time()),
            )

    def complete_lesson(self, lesson_id: str, done: bool = True) -> None:
        now = time.time()
        with self.transaction() as db:
            if done:
                row = {"lesson_id": lesson_id, "status": "done", "opened_at": now, "completed_at": now}
                upsert(
                    db,
                    "lessons",
                    row,
                    ("lesson_id",),
                    keep=("opened_at",),
                    update={"completed_at": "COALESCE(completed_at, excluded.completed_at)"},
                )
            else:
                db.execute(
                    "UPDATE lessons SET status = 'started', completed_at = NULL WHERE lesson_id = ?",
                    (lesson_id,),
                )

    def lessons(self) -> dict[str, LessonState]:
        rows = self.query("SELECT lesson_id, status, opened_at, completed_at FROM lessons")
        return {r[0]: LessonState(*r) for r in rows}

    def done_lessons(self) -> set[str]:
        return {r[0] for r in self.query("SELECT lesson_id FROM lessons WHERE status = 'done'")}


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def open_store(
    home: Path | None = None, *, strict: bool = True, on_wait: Callable[[str], None] | None = None
) -> ProgressStore:
    """Open (or create) the store in `home`.

    A damaged file is moved aside (never deleted) and a new store started; a read-only folder
    or file gives a read-only store (`strict`: writes are refused; otherwise they are kept in
    memory only); a locked store is waited for.
    """
    folder = home or data_home()
    path = folder / DB_NAME
    if not writable_folder(folder):
        return _read_only(path, f"the folder {folder} cannot be written to", strict, on_wait)
    if path.exists() and not os.access(path, os.W_OK):
        return _read_only(path, f"the file {path} is read-only", strict, on_wait)
    try:
        return _open(path, strict, on_wait)
    except sqlite3.Error as exc:
        error = classify(exc, path)
    if isinstance(error, StoreReadOnly):
        return _read_only(path, str(error.message), strict, on_wait)
    if not isinstance(error, StoreCorrupt) or not path.exists():
        raise error
    aside = move_aside(path)
    store = _open(path, strict, on_wait)
    store.moved_aside, store.moved_reason = aside, error.message
    return store


def _open(path: Path, strict: bool, on_wait: Callable[[str], None] | None) -> ProgressStore:
    holder: list[sqlite3.Connection] = []
    retry_locked(lambda: holder.append(connect(path)), path, on_wait)
    return ProgressStore(path, db=holder[0], strict=strict, on_wait=on_wait)


def _read_only(path: Path, why: str, strict: bool, on_wait: Callable[[str], None] | None) -> ProgressStore:
    try:
        db = connect_read_only(path)
    except sqlite3.Error as exc:
        raise classify(exc, path) from None
    return ProgressStore(path, db=db, read_only=why, strict=strict, on_wait=on_wait)
