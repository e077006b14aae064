"""The content problems found at start; everything else keeps working."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.base.errors import ContentError, by_file

PER_FILE = 20  # a file written with the wrong keys has thousands: a widget each would freeze the app


class ProblemsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "dismiss", "Back", id="problems.back", tooltip="Back to where you came from")
    ]

    def __init__(self, errors: list[ContentError]) -> None:
        super().__init__()
        self.errors = errors

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="problems"):
            n = len([e for e in self.errors if not e.warning])
            yield Static(
                Text.assemble(
                    (f"{n} problem(s) in the course content. ", "bold"),
                    "The files below were skipped or partly loaded; everything else works. "
                    "Run `tutor validate` to see this list in a terminal.",
                )
            )
            for group in by_file(self.errors, PER_FILE):
                for err in group.shown:
                    style = "yellow" if err.warning else "red"
                    body = Text.assemble(
                        (err.where, "bold"),
                        ("  " + err.field if err.field else "", "cyan"),
                        "\n",
                        (err.message, style),
                    )
                    if err.hint:
                        body.append(f"\nfix: {err.hint}", style="dim")
                    yield Static(body, classes="problem")
                if group.more:
                    more = f"{group.file}: {group.more} more problem(s) here (`tutor validate --all`)"
                    yield Static(Text(more, style="dim"), classes="problem")
        yield Footer()
