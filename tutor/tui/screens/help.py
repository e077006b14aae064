"""Every key of the screen below, and of the app, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

KEY_NAMES = {"question_mark": "?", "escape": "Esc", "enter": "Enter", "space": "Space"}


def key_label(keys: str) -> str:
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, what it does, more) for the screen's and the app's bindings."""
    rows: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    for owner in (screen, screen.app):
        for binding in getattr(owner, "BINDINGS", []):
            if not isinstance(binding, Binding):
                binding = Binding(*binding)  # type: ignore[misc]
            if binding.action in seen:
                continue
            seen.add(binding.action)
            rows.append((key_label(binding.key), binding.description or binding.action, binding.tooltip))
    rows.append(("ctrl+p", "Commands", "Open any topic or lesson by name"))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close", id="help.close")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True)
        table.add_column("Action", style="bold")
        table.add_column("")
        for keys, action, more in binding_rows(self.under):
            table.add_row(keys, action, more)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static("Esc closes this window.", classes="dim")
