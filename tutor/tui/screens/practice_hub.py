"""The "Practice & exams" row of the home screen: review, mistakes, mock exams, readiness."""

from __future__ import annotations

from datetime import UTC, datetime

from rich.text import Text
from textual.widgets.option_list import Option

from tutor.content.course import Course
from tutor.content.models.exams import ExamBlueprint
from tutor.content.models.questions import Question
from tutor.content.outline import Outline
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore
from tutor.quiz.srs import Repetition
from tutor.tui.widgets.charts import level_text

PRACTICE_ROW = "__practice__"


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
    ready = srs.readiness(exam, bank)
    text = Text("    readiness ", style="dim")
    for r in ready:
        text.append_text(level_text(r.readiness))
    weakest = min(ready, key=lambda r: r.readiness, default=None)
    if weakest is not None:
        name = weakest.name if len(weakest.name) <= 28 else weakest.name[:27] + "…"
        text.append(f"  weakest: {name} {weakest.readiness:.0%}", style="dim")
    return text


def practice_items(outline: Outline, store: ProgressStore, course: Course | None = None) -> list[Option]:
    srs = Repetition(store)
    attempts = Attempts(store)
    due = srs.due_count()
    mistakes = len(srs.mistakes())
    items = [Option(Text("Spaced repetition", style="bold underline"), disabled=True)]
    if due:
        items.append(
            Option(Text.assemble(" ↻ Review what is due ", (f"{due} due now", "bold yellow")), id="review:")
        )
    else:
        items.append(Option(Text.assemble(" ↻ Nothing due ", (_when(srs.next_due()), "dim")), disabled=True))
    if mistakes:
        items.append(
            Option(Text.assemble(" ✘ Your last mistakes ", (f"{mistakes}", "bold red")), id="mistakes:")
        )
        items.append(Option(Text(" ≈ Cram your mistakes (schedule unchanged)"), id="cram:mistakes"))
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
    items.append(Option(Text(" ▤ Readiness per exam domain and history"), id="stats:"))
    return items
