"""Practice: one question at a time, feedback at once, then a recall rating (1-4) that sets
when it comes back. n skips a question (it comes back after the others), p goes back, Esc
leaves and keeps the run to resume. Also used for review and cram."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tutor.base.errors import TutorError
from tutor.quiz.selection import flagged, set_flag
from tutor.quiz.session import PracticeSession
from tutor.quiz.srs import RATING_NAMES, Repetition, derive_rating, expected_seconds
from tutor.tui.context import UsesTutor
from tutor.tui.keymap import bind
from tutor.tui.screens.quiz_keys import QUESTION_BINDINGS, QuestionKeys
from tutor.tui.widgets.question import QuestionView

MODE_NAMES = {"practice": "Practice", "review": "Review", "cram": "Cram (schedule unchanged)"}
RATING_KEYS = Text.assemble(
    ("1", "bold cyan"), " Again  ", ("2", "bold cyan"), " Hard  ", ("3", "bold cyan"), " Good  ",
    ("4", "bold cyan"), " Easy",
)  # fmt: skip


def in_words(due: datetime) -> str:
    seconds = (due - datetime.now(UTC)).total_seconds()
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 2 * 86400:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400)} days"


class PracticeScreen(UsesTutor, QuestionKeys, Screen[None]):
    BINDINGS = [
        *QUESTION_BINDINGS,
        Binding("enter", "submit", "Answer", id="practice.submit", tooltip="Answer, or go on after feedback"),
        bind(
            "n",
            "next",
            "Next question; an unanswered one is skipped and comes back later",
            id="practice.next",
        ),
        bind("p", "previous", "The question before (answered ones show their feedback)", id="practice.prev"),
        bind("m", "flag", "Flag this question to practise it again (Which: flagged)", id="practice.flag"),
        Binding("escape", "leave", "Leave", id="practice.leave", tooltip="Leave; resume later from Practice"),
    ]

    def __init__(self, session: PracticeSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.quiz_title = title
        self.flags = flagged(session.store)
        self.dues: dict[str, datetime] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="quiz-status")
        yield Container(id="question-host")
        yield Static(id="rate-bar")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.quiz_title} · {MODE_NAMES.get(self.session.mode, self.session.mode)}"
        self.session.shown_at = self.session.clock()  # a resumed run: the time counts from now
        if self.session.done:
            self.show_summary()
        else:
            self.show_question()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.question_key_state(action)

    # -- drawing ------------------------------------------------------------------------------
    def show_question(self) -> None:
        host = self.query_one("#question-host", Container)
        if self.focused is not None and host in self.focused.ancestors:
            self.set_focus(None)
        host.remove_children()
        s = self.session
        q = s.question
        number = f"Question {s.index + 1} of {len(s.question_ids)}"
        view = QuestionView(q, s.order(), response=s.responses.get(q.id), number=number)
        host.mount(view)
        if q.id in s.grades:
            self.call_after_refresh(view.show_grade, s.grades[q.id])
        else:
            self.call_after_refresh(view.focus_input)
        self.call_after_refresh(self.refresh_bindings)
        self.update_status()
        self.draw_rating()

    def update_status(self) -> None:
        s = self.session
        answered = len(s.grades)
        left = len(s.question_ids) - answered
        text = Text.assemble(
            (f" {s.right} right", "green"),
            f" of {answered} answered · {left} to go",
            ("  ⚑ flagged" if s.question_ids and s.current_id in self.flags else "", "yellow"),
        )
        self.query_one("#quiz-status", Static).update(text)

    def draw_rating(self) -> None:
        """Under the feedback, always in view: how to rate, or the rating given."""
        s = self.session
        bar = self.query_one("#rate-bar", Static)
        qid = s.current_id if s.question_ids else ""
        bar.display = qid in s.grades and s.rates
        if not bar.display:
            return
        if qid in s.pending:
            p = s.pending[qid]
            derived = derive_rating(
                p.correct, p.seconds, expected_seconds(s.question), Repetition(s.store).state(qid)
            )
            bar.update(
                Text.assemble(
                    ("How well did you know it? ", "bold"),
                    RATING_KEYS,
                    (f" · Enter: {RATING_NAMES[derived].capitalize()}", "dim"),
                )
            )
        elif qid in s.ratings:
            when = f": back {in_words(self.dues[qid])}" if qid in self.dues else ""
            bar.update(
                Text.assemble(
                    ("Rated ", "bold"),
                    (RATING_NAMES[s.ratings[qid]].capitalize(), "bold cyan"),
                    when,
                    ("  · Enter goes on", "dim"),
                )
            )
        else:
            bar.update(Text("Rated · Enter goes on", style="dim"))

    # -- answering ----------------------------------------------------------------------------
    def action_submit(self) -> None:
        view = self.view
        if view is None:
            return
        if view.locked:
            self.action_next()
            return
        view.pick_highlighted()  # Enter selects the highlighted line of a one-answer question
        response = view.response()
        if response is None:
            self.notify("Choose an answer first (Space selects the highlighted line).", timeout=3)
            return
        try:
            grade = self.session.answer(response)
        except TutorError as exc:
            self.notify(exc.message, severity="error")
            return
        if grade.settled:
            view.show_grade(grade)
            self.set_focus(None)
            self.update_status()
            self.draw_rating()
            self.refresh_bindings()

    def action_number(self, n: int) -> None:
        """Before the answer a digit chooses; after it, 1-4 rate recall."""
        view = self.view
        s = self.session
        if view is None or not view.locked:
            super().action_number(n)
            return
        if not s.rates or n > 4:
            return
        if s.current_id not in s.pending:
            self.notify("This answer is rated already.", timeout=2)
            return
        self.dues[s.current_id] = s.rate(n)  # said in the rating line, not in a notification
        self.draw_rating()

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()

    def after_domc_settled(self) -> None:
        self.action_submit()

    # -- moving -------------------------------------------------------------------------------
    def action_next(self) -> None:
        s = self.session
        if s.done and self.view is not None and self.view.locked:
            s.settle()
            self.show_summary()
            return
        skipped = s.current_id not in s.grades
        if s.next():
            if skipped:
                self.notify("Skipped: it comes back after the others.", timeout=2)
            self.show_question()
        elif skipped:
            self.notify("This is the last question left.", timeout=2)

    def action_previous(self) -> None:
        if self.session.previous():
            self.show_question()

    def action_flag(self) -> None:
        qid = self.session.current_id
        on = qid not in self.flags
        set_flag(self.session.store, qid, on)
        self.flags = flagged(self.session.store)
        self.update_status()  # the status line shows the flag

    def show_summary(self) -> None:
        s = self.session
        host = self.query_one("#question-host", Container)
        host.remove_children()
        self.query_one("#rate-bar", Static).display = False
        wrong = [q for q, g in s.grades.items() if not g.correct]
        lines = Text.assemble(
            ("Done! ", "bold"),
            f"{s.right} of {len(s.question_ids)} right.\n\n",
            (
                f"{len(wrong)} to look at again: they come back in Review when they are due.\n"
                if wrong and s.rates
                else ""
            ),
            ("Press Esc to go back.", "dim"),
        )
        host.mount(Static(lines, id="quiz-summary"))

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)
            return
        s = self.session
        s.leave()
        if not s.finished and s.grades:
            self.notify("Saved: resume it from Practice & exams.", timeout=4)
        self.dismiss()
