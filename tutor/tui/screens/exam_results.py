"""After an exam: the scaled score against the pass line, each domain as a bar, and every missed
question with the lesson section and the lab that teach it; then each answer with its explanation."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.quiz.exam import ExamSession
from tutor.quiz.feedback import exam_report
from tutor.quiz.results import ExamResult
from tutor.tui.screens.exam_answers import AnswerReviewScreen
from tutor.tui.screens.exam_review import clock_text
from tutor.tui.widgets.charts import coloured_bar

__all__ = ["AnswerReviewScreen", "ExamResultScreen"]

NAME_WIDTH = 30
BAR_WIDTH = 28


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _learn(missed: dict[str, Any], references: list[str]) -> Text:
    """Where to learn it, on one line of an 80-column terminal."""
    link = missed["teaches"]
    if link is None:
        return Text.assemble(
            ("     ↳ no lesson yet; read: ", "dim"), (_cut(references[0], 45), "dim underline")
        )
    where = _cut(link["lesson_title"], 30) + (f" › {link['section']}" if link["section"] else "")
    labs = ", ".join(lab["title"] for lab in link["labs"])
    rest = _cut(f" · lab: {labs}", max(0, 68 - len(where))) if labs and len(where) < 60 else ""
    return Text.assemble(("     ↳ ", "dim"), (_cut(where, 68), "cyan"), (rest, "dim"))


class ExamResultScreen(Screen[None]):
    DEFAULT_CSS = """
    ExamResultScreen #result-summary { padding: 0 1; height: auto; }
    ExamResultScreen #missed { height: 1fr; min-height: 4; border: none; }
    """
    BINDINGS = [
        Binding(
            "v", "questions", "All answers", id="result.review", tooltip="Every question with explanations"
        ),
        Binding("escape", "back", "Home", id="result.back"),
    ]

    def __init__(self, session: ExamSession, result: ExamResult) -> None:
        super().__init__()
        self.session = session
        self.result = result
        self.report = exam_report(session.course, session, result)

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(self._summary(), id="result-summary")
        yield OptionList(*self._missed(), id="missed")
        yield Footer()

    def _summary(self) -> Text:
        r, rep = self.result, self.report
        need = rep["pass_share"]
        verdict = ("PASS", "bold green") if r.passed else ("FAIL", "bold red")
        share = (r.scaled - r.scale_min) / ((r.scale_max - r.scale_min) or 1)
        text = Text.assemble(
            (r.title, "bold"),
            "\n",
            verdict,
            (f"  {r.scaled}", "bold"),
            f" (pass {r.pass_mark}) · {r.points:g} of {r.total} right · time {clock_text(r.time_used)}",
            "\n",
            (f"{r.scale_min:>4} ", "dim"),
            coloured_bar(share, 60, need),
            (f" {r.scale_max}", "dim"),
            "\n",
            ("By domain", "bold underline"),
            ("   │ = the pass line", "dim"),
        )
        for d in rep["domains"]:
            name = d["name"] if len(d["name"]) <= NAME_WIDTH else d["name"][: NAME_WIDTH - 1] + "…"
            text.append("\n")
            text.append_text(
                Text.assemble(
                    f"{name:<{NAME_WIDTH}} ",
                    coloured_bar(d["percent"] / 100, BAR_WIDTH, need),
                    f" {d['points']:>4g}/{d['total']:<3} {d['percent']:>3.0f}%",
                )
            )
        if self.session.shortfalls:
            text.append("\nThe bank had too few questions for some domains; others filled them.", "yellow")
        return text

    def _missed(self) -> list[Option | None]:
        missed = self.report["missed"]
        if not missed:
            return [Option(Text("Nothing missed. ✔", style="bold green"), disabled=True)]
        out: list[Option | None] = [
            Option(
                Text.assemble(
                    (f"Missed {len(missed)}", "bold underline"),
                    ("  Enter: the question, why, and where to learn it", "dim"),
                ),
                disabled=True,
            )
        ]
        for m in missed:
            refs = [r.label for r in self.session.course.questions[m["id"]].references]
            mark = {"unanswered": ("○", "red"), "incomplete": ("◐", "yellow")}.get(m["state"], ("✘", "red"))
            line = Text.assemble(
                (f"Q{m['number']:<3}", "bold"),
                (mark[0], mark[1]),
                f" {_cut(m['domain_name'], 18)} · ",
                _cut(m["prompt"], 50),
            )
            out.append(Option(Text.assemble(line, "\n", _learn(m, refs)), id=str(m["number"] - 1)))
        out.append(
            Option(
                Text(
                    "Scores are your share of right answers on the exam's scale; the real exam equates "
                    "scores across forms and includes unscored questions.",
                    style="dim",
                ),
                disabled=True,
            )
        )
        return out

    def on_mount(self) -> None:
        self.sub_title = "Result"
        listing = self.query_one("#missed", OptionList)
        listing.focus()
        if self.report["missed"]:
            listing.highlighted = 1

    @on(OptionList.OptionSelected, "#missed")
    def _open(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.app.push_screen(AnswerReviewScreen(self.session, int(event.option.id)))

    def action_questions(self) -> None:
        self.app.push_screen(AnswerReviewScreen(self.session))

    def action_back(self) -> None:
        self.dismiss()
