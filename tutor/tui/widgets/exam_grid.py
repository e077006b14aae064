"""Every question of an exam as a numbered cell with its state, as on an exam delivery's review
page: answered, unanswered, incomplete, flagged. Arrows move, Enter (or a click) opens one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

State = Literal["answered", "unanswered", "incomplete"]
Filter = Literal["all", "flagged", "unanswered", "incomplete"]

MARK: dict[State, tuple[str, str]] = {
    "answered": ("●", "green"),
    "unanswered": ("○", "bold red"),
    "incomplete": ("◐", "bold yellow"),
}
FLAG = ("⚑", "bold magenta")
CELL = 7  # " 12 ●⚑" and a space


@dataclass(frozen=True)
class Cell:
    index: int  # 0-based position in the exam
    state: State
    flagged: bool

    def shown_by(self, which: Filter) -> bool:
        if which == "all":
            return True
        if which == "flagged":
            return self.flagged
        return self.state == which


def legend() -> Text:
    parts: list[tuple[str, str] | str] = []
    for state, (mark, style) in MARK.items():
        parts += [(mark, style), f" {state}   "]
    parts += [FLAG, " flagged"]
    return Text.assemble(*parts)


class ExamGrid(Static, can_focus=True):
    """The cells that pass the filter, in rows that fit the width."""

    DEFAULT_CSS = """
    ExamGrid { height: auto; padding: 0 1; }
    """
    BINDINGS: ClassVar = [
        Binding("left", "move(-1, 0)", "Left", show=False, id="grid.left"),
        Binding("right", "move(1, 0)", "Right", show=False, id="grid.right"),
        Binding("up", "move(0, -1)", "Up", show=False, id="grid.up"),
        Binding("down", "move(0, 1)", "Down", show=False, id="grid.down"),
        Binding("home", "edge(0)", "First", show=False, id="grid.first"),
        Binding("end", "edge(1)", "Last", show=False, id="grid.last"),
        Binding("enter", "open", "Open", id="grid.open", tooltip="Go to the highlighted question"),
    ]

    class Opened(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Moved(Message):
        def __init__(self, index: int | None) -> None:
            super().__init__()
            self.index = index

    def __init__(self, cells: list[Cell], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.cells = cells
        self.filter: Filter = "all"
        self.cursor = 0  # position among the visible cells

    @property
    def visible(self) -> list[Cell]:
        return [c for c in self.cells if c.shown_by(self.filter)]

    @property
    def current(self) -> Cell | None:
        shown = self.visible
        return shown[self.cursor] if 0 <= self.cursor < len(shown) else None

    def columns(self) -> int:
        width = (self.size.width or 80) - 2
        return max(1, width // CELL)

    def set_filter(self, which: Filter) -> None:
        keep = self.current.index if self.current else None
        self.filter = which
        shown = self.visible
        self.cursor = next((i for i, c in enumerate(shown) if c.index == keep), 0)
        self.redraw()

    def show_index(self, index: int) -> None:
        self.cursor = next((i for i, c in enumerate(self.visible) if c.index == index), self.cursor)
        self.redraw()

    def on_mount(self) -> None:
        self.redraw()

    on_resize = on_mount  # a new size: the same full redraw

    def redraw(self) -> None:
        shown = self.visible
        if not shown:
            self.update(Text(f"No {self.filter} questions.", style="dim italic"))
            self.post_message(self.Moved(None))
            return
        self.cursor = min(self.cursor, len(shown) - 1)
        cols = self.columns()
        text = Text()
        for i, cell in enumerate(shown):
            if i and i % cols == 0:
                text.append("\n")
            mark, style = MARK[cell.state]
            chunk = Text.assemble(
                f"{cell.index + 1:>3} ", (mark, style), (FLAG[0], FLAG[1]) if cell.flagged else " "
            )
            if i == self.cursor:
                chunk.stylize("reverse")
            text.append_text(chunk)
            text.append(" ")
        self.update(text)
        self.post_message(self.Moved(self.current.index if self.current else None))

    def action_move(self, dx: int, dy: int) -> None:
        shown = self.visible
        if not shown:
            return
        target = self.cursor + dx + dy * self.columns()
        if 0 <= target < len(shown):
            self.cursor = target
            self.redraw()

    def action_edge(self, end: int) -> None:
        self.cursor = len(self.visible) - 1 if end else 0
        self.redraw()

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Opened(self.current.index))

    def on_click(self, event: events.Click) -> None:
        col = (event.x - 1) // CELL
        target = event.y * self.columns() + col
        if 0 <= col < self.columns() and 0 <= target < len(self.visible):
            self.cursor = target
            self.redraw()
            self.action_open()
