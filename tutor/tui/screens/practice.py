"""Practice: one question at a time, feedback at once (also used for review and cram)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tutor.base.errors import TutorError
from tutor.quiz.session import PracticeSession
from tutor.tui.screens.quiz_keys import QUESTION_BINDINGS, QuestionKeys
from tutor.tui.widgets.question import QuestionView

if TYPE_CHECKING:
    from tutor.tui.context import Tutor

MODE_NAMES = {"practice": "Practice", "review": "Review", "cram": "Cram (schedule unchanged)"}


class PracticeScreen(QuestionKeys, Screen[None]):
    BINDINGS = [
        *QUESTION_BINDINGS,
        Binding("enter", "submit", "Answer", id="practice.submit", tooltip="Answer, or go on after feedback"),
        Binding("n", "no_or_next", "Next/No", id="practice.next", tooltip="Next question (No, in a DOMC)"),
        Binding("escape", "leave", "Leave", id="practice.leave", tooltip="Back; every answer is saved"),
    ]

    def __init__(self, session: PracticeSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.quiz_title = title

    @property
    def tutor(self) -> Tutor:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quiz-status")
        yield Container(id="question-host")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.quiz_title} · {MODE_NAMES.get(self.session.mode, self.session.mode)}"
        self.show_question()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.question_key_state(action)

    def show_question(self) -> None:
        host = self.query_one("#question-host", Container)
        host.remove_children()
        s = self.session
        view = QuestionView(s.question, s.order(), number=f"Question {s.index + 1} of {len(s.question_ids)}")
        host.mount(view)
        self.call_after_refresh(view.focus_input)
        self.call_after_refresh(self.refresh_bindings)
        self.update_status()

    def update_status(self) -> None:
        s = self.session
        answered = len(s.grades)
        text = Text.assemble(
            (f" {s.right} right", "green"),
            f" of {answered} answered · {len(s.question_ids) - answered} to go",
        )
        self.query_one("#quiz-status", Static).update(text)

    # -- answering ------------------------------------------------------------------
    def action_submit(self) -> None:
        view = self.view
        if view is None:
            return
        if view.locked:
            self.action_next()
            return
        response = view.response()
        if response is None:
            self.notify("Choose or type an answer first.", timeout=2)
            return
        try:
            grade = self.session.answer(response)
        except TutorError as exc:
            self.notify(exc.message, severity="error")
            return
        if grade.settled:
            view.show_grade(grade)
            self.focus_screen()
            self.update_status()
            self.refresh_bindings()

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def after_domc_settled(self) -> None:
        self.action_submit()

    def action_no_or_next(self) -> None:
        if self.domc_waiting():
            self.action_domc(False)
        else:
            self.action_next()

    def action_next(self) -> None:
        view = self.view
        if view is not None and not view.locked:
            self.notify("Answer this question first (or Esc to leave).", timeout=2)
            return
        if self.session.next():
            self.show_question()
        else:
            self.show_summary()

    def focus_screen(self) -> None:
        self.set_focus(None)

    def show_summary(self) -> None:
        s = self.session
        host = self.query_one("#question-host", Container)
        host.remove_children()
        wrong = [q for q, g in s.grades.items() if not g.correct]
        lines = Text.assemble(
            ("Done! ", "bold"),
            f"{s.right} of {len(s.question_ids)} right.\n\n",
            (
                f"{len(wrong)} to look at again: they come back in Review when they are due.\n"
                if wrong and s.mode != "cram"
                else ""
            ),
            ("Press Esc to go back.", "dim"),
        )
        host.mount(Static(lines, id="quiz-summary"))

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)
            return
        if self.session.grades and not self.session.done:
            self.session.finish()  # what was answered counts in the history
        self.dismiss()
