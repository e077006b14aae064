"""Question by question after an exam: your answer, the right one, why, and where to learn it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.content.teaching import Link, link_for
from tutor.quiz.exam import ExamSession
from tutor.quiz.grading import Grade, grade, right_answer
from tutor.tui.context import UsesTutor
from tutor.tui.widgets.question import QuestionView


class AnswerReviewScreen(UsesTutor, Screen[None]):
    DEFAULT_CSS = """
    AnswerReviewScreen #answer-link { padding: 0 1; height: auto; max-height: 2; background: $boost; }
    """
    BINDINGS = [
        Binding("n,right", "step(1)", "Next", id="answers.next"),
        Binding("p,left", "step(-1)", "Prev", id="answers.prev"),
        Binding("w", "next_wrong", "Next wrong", id="answers.wrong", tooltip="Jump to the next mistake"),
        Binding("o", "lesson", "Lesson", id="answers.lesson", tooltip="Read the lesson that teaches it"),
        Binding("l", "lab", "Lab", id="answers.lab", tooltip="Open the lab that practises it"),
        Binding("pagedown", "page(1)", "Page down", show=False, id="answers.pagedown"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="answers.pageup"),
        Binding("escape", "back", "Back", id="answers.back"),
    ]

    def __init__(self, session: ExamSession, index: int = 0) -> None:
        super().__init__()
        self.session = session
        self.index = index

    @property
    def link(self) -> Link | None:
        return link_for(self.session.course, self.session.question_ids[self.index])

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="answer-link")
        yield Container(id="question-host")
        yield Footer()

    def on_mount(self) -> None:
        self.show()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "lesson":
            return self.link is not None
        if action == "lab":
            return bool(self.link and self.link.labs)
        return True

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
        link = self.link
        self.query_one("#answer-link", Static).update(
            Text.assemble(("Learn it: ", "bold"), (link.describe(), "cyan"), ("  (o lesson, l lab)", "dim"))
            if link
            else Text.assemble(("Not in a lesson yet: ", "bold"), (q.references[0].url, "underline"))
        )
        self.sub_title = f"Answers · {self.index + 1}/{len(s.question_ids)}"
        self.refresh_bindings()

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

    def action_lesson(self) -> None:
        link = self.link
        if link is not None:
            self.tutor.open_item("lesson", link.lesson + (f"#{link.section}" if link.section else ""))

    def action_lab(self) -> None:
        link = self.link
        if link is not None and link.labs:
            self.tutor.open_item("lab", link.labs[0].id)

    def action_page(self, direction: int) -> None:
        views = self.query(QuestionView)
        if views:
            (views.first().scroll_page_down if direction > 0 else views.first().scroll_page_up)()

    def action_back(self) -> None:
        self.dismiss()
