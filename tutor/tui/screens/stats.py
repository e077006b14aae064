"""Readiness per exam domain (from the cards' retrievability) and attempt history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.quiz.stats import learner_stats
from tutor.tui.widgets.charts import coloured_bar

if TYPE_CHECKING:
    from tutor.tui.context import Tutor


def meter(value: float, width: int = 10) -> Text:
    filled = round(value * width)
    style = "green" if value >= 0.8 else ("yellow" if value >= 0.5 else "red")
    return Text.assemble(("█" * filled, style), ("░" * (width - filled), "dim"), f" {value:.0%}")


def history_chart(series: dict[str, Any]) -> Text:
    """An exam's attempts, oldest first, one bar each, the pass mark drawn through them."""
    low, high = series["scale"]
    need = (series["pass_mark"] - low) / ((high - low) or 1)
    text = Text.assemble(
        (f"{series['title']}: your attempts", "bold"), (f"   │ = pass mark {series['pass_mark']}", "dim")
    )
    for a in series["attempts"][-10:]:
        share = (a["scaled"] - low) / ((high - low) or 1)
        text.append("\n")
        text.append_text(
            Text.assemble(
                (a["finished"].replace("T", " ")[:16], "dim"),
                "  ",
                coloured_bar(share, 36, need),
                (f" {a['scaled']:>5}", "bold"),
                (" pass" if a["passed"] else " fail", "green" if a["passed"] else "red"),
            )
        )
    return text


class StatsScreen(Screen[None]):
    BINDINGS = [Binding("escape", "back", "Back", id="stats.back")]

    def compose(self) -> ComposeResult:
        app: Tutor = self.app  # type: ignore[assignment]
        stats = learner_stats(app.services.course, app.store)
        yield Header()
        with VerticalScroll(id="stats"):
            yield Static(
                Text.assemble(
                    (f"{stats['answered_questions']}", "bold"),
                    f" of {stats['bank']} questions answered · ",
                    (f"{stats['due']} due for review", "bold yellow"),
                    f" · {stats['mistakes']} mistakes to revisit",
                )
            )
            for exam in stats["readiness"].values():
                table = Table(title=f"Readiness: {exam['title']}", expand=True, title_justify="left")
                table.add_column("Domain")
                table.add_column("Recall", no_wrap=True)
                table.add_column("Seen", justify="right")
                for d in exam["domains"]:
                    table.add_row(d["name"], meter(d["readiness"]), f"{d['seen']}/{d['questions']}")
                yield Static(table)
            for series in stats["exams"].values():
                yield Static(history_chart(series))
            history = Table(title="Recent attempts", expand=True, title_justify="left")
            for col in ("When", "Quiz or exam", "Mode", "Score"):
                history.add_column(col)
            for h in stats["history"][:15]:
                score = (
                    f"{h['scaled']} ({'pass' if h['passed'] else 'fail'})"
                    if h["scaled"] is not None
                    else (f"{h['points']}/{h['total']}" if h["total"] else "")
                )
                history.add_row(h["finished"].replace("T", " ")[:16], h["quiz"], h["mode"], score)
            yield Static(history)
            yield Static(
                Text(
                    "Recall is the chance you would answer a domain's questions right today, from your "
                    "spaced-repetition cards (questions you never answered count as 0).",
                    style="dim",
                )
            )
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Readiness and history"

    def action_back(self) -> None:
        self.dismiss()
