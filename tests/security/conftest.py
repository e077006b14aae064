"""Fixtures of the security suite: a fresh pack per test, and a stand-in for the host's files."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from security.packs import Pack


@pytest.fixture
def pack(tmp_path: Path) -> Pack:
    return Pack(tmp_path / "pack")


@pytest.fixture
def host(tmp_path: Path) -> Iterator[Path]:
    """A folder standing for the rest of the machine: secrets a pack must never reach."""
    folder = tmp_path / "host"
    folder.mkdir()
    (folder / "shadow").write_text("root:$6$SECRET-HASH:19000:0:99999:7:::\n")
    (folder / "config.yaml").write_text("host_secret_key: 1\nanother_secret_key: 2\n")
    (folder / "etc").mkdir()
    (folder / "etc" / "passwd").write_text("root:x:0:0:SECRET-PASSWD:/root:/bin/sh\n")
    yield folder
