"""Choosing a practice run: where the questions come from (a quiz, a topic, an exam or one of
its domains), which of them (all, missed before, never seen, flagged, due), how many, and how
(practice, cram, or timed like an exam). Enter on Start begins; Esc closes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select, Static

from tutor.quiz.selection import SOURCES, from_source, in_scope, resolve_scope, scopes
from tutor.tui.context import UsesTutor

SIZES = [("10 questions", 10), ("20 questions", 20), ("All of them", 0)]
MODES = {
    "practice": "Practice (feedback, then rate your recall)",
    "cram": "Cram (your review schedule stays as it is)",
    "timed": "Timed, like an exam (the whole quiz)",
}


@dataclass(frozen=True)
class PracticeChoice:
    target: str
    source: str
    size: int
    mode: str


class PracticeSetup(UsesTutor, ModalScreen[PracticeChoice | None]):
    DEFAULT_CSS = """
    PracticeSetup { align: center middle; }
    PracticeSetup > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        padding: 0 1; background: $panel; border: round $accent;
    }
    PracticeSetup .row { height: 1; margin-top: 1; }
    PracticeSetup .row Label { width: 16; }
    PracticeSetup .row Select { width: 1fr; }
    PracticeSetup #setup-count { margin: 1 0 0 0; }
    PracticeSetup #setup-buttons { height: auto; align: right middle; margin-top: 1; }
    PracticeSetup Button { margin-left: 2; min-width: 10; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back", id="setup.cancel", tooltip="Close without starting")]

    def __init__(
        self, target: str = "all", source: str = "all", size: int = 10, mode: str = "practice"
    ) -> None:
        super().__init__()
        self.start_target = target
        self.start_source = source
        self.start_size = size
        self.start_mode = mode

    def compose(self) -> ComposeResult:
        course = self.tutor.services.course
        options = [(s.title, s.key) for s in scopes(course)]
        keys = {k for _, k in options}
        target = self.start_target if self.start_target in keys else "all"
        with Vertical():
            yield Static(Text("Practise", style="bold"))
            sources = [(name.capitalize(), key) for key, name in SOURCES.items()]
            modes = [(label, key) for key, label in MODES.items()]
            for name, label, choices, value in (
                ("scope", "Questions from", options, target),
                ("source", "Which", sources, self.start_source),
                ("size", "How many", SIZES, self.start_size),
                ("mode", "How", modes, self.start_mode),
            ):
                with Horizontal(classes="row"):
                    yield Label(label)
                    yield Select(choices, value=value, allow_blank=False, compact=True, id=f"setup-{name}")
            yield Static(id="setup-count")
            yield Static(
                Text("Tab moves between the choices; Enter opens one or starts; Esc closes.", style="dim")
            )
            with Horizontal(id="setup-buttons"):
                yield Button("Start", variant="primary", id="setup-start")
                yield Button("Cancel", id="setup-cancel")

    def on_mount(self) -> None:
        self.query_one("#setup-start", Button).focus()
        self.update_count()

    def _value(self, name: str) -> Any:
        return self.query_one(f"#setup-{name}", Select).value

    def choice(self) -> PracticeChoice:
        return PracticeChoice(
            self._value("scope"), self._value("source"), self._value("size"), self._value("mode")
        )

    def available(self) -> int:
        course = self.tutor.services.course
        c = self.choice()
        return len(from_source(self.tutor.store, in_scope(course, resolve_scope(course, c.target)), c.source))

    @on(Select.Changed)
    def update_count(self) -> None:
        c = self.choice()
        course = self.tutor.services.course
        timed_ok = c.target in course.quizzes
        if c.mode == "timed":
            note = (
                Text("A timed run takes the whole quiz, as an exam.", style="yellow")
                if timed_ok
                else Text("Timed works on one quiz: choose a quiz above.", style="bold red")
            )
        else:
            n = self.available()
            asked = n if c.size == 0 else min(n, c.size)
            style = "bold green" if asked else "bold red"
            note = Text.assemble((f"{n} question(s) match", style), f"; {asked} will be asked." if n else ".")
        self.query_one("#setup-count", Static).update(note)
        self.query_one("#setup-start", Button).disabled = (c.mode == "timed" and not timed_ok) or (
            c.mode != "timed" and self.available() == 0
        )

    @on(Button.Pressed, "#setup-start")
    def _start(self) -> None:
        self.dismiss(self.choice())

    @on(Button.Pressed, "#setup-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
