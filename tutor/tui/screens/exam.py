"""Timed exams: countdown, back and forth, flags, a review list, submission, results."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from tutor.base.errors import TutorError
from tutor.quiz.grading import Grade, grade, right_answer
from tutor.quiz.results import ExamResult
from tutor.quiz.session import ExamSession
from tutor.tui.screens.confirm import ChoiceScreen, confirm
from tutor.tui.screens.quiz_keys import QUESTION_BINDINGS, QuestionKeys
from tutor.tui.widgets.question import QuestionView

if TYPE_CHECKING:
    from tutor.tui.context import Tutor

CHECKPOINT_EVERY = 5  # seconds between saves of the exam clock


def confirm_submit(session: ExamSession) -> ChoiceScreen:
    left = len(session.unanswered())
    note = f"{left} question(s) are unanswered and count as wrong. " if left else ""
    return confirm(f"{note}Submit the exam now? You cannot change answers afterwards.")


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


class ExamScreen(QuestionKeys, Screen[None]):
    BINDINGS = [
        *QUESTION_BINDINGS,
        Binding(
            "enter", "save_next", "Next", id="exam.save_next", tooltip="Save and go to the next question"
        ),
        Binding("right", "step(1)", "→", show=False, id="exam.next"),
        Binding("n", "no_or_next", "Next", show=False, id="exam.n", tooltip="Next question (No, in a DOMC)"),
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

    @property
    def tutor(self) -> Tutor:
        return self.app  # type: ignore[return-value]

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
        self.update_bar()

    def update_bar(self) -> None:
        s = self.session
        left = s.remaining()
        flag = "  ⚑ flagged" if s.question.id in s.flags else ""
        warn = "bold red" if left < 300 else "bold"
        self.query_one("#exam-bar", Static).update(
            Text.assemble(
                (f" Question {s.index + 1} of {len(s.question_ids)}", "bold cyan"),
                (flag, "yellow"),
                f"   answered {len(s.responses)}   flagged {len(s.flags)}   ",
                (clock_text(left), warn),
                " left",
            )
        )

    # -- questions ------------------------------------------------------------------
    def show_question(self) -> None:
        s = self.session
        host = self.query_one("#question-host", Container)
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
        if view is None or view.question.type in ("command", "short", "domc"):
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
        if view and not view.locked and view.question.type in ("command", "short", "ordering"):
            self.save(view)
        self.action_step(1)

    def action_no_or_next(self) -> None:
        if self.domc_waiting() and self.session.question.id not in self.session.responses:
            self.action_domc(False)
        else:
            self.action_step(1)

    def action_step(self, delta: int) -> None:
        view = self.view
        if view and view.question.type in ("command", "short") and not view.locked:
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
            self.goto(choice)
        elif choice == "submit":
            self.finish()

    def action_submit(self) -> None:
        self.app.push_screen(
            confirm_submit(self.session), lambda answer: self.finish() if answer == "y" else None
        )

    def finish(self) -> None:
        result = self.session.submit()
        self.app.switch_screen(ExamResultScreen(self.session, result))

    def action_leave(self) -> None:
        if isinstance(self.focused, Input):
            self.set_focus(None)  # out of the answer box: the letter keys work again
            return
        self.session.pause()
        self.notify(f"Exam paused with {clock_text(self.session.remaining())} left; resume it from home.")
        self.dismiss()


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


class ExamResultScreen(Screen[None]):
    BINDINGS = [
        Binding(
            "v", "questions", "Review answers", id="result.review", tooltip="Every question with explanations"
        ),
        Binding("escape", "back", "Home", id="result.back"),
    ]

    def __init__(self, session: ExamSession, result: ExamResult) -> None:
        super().__init__()
        self.session = session
        self.result = result

    def compose(self) -> ComposeResult:
        r = self.result
        yield Header()
        with VerticalScroll(id="result"):
            verdict = Text("PASS", style="bold green") if r.passed else Text("FAIL", style="bold red")
            yield Static(
                Text.assemble(
                    (f"{r.title}\n", "bold"),
                    verdict,
                    f"  score {r.scaled} (pass mark {r.pass_mark} on {r.scale_min}-{r.scale_max})",
                    f"  ·  {r.points:g} of {r.total} right ({r.percent:.0f}%)",
                    f"\nTime used {clock_text(r.time_used)}"
                    + (f" of {clock_text(r.time_limit)}" if r.time_limit else ""),
                    f"  ·  answered {r.answered} of {r.total}",
                )
            )
            table = Table(title="By domain", expand=True)
            table.add_column("Domain")
            table.add_column("Right", justify="right")
            table.add_column("Score", justify="right")
            for d in r.domains:
                style = "green" if d.percent >= 70 else ("yellow" if d.percent >= 50 else "red")
                table.add_row(d.name, f"{d.points:g}/{d.total}", Text(f"{d.percent:.0f}%", style=style))
            yield Static(table)
            if self.session.shortfalls:
                yield Static(
                    Text(
                        "The bank had too few questions for some domains; those places were filled from "
                        "other domains.",
                        style="yellow",
                    )
                )
            yield Static(
                Text(
                    "Scores are your share of right answers mapped onto the exam's scale; the real exam "
                    "equates scores across forms and includes unscored questions.",
                    style="dim",
                )
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Result"

    def action_questions(self) -> None:
        self.app.push_screen(AnswerReviewScreen(self.session))

    def action_back(self) -> None:
        self.dismiss()


class AnswerReviewScreen(Screen[None]):
    """Question by question after an exam: your answer, the right one, and why."""

    BINDINGS = [
        Binding("n,right", "step(1)", "Next", id="answers.next"),
        Binding("p,left", "step(-1)", "Prev", id="answers.prev"),
        Binding("w", "next_wrong", "Next wrong", id="answers.wrong", tooltip="Jump to the next mistake"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="answers.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="answers.pageup"),
        Binding("escape", "back", "Back", id="answers.back"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Container(id="question-host")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def show(self) -> None:
        s = self.session
        qid = s.question_ids[self.index]
        q = s.course.questions[qid]
        response = s.responses.get(qid)
        host = self.query_one("#question-host", Container)
        host.remove_children()
        view = QuestionView(
            q,
            s.order(q),
            response=response,
            number=f"Question {self.index + 1} of {len(s.question_ids)}"
            + ("" if response is not None else " · not answered"),
        )
        host.mount(view)
        g = (
            grade(q, response, s.scoring)
            if response is not None
            else Grade(0.0, right_answer=right_answer(q))
        )
        self.call_after_refresh(view.show_grade, g)
        self.sub_title = f"Answers · {self.index + 1}/{len(s.question_ids)}"

    def action_step(self, delta: int) -> None:
        target = self.index + delta
        if 0 <= target < len(self.session.question_ids):
            self.index = target
            self.show()

    def action_next_wrong(self) -> None:
        s = self.session
        scores = s.result.scores if s.result else {}
        for i in range(self.index + 1, len(s.question_ids)):
            if scores.get(s.question_ids[i], 0.0) < 1.0:
                self.index = i
                self.show()
                return
        self.notify("No more mistakes after this one.", timeout=2)

    def action_page(self, direction: int) -> None:
        views = self.query(QuestionView)
        if views:
            (views.first().scroll_page_down if direction > 0 else views.first().scroll_page_up)()

    def action_back(self) -> None:
        self.dismiss()
