"""The lab screen's terminal: the learner's shell in the lab's workspace and environment, a
one-line bar with the step and its checks, and the layout rule (side by side when the screen
is wide, one pane at a time below that: F6 switches)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Footer, Static

from tutor.labs import snippets
from tutor.labs.events import EventWatch
from tutor.labs.shellenv import ShellLaunch
from tutor.tui.widgets.terminal import Terminal

WIDE = 140  # columns from which instructions and terminal sit side by side
TERM = "xterm-256color"  # what the widget emulates (pyte: VT220 plus xterm's common modes)
# Priority keys: they work while the shell has every other key (ctrl+c included).
TERMINAL_BINDINGS = [
    Binding(
        "f6",
        "switch",
        "Terminal",
        id="lab.switch",
        priority=True,
        tooltip="Move between the terminal and the instructions (below 140 columns: show one or the other)",
    ),
    Binding(
        "f7",
        "type_command",
        "Type",
        id="lab.type",
        priority=True,
        tooltip="Type the step's next command into the terminal; Enter runs it",
    ),
]


class LabTerminal(Vertical):
    """A bar and the terminal. The lab screen starts the shell once the lab is ready."""

    DEFAULT_CSS = """
    LabTerminal {
        width: 1fr;
        height: 1fr;
    }
    LabTerminal > #lab-term-bar {
        height: 1;
        background: $panel;
        padding: 0 1;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.launch: ShellLaunch | None = None
        self.typed: dict[str, int] = {}  # step id -> how many of its commands were typed

    def compose(self) -> ComposeResult:
        yield Static(id="lab-term-bar")
        term = Terminal(id="lab-term")
        term.placeholder = "Preparing the lab… the shell starts as soon as it is ready."
        yield term

    @property
    def terminal(self) -> Terminal:
        return self.query_one(Terminal)

    def start_shell(self, launch: ShellLaunch) -> None:
        self.launch = launch
        self.terminal.start(launch.argv, launch.env, launch.cwd)
        if launch.note:
            self.notify(launch.note, timeout=8)

    def show_problem(self, text: str) -> None:
        term = self.terminal
        if not term.running:
            term.placeholder = text
            term.refresh()

    def draw_bar(self, title: str, marks: list[bool | None], done: bool, wide: bool) -> None:
        """`Step 2/3 Title ✔✔✘ · F6 instructions · F7 type the step's command`."""
        bar = Text.assemble((title, "bold green" if done else "bold"), " ", no_wrap=True, overflow="ellipsis")
        for m in marks:
            mark, style = ("✔", "green") if m else (("✘", "red") if m is False else ("…", "dim"))
            bar.append(mark, style)
        bar.append(f"  F6 {'leave' if wide else 'text'} · F7 type the step's command · ctrl+q quit", "dim")
        self.query_one("#lab-term-bar", Static).update(bar)

    def type_next(self, step_id: str, instructions: str) -> str | None:
        """Type the step's next command block (not run); the text typed, or None if none."""
        blocks = snippets.commands(instructions)
        if not blocks:
            return None
        n = self.typed.get(step_id, 0)
        text = blocks[n % len(blocks)]
        self.typed[step_id] = n + 1
        term = self.terminal
        if "\n" in text and not term.bracketed_paste:
            text = snippets.one_line(text)
        term.send_text(text)
        return text


def apply_layout(screen: Any, show_terminal: bool) -> bool:
    """Side by side from WIDE columns; below, only the pane in use. True when wide."""
    wide = screen.size.width >= WIDE
    screen.set_class(wide, "-wide")
    screen.set_class(not wide and show_terminal, "-show-term")
    screen.set_class(not wide and not show_terminal, "-show-text")
    return wide


class LabTerminalMixin:
    """The lab screen's side of its terminal: checks after each finished command, the layout,
    F6 and F7, and the letter keys hidden while the shell has them."""

    LETTER_ACTIONS = {"check", "watch", "hint", "solution", "reset", "step", "back"}
    _events: EventWatch | None = None
    app: Any
    session: Any
    show_terminal: bool
    wide: bool
    _recheck: bool
    step: Any
    step_index: int
    lab: Any
    focused: Any
    query_one: Any
    notify: Any
    refresh_bindings: Any
    render_text: Any
    run_checks: Any
    _checking: Any
    _need_session: Any

    def draw_bar(self, results: list[Any]) -> None:
        by_index = {r.index: r.passed for r in results}
        marks = [by_index.get(i) for i in range(len(self.step.checks))]
        title = f"Step {self.step_index + 1}/{len(self.lab.steps)} {self.render_text(self.step.title)}"
        self.query_one(LabTerminal).draw_bar(title, marks, all(m for m in marks), self.wide)

    def shell_ready(self, launch: ShellLaunch) -> None:
        """The lab is ready: start its shell, and listen to the engine for its resources."""
        self.query_one(LabTerminal).start_shell(launch)
        self.watch_engine()

    def on_terminal_command_finished(self, message: Terminal.CommandFinished) -> None:
        """A command finished in the lab's shell: check the step again (in a thread worker)."""
        self.recheck()

    def recheck(self) -> None:
        if self.session is None:
            return
        if self._checking():
            self._recheck = True  # once this run ends
        else:
            self.run_checks(self.step.id)

    @work(thread=True, exclusive=True, group="lab-events", exit_on_error=False)
    def watch_engine(self) -> None:
        """Engine events of this lab's resources (made here, in another terminal, or by the
        engine itself, like a health check) check the step again too."""
        from tutor.base.dockerhost import connect

        session = self.session
        if session is None or not session.lab.needs.docker:
            return
        client = connect(timeout=10)

        def names() -> set[str]:
            return {n for group in session.declared().values() for n in group}

        self._events = EventWatch(client, session.lab.id, names)
        try:
            self._events.run(lambda _event: self.app.call_from_thread(self.recheck))
        finally:
            client.close()

    def on_unmount(self) -> None:
        if self._events is not None:
            self._events.stop()

    def on_resize(self) -> None:
        self.wide = apply_layout(self, self.show_terminal)

    def on_descendant_focus(self) -> None:
        """The footer's keys are the shell's while it has the focus: the bar says what works."""
        self.query_one(Footer).display = not isinstance(self.focused, Terminal)
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The letter keys belong to the shell while the terminal has the focus."""
        return not (action in self.LETTER_ACTIONS and isinstance(self.focused, Terminal))

    def action_switch(self) -> None:
        term = self.query_one(Terminal)
        self.show_terminal = not term.has_focus
        self.wide = apply_layout(self, self.show_terminal)
        (term if self.show_terminal else self.query_one("#lab-instructions")).focus()

    def action_type_command(self) -> None:
        if not self._need_session():
            return
        text = self.query_one(LabTerminal).type_next(self.step.id, self.render_text(self.step.instructions))
        if text is None:
            self.notify("This step shows no command to type; the instructions say what to do.", timeout=4)
            return
        if not self.query_one(Terminal).has_focus:
            self.action_switch()
