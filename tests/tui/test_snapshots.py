"""Pictures of the screens at 80x24, compared with the accepted ones in __snapshots__/."""

from __future__ import annotations

from pathlib import Path

from tutor.tui.app import make_app

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
COURSE = str(FIXTURES / "course")


def test_home_screen(snap_compare) -> None:
    assert snap_compare(make_app(content=[COURSE], preload=True), terminal_size=(80, 24))


def test_home_after_reading_a_lesson(snap_compare) -> None:
    app = make_app(content=[COURSE], preload=True)
    app.services.store.complete_lesson("fx-containers")
    assert snap_compare(app, press=["enter"], terminal_size=(80, 24))


def test_lesson_reader(snap_compare) -> None:
    app = make_app(content=[COURSE], start=("lesson", "fx-containers"), preload=True)
    assert snap_compare(app, terminal_size=(80, 24))


def test_help_screen(snap_compare) -> None:
    app = make_app(content=[COURSE], start=("lesson", "fx-containers"), preload=True)
    assert snap_compare(app, press=["question_mark"], terminal_size=(80, 24))


def test_problems_screen(snap_compare) -> None:
    app = make_app(content=[str(FIXTURES / "broken" / "unknown_ids")], preload=True)
    assert snap_compare(app, press=["exclamation_mark"], terminal_size=(80, 24))
