"""Fault injection on the progress store: read-only, locked, full, damaged. Nothing is lost, nothing
healthy is moved aside, and every failure is one clear line with exit code 5."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.progress.opening import StoreFull, StoreReadOnly
from tutor.progress.store import DB_NAME, open_store

ROOT = Path(__file__).resolve().parents[2]
LESSON = "docker-what-is-a-container"


def _tutor(
    home: Path, *args: str, read_only: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """Run the real command in a child process; with `read_only`, that path is read-only for it.

    As root, file modes do not stop writes, so the path is bind-mounted read-only in a private mount
    namespace (a real EROFS); as another user, its mode is enough.
    """
    command = [sys.executable, "-m", "tutor", *args]
    if read_only is not None and os.geteuid() == 0:
        script = 'mount --bind -o ro "$0" "$0" && exec "$@"'
        command = ["unshare", "-m", "sh", "-c", script, str(read_only), *command]
    elif read_only is not None:
        read_only.chmod(0o555 if read_only.is_dir() else 0o444)
    return subprocess.run(
        command,
        cwd=ROOT,
        env={**os.environ, "TUTOR_HOME": str(home), "HOME": str(home), **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _done_lessons(home: Path) -> set[str]:
    db = sqlite3.connect(home / DB_NAME)
    try:
        return {r[0] for r in db.execute("SELECT lesson_id FROM lessons WHERE status = 'done'")}
    finally:
        db.close()


def test_a_read_only_home_opens_read_only_and_is_never_moved_aside(tutor_home: Path) -> None:
    assert _tutor(tutor_home, "lesson", "done", LESSON).returncode == 0
    read_only = tutor_home
    before = sorted(p.name for p in tutor_home.iterdir())

    listing = _tutor(tutor_home, "lesson", "list", "--json", read_only=read_only)
    assert listing.returncode == 0, listing.stderr
    rows = {r["id"]: r["done"] for r in json.loads(listing.stdout)}
    assert rows[LESSON] is True  # reading works

    write = _tutor(tutor_home, "lesson", "done", "docker-images-and-registries", read_only=read_only)
    assert write.returncode == 5, write.stderr
    assert "Traceback" not in write.stderr and "not being saved" in write.stderr
    assert sorted(p.name for p in tutor_home.iterdir()) == before  # nothing moved aside

    doctor = _tutor(tutor_home, "doctor", "--json", read_only=read_only)
    progress = next(c for c in json.loads(doctor.stdout)["checks"] if c["name"] == "progress")
    assert progress["level"] == "warn" and "read-only" in progress["detail"]


def test_a_read_only_database_file_is_read_but_not_written(tutor_home: Path) -> None:
    assert _tutor(tutor_home, "lesson", "done", LESSON).returncode == 0
    read_only = tutor_home / DB_NAME  # the folder stays writable; the file is not
    stats = _tutor(tutor_home, "stats", "--json", read_only=read_only)
    assert stats.returncode == 0, stats.stderr
    write = _tutor(tutor_home, "lesson", "done", "docker-images-and-registries", read_only=read_only)
    assert write.returncode == 5 and "Traceback" not in write.stderr
    assert _done_lessons(tutor_home) == {LESSON}
    assert not list(tutor_home.glob("*.corrupt-*"))


def test_the_app_layer_keeps_writes_in_memory_when_read_only(tutor_home: Path) -> None:
    store = open_store()
    store.complete_lesson(LESSON)
    store.close()
    from tutor.progress.opening import connect_read_only
    from tutor.progress.store import ProgressStore

    shown = ProgressStore(tutor_home / DB_NAME, db=connect_read_only(tutor_home / DB_NAME), read_only="t")
    assert shown.done_lessons() == {LESSON}
    with pytest.raises(StoreReadOnly):
        shown.complete_lesson("other")
    relaxed = ProgressStore(
        tutor_home / DB_NAME, db=connect_read_only(tutor_home / DB_NAME), read_only="t", strict=False
    )
    relaxed.complete_lesson("other")  # the app goes on; nothing reaches the file
    assert relaxed.done_lessons() == {LESSON, "other"}
    assert _done_lessons(tutor_home) == {LESSON}


HOLD_LOCK = textwrap.dedent(
    """
    import sqlite3, sys
    db = sqlite3.connect(sys.argv[1], isolation_level=None)
    db.execute("BEGIN IMMEDIATE")
    print("locked", flush=True)
    sys.stdin.readline()  # held until the test lets go (not for a fixed time: a slow child's
    db.execute("COMMIT")  # start-up on a loaded machine could outlast it)
    """
)


def _hold_lock(home: Path) -> subprocess.Popen[str]:
    """Another process holding the store's write lock, until `_release`."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(home / DB_NAME)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def _release(holder: subprocess.Popen[str]) -> None:
    if holder.poll() is None:
        holder.communicate("\n", timeout=30)


def test_a_locked_store_is_waited_for_with_a_message(tutor_home: Path) -> None:
    assert main(["lesson", "done", LESSON]) == 0
    holder = _hold_lock(tutor_home)
    try:
        started = time.monotonic()
        child = subprocess.Popen(
            [sys.executable, "-m", "tutor", "lesson", "done", "docker-images-and-registries"],
            cwd=ROOT,
            env={
                **os.environ,
                "TUTOR_HOME": str(tutor_home),
                "HOME": str(tutor_home),
                "TUTOR_STORE_WAIT": "30",
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert child.stderr is not None
        said = ""  # what it says until it meets the lock and says so (or until it ends)
        while "waiting for another process" not in said and (line := child.stderr.readline()):
            said += line
        time.sleep(max(0.0, 2 - (time.monotonic() - started)))  # held 2 s at least
        _release(holder)
        _, rest = child.communicate(timeout=120)
        waited = time.monotonic() - started
    finally:
        _release(holder)
    stderr = said + rest
    assert child.returncode == 0, stderr
    assert "waiting for another process" in said, stderr
    assert waited >= 2
    assert _done_lessons(tutor_home) == {LESSON, "docker-images-and-registries"}
    assert not list(tutor_home.glob("*.corrupt-*"))


def test_a_store_locked_too_long_fails_clearly_and_loses_nothing(tutor_home: Path) -> None:
    assert main(["lesson", "done", LESSON]) == 0
    holder = _hold_lock(tutor_home)
    try:
        out = _tutor(tutor_home, "lesson", "done", "docker-images-and-registries", TUTOR_STORE_WAIT="1")
    finally:
        _release(holder)
    assert out.returncode == 5
    assert "locked by another process" in out.stderr and "Traceback" not in out.stderr
    assert _done_lessons(tutor_home) == {LESSON}
    assert not list(tutor_home.glob("*.corrupt-*"))


FILL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from tutor.progress.opening import StoreFull
    from tutor.progress.store import open_store
    store = open_store(Path(sys.argv[1]))
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # as `tutor` does: the write fails, we live
    limit = int(sys.argv[2])
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    saved = 0
    try:
        for i in range(100000):
            store.complete_lesson(f"lesson-{i:06d}-" + "x" * 200)
            saved = i + 1
    except StoreFull as exc:
        print("FULL", saved, exc.exit_code, exc.message, sep="|")
    """
)


def test_a_full_disk_is_a_clear_error_and_keeps_what_was_saved(tutor_home: Path) -> None:
    store = open_store()
    store.complete_lesson(LESSON)
    store.close()
    size = (tutor_home / DB_NAME).stat().st_size  # a file-size limit applies to the WAL file too
    out = subprocess.run(
        [sys.executable, "-c", FILL_DISK, str(tutor_home), str(size + 300_000)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.stdout.startswith("FULL|"), out.stdout + out.stderr
    _, saved, code, message = out.stdout.strip().split("|", 3)
    assert int(code) == 5 and "no space left" in message
    done = _done_lessons(tutor_home)
    assert LESSON in done and len(done) == int(saved) + 1  # every write before the failure is there
    assert StoreFull.exit_code == 5


def test_a_damaged_store_is_moved_aside_and_every_command_says_where(tutor_home: Path) -> None:
    tutor_home.mkdir(parents=True, exist_ok=True)
    (tutor_home / DB_NAME).write_bytes(b"this is not a database" * 100)
    out = _tutor(tutor_home, "stats", "--json")
    assert out.returncode == 0, out.stderr
    moved = json.loads(out.stdout)["notices"]["store_moved_aside"]
    assert Path(moved["moved_to"]).exists() and Path(moved["moved_to"]).read_bytes().startswith(b"this is")
    assert "moved to" in out.stderr and moved["moved_to"] in out.stderr


def test_the_cli_reports_a_full_disk_in_one_line(tutor_home: Path) -> None:
    assert main(["lesson", "done", LESSON]) == 0
    limited = textwrap.dedent(
        """
        import resource, sys
        from tutor.cli import main
        resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000))  # the write-ahead log cannot grow
        sys.exit(main(["lesson", "done", "docker-images-and-registries"]))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", limited],
        env={**os.environ, "TUTOR_HOME": str(tutor_home)},
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert out.returncode == 5, out.stderr
    assert "no space left" in out.stderr and "Traceback" not in out.stderr
    assert _done_lessons(tutor_home) == {LESSON}
