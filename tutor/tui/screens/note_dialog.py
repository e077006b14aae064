"""A one-line prompt in a box: Enter keeps what was typed, Esc leaves it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tutor.progress.notes import MAX_NOTE


class NoteDialog(ModalScreen[str | None]):
    """Dismisses with the text typed (stripped), or None."""

    DEFAULT_CSS = """
    NoteDialog { align: center middle; }
    NoteDialog > Vertical {
        width: 70; max-width: 95%; height: auto; padding: 1 2;
        background: $panel; border: round $accent;
    }
    NoteDialog .keys { margin-top: 1; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", id="note.cancel", tooltip="Close without saving")]

    def __init__(self, title: str, placeholder: str = "your note") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text, markup=False)
            yield Input(placeholder=self.placeholder, max_length=MAX_NOTE, id="note-input")
            yield Static("Enter saves · Esc closes without saving", classes="keys")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _save(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)
