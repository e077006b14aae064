"""After an exam: the scaled score and domains, then every answer with its explanation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.quiz.exam import ExamSession
from tutor.quiz.grading import Grade, grade, right_answer
from tutor.quiz.results import ExamResult
from tutor.tui.screens.exam_review import clock_text
from tutor.tui.widgets.question import QuestionView

if TYPE_CHECKING:
    pass


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
