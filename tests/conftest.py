"""Shared fixtures. Every test gets its own TUTOR_HOME, so nothing touches the learner's data,
and the session fails when a background service it started (the AWS emulator, the local
registry, the ECS agent, the ECR gate) is still running at its end."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
SESSION_MARK = "TUTOR_TEST_SESSION"
SERVICES = (
    "tutor.aws.moto_server",
    "tutor.aws.ecs.agent",
    "tutor.aws.registry_guard",
    "tutor.aws.ecr_gate",
    "docker-registry",
)


def pytest_configure(config: pytest.Config) -> None:
    # Every process the suite starts inherits this mark: the session's end finds them by it.
    os.environ.setdefault(SESSION_MARK, secrets.token_hex(8))


def leftover_services(mark: str) -> list[tuple[int, str]]:
    """Background services still running that carry this test session's mark."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmdline = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            if not any(name in cmdline for name in SERVICES):
                continue
            if f"{SESSION_MARK}={mark}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append((int(proc.name), cmdline.strip()))
        except OSError:
            continue
    return found


@pytest.fixture(scope="session", autouse=True)
def no_service_left_behind(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Ports are reserved in a file of this session; no service it started may outlive it."""
    os.environ["TUTOR_PORTS_FILE"] = str(tmp_path_factory.mktemp("ports") / "ports.json")
    yield
    if not Path("/proc").is_dir():
        return
    left = leftover_services(os.environ[SESSION_MARK])
    for pid, _ in left:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"the test session left background services running: {left}"


@pytest.fixture(autouse=True)
def tutor_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    home = tmp_path / "tutor-home"
    monkeypatch.setenv("TUTOR_HOME", str(home))
    monkeypatch.delenv("TUTOR_CONTENT", raising=False)
    yield home
    # Whatever a test started in its home (the AWS emulator, the local registry) stops with it.
    if (home / "aws").is_dir():
        from tutor.aws import ecr_gate, emulator, registry
        from tutor.aws.ecs import agent

        agent.stop()
        ecr_gate.stop()
        emulator.stop()
        registry.stop(_client_or_none())


def _client_or_none() -> object | None:
    try:
        from tutor.base.dockerhost import connect

        return connect(timeout=3)
    except Exception:
        return None


@pytest.fixture
def fixture_course() -> Path:
    return FIXTURES / "course"


@pytest.fixture(scope="session")
def docker_client() -> Iterator[object]:
    """A live engine; in CI a missing engine fails the test instead of skipping it."""
    from tutor.base.dockerhost import connect
    from tutor.base.errors import EngineUnavailable

    try:
        client = connect(timeout=10)
    except EngineUnavailable as exc:
        if IN_CI:
            pytest.fail(f"CI=true but no Docker engine answers: {exc}")
        pytest.skip(f"no Docker engine: {exc}")
    yield client
    client.close()


@pytest.fixture
def trap() -> Iterator[str]:
    """A server on loopback that records every request: where a learner's own AWS settings
    point in the tests (see fakeaws)."""
    import threading
    from http.server import HTTPServer

    from fakeaws import Trap

    Trap.hits = []
    server = HTTPServer(("127.0.0.1", 0), Trap)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
