"""The lab screen: steps, instructions, live checks with reasons, and the learner's shell (checks
run after each command it finishes; F6, F7: see lab_terminal); c check, Space auto-check, h hint
(then the solution), x reset (lab_reset). Every Docker call runs in a thread worker with a timeout."""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.markdown import Markdown as RichMarkdown
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState

from tutor.base.errors import TutorError
from tutor.labs import orchestration, shellenv
from tutor.labs.engine import CheckResult, LabSession
from tutor.tui.context import UsesTutor
from tutor.tui.keymap import bind
from tutor.tui.screens.confirm import confirm
from tutor.tui.screens.lab_reset import LabResetMixin
from tutor.tui.screens.lab_terminal import (
    TERM,
    TERMINAL_BINDINGS,
    LabTerminal,
    LabTerminalMixin,
    apply_layout,
)
from tutor.tui.widgets.terminal import Terminal

WATCH_EVERY = 2.0


HINT_HELP = "The next hint for this step; after the last one, the solution (asks first)"


class LabScreen(UsesTutor, LabResetMixin, LabTerminalMixin, Screen[None]):
    BINDINGS = [
        bind("c", "check", "Run this step's checks now", id="lab.check"),
        Binding("space", "watch", "Auto-check", id="lab.watch", tooltip="Check every 2 seconds, on or off"),
        bind("h", "hint", HINT_HELP, id="lab.hint"),
        bind("x", "reset", "Remove what this lab made and start again (lists it first)", id="lab.reset"),
        bind("n", "step(1)", "The next step", id="lab.next", show=False),
        bind("p", "step(-1)", "The step before", id="lab.prev", show=False),
        Binding("escape", "back", "Back", id="lab.back", tooltip="Back; the lab keeps what you did"),
        *TERMINAL_BINDINGS,
    ]

    def __init__(self, lab_id: str) -> None:
        super().__init__()
        self.lab_id = lab_id
        self.session: LabSession | None = None
        self.step_index = 0
        self.watching = False
        self.results: dict[str, list[CheckResult]] = {}
        self.hints: list[str] = []
        self.solution_text: str = ""
        self.problem: str = ""
        self.show_terminal = True  # below WIDE columns: which pane is shown
        self.wide = False
        self._recheck = False  # a command finished while a check was running

    @property
    def lab(self) -> Any:
        return self.tutor.services.course.labs[self.lab_id]

    @property
    def step(self) -> Any:
        return self.lab.steps[self.step_index]

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="lab-body"):
            yield OptionList(id="lab-steps")
            with Vertical(id="lab-main"):
                with VerticalScroll(id="lab-instructions"):
                    yield Static(id="lab-text")
                yield Static(id="lab-status")
                with VerticalScroll(id="lab-checks"):
                    yield Static(id="lab-results")
                if self.lab.needs.ecs:
                    yield Static(id="lab-ecs")
            yield LabTerminal(id="lab-term-pane")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = self.lab.title
        self.query_one("#lab-status", Static).update(Text("Preparing the lab…", style="italic"))
        self.wide = apply_layout(self, self.show_terminal)
        self.draw()
        self.query_one(Terminal).focus()
        self.start_lab()
        self.set_interval(WATCH_EVERY, self._watch_tick)
        if self.lab.needs.ecs:
            self.set_interval(WATCH_EVERY, self.refresh_tasks)

    # -- drawing --------------------------------------------------------------------
    def render_text(self, text: str) -> str:
        return self.session.render(text) if self.session else text

    def draw(self) -> None:
        passed = self.session.passed_steps() if self.session and self.session.attempt else set()
        steps = self.query_one("#lab-steps", OptionList)
        steps.clear_options()
        for i, step in enumerate(self.lab.steps):
            ready = all(n in passed for n in step.needs)
            mark, style = (
                ("✔", "green")
                if step.id in passed
                else (("▶", "cyan") if i == self.step_index else ("○" if ready else "·", "dim"))
            )
            steps.add_option(
                Option(
                    Text.assemble((f"{mark} ", style), f"{i + 1}. {self.render_text(step.title)}"), id=step.id
                )
            )
        steps.highlighted = self.step_index
        step = self.step
        body = [
            Text(
                f"Step {self.step_index + 1} of {len(self.lab.steps)}: {self.render_text(step.title)}",
                style="bold",
            ),
            RichMarkdown(self.render_text(step.instructions)),
        ]
        if self.hints:
            body.append(Text("Hints", style="bold yellow"))
            body += [RichMarkdown(f"{i}. {h}", style="yellow") for i, h in enumerate(self.hints, 1)]
        if self.solution_text:
            body.append(Text("Solution", style="bold magenta"))
            body.append(RichMarkdown(self.solution_text))
        self.query_one("#lab-text", Static).update(Group(*body))
        self._draw_results()
        self._draw_status()

    def _draw_status(self, extra: str = "") -> None:
        if self.problem:
            self.query_one("#lab-status", Static).update(Text(self.problem, style="bold red"))
            return
        watch = (
            "checking every 2 s (Space: stop)"
            if self.watching
            else "c check · Space auto-check · F6 terminal"
        )
        self.query_one("#lab-status", Static).update(Text.assemble((f" {watch} ", "reverse"), f" {extra}"))

    def _draw_results(self) -> None:
        lines: list[Text] = []
        results = self.results.get(self.step.id, [])
        by_index = {r.index: r for r in results}
        for i, spec in enumerate(self.step.checks):
            from tutor.labs.checks import describe

            title = self.render_text(describe(spec))
            r = by_index.get(i)
            if r is None:
                lines.append(Text.assemble(("  … ", "dim"), title))
                continue
            mark, style = ("✔", "green") if r.passed else ("✘", "red")
            lines.append(Text.assemble((f"  {mark} ", style), title))
            if not r.passed:
                lines.append(Text(f"      {r.reason}", style="red"))
                if r.hint:
                    lines.append(Text(f"      hint: {r.hint}", style="dim"))
        self.query_one("#lab-results", Static).update(Group(*lines))
        self.draw_bar(results)

    # -- workers ------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="lab-start", exit_on_error=False)
    def start_lab(self) -> None:
        services = self.tutor.services
        session = LabSession(services.course, services.store, self.lab_id)
        if said := orchestration.notice_before_start(session):  # swarm mode: said before it changes
            self.app.call_from_thread(self.notify, said, timeout=10)
        session.start()
        launch = shellenv.for_session(session, term=TERM)
        self.app.call_from_thread(self._started, session, launch)

    def _started(self, session: LabSession, launch: shellenv.ShellLaunch) -> None:
        self.session = session
        self.shell_ready(launch)
        self.problem = ""
        current = session.current_step()
        self.step_index = self.lab.steps.index(current)
        self.hints = session.hints_shown(current.id)
        for step in self.lab.steps:
            last = session.records.last_results(self.lab_id, step.id)
            if last:
                self.results[step.id] = [CheckResult(**r) for r in last]
        self.notify(f"Lab ready. Your workspace: {session.workspace}", timeout=6)
        self.draw()

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR:
            return
        err = event.worker.error
        if isinstance(err, TutorError):
            self.problem = f"{err.message}" + (f"\nfix: {err.hint}" if err.hint else "")
        else:
            self.problem = f"Something went wrong: {err}"
        self.watching = False
        self._draw_status()
        self.query_one(LabTerminal).show_problem(self.problem)

    @work(thread=True, exclusive=True, group="lab-check", exit_on_error=False)
    def run_checks(self, step_id: str) -> None:
        session = self.session
        if session is None:
            return
        for result in session.check_step(step_id):
            self.app.call_from_thread(self._add_result, step_id, result)
        self.app.call_from_thread(self._checked, step_id)

    def _add_result(self, step_id: str, result: CheckResult) -> None:
        """Each result replaces the last one of its check (no blank flash between runs)."""
        kept = [r for r in self.results.get(step_id, []) if r.index != result.index]
        self.results[step_id] = sorted([*kept, result], key=lambda r: r.index)
        if step_id == self.step.id:
            self._draw_results()

    def _checked(self, step_id: str) -> None:
        if self._recheck:
            self._recheck = False
            self.call_after_refresh(self.run_checks, self.step.id)
        results = self.results.get(step_id, [])
        if results and all(r.passed for r in results):
            index = next(i for i, s in enumerate(self.lab.steps) if s.id == step_id)
            if index == len(self.lab.steps) - 1:
                self.notify("Lab complete! ✔", title=self.lab.title, timeout=8)
                self.watching = False
            else:
                self.notify(f"Step {index + 1} done ✔", timeout=4)
                if index == self.step_index:
                    self.goto(index + 1)
                    return
        self.problem = ""
        self.draw()

    @work(thread=True, exclusive=True, group="lab-ecs", exit_on_error=False)
    def refresh_tasks(self) -> None:
        """The live view of local ECS tasks and service events, for the ECS labs."""
        if self.session is None:
            return
        from tutor.aws.ecs import agent, runner

        tasks = runner.list_tasks(self.session.client)
        services = sorted({t.service for t in tasks if t.service})
        events = [e for s in services for e in agent.events(s, limit=3)]
        self.app.call_from_thread(self._draw_tasks, tasks, events)

    def _draw_tasks(self, tasks: list[Any], events: list[dict[str, Any]]) -> None:
        lines = [Text("Local ECS tasks", style="bold")]
        if not tasks:
            lines.append(Text("  none running", style="dim"))
        for t in tasks[:8]:
            style = {"RUNNING": "green", "PENDING": "yellow"}.get(t.last_status, "red")
            health = {"HEALTHY": "green", "UNHEALTHY": "red"}.get(t.health, "dim")
            lines.append(
                Text.assemble(
                    f"  {t.short_id} {t.family}:{t.revision} ",
                    (f"{t.last_status:<9}", style),
                    (f"{t.health:<9}", health),
                    (f" {t.service}" if t.service else "", "dim"),
                )
            )
        for e in events[:3]:
            lines.append(Text(f"  {e['at'][11:]} {e['message']}", style="dim"))
        self.query_one("#lab-ecs", Static).update(Group(*lines))

    def _watch_tick(self) -> None:
        if self.watching and self.session is not None and not self._checking():
            self.run_checks(self.step.id)

    def _checking(self) -> bool:
        return any(
            w.group == "lab-check" and w.state in (WorkerState.PENDING, WorkerState.RUNNING)
            for w in self.workers
        )

    # -- actions -------------------------------------------------------------------------
    def _need_session(self) -> bool:
        if self.session is None:
            self.notify(self.problem or "The lab is still being prepared.", severity="warning", timeout=4)
            return False
        return True

    def action_check(self) -> None:
        if self._need_session() and not self._checking():
            self.run_checks(self.step.id)

    def action_watch(self) -> None:
        if not self._need_session():
            return
        self.watching = not self.watching
        self.notify(
            "Watching: checks run every 2 seconds." if self.watching else "Stopped watching.", timeout=3
        )
        self._draw_status()
        if self.watching:
            self._watch_tick()

    def action_hint(self) -> None:
        if not self._need_session():
            return
        assert self.session is not None
        text, n, total = self.session.next_hint(self.step.id)
        if text is None:  # no hint left: the solution is the next help (it asks first)
            self.action_solution()
            return
        self.hints.append(text)
        self.draw()
        self.notify(f"Hint {n} of {total}", timeout=2)

    def action_solution(self) -> None:
        if not self._need_session():
            return

        def show(answer: str | None) -> None:
            if answer != "y" or self.session is None:
                return
            sol = self.session.solution(self.step.id)
            parts = [f"`{path}`:\n\n```\n{content.rstrip()}\n```" for path, content in sol["files"].items()]
            if sol["commands"]:
                parts.append("```bash\n" + "\n".join(sol["commands"]) + "\n```")
            if sol["note"]:
                parts.append(sol["note"])
            self.solution_text = "\n\n".join(parts) or "(no solution given)"
            self.draw()

        if self.solution_text:
            self.notify("The solution is shown under the instructions.", timeout=3)
            return
        self.app.push_screen(
            confirm("No hint is left for this step. Show the solution? Trying first teaches more."), show
        )

    def goto(self, index: int) -> None:
        self.step_index = max(0, min(index, len(self.lab.steps) - 1))
        self.hints = self.session.hints_shown(self.step.id) if self.session else []
        self.solution_text = ""
        self.draw()

    def action_step(self, delta: int) -> None:
        self.goto(self.step_index + delta)

    @on(OptionList.OptionSelected, "#lab-steps")
    def _pick_step(self, event: OptionList.OptionSelected) -> None:
        self.goto(event.option_index)

    def action_back(self) -> None:
        self.watching = False
        if self.session is not None:
            self.session.close()
        self.dismiss()
