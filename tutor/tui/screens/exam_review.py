"""The exam's review page, as an exam delivery shows it: every question in a grid with its state,
the counts, the time left, filters and a legend; jump to any question, or end the exam (asked once)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.quiz.exam import ExamSession
from tutor.tui.screens.confirm import ChoiceScreen, confirm
from tutor.tui.widgets.exam_grid import Cell, ExamGrid, Filter, State, legend

FILTERS: tuple[tuple[Filter, str, str], ...] = (
    ("all", "a", "All"),
    ("flagged", "f", "Flagged"),
    ("unanswered", "u", "Unanswered"),
    ("incomplete", "i", "Incomplete"),
)
WARN_AT = (15 * 60, 5 * 60)  # seconds left when the exam warns, as exam deliveries do


def confirm_submit(session: ExamSession) -> ChoiceScreen:
    left, part = len(session.unanswered()), len(session.incomplete())
    notes = []
    if left:
        notes.append(f"{left} question(s) are unanswered and count as wrong.")
    if part:
        notes.append(f"{part} have fewer choices than they ask for.")
    return confirm(" ".join([*notes, "End the exam now? You cannot change answers afterwards."]))


def clock_text(seconds: float) -> str:
    seconds = max(0, int(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m:02d}:{s:02d}"


def clock_style(seconds: float) -> str:
    return "bold red" if seconds <= WARN_AT[1] else ("bold yellow" if seconds <= WARN_AT[0] else "bold")


def cells(session: ExamSession) -> list[Cell]:
    incomplete = set(session.incomplete())
    out = []
    for i, qid in enumerate(session.question_ids):
        state: State = (
            "incomplete" if i in incomplete else ("answered" if qid in session.responses else "unanswered")
        )
        out.append(Cell(i, state, qid in session.flags))
    return out


class ExamReviewScreen(Screen[int | str | None]):
    """Dismisses with a question's index to go to it, "submit" to end the exam, or None."""

    DEFAULT_CSS = """
    ExamReviewScreen #review-filters { padding: 0 1; }
    ExamReviewScreen ExamGrid { margin: 1 0; }
    ExamReviewScreen #review-preview { padding: 0 1; height: 3; color: $text-muted; }
    ExamReviewScreen #review-legend { padding: 0 1; }
    """
    BINDINGS = [
        *(
            Binding(
                key,
                f"show('{which}')",
                label,
                id=f"review.{which}",
                tooltip=f"Show {label.lower()} questions",
            )
            for which, key, label in FILTERS
        ),
        Binding(
            "s",
            "submit",
            "End exam",
            id="review.submit",
            tooltip="End the exam and see your score (asks once)",
        ),
        Binding("escape", "back", "Back", id="review.back", tooltip="Back to the question you were on"),
    ]

    def __init__(self, session: ExamSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="exam-bar")
        yield Static(id="review-filters")
        yield ExamGrid(cells(self.session), id="review-grid")
        yield Static(id="review-preview")
        yield Static(legend(), id="review-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Review"
        grid = self.query_one(ExamGrid)
        s = self.session
        grid.cursor = (s.unanswered() or s.incomplete() or s.flagged() or [s.index])[0]
        grid.focus()
        self.update_bar()
        self.update_filters()
        self.set_interval(1.0, self.update_bar)

    # -- drawing -------------------------------------------------------------------------
    def counts(self) -> dict[Filter, int]:
        s = self.session
        return {
            "all": len(s.question_ids),
            "flagged": len(s.flagged()),
            "unanswered": len(s.unanswered()),
            "incomplete": len(s.incomplete()),
        }

    def update_bar(self) -> None:
        s = self.session
        n = self.counts()
        answered = len(s.responses) - n["incomplete"]
        left = s.remaining()
        self.query_one("#exam-bar", Static).update(
            Text.assemble(
                (f" {answered} answered", "green"),
                " · ",
                (f"{n['unanswered']} unanswered", "bold red" if n["unanswered"] else ""),
                " · ",
                (f"{n['incomplete']} incomplete", "bold yellow" if n["incomplete"] else ""),
                " · ",
                (f"{n['flagged']} flagged", "magenta" if n["flagged"] else ""),
                "   ⏱ ",
                (clock_text(left), clock_style(left)),
                " left",
            )
        )

    def update_filters(self) -> None:
        grid = self.query_one(ExamGrid)
        n = self.counts()
        parts: list[tuple[str, str] | str] = []
        for which, key, label in FILTERS:
            style = "reverse bold" if grid.filter == which else ""
            parts += [(key, "bold cyan"), " ", (f" {label} {n[which]} ", style), "   "]
        self.query_one("#review-filters", Static).update(Text.assemble(*parts))

    @on(ExamGrid.Moved)
    def _preview(self, event: ExamGrid.Moved) -> None:
        preview = self.query_one("#review-preview", Static)
        if event.index is None:
            preview.update("")
            return
        s = self.session
        q = s.course.questions[s.question_ids[event.index]]
        cell = cells(s)[event.index]
        flag = " · flagged" if cell.flagged else ""
        preview.update(
            Text.assemble(
                (f"Question {event.index + 1} · {cell.state}{flag}: ", "bold"),
                " ".join(q.prompt.split())[:200],
            )
        )

    # -- actions -------------------------------------------------------------------------
    def action_show(self, which: Filter) -> None:
        self.query_one(ExamGrid).set_filter(which)
        self.update_filters()

    @on(ExamGrid.Opened)
    def _open(self, event: ExamGrid.Opened) -> None:
        self.dismiss(event.index)

    def action_back(self) -> None:
        self.dismiss(None)

    def action_submit(self) -> None:
        self.app.push_screen(
            confirm_submit(self.session), lambda answer: self.dismiss("submit") if answer == "y" else None
        )
