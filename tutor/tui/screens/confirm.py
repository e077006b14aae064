"""A small yes/no (or more) question in a box; dismisses with the key of the answer chosen."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static


class ChoiceScreen(ModalScreen[str]):
    """`choices` are (key, label); Esc answers with `cancel`."""

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical {
        width: 64; height: auto; padding: 1 2;
        background: $panel; border: round $accent;
    }
    ChoiceScreen .keys { margin-top: 1; color: $text-muted; }
    """

    def __init__(self, message: str, choices: list[tuple[str, str]], cancel: str = "") -> None:
        super().__init__()
        self.message = message
        self.choices = choices
        self.cancel = cancel

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.message)
            yield Static("    ".join(f"[b]\\[{k}][/b] {label}" for k, label in self.choices), classes="keys")

    def on_key(self, event: events.Key) -> None:
        if event.key == "escape":
            event.stop()
            self.dismiss(self.cancel)
        elif event.key in {k for k, _ in self.choices}:
            event.stop()
            self.dismiss(event.key)


def confirm(message: str, yes: str = "Yes", no: str = "No") -> ChoiceScreen:
    return ChoiceScreen(message, [("y", yes), ("n", no)], cancel="n")
