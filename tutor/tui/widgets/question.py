"""One question on screen: choose by key, see feedback, or review a past answer.

The widget holds the learner's selection and turns it into a response dict (the shape
`tutor.quiz.grading` expects); screens decide when to grade or save.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.markdown import Markdown
from rich.style import Style
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from tutor.content.links import safe_url
from tutor.content.models.questions import (
    DiscreteOptions,
    Matching,
    MultipleChoice,
    Ordering,
    Question,
    SingleChoice,
    TrueFalse,
    TypedQuestion,
)
from tutor.quiz.grading import Grade, choose_words, domc_next, domc_state
from tutor.quiz.public import stem as public_stem
from tutor.tui.widgets.matching import matching_lines

KEYS = "123456789"
TYPE_HINT = {
    "single": "Press a number, or move with ↑/↓; Enter answers with the highlighted line.",
    "multiple": "Press numbers (or Space on the highlighted line) to select, Enter to answer.",
    "true_false": "Press 1 for True or 2 for False (or move with ↑/↓), Enter to answer.",
    "domc": "Is this option a correct answer? Press 1 for Yes or 2 for No.",
    "ordering": "Move with ↑/↓, drag the highlighted step with [ and ] (or shift+↑/↓), Enter to answer.",
    "command": "Type the command and press Enter (Esc leaves the box). It is parsed, never run.",
    "short": "Type the answer and press Enter (Esc leaves the box).",
    "matching": "↑/↓ picks an item, a number gives it that answer (Backspace clears it), Enter to answer.",
    "numeric": "Type the number and press Enter (Esc leaves the box).",
}
PLACEHOLDER = {"command": "docker ...", "numeric": "a number"}


def stem(question: Question) -> str:
    return public_stem(question, bold=True)


class QuestionView(VerticalScroll, can_focus=False):
    """Shows `question` with options in `order`; `locked` once answered."""

    DEFAULT_CSS = """
    QuestionView { height: 1fr; padding: 0 1; }
    QuestionView #q-prompt { margin-bottom: 1; }
    QuestionView #q-body { height: auto; }
    QuestionView #q-feedback { height: auto; margin-top: 1; }
    QuestionView Input { margin-top: 1; }
    """

    def __init__(
        self,
        question: Question,
        order: list[str],
        *,
        response: dict[str, Any] | None = None,
        number: str = "",
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.question = question
        self.order = order
        self.number = number
        self.locked = False
        self.highlight = 0
        self.selected: set[str] = set()
        self.value: bool | None = None
        self.steps: list[str] = list(order)
        self.domc_answers: list[tuple[str, bool]] = []
        self.matches: dict[str, str] = {}
        self.grade: Grade | None = None
        self._typed = ""
        if response:
            self._restore(response)

    @property
    def typed(self) -> bool:
        """Answered by typing into a text box (a command, a short answer, a number)."""
        return isinstance(self.question, TypedQuestion)

    # -- building ---------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        header = Text(self.number, style="bold cyan") if self.number else Text("")
        yield Static(Group(header, Markdown(stem(self.question))), id="q-prompt")
        yield Static(self._body(), id="q-body")
        if self.typed:
            placeholder = PLACEHOLDER.get(self.question.type, "your answer")
            yield Input(placeholder=placeholder, id="q-input", value=self._typed)
        yield Static(Text(TYPE_HINT[self.question.type], style="dim italic"), id="q-hint")
        yield Static(id="q-feedback")

    def on_mount(self) -> None:
        self.redraw()

    def focus_input(self) -> None:
        for widget in self.query(Input):
            widget.focus()

    # -- state from a saved response -------------------------------------------------
    def _restore(self, response: dict[str, Any]) -> None:
        if "choice" in response:
            self.selected = {response["choice"]}
        elif "choices" in response:
            self.selected = set(response["choices"])
        elif "value" in response:
            self.value = bool(response["value"])
        elif "order" in response:
            self.steps = list(response["order"])
        elif "answers" in response:
            self.domc_answers = [(a, bool(y)) for a, y in response["answers"]]
        elif "text" in response:
            self._typed = str(response["text"])
        elif "matches" in response:
            self.matches = dict(response["matches"])

    # -- the learner's moves ------------------------------------------------------------
    def choose(self, position: int) -> None:
        q = self.question
        if self.locked:
            return
        if isinstance(q, TrueFalse):
            if position in (0, 1):
                self.value = position == 0
                self.highlight = position
        elif isinstance(q, SingleChoice | MultipleChoice) and 0 <= position < len(self.order):
            option = self.order[position]
            self.highlight = position
            if isinstance(q, SingleChoice):
                self.selected = {option}
            elif option in self.selected:
                self.selected.discard(option)
            elif len(self.selected) >= len(q.answer):  # as in the exam: never more than "Choose N"
                self.app.notify(
                    f"{choose_words(len(q.answer))} Clear one of your choices to pick another.",
                    title="Too many choices",
                    severity="warning",
                    timeout=4,
                )
            else:
                self.selected.add(option)
        elif isinstance(q, Matching) and 0 <= position < len(answers := q.answers()) and self.order:
            self.matches[self.order[self.highlight]] = answers[position]
            self.highlight = min(self.highlight + 1, len(self.order) - 1)
        self.redraw()

    def clear_match(self) -> None:
        if not self.locked and isinstance(self.question, Matching) and self.order:
            self.matches.pop(self.order[self.highlight], None)
            self.redraw()

    def set_value(self, value: bool) -> None:
        if not self.locked and isinstance(self.question, TrueFalse):
            self.value = value
            self.redraw()

    def pick_highlighted(self) -> None:
        """Enter on a one-answer question selects the highlighted line (and then answers)."""
        if not self.locked and isinstance(self.question, SingleChoice | TrueFalse):
            self.choose(self.highlight)

    def toggle_highlighted(self) -> None:
        if not isinstance(self.question, Matching):  # digits choose a match; Space has no meaning there
            self.choose(self.highlight)

    def move(self, delta: int) -> None:
        if self.locked:
            return
        size = self._rows()
        if size:
            self.highlight = (self.highlight + delta) % size
            self.redraw()

    def move_step(self, delta: int) -> None:
        if self.locked or not isinstance(self.question, Ordering):
            return
        i, j = self.highlight, self.highlight + delta
        if 0 <= j < len(self.steps):
            self.steps[i], self.steps[j] = self.steps[j], self.steps[i]
            self.highlight = j
            self.redraw()

    def domc_say(self, yes: bool) -> bool:
        """Answer the option on show; True once the outcome is settled."""
        q = self.question
        if self.locked or not isinstance(q, DiscreteOptions):
            return True
        current = domc_next(q, self.order, self.domc_answers)
        if current is not None:
            self.domc_answers.append((current, yes))
        self.redraw()
        return domc_state(q, self.domc_answers) != "open"

    def _rows(self) -> int:
        q = self.question
        if isinstance(q, TrueFalse):
            return 2
        if isinstance(q, SingleChoice | MultipleChoice):
            return len(self.order)
        if isinstance(q, Ordering):
            return len(self.steps)
        if isinstance(q, Matching):
            return len(self.order)
        return 0

    def response(self) -> dict[str, Any] | None:
        """The answer so far, or None when nothing is chosen yet."""
        q = self.question
        if isinstance(q, SingleChoice):
            return {"choice": next(iter(self.selected))} if self.selected else None
        if isinstance(q, MultipleChoice):
            return {"choices": sorted(self.selected)} if self.selected else None
        if isinstance(q, TrueFalse):
            return None if self.value is None else {"value": self.value}
        if isinstance(q, DiscreteOptions):
            return {"answers": [[a, y] for a, y in self.domc_answers]} if self.domc_answers else None
        if isinstance(q, Ordering):
            return {"order": list(self.steps)}
        if isinstance(q, Matching):
            return {"matches": dict(self.matches)} if self.matches else None
        text = self.query_one("#q-input", Input).value.strip() if self.is_mounted else self._typed
        return {"text": text} if text else None

    # -- showing ----------------------------------------------------------------------
    def show_grade(self, grade: Grade, *, explain: bool = True) -> None:
        self.locked = True
        self.grade = grade
        for widget in self.query(Input):
            widget.disabled = True
        self.query_one("#q-hint", Static).display = False
        self.redraw()
        if explain:
            self.query_one("#q-feedback", Static).update(self._feedback(grade))

    def redraw(self) -> None:
        if self.is_mounted:
            self.query_one("#q-body", Static).update(self._body())

    def _line(self, i: int, mark: str, text: str, style: str = "") -> Text:
        pointer = "▸" if (i == self.highlight and not self.locked) else " "
        return Text.assemble(
            f"{pointer} ", (f"{KEYS[i] if i < len(KEYS) else ' '} ", "bold cyan"), mark, " ", (text, style)
        )

    def _body(self) -> RenderableType:
        q = self.question
        g = self.grade
        lines: list[Text] = []
        if isinstance(q, SingleChoice | MultipleChoice):
            correct = q.correct_ids()
            for i, oid in enumerate(self.order):
                chosen = oid in self.selected
                mark = (
                    ("(•)" if chosen else "( )")
                    if isinstance(q, SingleChoice)
                    else ("[x]" if chosen else "[ ]")
                )
                style = ""
                if g is not None:
                    style = "green" if oid in correct else ("red" if chosen else "dim")
                lines.append(self._line(i, mark, q.option(oid).text, style))
        elif isinstance(q, TrueFalse):
            for i, (label, val) in enumerate((("True", True), ("False", False))):
                chosen = self.value is val
                style = ""
                if g is not None:
                    style = "green" if q.answer is val else ("red" if chosen else "dim")
                lines.append(self._line(i, "(•)" if chosen else "( )", label, style))
        elif isinstance(q, Ordering):
            right = [s.id for s in q.steps]
            by_id = {s.id: s for s in q.steps}
            for i, sid in enumerate(self.steps):
                style = ""
                if g is not None:
                    style = "green" if right[i] == sid else "red"
                lines.append(self._line(i, f"{i + 1}.", by_id[sid].text, style))
        elif isinstance(q, DiscreteOptions):
            correct = q.correct_ids()
            for oid, yes in self.domc_answers:
                ok = yes == (oid in correct)
                verdict = ("Yes" if yes else "No") + ("" if g is None else (" ✔" if ok else " ✘"))
                lines.append(
                    Text.assemble(
                        ("  ", ""),
                        (f"{verdict:<6} ", "bold"),
                        q.option(oid).text,
                        style="" if g is None else ("green" if ok else "red"),
                    )
                )
            current = domc_next(q, self.order, self.domc_answers) if g is None else None
            if current is not None:
                n = len(self.domc_answers) + 1
                lines.append(Text.assemble((f"Option {n}: ", "bold cyan"), q.option(current).text))
                lines.append(Text.assemble(("  1 ", "bold cyan"), "Yes    ", ("2 ", "bold cyan"), "No"))
        elif isinstance(q, Matching):
            lines = matching_lines(
                q, self.order, self.matches, self.highlight, locked=self.locked, graded=g is not None
            )
        return Group(*lines) if lines else Text("")

    def _feedback(self, g: Grade) -> RenderableType:
        q = self.question
        parts: list[RenderableType] = []
        if g.correct:
            parts.append(Text("✔ Correct", style="bold green"))
        elif g.score > 0:
            parts.append(Text(f"◐ Partly right ({g.score:.0%})", style="bold yellow"))
        else:
            parts.append(Text("✘ Not quite", style="bold red"))
        if g.reason and isinstance(q, TypedQuestion):
            parts.append(Text(f"  {g.reason}", style="yellow"))
        if not g.correct and g.right_answer:
            parts.append(Text.assemble(("Right answer: ", "bold"), g.right_answer))
        if isinstance(q, TrueFalse):
            parts.append(Text.assemble(("True: ", "bold"), q.why_true))
            parts.append(Text.assemble(("False: ", "bold"), q.why_false))
        for v in g.verdicts:
            mark, style = ("✔", "green") if v.correct else ("✘", "red")
            why = f"\n   {v.why}" if v.why else ""
            parts.append(Text.assemble((f"{mark} ", style), (v.text, "bold"), why))
        if isinstance(q, Ordering):
            for i, s in enumerate(q.steps, 1):
                parts.append(Text.assemble((f"{i}. ", "bold"), (s.text, "bold"), f" — {s.why}"))
        parts.append(Text(""))
        parts.append(Markdown(q.explanation))
        parts += [reference_line(ref.title, ref.url) for ref in q.references]
        return Group(*parts)


def printable(text: str) -> str:
    """A URL that is not a link, as text: control characters shown as \\xNN, never sent."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def reference_line(title: str, url: str) -> Text:
    """`↗ Title  https://...`, the URL a terminal hyperlink (OSC 8) when it is a plain http(s) URL."""
    link = safe_url(url)
    line = Text.assemble(("↗ ", "cyan"), (title or printable(url), "bold"))
    if title:
        line.append("  ")
        shown = Style(link=link, underline=True) if link else Style(dim=True)
        line.append(url if link else f"{printable(url)} (not a web link)", shown)
    elif link:
        line.stylize(Style(link=link), 2)
    return line
