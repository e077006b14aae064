"""Every key of the screen below, and of the app, in words (never an internal action name)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tutor.tui.keymap import key_label, meaning_of


def _bindings(owner: object) -> list[Binding]:
    out = []
    for binding in getattr(owner, "BINDINGS", []):
        out.append(binding if isinstance(binding, Binding) else Binding(*binding))  # type: ignore[misc]
    return out


def binding_rows(screen: Screen[object]) -> list[tuple[str, str, str]]:
    """(keys, name, what it does) for the screen's bindings, then the app's; keys that do the
    same thing share a row."""
    rows: dict[str, list[str]] = {}  # what it does -> [keys, name, what]
    done: set[str] = set()
    for owner in (screen, screen.app):
        for binding in _bindings(owner):
            if binding.action in done:  # the screen's binding wins over the app's
                continue
            done.add(binding.action)
            keys = key_label(binding.key)
            first = binding.key.split(",")[0]
            what = binding.tooltip or meaning_of(first)
            name = binding.description or key_label(first)
            row = rows.setdefault(f"{name}\n{what}", ["", name, what])
            row[0] = f"{row[0]}, {keys}" if row[0] else keys
    out = [(_runs(k), n, w) for k, n, w in rows.values()]
    out.append(("ctrl+p", "Commands", "Search lessons, questions and labs, open anything, change the theme"))
    return out


def _runs(keys: str) -> str:
    """`1, 2, 3, 4` -> `1-4`."""
    parts = keys.split(", ")
    if len(parts) > 2 and all(p.isdigit() for p in parts):
        return f"{parts[0]}-{parts[-1]}"
    return keys


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close", id="help.close", tooltip="Close this (? too)")]

    def __init__(self, under: Screen[object]) -> None:
        super().__init__()
        self.under = under

    def compose(self) -> ComposeResult:
        table = Table(title="Keys", expand=True, show_edge=False)
        table.add_column("Key", style="bold cyan", no_wrap=True, max_width=14)
        table.add_column("", style="bold", no_wrap=True)
        table.add_column("What it does", ratio=1)
        for keys, name, what in binding_rows(self.under):
            table.add_row(keys, name, what)
        with VerticalScroll(id="help-box"):
            yield Static(table)
            yield Static(
                Text(
                    "Enter selects and confirms, Space toggles, Esc goes back; a key means the same "
                    "thing on every screen (docs/keys.md). Esc closes this window.",
                    style="dim",
                )
            )
