"""Waiting in Pilot tests for what happens later than the next message: a timer, a worker, a
chain of call_later/call_after_refresh. One pause (or a fixed sleep) loses that race on a loaded
machine; these poll the real condition with a generous deadline. The caller asserts after."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from textual.command import CommandPalette
from textual.widgets import OptionList
from textual.worker import WorkerState


async def until(pilot: Any, condition: Callable[[], object], seconds: float = 30) -> bool:
    """Pause until `condition()` holds or `seconds` have passed; whether it held."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        await pilot.pause(0.05)
    return True


async def wait_for(pilot: Any, condition: Callable[[], object], seconds: float = 30) -> None:
    """`until`, and fail when `condition()` never held."""
    await until(pilot, condition, seconds)
    assert condition()


def palette_prompts(app: Any) -> list[str]:
    options = app.screen.query_one("CommandList", OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def palette_settled(pilot: Any, app: Any, shown: str, seconds: float = 30) -> list[str]:
    """The command palette's options once one shows `shown` and its search has ended (it
    searches in a worker and adds hits in batches)."""

    def searching() -> bool:
        return any(
            w.group == CommandPalette._GATHER_COMMANDS_GROUP
            and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in app.workers
        )

    await until(pilot, lambda: any(shown in p for p in palette_prompts(app)) and not searching(), seconds)
    return palette_prompts(app)


async def opened(pilot: Any, app: Any, kind: type, seconds: float = 60) -> None:
    """Wait for a screen of `kind` on top, mounted, and settled. An item opened before the course
    has loaded opens once the load worker (a thread) is done: seconds on a loaded machine. (Ending
    the app while a screen still mounts fails too: its Header sets its title after the app is gone.)"""
    await until(pilot, lambda: isinstance(app.screen, kind) and app.screen.is_mounted, seconds)
    await pilot.pause()


def box_focused(screen: Any) -> bool:
    """The question on `screen` is settled for keys: its answer box, if it has one, has the focus
    (given after the next refresh, then on a later message)."""
    from textual.widgets import Input

    view = getattr(screen, "view", None)
    if view is None:
        return False
    boxes = list(view.query(Input))
    return not boxes or screen.app.focused in boxes
