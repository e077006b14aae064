"""The lab screen's terminal on the real engine: a command typed in the terminal completes a
step without the check key, and F7 types a step's command block."""

from __future__ import annotations

from typing import Any

import pytest
from pilot_waits import wait_for

from tutor.tui.app import make_app
from tutor.tui.screens.lab import LabScreen
from tutor.tui.widgets.terminal import Terminal


async def _open(pilot: Any, app: Any, lab_id: str) -> tuple[LabScreen, Terminal]:
    await pilot.pause()
    app.open_item("lab", lab_id)
    # once the course has loaded and the lab screen is composed
    await wait_for(pilot, lambda: isinstance(app.screen, LabScreen) and bool(app.screen.query(Terminal)), 60)
    screen = app.screen
    assert isinstance(screen, LabScreen)
    term = screen.query_one(Terminal)
    # the terminal has the focus from the start (focus() takes effect on the next message)
    await wait_for(pilot, lambda: app.focused is term, 5)
    await wait_for(pilot, lambda: screen.session is not None, 120)
    await wait_for(pilot, lambda: f"({lab_id})" in "\n".join(term.screen_text()), 15)
    return screen, term


async def test_a_command_in_the_terminal_completes_the_step(docker_client: Any, base_images: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, term = await _open(pilot, app, "docker-first-container")
        assert screen.session is not None
        try:
            port = screen.session.params()["port"]
            await pilot.press(*f"docker run -d --name $WEB -p {port}:80 tutor-lab/web:1", "enter")
            # No check key: the shell's "command finished" mark runs the checks.
            await wait_for(pilot, lambda: "run" in screen.session.passed_steps(), 30)
            # and the screen moves on (the check's result reaches it from its worker a moment later)
            await wait_for(pilot, lambda: screen.step.id == "logs", 30)
            await pilot.press(*"echo $PORT", "enter")  # the lab's parameters are variables
            await wait_for(pilot, lambda: port in [ln.strip() for ln in term.screen_text()], 10)
            await pilot.press("f6")  # out of the terminal: the lab's keys work again
            assert app.focused is not term
            await pilot.press("x")  # reset: a new attempt, and a new shell with its parameters
            await wait_for(pilot, lambda: len(app.screen_stack) > 2 and hasattr(app.screen, "dismiss"), 15)
            attempt = screen.session.params()["attempt"]
            shell_pid = term.process.pid if term.process else None
            await pilot.press("y")
            # the new shell starts once the new attempt (new parameters, new workspace) is ready
            await wait_for(pilot, lambda: term.process is not None and term.process.pid != shell_pid, 60)
            new_params = screen.session.params()
            assert new_params["attempt"] not in ("", attempt)
            new_port = new_params["port"]
            await wait_for(pilot, lambda: "(docker-first-container)" in "".join(term.screen_text()))
            await pilot.press("f6", *"echo $PORT", "enter")
            await wait_for(pilot, lambda: new_port in [ln.strip() for ln in term.screen_text()], 10)
            await pilot.press("f6", "escape")
            await pilot.pause()
            assert not isinstance(app.screen, LabScreen)
        finally:
            screen.session.reset()


async def test_f7_types_the_steps_commands_and_enter_runs_them(docker_client: Any, base_images: None) -> None:
    app = make_app()
    async with app.run_test(size=(160, 40)) as pilot:
        screen, term = await _open(pilot, app, "docker-named-volume")
        assert screen.wide and term.region.width < 100  # side by side
        assert screen.session is not None
        try:
            await pilot.press(*"docker volume create $NOTES", "enter")
            await wait_for(pilot, lambda: screen.step.id == "write", 30)
            await wait_for(pilot, lambda: term.bracketed_paste, 10)
            await pilot.press("f7")
            secret = screen.session.params()["secret"]
            await wait_for(pilot, lambda: secret in "".join(term.screen_text()), 30)
            assert "write" not in screen.session.passed_steps()  # typed, not run
            await pilot.press("enter")
            await wait_for(pilot, lambda: "write" in screen.session.passed_steps(), 30)
            await wait_for(pilot, lambda: screen.step.id == "replace", 30)
            await pilot.press("f7", "enter")  # three lines, one paste, one Enter
            await wait_for(pilot, lambda: "replace" in screen.session.passed_steps(), 30)
        finally:
            screen.session.reset()


async def test_engine_events_check_again_without_a_command(docker_client: Any, base_images: None) -> None:
    """A container made elsewhere (another terminal, a script) passes the step: no command in
    the app's terminal, no check key, no watch mode."""
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen, _term = await _open(pilot, app, "docker-first-container")
        assert screen.session is not None and not screen.watching
        try:
            port = screen.session.params()["port"]
            # the event stream is open (its `since` is set when it starts: nothing after is missed)
            await wait_for(
                pilot, lambda: screen._events is not None and screen._events._stream is not None, 30
            )
            docker_client.containers.run(  # type: ignore[attr-defined]
                "tutor-lab/web:1",
                name=screen.session.params()["web"],  # this learner's name for the lab's container
                detach=True,
                ports={"80/tcp": ("127.0.0.1", int(port))},
            )
            await wait_for(pilot, lambda: "run" in screen.session.passed_steps(), 30)
        finally:
            screen.session.reset()


@pytest.fixture(autouse=True)
def _clean_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's shell sources ~/.bashrc: give it an empty home, so a slow or hanging rc file
    on the test machine (a stale pyenv lock, say) cannot stall the terminal."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
