"""Docker tests run against a real engine. Every resource they make carries tutor.test=1."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tutor.content.roots import builtin_root

TEST_LABEL = "tutor.test"

pytestmark = pytest.mark.docker


@pytest.fixture(scope="session")
def base_images(docker_client: Any) -> None:
    from tutor.labs.images import prepare

    prepare(docker_client, ["tutor-lab/busybox:1", "tutor-lab/web:1"], [builtin_root()])


@pytest.fixture
def uid() -> str:
    return secrets.token_hex(3)


@pytest.fixture
def cleanup(docker_client: Any) -> Iterator[list[Any]]:
    """Append docker objects to remove after the test."""
    made: list[Any] = []
    yield made
    for obj in reversed(made):
        try:
            if hasattr(obj, "remove"):
                try:
                    obj.remove(force=True)
                except TypeError:
                    obj.remove()
        except Exception:
            pass


@pytest.fixture
def ctx(docker_client: Any, tmp_path: Path) -> Any:
    from tutor.labs.checks.base import CheckContext

    return CheckContext(client=docker_client, params={}, workspace=tmp_path, lab_folder=tmp_path, attempt="t")
