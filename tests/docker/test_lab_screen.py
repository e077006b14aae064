"""A Pilot test of the lab screen driving real checks on the real engine."""

from __future__ import annotations

from typing import Any

from pilot_waits import wait_for

from tutor.tui.app import make_app
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lab import LabScreen
from tutor.tui.widgets.terminal import Terminal


async def test_lab_screen_checks_fail_then_pass(docker_client: Any, base_images: None) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_item("lab", "docker-fix-wrong-port")
        # the course loads in a thread worker first (cold in a new home: seconds under load)
        await wait_for(pilot, lambda: isinstance(app.screen, LabScreen), 60)
        screen = app.screen
        assert isinstance(screen, LabScreen)
        await wait_for(pilot, lambda: screen.session is not None)
        await pilot.press("f6")  # from the terminal (which has every key) to the instructions
        await pilot.press("c")
        await wait_for(pilot, lambda: len(screen.results.get("fix", [])) == 3)
        reasons = [r.reason for r in screen.results["fix"]]
        assert screen.results["fix"][0].passed  # shop is running (the lab started it)
        assert "but the server inside listens on 80" in reasons[1]
        await pilot.press("h")
        assert screen.hints and "docker port shop" in screen.hints[0]
        assert screen.session is not None
        screen.session.apply_solution("fix")  # as the learner would, in another terminal
        await pilot.press("space")  # auto-check picks it up
        await wait_for(pilot, lambda: "fix" in screen.session.passed_steps())
        # the screen shows each result as its worker hands it over, a moment after the store has it
        await wait_for(pilot, lambda: all(r.passed for r in screen.results["fix"]), 30)
        screen.session.reset()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_lab_screen_without_an_engine_says_how_to_start_one(monkeypatch: Any) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.open_item("lab", "docker-first-container")
        await wait_for(pilot, lambda: isinstance(app.screen, LabScreen), 60)  # once the course has loaded
        screen = app.screen
        assert isinstance(screen, LabScreen)
        await wait_for(pilot, lambda: bool(screen.problem), 15)
        assert "does not answer" in screen.problem and "fix:" in screen.problem
        assert "does not answer" in screen.query_one(Terminal).placeholder  # said where the shell would be
        await pilot.press("f6")
        await pilot.press("c")  # nothing hangs, nothing crashes
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        app.open_item("lesson", "docker-what-is-a-container")  # the rest of the app works
        await pilot.pause()
        assert app.screen.__class__.__name__ == "LessonScreen"
