"""The "Practice & exams" row of the home screen: today's review, practice runs to choose or
resume, mistakes, mock exams, readiness, bookmarks and notes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets.option_list import Option

if TYPE_CHECKING:  # the models (pydantic) load with the course, the rest after the first frame
    from tutor.content.course import Course
    from tutor.content.models.exams import ExamBlueprint
    from tutor.content.models.questions import Question
    from tutor.content.outline import Outline
    from tutor.progress.store import ProgressStore
    from tutor.quiz.srs import Repetition

PRACTICE_ROW = "__practice__"
PRACTICE_MODES = ("practice", "review", "cram")
SHOWN_RUNS = 5


def _when(moment: datetime | None) -> str:
    if moment is None:
        return "answer some questions first"
    delta = moment - datetime.now(UTC)
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return f"next in {max(1, int(delta.total_seconds() // 60))} min"
    if hours < 48:
        return f"next in {hours:.0f} h"
    return f"next in {hours / 24:.0f} days"


def readiness_line(exam: ExamBlueprint, srs: Repetition, bank: list[Question]) -> Text:
    """One level per domain (▁ to █, from the cards' recall) and the weakest domain by name."""
    from tutor.tui.widgets.charts import level_text

    ready = srs.readiness(exam, bank)
    text = Text("    readiness ", style="dim")
    for r in ready:
        text.append_text(level_text(r.readiness))
    weakest = min(ready, key=lambda r: r.readiness, default=None)
    if weakest is not None:
        name = weakest.name if len(weakest.name) <= 28 else weakest.name[:27] + "…"
        text.append(f"  weakest: {name} {weakest.readiness:.0%}", style="dim")
    return text


def bank_ids(course: Course | None) -> list[str] | None:
    """Every question id in course order (for today's new ones), once the course is loaded."""
    if course is None:
        return None
    from tutor.quiz.selection import course_order

    return [q.id for q in course_order(course)]


def due_today(store: ProgressStore, bank: list[str] | None = None) -> tuple[int, int | None]:
    """(due questions today within the review limit, new ones within the new limit; None when
    the course is not loaded yet)."""
    from tutor.progress.settings import Settings
    from tutor.quiz.srs import Repetition

    srs = Repetition(store)
    if bank is not None:
        queue = srs.daily(bank)
        return len(queue.due), len(queue.new)
    _, reviews = srs.today()
    room = max(0, Settings(store).get("reviews_per_day") - reviews)
    return min(srs.due_count(), room), None


def practice_label(store: ProgressStore, outline: Outline, bank: list[str] | None = None) -> Text:
    """The home screen's row, with what is due today."""
    due, _ = due_today(store, bank)
    label = Text("Practice & exams", style="bold")
    if due:
        label.append(f"  {due} due", style="bold yellow")
    return label


def practice_items(outline: Outline, store: ProgressStore, course: Course | None = None) -> list[Option]:
    from tutor.progress.attempts import Attempts
    from tutor.quiz.srs import Repetition

    srs = Repetition(store)
    attempts = Attempts(store)
    due, new = due_today(store, bank_ids(course))
    mistakes = len(srs.mistakes())
    items = [Option(Text("Study", style="bold underline"), disabled=True)]
    if due or new:
        parts = [f"{due} due" if due else "", f"{new} new" if new else ""]
        items.append(
            Option(
                Text.assemble(" ↻ Review today ", (" · ".join(p for p in parts if p), "bold yellow")),
                id="review:",
            )
        )
    else:
        items.append(
            Option(Text.assemble(" ↻ Nothing due today ", (_when(srs.next_due()), "dim")), disabled=True)
        )
    items.append(Option(Text.assemble(" ✎ Practise… ", ("pick the questions", "dim")), id="setup:all"))
    if mistakes:
        items.append(
            Option(Text.assemble(" ✘ Your last mistakes ", (f"{mistakes}", "bold red")), id="mistakes:")
        )
        items.append(Option(Text(" ≈ Cram mistakes (no rescheduling)"), id="cram:mistakes"))
    runs = attempts.unfinished(PRACTICE_MODES)[:SHOWN_RUNS]
    for row in runs:
        answered = len(attempts.answers(row.id))
        title = str(row.state.get("title") or row.quiz_id)
        items.append(
            Option(
                Text.assemble(
                    " » Resume ",
                    (title, "bold"),
                    (f"  {answered} of {len(row.question_ids)} answered", "dim"),
                ),
                id=f"practice:{row.id}",
            )
        )
    items.append(Option(Text("Mock exams", style="bold underline"), disabled=True))
    titles = {e.id: e.title for e in outline.exams}
    for row in attempts.unfinished():
        left = int(row.remaining or 0)
        items.append(
            Option(
                Text.assemble(
                    " » Resume ",
                    (titles.get(row.quiz_id, row.quiz_id), "bold"),
                    f"  {left // 60}:{left % 60:02d} left",
                ),
                id=f"resume:{row.id}",
            )
        )
    for exam in outline.exams:
        history = attempts.history(exam.id, limit=20)
        best = max((h.result.get("scaled", 0) for h in history if h.result), default=None)
        detail = exam.detail + (f" · best {best}" if best is not None else "")
        items.append(Option(Text.assemble(" ◇ ", exam.title, (f"  {detail}", "dim")), id=f"exam:{exam.id}"))
        if course is not None and exam.id in course.exams:
            bank = list(course.questions.values())
            items.append(Option(readiness_line(course.exams[exam.id], srs, bank), disabled=True))
    items.append(Option(Text("Progress", style="bold underline"), disabled=True))
    items.append(Option(Text(" ▤ Readiness and history"), id="stats:"))
    items.append(Option(Text(" ★ Bookmarks and notes"), id="notes:"))
    return items
