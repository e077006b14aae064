"""AWS sandbox tests: the real moto server and the real aws CLI, never real AWS."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture
def emulator(tutor_home: object) -> Iterator[object]:
    from tutor.aws import emulator as emu

    state = emu.start()
    yield state
    emu.stop()
