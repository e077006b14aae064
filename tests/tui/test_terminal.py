"""The terminal widget with a real shell on a real pty, driven by Pilot."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from pilot_waits import wait_for
from textual import events
from textual.app import App, ComposeResult

from tutor.labs import shellenv
from tutor.tui.widgets.terminal import Terminal

pytestmark = pytest.mark.skipif(os.name != "posix", reason="pseudo-terminals are POSIX")

BASH = shutil.which("bash")


def plain_bash() -> tuple[list[str], dict[str, str]]:
    assert BASH, "these tests need bash"
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": os.environ.get("HOME", "/tmp"),
        "TERM": "xterm-256color",
        "PS1": "$ ",
        "LANG": "C.UTF-8",
    }
    return [BASH, "--norc", "--noprofile", "-i"], env


class TermApp(App[None]):
    def __init__(self, argv: list[str], env: dict[str, str], cwd: str | None = None) -> None:
        super().__init__()
        self.argv, self.env, self.cwd = argv, env, cwd
        self.finished: list[int] = []
        self.exited: list[int | None] = []

    def compose(self) -> ComposeResult:
        yield Terminal(id="term")

    def on_mount(self) -> None:
        term = self.query_one(Terminal)
        term.start(self.argv, self.env, self.cwd)
        term.focus()

    def on_terminal_command_finished(self, message: Terminal.CommandFinished) -> None:
        self.finished.append(message.exit_code)

    def on_terminal_exited(self, message: Terminal.Exited) -> None:
        self.exited.append(message.exit_code)


def text(app: TermApp) -> str:
    return "\n".join(line.rstrip() for line in app.query_one(Terminal).screen_text())


def lines(app: TermApp) -> list[str]:
    return [line.rstrip() for line in app.query_one(Terminal).screen_text()]


async def test_typing_echo_hi_shows_hi() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.press(*"echo hi", "enter")
        await wait_for(pilot, lambda: "hi" in lines(app))
        # and what is drawn is what pyte holds: the widget's own lines show it too
        term = app.query_one(Terminal)
        drawn = [term.render_line(y).text.rstrip() for y in range(term.size.height)]
        assert "hi" in drawn
        await pilot.press("ctrl+d")
        await wait_for(pilot, lambda: app.exited == [0])


async def test_resize_reaches_the_program_and_the_screen() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.resize_terminal(60, 12)
        term = app.query_one(Terminal)
        await wait_for(pilot, lambda: (term.screen_model.lines, term.screen_model.columns) == (12, 60))
        await pilot.press(*"stty size", "enter")
        await wait_for(pilot, lambda: "12 60" in lines(app))
        await pilot.resize_terminal(100, 30)
        await wait_for(pilot, lambda: term.screen_model.columns == 100)
        await pilot.press(*"stty size", "enter")
        await wait_for(pilot, lambda: "30 100" in lines(app))


async def test_full_screen_program_renders_and_gives_the_screen_back(tmp_path: Path) -> None:
    if not shutil.which("less"):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true but less is not installed (.ci/run installs it)")
        pytest.skip("less is not installed")
    (tmp_path / "notes.txt").write_text("".join(f"line {i}\n" for i in range(1, 200)))
    argv, env = plain_bash()
    app = TermApp(argv, env, str(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.press(*"echo before", "enter")
        await wait_for(pilot, lambda: "before" in lines(app))
        await pilot.press(*"less notes.txt", "enter")
        term = app.query_one(Terminal)
        await wait_for(pilot, lambda: term.screen_model.in_alt and "line 23" in lines(app))
        assert "before" not in lines(app)  # the alternate screen hides the shell
        await pilot.press("space")  # a page on
        await wait_for(pilot, lambda: "line 40" in lines(app))
        await pilot.press("q")
        await wait_for(pilot, lambda: not term.screen_model.in_alt)
        assert "before" in lines(app) and "line 40" not in lines(app)
        await pilot.press(*"echo after", "enter")
        await wait_for(pilot, lambda: "after" in lines(app))


async def test_alternate_screen_sequences_without_a_program() -> None:
    term = Terminal()
    term.feed(b"main text\r\n")
    term.feed(b"\x1b[?1049h\x1b[2J\x1b[Hfull screen")
    assert term.screen_model.in_alt and term.screen_text()[0].startswith("full screen")
    term.feed(b"\x1b[?1049l")
    assert not term.screen_model.in_alt and term.screen_text()[0].startswith("main text")


async def test_paste_goes_to_the_shell_as_a_bracketed_paste() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        term = app.query_one(Terminal)
        await wait_for(pilot, lambda: term.bracketed_paste)  # bash's readline asks for it
        term.post_message(events.Paste("echo pasted-1"))
        await wait_for(pilot, lambda: "$ echo pasted-1" in lines(app))
        assert "pasted-1" not in lines(app)  # shown, not run
        await pilot.press("enter")
        await wait_for(pilot, lambda: "pasted-1" in lines(app))


async def test_send_text_types_without_running() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        term = app.query_one(Terminal)
        await wait_for(pilot, lambda: term.bracketed_paste)
        term.send_text("echo one\necho two\n")
        await wait_for(pilot, lambda: "echo two" in text(app))
        assert "one" not in lines(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "one" in lines(app) and "two" in lines(app))


async def test_command_finished_carries_the_exit_code(tmp_path: Path, monkeypatch: Any) -> None:
    assert BASH
    monkeypatch.setenv("HOME", str(tmp_path))  # no rc file of this machine's user
    base = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(tmp_path), "SHELL": BASH}
    launch = shellenv.build(
        base, lab_id="demo", workspace=tmp_path, params={"port": "8123"}, term="xterm-256color"
    )
    app = TermApp(launch.argv, launch.env, launch.cwd)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "(demo)" in text(app))
        await pilot.press(*"(exit 3)", "enter")
        await wait_for(pilot, lambda: app.finished == [3])
        await pilot.press(*"echo port=$PORT", "enter")
        await wait_for(pilot, lambda: app.finished == [3, 0])
        assert "port=8123" in lines(app)
        assert "133;" not in text(app)  # the marks never reach the screen


async def test_ctrl_c_interrupts_the_program_not_the_app() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.press(*"sleep 30", "enter")
        await pilot.pause(0.3)
        await pilot.press("ctrl+c")
        await pilot.press(*"echo alive", "enter")
        await wait_for(pilot, lambda: "alive" in lines(app))
        assert app.is_running
        await pilot.press("ctrl+q")  # the one key the terminal never takes: quit the app
        await pilot.pause()
        assert not app.is_running


async def test_exit_is_shown_and_enter_restarts() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.press(*"exit 5", "enter")
        await wait_for(pilot, lambda: app.exited == [5])
        assert "exited with code 5" in text(app)
        await pilot.press("enter")
        term = app.query_one(Terminal)
        await wait_for(pilot, lambda: term.running and "$" in text(app))
        await pilot.press(*"echo again", "enter")
        await wait_for(pilot, lambda: "again" in lines(app))


async def test_scrollback_with_shift_pageup() -> None:
    app = TermApp(*plain_bash())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: "$" in text(app))
        await pilot.press(*"seq 1 100", "enter")
        await wait_for(pilot, lambda: "100" in lines(app))
        term = app.query_one(Terminal)
        assert "1" not in lines(app)
        await pilot.press("shift+pageup", "shift+pageup", "shift+pageup", "shift+pageup")
        assert term.history_offset > 0
        drawn = [term.render_line(y).text.rstrip() for y in range(term.size.height)]
        assert drawn[0] == "$ seq 1 100" and drawn[1] == "1"  # the top of the history
        await pilot.press("shift+pagedown", "shift+pagedown", "shift+pagedown", "shift+pagedown")
        assert term.history_offset == 0


@pytest.fixture(autouse=True)
def _clean_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's shell sources ~/.bashrc: give it an empty home, so a slow or hanging rc file
    on the test machine (a stale pyenv lock, say) cannot stall the terminal."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
