"""Shared fixtures. Every test gets its own TUTOR_HOME, so nothing touches the learner's data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"


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
