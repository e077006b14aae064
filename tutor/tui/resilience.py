"""Keeping the app alive: keys never go to a widget that is gone, ctrl+c always has an answer, and a
screen that fails shows an error (progress is saved as it goes) instead of killing the app."""

from __future__ import annotations

from pathlib import Path

from rich.markup import escape
from textual import events
from textual.app import App
from textual.message_pump import active_message_pump


class Resilient(App[int]):
    """Mixed into the app: the guards that keep it answering keys."""

    recovered: list[BaseException]

    def repair_focus(self) -> None:
        """A focused widget that was removed (a question view replaced while a modal was open, then
        focus restored to it) would swallow every key: give the focus back to the screen."""
        focused = self.screen.focused
        if focused is not None and not focused.is_attached:
            self.screen.set_focus(None)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.repair_focus()
        await super().on_event(event)

    def action_interrupt_or_quit(self) -> None:
        """ctrl+c: a widget that runs a program (the lab terminal) passes it on; elsewhere it quits."""
        focused = self.focused
        interrupt = getattr(focused, "interrupt", None)
        if callable(interrupt):
            interrupt()
        else:
            self.exit(0)

    def _handle_exception(self, error: Exception) -> None:
        pump = active_message_pump.get(None)
        if pump is None or pump is self or not self.is_running or self._exit_renderables:
            super()._handle_exception(error)  # the app itself broke: it cannot carry on
            return
        from tutor.base.crashlog import crash_log

        self.recovered = [*getattr(self, "recovered", []), error]
        where = crash_log(error)
        self.call_later(self._recover, f"{type(error).__name__}: {str(error)[:160]}", where)

    def _recover(self, what: str, where: Path | None) -> None:
        """Back to the home screen (the failed screen cannot handle events any more) and say so."""
        from tutor.tui.screens.confirm import ChoiceScreen

        while len(self.screen_stack) > 1:
            self.pop_screen()
        note = f"\n\nDetails: {escape(str(where))}" if where else ""
        self.push_screen(
            ChoiceScreen(
                f"[b]Something went wrong[/b] on that screen ({escape(what)}).\n"
                f"Your progress is saved: every answer and check is stored as it is given.{note}",
                [("enter", "Home"), ("q", "Quit")],
                cancel="enter",
            ),
            lambda key: self.exit(0) if key == "q" else None,
        )
