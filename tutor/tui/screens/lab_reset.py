"""Resetting a lab from its screen: list what the lab made, ask, remove it, start again."""

from __future__ import annotations

from typing import Any

from textual import work

from tutor.labs import shellenv
from tutor.tui.screens.confirm import ChoiceScreen
from tutor.tui.screens.lab_terminal import TERM, LabTerminal


class LabResetMixin:
    """x on the lab screen: the plan (what would be removed) is made in a worker, shown, and
    carried out in a worker; the shell restarts in the new attempt's workspace."""

    app: Any
    lab: Any
    session: Any
    results: dict[str, Any]
    hints: list[str]
    solution_text: str
    step_index: int
    notify: Any
    draw: Any
    query_one: Any
    _need_session: Any

    def action_reset(self) -> None:
        if self._need_session():
            self.plan_reset()

    @work(thread=True, exclusive=True, group="lab-reset", exit_on_error=False)
    def plan_reset(self) -> None:
        assert self.session is not None
        plan = self.session.reset_plan()
        self.app.call_from_thread(self._confirm_reset, plan)

    def _confirm_reset(self, plan: Any) -> None:
        lines = [f"[b]Reset {self.lab.title}?[/b]"]
        if plan.sure:
            lines.append("This removes:")
            lines += [f"  • {r.kind} {r.name} ({r.why})" for r in plan.sure]
        else:
            lines.append("Nothing of this lab is on the engine; your progress in it is cleared.")
        choices = [("y", "Reset"), ("n", "Cancel")]
        if plan.unsure:
            lines.append("These have lab names but are older than this attempt; they may be yours:")
            lines += [f"  • {r.kind} {r.name}" for r in plan.unsure]
            lines.append("[b]y[/b] keeps them, [b]a[/b] removes them too.")
            choices = [("y", "Reset, keep those"), ("a", "Remove all"), ("n", "Cancel")]

        def chosen(key: str | None) -> None:
            if key in ("y", "a"):
                self.apply_reset(plan, key == "a")

        self.app.push_screen(ChoiceScreen("\n".join(lines), choices, cancel="n"), chosen)

    @work(thread=True, exclusive=True, group="lab-reset", exit_on_error=False)
    def apply_reset(self, plan: Any, include_unsure: bool) -> None:
        assert self.session is not None
        removed = self.session.reset(plan=plan, include_unsure=include_unsure)
        self.session.start()
        launch = shellenv.for_session(self.session, term=TERM)  # new parameters, a new workspace
        self.app.call_from_thread(self._reset_done, len(removed), launch)

    def _reset_done(self, removed: int, launch: shellenv.ShellLaunch) -> None:
        self.query_one(LabTerminal).start_shell(launch)
        self.results.clear()
        self.hints = []
        self.solution_text = ""
        self.step_index = 0
        self.notify(f"Reset: {removed} resource(s) removed; the lab starts again.", timeout=5)
        self.draw()
