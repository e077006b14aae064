"""The progress store: WAL, migrations, two processes, SIGKILL, a corrupt file moved aside."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.progress.migrations import LATEST, MIGRATIONS
from tutor.progress.store import DB_NAME, StoreError, open_store


def test_new_store_uses_wal_and_latest_schema(tutor_home: Path) -> None:
    store = open_store()
    assert store.path == tutor_home / DB_NAME
    assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    assert store.schema_version() == LATEST
    assert store.moved_aside is None


def test_lesson_progress_survives_reopening(tutor_home: Path) -> None:
    store = open_store()
    store.open_lesson("a")
    store.complete_lesson("b")
    store.close()
    again = open_store()
    states = again.lessons()
    assert states["a"].status == "started"
    assert states["b"].status == "done"
    assert again.done_lessons() == {"b"}
    again.complete_lesson("b", done=False)
    assert again.done_lessons() == set()


def test_migrates_an_old_store_without_losing_data(tutor_home: Path) -> None:
    tutor_home.mkdir(parents=True)
    db = sqlite3.connect(tutor_home / DB_NAME)
    db.executescript(MIGRATIONS[0])
    db.execute("INSERT INTO lessons VALUES ('old', 'done', 1.0, 2.0)")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()
    store = open_store()
    assert store.schema_version() == LATEST
    assert store.done_lessons() == {"old"}
    tables = {r[0] for r in store.query("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"attempts", "answers", "cards", "lab_steps"} <= tables


def test_refuses_a_store_from_a_newer_version(tutor_home: Path) -> None:
    tutor_home.mkdir(parents=True)
    db = sqlite3.connect(tutor_home / DB_NAME)
    db.execute(f"PRAGMA user_version = {LATEST + 5}")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer Container Tutor"):
        open_store()


def test_corrupt_store_is_moved_aside_not_deleted(tutor_home: Path) -> None:
    tutor_home.mkdir(parents=True)
    garbage = b"this is not a database" * 100
    (tutor_home / DB_NAME).write_bytes(garbage)
    store = open_store()
    assert store.moved_aside is not None
    assert store.moved_aside.name.startswith(f"{DB_NAME}.corrupt-")
    assert store.moved_aside.read_bytes() == garbage  # kept, byte for byte
    assert store.moved_reason
    store.complete_lesson("fresh")
    assert store.done_lessons() == {"fresh"}


WRITER = textwrap.dedent(
    """
    import sys
    from tutor.progress import open_store
    store = open_store()
    prefix, count = sys.argv[1], int(sys.argv[2])
    for i in range(count):
        store.complete_lesson(f"{prefix}-{i}")
        print(f"{prefix}-{i}", flush=True)
    """
)


def _writer(prefix: str, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", WRITER, prefix, str(count)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )


def test_two_processes_writing_at_once_lose_nothing(tutor_home: Path) -> None:
    open_store().close()  # create it first, as the app would
    a, b = _writer("a", 150), _writer("b", 150)
    out_a, _ = a.communicate(timeout=120)
    out_b, _ = b.communicate(timeout=120)
    assert a.returncode == 0 and b.returncode == 0
    store = open_store()
    done = store.done_lessons()
    assert len(done) == 300
    assert set(out_a.split()) | set(out_b.split()) == done
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"


def test_sigkill_in_the_middle_of_writes_loses_nothing_confirmed(tutor_home: Path) -> None:
    open_store().close()
    proc = _writer("k", 100_000)
    confirmed: list[str] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(confirmed) < 200 and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        confirmed.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert len(confirmed) >= 200
    store = open_store()
    assert store.moved_aside is None
    assert store.query("PRAGMA integrity_check")[0][0] == "ok"
    done = store.done_lessons()
    missing = [x for x in confirmed if x not in done]
    assert not missing, f"{len(missing)} confirmed writes lost"


def test_lab_completion_is_history_and_a_new_attempt_starts_clean(tutor_home) -> None:
    from tutor.progress.labs import LabRecords

    records = LabRecords(open_store())
    records.start("lab-a", "att1", {})
    records.record_check("lab-a", "s1", False, [{"reason": "old port 8001"}])
    records.record_check("lab-a", "s1", True, [{"reason": "ok"}])
    records.complete("lab-a")
    first = records.completions("lab-a")
    assert [c.attempt_id for c in first] == ["att1"]
    records.forget("lab-a")  # a reset
    assert records.attempt("lab-a") is None and records.completions("lab-a") == first
    records.start("lab-a", "att2", {})
    assert records.last_results("lab-a", "s1") == []  # nothing from the earlier attempt
    records.record_check("lab-a", "s1", True, [{"reason": "new"}])
    records.complete("lab-a")
    assert [c.attempt_id for c in records.completions("lab-a")] == ["att1", "att2"]
    assert records.last_results("lab-a", "s1") == [{"reason": "new"}]


def test_migration_keeps_completions_made_before_it(tutor_home) -> None:
    import sqlite3

    from tutor.progress.labs import LabRecords
    from tutor.progress.migrations import MIGRATIONS

    tutor_home.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(tutor_home / DB_NAME)
    for version, script in enumerate(MIGRATIONS[:3], 1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {version}")
    db.execute(
        "INSERT INTO lab_attempts (lab_id, attempt_id, params, started_at, completed_at) "
        "VALUES ('lab-a', 'old', '{}', 1.0, 2.0)"
    )
    db.commit()
    db.close()
    (done,) = LabRecords(open_store()).completions("lab-a")
    assert (done.attempt_id, done.completed_at) == ("old", 2.0)
