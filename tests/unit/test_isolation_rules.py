"""Learners apart without an engine: port reservations, one name suffix per attempt, the store's
id, and `tutor validate` on fixed names."""

from __future__ import annotations

import json
import multiprocessing
import socket
import time
from pathlib import Path
from typing import Any

import pytest
from labkit import minimal_lab

from tutor.base import ports
from tutor.content.loading.loader import load_course
from tutor.content.models.lab_isolation import fixed_names
from tutor.content.models.labs import Lab
from tutor.labs.params import make_params


@pytest.fixture
def ports_file(tmp_path: Path, monkeypatch: Any) -> Path:
    path = tmp_path / "ports.json"
    monkeypatch.setenv(ports.PORTS_FILE_ENV, str(path))
    return path


def test_a_reserved_port_is_never_given_again(ports_file: Path) -> None:
    first = ports.reserve_port(20000, 20001, "store-a/lab/1")
    second = ports.reserve_port(20000, 20001, "store-b/lab/1")
    assert {first, second} == {20000, 20001}  # neither is bound, yet they differ
    with pytest.raises(OSError, match="no free port"):
        ports.reserve_port(20000, 20001, "store-c/lab/1")
    with pytest.raises(OSError):
        ports.free_port(20000, 20001)
    assert ports.release_ports("store-a/") == 1
    assert ports.free_port(20000, 20001) == first
    assert set(json.loads(ports_file.read_text())) == {str(second)}


def test_a_bound_port_is_skipped(ports_file: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        taken = s.getsockname()[1]
        assert ports.reserve_port(taken, taken + 1, "a/") == taken + 1


def test_old_and_broken_reservations_are_dropped(ports_file: Path) -> None:
    stale = time.time() - ports.RESERVATION_TTL - 1
    ports_file.write_text(json.dumps({"20000": {"owner": "gone/", "at": stale}, "x": 1, "20001": "junk"}))
    assert ports.reserved_ports() == set()
    ports_file.write_text("not json")
    assert ports.reserve_port(20000, 20000, "a/") == 20000


def _reserve(path: str, queue: Any) -> None:
    import os

    os.environ[ports.PORTS_FILE_ENV] = path
    queue.put([ports.reserve_port(21000, 21049, f"p{os.getpid()}/") for _ in range(5)])


def test_processes_reserving_at_once_never_share_a_port(ports_file: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_reserve, args=(str(ports_file), queue)) for _ in range(6)]
    for p in procs:
        p.start()
    got = [port for _ in procs for port in queue.get(timeout=60)]
    for p in procs:
        p.join(timeout=60)
    assert len(got) == 30 and len(set(got)) == 30


def _lab(**extra: Any) -> Lab:
    params = {
        "web": {"kind": "name", "prefix": "web", "random": True},
        "db": {"kind": "name", "prefix": "db", "random": True},
        "port": {"kind": "port", "min": 22000, "max": 22999},
        "port2": {"kind": "port", "min": 22000, "max": 22999},
    }
    return minimal_lab([{"kind": "container", "name": "{{web}}"}], **{"id": "x", "params": params, **extra})


def test_one_suffix_per_attempt_and_never_a_taken_name(ports_file: Path) -> None:
    taken = {"web-aaaa"}
    tried: list[str] = []

    def is_taken(name: str) -> bool:
        tried.append(name)
        return name in taken or len(tried) < 3  # the first two suffixes are in use

    params = make_params(_lab(), owner="s/x/1", taken=is_taken)
    suffix = params["suffix"]
    assert params["web"] == f"web-{suffix}" and params["db"] == f"db-{suffix}"
    assert len(tried) >= 3 and params["web"] not in tried[:2]
    assert params["port"] != params["port2"]
    assert {int(params["port"]), int(params["port2"])} <= ports.reserved_ports()


def test_store_id_is_made_once_and_kept(tutor_home: Path) -> None:
    from tutor.progress import open_store
    from tutor.progress.identity import current_store_id, store_id

    store = open_store()
    first = store_id(store)
    assert len(first) == 12 and store_id(store) == first
    store.close()
    again = open_store()
    assert store_id(again) == first == current_store_id()
    again.close()


def _fixed(lab: Lab) -> set[tuple[str, str, str]]:
    """(path, what is named, the name) of each fixed name `validate` warns about."""
    found = set()
    for path, message, _ in fixed_names(lab):
        what, rest = message.removeprefix("the ").split(" name ", 1)
        found.add((".".join(map(str, path)), what, rest.split(" ")[0]))
    return found


def test_validate_warns_about_fixed_names() -> None:
    lab = _lab(
        setup=[
            {"action": "run", "name": "api", "image": "x", "network": "appnet", "volumes": {"data": "/d"}}
        ],
        cleanup={"containers": ["{{web}}", "api"], "networks": ["appnet"], "images": ["hello:1.0"]},
    )
    assert {(at, value) for at, _what, value in _fixed(lab)} == {
        ("setup.0.name", "'api'"),
        ("setup.0.network", "'appnet'"),
        ("setup.0.volumes.data", "'data'"),
        ("cleanup.containers.1", "'api'"),
        ("cleanup.networks.0", "'appnet'"),
        ("cleanup.images.0", "'hello:1.0'"),
    }


def test_validate_warns_about_fixed_orchestration_names() -> None:
    """Compose projects, stacks and Swarm objects are engine-wide names too."""
    lab = _lab(
        needs={"compose": True, "swarm": True},
        setup=[
            {"action": "compose", "project": "shop", "file": "compose.yaml"},
            {"action": "stack", "name": "{{web}}", "file": "stack.yaml"},
        ],
        steps=[
            {
                "id": "s",
                "title": "S",
                "instructions": "i",
                "checks": [
                    {"kind": "compose", "project": "{{web}}"},
                    {"kind": "service", "name": "api", "secrets": ["{{db}}_pw", "db_pw"]},
                    {"kind": "config", "name": "site"},
                ],
            }
        ],
        cleanup={"stacks": ["board"], "services": ["{{web}}_api"], "secrets": ["db_pw"]},
    )
    assert {(at, what) for at, what, _value in _fixed(lab)} == {
        ("setup.0.project", "Compose project"),
        ("steps.0.checks.1.name", "service"),
        ("steps.0.checks.1.secrets.1", "secret"),
        ("steps.0.checks.2.name", "config"),
        ("cleanup.stacks.0", "stack"),
        ("cleanup.secrets.0", "secret"),
    }


def test_the_course_has_no_fixed_names() -> None:
    course = load_course()
    warnings = [str(e) for e in course.errors if "same for every learner" in e.message]
    assert warnings == []
    assert all(list(fixed_names(lab)) == [] for lab in course.labs.values())
