"""SQLite progress store: WAL, a schema version with migrations, every change committed at once.

Two `tutor` processes may share one store (WAL + a busy timeout). A file that cannot be
opened as a database is moved aside with a timestamp, never deleted, and the caller is told.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.errors import TutorError
from tutor.base.paths import data_home
from tutor.progress.migrations import LATEST, MIGRATIONS

DB_NAME = "progress.db"


class StoreError(TutorError):
    pass


@dataclass(frozen=True)
class LessonState:
    lesson_id: str
    status: str
    opened_at: float
    completed_at: float | None


class ProgressStore:
    """One connection, safe to share between the UI thread and worker threads."""

    def __init__(self, path: Path, *, moved_aside: Path | None = None, moved_reason: str = "") -> None:
        self.path = path
        self.moved_aside = moved_aside  # where a corrupt store was moved, to tell the learner
        self.moved_reason = moved_reason
        self._lock = threading.RLock()
        self._db = _connect(path)
        self._migrate()

    # -- plumbing -----------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed unit of work. Writers queue on the file lock (busy timeout)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            else:
                self._db.execute("COMMIT")

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

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
        for version in range(current + 1, LATEST + 1):
            with self.transaction() as db:
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
                db.execute(
                    "INSERT INTO lessons (lesson_id, status, opened_at, completed_at) "
                    "VALUES (?, 'done', ?, ?) ON CONFLICT (lesson_id) DO UPDATE SET "
                    "status = 'done', completed_at = COALESCE(completed_at, excluded.completed_at)",
                    (lesson_id, now, now),
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


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=10.0, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA busy_timeout = 10000")
    mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        db.close()
        raise sqlite3.DatabaseError(f"cannot switch to WAL (journal_mode={mode})")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA foreign_keys = ON")
    check = db.execute("PRAGMA quick_check").fetchone()[0]
    if check != "ok":
        db.close()
        raise sqlite3.DatabaseError(f"integrity check failed: {check}")
    return db


def _move_aside(path: Path) -> Path:
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.corrupt-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.corrupt-{stamp}-{n}")
    path.rename(target)
    for suffix in ("-wal", "-shm"):
        side = path.with_name(path.name + suffix)
        if side.exists():
            side.rename(target.with_name(target.name + suffix))
    return target


def open_store(home: Path | None = None) -> ProgressStore:
    """Open (or create) the store in `home`; a corrupt file is moved aside, never deleted."""
    folder = home or data_home()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the progress folder {folder}: {exc.strerror}",
            hint="set TUTOR_HOME to a folder you can write to",
        ) from None
    path = folder / DB_NAME
    try:
        return ProgressStore(path)
    except sqlite3.DatabaseError as exc:
        if not path.exists():
            raise StoreError(f"cannot open the progress store {path}: {exc}") from None
        aside = _move_aside(path)
        return ProgressStore(path, moved_aside=aside, moved_reason=str(exc))
