"""The store's id: made once, kept in the meta table, and put on everything a lab makes on the
shared Docker engine, so one learner's start, reset and checks never touch another's."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import threading

from tutor.base.paths import data_home
from tutor.progress.store import ProgressStore, open_store

KEY = "store_id"
_cache: dict[str, str] = {}
_lock = threading.Lock()


def store_id(store: ProgressStore) -> str:
    """This store's id, made the first time it is asked for (12 hex digits)."""
    found = _read(store)
    if found:
        return found
    try:
        with store.transaction() as db:
            db.execute(
                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO NOTHING",
                (KEY, secrets.token_hex(6)),
            )
    except sqlite3.Error:  # a read-only store: an id from its place, stable while it stays there
        return hashlib.sha256(str(store.path.resolve()).encode()).hexdigest()[:12]
    return _read(store) or ""


def _read(store: ProgressStore) -> str:
    try:
        rows = store.query("SELECT value FROM meta WHERE key = ?", (KEY,))
    except sqlite3.Error:
        return ""
    return str(rows[0][0]) if rows else ""


def current_store_id() -> str:
    """The id of the store in this process's TUTOR_HOME (opened once, then remembered)."""
    home = str(data_home().expanduser().resolve())
    with _lock:
        if home not in _cache:
            store = open_store()
            try:
                _cache[home] = store_id(store)
            finally:
                store.close()
        return _cache[home]


def remember(store: ProgressStore) -> str:
    """The id of an open store, remembered for its home (so the engine-side code needs no second open)."""
    sid = store_id(store)
    with _lock:
        _cache[str(store.path.parent.expanduser().resolve())] = sid
    return sid
