"""Reset removes what the lab made and nothing else; a hung or missing engine is a clear error."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tutor.base.errors import EngineUnavailable
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.labs.engine import LabSession
from tutor.progress import open_store


@pytest.fixture
def course() -> Any:
    return load_course()


def uid_hex() -> str:
    import secrets

    return secrets.token_hex(3)


class FixedSuffix:
    """secrets for tutor.labs.params: every attempt's names get the suffix `suffix`."""

    def __init__(self, suffix: str) -> None:
        self.suffix = suffix

    def token_hex(self, n: int = 2) -> str:
        return self.suffix


def test_decoys_survive_reset(
    docker_client: Any, base_images: None, course: Any, cleanup: list[Any], capsys: Any, monkeypatch: Any
) -> None:
    """The learner's own containers named like lab resources, and their own volume, survive:
    `web` (a lab once used that name), and even the attempt's own name when it is older."""
    from tutor.labs import params

    suffix = f"t{uid_hex()}"
    monkeypatch.setattr(params, "secrets", FixedSuffix(suffix))
    mine = docker_client.containers.run(
        "tutor-lab/busybox:1", ["sleep", "120"], name=f"web-{suffix}", detach=True, labels={"tutor.test": "1"}
    )
    cleanup.append(mine)
    if not docker_client.containers.list(all=True, filters={"name": "^/web$"}):
        old = docker_client.containers.run(
            "tutor-lab/busybox:1", ["sleep", "120"], name="web", detach=True, labels={"tutor.test": "1"}
        )
        cleanup.append(old)
    decoy_vol = docker_client.volumes.create("my-precious-data", labels={"tutor.test": "1"})
    cleanup.append(decoy_vol)
    time.sleep(1.1)  # the decoys are older than the attempt
    session = LabSession(course, open_store(), "docker-first-container", client=docker_client)
    session.start(fresh=True)
    assert session.params()["web"] == f"web-{suffix}"  # no free suffix left: this one, taken
    plan = session.reset_plan()
    assert [r.name for r in plan.sure] == []
    assert [(r.kind, r.name) for r in plan.unsure] == [("container", f"web-{suffix}")]
    assert "older than this lab attempt" in plan.unsure[0].why
    # The CLI lists it and keeps it, even with --yes.
    assert main(["lab", "reset", "docker-first-container", "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"keep container web-{suffix}" in out and "it may be yours" in out
    decoy = mine
    decoy.reload()
    assert decoy.status == "running"
    assert docker_client.volumes.get("my-precious-data")
    # Only asking for it removes it.
    session.reset(include_unsure=False)
    decoy.reload()
    assert decoy.status == "running"


def test_reset_removes_what_the_lab_made(docker_client: Any, base_images: None, course: Any) -> None:
    session = LabSession(course, open_store(), "docker-fix-wrong-port", client=docker_client)
    session.start(fresh=True)
    shop = session.params()["shop"]
    setup = docker_client.containers.get(shop)
    assert setup.labels["tutor.lab"] == "docker-fix-wrong-port"
    assert setup.labels["tutor.attempt"] == session.attempt.attempt_id
    assert setup.labels["tutor.store"] == session.store_id
    session.apply_solution("fix")  # the learner's own container, without our label
    assert "tutor.lab" not in docker_client.containers.get(shop).labels
    plan = session.reset_plan()
    assert [(r.kind, r.name, r.why) for r in plan.sure] == [("container", shop, "made during this lab")]
    session.reset()
    assert not docker_client.containers.list(all=True, filters={"name": f"^/{shop}$"})
    assert session.attempt is None


class HungEngine:
    """A unix socket that accepts connections and never answers: a hung Docker engine."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind(str(path))
        self.sock.listen(16)
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.conns.append(conn)

    def close(self) -> None:
        self.sock.close()
        for c in self.conns:
            c.close()


def test_hung_engine_is_a_clear_error_within_the_timeout(
    tmp_path: Path, monkeypatch: Any, course: Any
) -> None:
    engine = HungEngine(tmp_path / "docker.sock")
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path / 'docker.sock'}")
    try:
        from tutor.base.dockerhost import connect

        t0 = time.monotonic()
        with pytest.raises(EngineUnavailable) as err:
            connect(timeout=2)
        assert time.monotonic() - t0 < 6
        assert "does not answer" in err.value.message and err.value.hint
        session = LabSession(course, open_store(), "docker-first-container", timeout=2)
        t0 = time.monotonic()
        results = session.run_step("run", record=False)
        assert time.monotonic() - t0 < 10
        assert results and not any(r.passed for r in results)
        assert "does not answer" in results[0].reason
    finally:
        engine.close()


def test_missing_engine_says_how_to_start_one(monkeypatch: Any, capsys: Any) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    assert main(["lab", "prepare"]) == 3
    err = capsys.readouterr().err
    assert "does not answer" in err and "fix:" in err


def test_every_lab_passes_lab_test(docker_client: Any, capsys: Any) -> None:
    rc = main(["lab", "test", "--all", "--json"])
    import json

    reports = json.loads(capsys.readouterr().out)
    failed = {r["lab"]: r["log"] for r in reports if not r["ok"]}
    assert rc == 0 and not failed, failed
    assert len(reports) >= 32  # issue 14: at least 32 labs, every one passing on the real engine


def test_setup_never_removes_a_same_named_container(
    docker_client: Any, base_images: None, course: Any, cleanup: list[Any], monkeypatch: Any
) -> None:
    """The lab's setup needs a container named shop-<suffix>; the learner already has one
    (every suffix is taken, as far as this test lets the lab see)."""
    from tutor.labs import params

    suffix = f"t{uid_hex()}"
    monkeypatch.setattr(params, "secrets", FixedSuffix(suffix))
    mine = docker_client.containers.run(
        "tutor-lab/busybox:1",
        ["sleep", "120"],
        name=f"shop-{suffix}",
        detach=True,
        labels={"tutor.test": "1"},
    )
    cleanup.append(mine)
    session = LabSession(course, open_store(), "docker-fix-wrong-port", client=docker_client)
    from tutor.labs.engine import LabError

    with pytest.raises(LabError) as err:
        session.start(fresh=True)
    assert "one of yours already has that name" in err.value.message
    assert f"docker rename shop-{suffix}" in (err.value.hint or "")
    mine.reload()
    assert mine.status == "running" and "tutor.lab" not in mine.labels
    assert session.attempt is None


def test_reset_untags_lab_images_and_keeps_other_names_of_them(
    docker_client: Any, base_images: None, course: Any
) -> None:
    """ecr-push-and-run's image is tutor-lab/web:1 under another name: reset must only untag it."""
    docker_client.images.get("tutor-lab/web:1").tag("my-own-copy-of-web", "1")
    try:
        session = LabSession(course, open_store(), "ecr-push-and-run", client=docker_client)
        session.start(fresh=True)
        for step in ("repository", "push", "run"):
            session.apply_solution(step)
        session.reset()
        assert docker_client.images.get("tutor-lab/web:1")
        assert docker_client.images.get("my-own-copy-of-web:1")
        registry_name = session.declared()["images"][0]
        from docker.errors import ImageNotFound

        with pytest.raises(ImageNotFound):
            docker_client.images.get(registry_name)
    finally:
        docker_client.images.remove("my-own-copy-of-web:1")
