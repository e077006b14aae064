"""Keys shared by every screen that shows a QuestionView."""

from __future__ import annotations

from textual.binding import Binding

from tutor.content.models.questions import DiscreteOptions
from tutor.tui.widgets.question import QuestionView

QUESTION_BINDINGS = [
    *(
        Binding(
            str(n),
            f"number({n})",
            "Pick",
            show=False,
            id=f"question.number{n}",
            tooltip="Pick the numbered line: an option, True/False, Yes/No, or after the answer a rating",
        )
        for n in range(1, 10)
    ),
    Binding(
        "space",
        "toggle",
        "Select",
        show=False,
        id="question.toggle",
        tooltip="Select the highlighted line, or unselect it",
    ),
    Binding("up", "move(-1)", "Up", show=False, id="question.up"),
    Binding("down", "move(1)", "Down", show=False, id="question.down"),
    Binding("left_square_bracket,shift+up", "move_step(-1)", "Step up", show=False, id="question.step_up"),
    Binding(
        "right_square_bracket,shift+down", "move_step(1)", "Step down", show=False, id="question.step_down"
    ),
    Binding(
        "backspace,delete", "clear_match", "Clear", show=False, id="question.clear", tooltip="Clear a match"
    ),
    Binding("pagedown", "page(1)", "Page down", show=False, id="question.pagedown"),
    Binding("pageup", "page(-1)", "Page up", show=False, id="question.pageup"),
]


class QuestionKeys:
    """Actions for QUESTION_BINDINGS; the screen provides `view` and `after_change()`."""

    @property
    def view(self) -> QuestionView | None:
        found = self.query(QuestionView)  # type: ignore[attr-defined]
        return found.first() if found else None

    def after_change(self) -> None:  # overridden by the exam screen to save
        return None

    def question_key_state(self, action: str) -> bool | None:
        """For check_action: every question key is always available (none is shown)."""
        return True

    def after_domc_settled(self) -> None:
        return None

    def action_number(self, n: int) -> None:
        """A digit picks the numbered line: in a DOMC, 1 is Yes and 2 is No."""
        if self.domc_waiting():
            if n in (1, 2):
                self.action_domc(n == 1)
            return
        self.action_choose(n - 1)

    def action_choose(self, position: int) -> None:
        if self.view:
            self.view.choose(position)
            self.after_change()

    def action_toggle(self) -> None:
        if self.view:
            self.view.toggle_highlighted()
            self.after_change()

    def action_clear_match(self) -> None:
        if self.view:
            self.view.clear_match()
            self.after_change()

    def action_move(self, delta: int) -> None:
        if self.view:
            self.view.move(delta)

    def action_page(self, direction: int) -> None:
        if self.view:
            (self.view.scroll_page_down if direction > 0 else self.view.scroll_page_up)()

    def action_move_step(self, delta: int) -> None:
        if self.view:
            self.view.move_step(delta)
            self.after_change()

    def action_domc(self, yes: bool) -> None:
        view = self.view
        if view and isinstance(view.question, DiscreteOptions) and not view.locked and view.domc_say(yes):
            self.after_domc_settled()
        self.refresh_bindings()  # type: ignore[attr-defined]

    def domc_waiting(self) -> bool:
        view = self.view
        return bool(view and isinstance(view.question, DiscreteOptions) and not view.locked)
