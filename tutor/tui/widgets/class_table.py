"""What the home screen's class panel shows: the class pack's assignments and where the learner
stands, most urgent first (imported only when a class pack is loaded)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from tutor.classroom.records import from_store
from tutor.classroom.status import (
    DONE,
    IN_PROGRESS,
    OVERDUE,
    PASSED,
    AssignmentStatus,
    counts,
    due_label,
    evaluate,
    urgency,
)
from tutor.classroom.text import clean
from tutor.content.class_outline import ClassOutline
from tutor.progress.store import ProgressStore

ROWS = 4
MARKS = {
    DONE: ("✔", "green"),
    PASSED: ("✔", "green"),
    IN_PROGRESS: ("◐", "yellow"),
    OVERDUE: ("!", "bold red"),
}
KINDS = {"lab": "Lab", "quiz": "Quiz", "exam": "Exam"}


def class_statuses(klass: ClassOutline, store: ProgressStore, now: float) -> list[AssignmentStatus]:
    """Every assignment's status from the learner's store, most urgent first."""
    records = from_store(
        store,
        labs={a.id: a.steps for a in klass.assignments if a.kind == "lab"},
        quizzes=[a.id for a in klass.assignments if a.kind != "lab"],
        answers=False,
    )
    return sorted(evaluate(klass, records, now), key=urgency)


def _state(s: AssignmentStatus) -> str:
    """The state in a few words; overdue work (said in the due column) shows how far it got."""
    lab = s.assignment.kind == "lab"
    if s.state == OVERDUE:
        if lab:
            return s.detail
        return f"best {s.score:.0f}%" if s.score is not None else ("started" if s.attempts else "not started")
    if lab and s.state != DONE:
        return f"{s.state} · {s.detail}"
    score = f" · {s.score:.0f}%" if s.score is not None else ""
    return f"{s.state}{' (late)' if s.late else ''}{score}"


def _when(s: AssignmentStatus, now: float) -> str:
    if s.finished:
        return ""
    return due_label(s.assignment.deadline, now) if s.assignment.due else ""


def render(klass: ClassOutline, store: ProgressStore, now: float) -> tuple[Text, str, str | None, Table]:
    """The panel's border title and subtitle, tooltip and rows."""
    statuses = class_statuses(klass, store, now)
    c = counts(statuses)
    finished = c[DONE] + c[PASSED]
    title = Text(f"Class: {clean(klass.name, 60)}")
    overdue = f" · {c[OVERDUE]} overdue" if c[OVERDUE] else ""
    subtitle = f"{finished}/{len(statuses)} finished{overdue}"
    grid = Table.grid(padding=(0, 1), expand=True)
    grid.add_column(width=1, no_wrap=True)
    grid.add_column(width=4, no_wrap=True)
    grid.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    grid.add_column(no_wrap=True, justify="right")
    grid.add_column(no_wrap=True)
    shown = statuses if len(statuses) <= ROWS else statuses[: ROWS - 1]
    for s in shown:
        mark, style = MARKS.get(s.state, ("○", "dim"))
        when = _when(s, now)
        grid.add_row(
            Text(mark, style=style),
            Text(KINDS.get(s.assignment.kind, s.assignment.kind), style="dim"),
            Text(clean(s.assignment.title, 80)),
            Text(when, style="bold red" if s.state == OVERDUE else "dim"),
            Text(_state(s), style=style if s.state != IN_PROGRESS else ""),
        )
    if len(shown) < len(statuses):
        more = len(statuses) - len(shown)
        grid.add_row("", "", Text(f"+{more} more: tutor class status", style="dim"), "", "")
    return title, subtitle, clean(klass.notes, 400) or None, grid
