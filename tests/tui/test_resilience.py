"""The app never goes dead: keys after a review jump, ctrl+c/ctrl+q, a failing screen, a read-only store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pilot_waits import box_focused, until
from textual import events
from textual.screen import Screen
from textual.widgets import Static

from tutor.progress.opening import connect_read_only
from tutor.progress.store import ProgressStore
from tutor.tui import app as app_module
from tutor.tui.app import make_app
from tutor.tui.screens.confirm import ChoiceScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_review import ExamReviewScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.widgets.question import QuestionView


async def _at_a_typed_question(pilot: Any, app: Any) -> ExamScreen:
    """Start the timed quiz and move to a question typed into an Input, as in the report."""
    await pilot.pause()
    assert isinstance(app.screen, ChoiceScreen)  # "start the exam?"
    await pilot.press("y")
    await pilot.pause()
    exam = app.screen
    assert isinstance(exam, ExamScreen)
    for _ in range(len(exam.session.question_ids)):
        if exam.session.question.type in ("command", "short"):
            await until(pilot, lambda: box_focused(exam))  # the box gets the focus after a refresh
            return exam
        await pilot.press("right")
        await pilot.pause()
    pytest.fail("this draw has no typed question")  # seed 7 has one


async def test_keys_still_work_after_jumping_from_the_review(tutor_home: Path) -> None:
    """The reported freeze: a typed question, Esc, review, Enter on another question; every key was dead."""
    app = make_app(start=("exam", "docker-practice"), seed=7, preload=True)  # a timed quiz: typed answers too
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_a_typed_question(pilot, app)
        await pilot.press("escape", "r")  # Esc leaves the Input; r opens the review
        await pilot.pause()
        assert isinstance(app.screen, ExamReviewScreen)
        await pilot.press("enter")  # jump to the highlighted question
        await pilot.pause()
        exam = app.screen
        assert isinstance(exam, ExamScreen)
        assert app.focused is None or app.focused.is_attached
        before = set(exam.session.flags)
        await pilot.press("m")  # the screen answers keys: the question is flagged
        await pilot.pause()
        assert set(exam.session.flags) != before


async def test_ctrl_c_quits_even_from_a_typed_answer(tutor_home: Path) -> None:
    app = make_app(start=("exam", "docker-practice"), seed=7, preload=True)  # a timed quiz: typed answers too
    async with app.run_test(size=(80, 24)) as pilot:
        await _at_a_typed_question(pilot, app)
        assert app.focused is not None and app.focused.id == "q-input"
        await pilot.press("ctrl+c")
        await pilot.pause()
    assert app.return_code == 0


async def test_ctrl_q_quits_from_any_screen(tutor_home: Path) -> None:
    app = make_app(preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("lesson", "docker-what-is-a-container")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


class BrokenScreen(Screen[None]):
    def compose(self):  # type: ignore[no-untyped-def]
        yield Static("press x")

    def on_key(self, event: events.Key) -> None:
        if event.key == "x":
            raise RuntimeError("a bug in a screen")


async def test_a_failing_screen_shows_an_error_and_the_app_goes_on(tutor_home: Path) -> None:
    app = make_app(preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(BrokenScreen())
        await pilot.pause()
        await pilot.press("x")
        await pilot.pause()
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ChoiceScreen)
        assert "progress is saved" in dialog.message and "a bug in a screen" in dialog.message
        assert app.recovered and isinstance(app.recovered[0], RuntimeError)
        assert list((tutor_home / "logs").glob("crash-*.log"))  # the traceback went to a file
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("down")  # and it still answers keys
        assert app.is_running
        app._exception = None  # handled: not a failure of this test


async def test_a_read_only_store_opens_with_a_banner(
    tutor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only_store(home: Path | None = None, **_: object) -> ProgressStore:
        return ProgressStore(
            tutor_home / "progress.db",
            db=connect_read_only(None),
            read_only="the folder is read-only",
            strict=False,
        )

    monkeypatch.setattr(app_module, "open_store", read_only_store)
    app = make_app(start=("quiz", "docker-practice"), seed=1, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "NOT being saved" in app.sub_title
        view = app.screen.query_one(QuestionView)
        assert view is not None  # practice works: answers are kept in memory only
        assert not (tutor_home / "progress.db").exists()


async def test_a_course_that_fails_to_load_says_so_and_loads_again_later(
    tutor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Loading fails (a folder unreadable since the outline was drawn): one error notice, and
    a later try loads again instead of waiting for ever."""
    from tutor.base.errors import TutorError
    from tutor.services import Services

    def fail(**_kw: Any) -> Services:
        raise TutorError("lessons/docker: Permission denied")

    monkeypatch.setattr(Services, "load", staticmethod(fail))
    app = make_app()
    async with app.run_test() as pilot:
        app.ensure_loaded()
        await until(pilot, lambda: not app._loading)  # the load fails in its thread worker
        assert not app._loading and app._services is None
        notices = [n.message for n in app._notifications]
        assert any("the course did not load: lessons/docker: Permission denied" in m for m in notices)
        app.ensure_loaded()
        assert app._loading
