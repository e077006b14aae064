"""Timed exams: countdown, back and forth, flags, a review list, submission, results."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Static

from tutor.base.errors import TutorError
from tutor.quiz.exam import ExamSession
from tutor.tui.context import UsesTutor
from tutor.tui.screens.exam_results import ExamResultScreen
from tutor.tui.screens.exam_review import (
    WARN_AT,
    ExamReviewScreen,
    clock_style,
    clock_text,
    confirm_submit,
)
from tutor.tui.screens.quiz_keys import QUESTION_BINDINGS, QuestionKeys
from tutor.tui.widgets.question import QuestionView

CHECKPOINT_EVERY = 5  # seconds between saves of the exam clock


class ExamScreen(UsesTutor, QuestionKeys, Screen[None]):
    BINDINGS = [
        *QUESTION_BINDINGS,
        Binding(
            "enter", "save_next", "Next", id="exam.save_next", tooltip="Save and go to the next question"
        ),
        Binding("right", "step(1)", "→", show=False, id="exam.next"),
        Binding("n", "step(1)", "Next", show=False, id="exam.n", tooltip="Next question (DOMC: 1 Yes, 2 No)"),
        Binding("left,p", "step(-1)", "Prev", id="exam.prev", tooltip="Previous question"),
        Binding("m", "flag", "Flag", id="exam.flag", tooltip="Flag this question for review"),
        Binding("r", "review", "Review", id="exam.review", tooltip="Unanswered and flagged questions"),
        Binding("s", "submit", "Submit", id="exam.submit", tooltip="Submit the exam (asks first)"),
        Binding(
            "escape", "leave", "Pause", id="exam.leave", tooltip="Leave; the clock stops and you can resume"
        ),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session
        self._ticks = 0
        self._warned: set[int] = set()

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="exam-bar")
        yield Container(id="question-host")
        yield Footer()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.question_key_state(action)

    def on_mount(self) -> None:
        self.sub_title = self.session.title
        s = self.session
        if s.shortfalls:
            names = ", ".join(f"{s.domain_names.get(d, d)} ({n} short)" for d, n in s.shortfalls.items())
            self.notify(
                f"The question bank has too few questions for: {names}. Those places were filled from "
                "other domains.",
                title="Fewer questions than the blueprint asks for",
                severity="warning",
                timeout=12,
            )
        self.show_question()
        self.set_interval(1.0, self.tick)

    # -- the clock ------------------------------------------------------------------
    def tick(self) -> None:
        s = self.session
        if s.result is not None:
            return
        self._ticks += 1
        if self._ticks % CHECKPOINT_EVERY == 0:
            s.checkpoint()
        if s.expired:
            self.notify("Time is up: the exam was submitted.", severity="warning")
            self.finish()
            return
        self.warn()
        if self.app.screen is self:
            self.update_bar()

    def warn(self) -> None:
        """Say so once when 15 and 5 minutes are left (only the nearer one on a late resume)."""
        left, limit = self.session.remaining(), self.session.time_limit
        new = [t for t in WARN_AT if left <= t < limit and t not in self._warned]  # not on a short exam
        if not new:
            return
        self._warned.update(new)
        mins = min(new) // 60
        todo = len(self.session.unanswered()) + len(self.session.incomplete())
        rest = f" {todo} question(s) still unanswered or incomplete." if todo else ""
        self.notify(
            f"{mins} minutes left.{rest}",
            title="Time",
            severity="error" if mins <= 5 else "warning",
            timeout=10,
        )

    def update_bar(self) -> None:
        s = self.session
        left = s.remaining()
        flag = "  ⚑ flagged" if s.question.id in s.flags else ""
        self.query_one("#exam-bar", Static).update(
            Text.assemble(
                (f" Question {s.index + 1} of {len(s.question_ids)}", "bold cyan"),
                (flag, "magenta"),
                f"   answered {len(s.responses)}   flagged {len(s.flags)}   ",
                (clock_text(left), clock_style(left)),
                " left",
            )
        )

    # -- questions ------------------------------------------------------------------
    def show_question(self) -> None:
        s = self.session
        host = self.query_one("#question-host", Container)
        if self.focused is not None and host in self.focused.ancestors:
            self.set_focus(None)  # the focused input is about to go; never leave focus on it
        host.remove_children()
        q = s.question
        view = QuestionView(q, s.order(q), response=s.responses.get(q.id), number="")
        if q.type == "domc" and q.id in s.responses:
            view.locked = True  # a DOMC answer is final, as in the real exam
        host.mount(view)
        self.call_after_refresh(view.focus_input)
        self.call_after_refresh(self.refresh_bindings)
        self.update_bar()

    def after_change(self) -> None:
        view = self.view
        if view is None or view.typed or view.question.type == "domc":
            return
        self.save(view)

    def after_domc_settled(self) -> None:
        if self.view:
            self.save(self.view)
            self.view.locked = True
            self.refresh_bindings()

    def save(self, view: QuestionView) -> bool:
        response = view.response()
        if response is None:
            return False
        try:
            self.session.answer(response, view.question.id)
        except TutorError as exc:
            self.notify(exc.message, severity="error")
            return False
        self.update_bar()
        return True

    @on(Input.Submitted)
    def _typed(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save_next()

    def action_save_next(self) -> None:
        view = self.view
        if view and not view.locked and view.question.id not in self.session.responses:
            view.pick_highlighted()  # Enter selects the highlighted option of a one-answer question
        if view and not view.locked and (view.typed or view.question.type == "ordering"):
            self.save(view)
        self.action_step(1)

    def action_step(self, delta: int) -> None:
        view = self.view
        if view and view.typed and not view.locked:
            self.save(view)  # typed text is kept when moving on
        s = self.session
        target = s.index + delta
        if 0 <= target < len(s.question_ids):
            s.goto(target)
            self.show_question()
        elif target >= len(s.question_ids):
            self.action_review()

    def goto(self, index: int) -> None:
        self.session.goto(index)
        self.show_question()

    def action_flag(self) -> None:
        now = self.session.flag()
        self.notify("Flagged for review." if now else "Flag removed.", timeout=2)
        self.update_bar()

    def action_review(self) -> None:
        self.app.push_screen(ExamReviewScreen(self.session), self._after_review)

    def _after_review(self, choice: int | str | None) -> None:
        if isinstance(choice, int):
            # after this screen is back on top (and has restored its focus), not before
            self.call_after_refresh(self.goto, choice)
        elif choice == "submit":
            self.finish()

    def action_submit(self) -> None:
        self.app.push_screen(
            confirm_submit(self.session), lambda answer: self.finish() if answer == "y" else None
        )

    def finish(self) -> None:
        result = self.session.submit()
        while self.app.screen is not self and len(self.app.screen_stack) > 1:
            self.app.pop_screen()  # the review page or a question asked on top of the exam
        self.app.switch_screen(ExamResultScreen(self.session, result))

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)  # out of the answer box: the letter keys work again
            return
        self.session.pause()
        self.notify(f"Exam paused with {clock_text(self.session.remaining())} left; resume it from home.")
        self.dismiss()
