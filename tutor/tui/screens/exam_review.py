"""The exam's review page: every question with its state, jump to any, submit from here."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.quiz.exam import ExamSession
from tutor.tui.screens.confirm import ChoiceScreen, confirm

if TYPE_CHECKING:
    pass


def confirm_submit(session: ExamSession) -> ChoiceScreen:
    left = len(session.unanswered())
    note = f"{left} question(s) are unanswered and count as wrong. " if left else ""
    return confirm(f"{note}Submit the exam now? You cannot change answers afterwards.")


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ExamReviewScreen(Screen[int | str | None]):
    """Every question with its state; Enter jumps to one, s submits."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="review.back"),
        Binding("s", "submit", "Submit", id="review.submit", tooltip="Submit the exam (asks first)"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        s = self.session
        yield Header()
        yield Static(
            Text.assemble(
                (f" {len(s.unanswered())} unanswered", "bold red" if s.unanswered() else "bold green"),
                f" · {len(s.flagged())} flagged · {clock_text(s.remaining())} left",
            ),
            id="exam-bar",
        )
        options = []
        for i, qid in enumerate(s.question_ids):
            q = s.course.questions[qid]
            state = ("⚑ " if qid in s.flags else "  ") + ("●" if qid in s.responses else "○")
            prompt = " ".join(q.prompt.split())
            options.append(Option(Text.assemble(f"{state} {i + 1:>3}. ", prompt[:90]), id=str(i)))
        yield OptionList(*options, id="review-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review before submitting"
        first = (self.session.unanswered() or self.session.flagged() or [0])[0]
        listing = self.query_one(OptionList)
        listing.highlighted = first
        listing.focus()

    @on(OptionList.OptionSelected)
    def _jump(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_back(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self.app.push_screen(
            confirm_submit(self.session), lambda answer: self.dismiss("submit") if answer == "y" else None
        )
