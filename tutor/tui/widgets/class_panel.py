"""The home screen's class panel: the class pack's assignments and where the learner stands.

A few lines at most (it fits 80x24 above the topics): what is overdue first, then what is open
by due date, then what is finished; the rest is counted, with `tutor class status` for all.
The rows come from `class_table`, imported only when a class pack is loaded.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.widgets import Static

if TYPE_CHECKING:
    from tutor.content.class_outline import ClassOutline
    from tutor.progress.store import ProgressStore


class ClassPanel(Static):
    """Shown only when a class pack is loaded."""

    clock: Callable[[], float] = staticmethod(time.time)

    def show(self, klass: ClassOutline | None, store: ProgressStore) -> None:
        self.display = klass is not None and bool(klass.assignments)
        if klass is None or not klass.assignments:
            return
        from tutor.tui.widgets.class_table import render

        self.border_title, self.border_subtitle, self.tooltip, grid = render(klass, store, self.clock())
        self.update(grid)
