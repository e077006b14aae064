"""Pilot tests for the study loop in the app: ratings, skipping, flags, leaving and resuming,
the practice setup, DOMC on digits, Enter selecting; lessons that are done only when read,
bookmarks and notes, code that scrolls sideways; search, theme and last place kept;
notifications that never cover what they talk about."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from answering import right_keys
from pilot_waits import box_focused, palette_settled, until
from textual.widgets import Input, OptionList, Select

from tutor.progress.attempts import Attempts
from tutor.progress.notes import Notebook
from tutor.quiz.selection import flagged
from tutor.tui.app import make_app
from tutor.tui.screens import lab_terminal
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.note_dialog import NoteDialog
from tutor.tui.screens.notes import NotesScreen
from tutor.tui.screens.practice import PracticeScreen
from tutor.tui.screens.practice_setup import PracticeSetup
from tutor.tui.widgets.reader import CodeFence, LessonReader

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
EXAM_COURSE = str(FIXTURES / "exam_course")
WIDE = str(FIXTURES / "wide_code")


def reviews(app) -> list[tuple[str, int, str]]:
    return [
        tuple(r) for r in app.store.query("SELECT question_id, rating, rated_by FROM reviews ORDER BY id")
    ]


async def test_rate_skip_flag_leave_and_resume(tutor_home: Path) -> None:
    ids = "docker-x01,docker-x02,docker-x05,docker-x06"
    app = make_app(content=[EXAM_COURSE], seed=2, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("questions", ids)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        skipped = screen.session.current_id
        await pilot.press("n")  # skip: it comes back after the others
        await pilot.pause()
        assert screen.session.current_id != skipped
        first = screen.session.current_id
        await pilot.press(*right_keys(screen.view), "enter")
        await pilot.pause()
        assert screen.query_one("#rate-bar").display
        await pilot.press("4")  # Easy
        await pilot.pause()
        assert reviews(app) == [(first, 4, "learner")]
        due = app.store.query("SELECT due FROM cards WHERE question_id = ?", (first,))[0][0]
        assert datetime.fromtimestamp(due, UTC) - datetime.now(UTC) > timedelta(days=3)
        await pilot.press("enter")  # on to the next
        await pilot.pause()
        second = screen.session.current_id
        view = screen.view
        wrong = "2" if view.question.type == "true_false" and view.question.answer else "1"
        if view.question.type == "single":
            wrong = next(k for k in "123" if [k] != right_keys(view))
        await pilot.press(wrong, "enter")  # wrong, and not rated: Enter goes on
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert reviews(app)[-1] == (second, 1, "derived")  # wrong is Again
        await pilot.press("m")  # flag the one on screen
        flagged_id = screen.session.current_id
        assert flagged_id in flagged(app.store)
        await pilot.press("escape")  # leave: kept to resume
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        attempt = screen.session.attempt_id
        assert Attempts(app.store).get(attempt).finished_at is None
        app.screen.select_topic("__practice__")
        await pilot.pause()
        items = app.screen.query_one("#items", OptionList)
        ids_shown = [items.get_option_at_index(i).id for i in range(items.option_count)]
        assert f"practice:{attempt}" in ids_shown
        app.open_item("practice", str(attempt))
        await pilot.pause()
        back = app.screen
        assert isinstance(back, PracticeScreen) and back.session.current_id == flagged_id
        assert set(back.session.grades) == {first, second}
        assert skipped in back.session.unanswered


async def test_domc_takes_digits_and_n_never_means_no(tutor_home: Path) -> None:
    app = make_app(content=[str(FIXTURES / "domc_course")], seed=1, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("quiz", "domc-quiz")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await pilot.press("n")  # the only question: n moves on, it does not answer No
        await pilot.pause()
        assert screen.view.domc_answers == [] and not screen.session.grades
        order = screen.view.order
        for option in order:  # Yes for the right one, No for the others, until it settles
            if screen.session.grades:
                break
            await pilot.press("1" if option == "a" else "2")
            await pilot.pause()
        assert screen.session.grades["dq1"].correct


async def test_enter_answers_with_the_highlighted_line(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], seed=1, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("questions", "docker-x01")
        await pilot.pause()
        view = app.screen.view
        target = view.order.index("a")
        await pilot.press(*(["down"] * target), "enter")
        await pilot.pause()
        assert app.screen.session.grades["docker-x01"].correct


async def test_practice_setup_chooses_size_and_source(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], seed=4, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("setup", "mini")
        await pilot.pause()
        setup = app.screen
        assert isinstance(setup, PracticeSetup)
        setup.query_one("#setup-scope", Select).value = "dca:orchestration"
        setup.query_one("#setup-source", Select).value = "new"
        setup.query_one("#setup-size", Select).value = 10
        await pilot.pause()
        assert "8 question(s) match" in str(setup.query_one("#setup-count").render())
        await pilot.press("enter")  # on Start
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        assert len(screen.session.question_ids) == 8
        await until(pilot, lambda: box_focused(screen))  # a typed question's box takes Esc first
        assert all(
            "dca:orchestration" in app.services.course.questions[q].domains
            for q in screen.session.question_ids
        )
        await pilot.press("escape")
        if isinstance(app.focused, Input):
            await pilot.press("escape")
        await pilot.pause()
        # Esc closes the dialog without starting anything.
        app.open_item("setup", "all")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_lesson_is_done_by_reading_to_its_end_not_by_a_reflow(tutor_home: Path) -> None:
    app = make_app(content=[WIDE], start=("lesson", "wc-run"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(LessonReader)
        assert reader.max_scroll_y > 0
        await pilot.press("pagedown")  # about half way
        for _ in range(3):
            await pilot.press("t")  # the contents open and close: the text reflows
            await pilot.pause()
        await pilot.resize_terminal(120, 40)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        assert "wc-run" not in app.store.done_lessons()
        await pilot.press("end")
        await pilot.pause()
        assert "wc-run" in app.store.done_lessons()


async def test_code_blocks_scroll_sideways(tutor_home: Path) -> None:
    app = make_app(content=[WIDE], start=("lesson", "wc-run"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        fence = app.screen.query(CodeFence).first()
        assert fence.max_scroll_x > 0  # the long line is kept whole
        await pilot.press("right", "right")
        await pilot.pause()
        assert fence.scroll_x > 0
        await pilot.press("shift+left", "shift+left", "left")
        await pilot.pause()
        assert fence.scroll_x == 0


async def test_bookmark_and_note_a_section_and_go_back_to_it(tutor_home: Path) -> None:
    app = make_app(content=[WIDE], start=("lesson", "wc-run"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        reader = app.screen.query_one(LessonReader)
        assert reader.goto_section("volumes")
        await pilot.pause()
        assert reader.current_section()[0] == "volumes"
        await pilot.press("b")
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, NoteDialog)
        await pilot.press(*"named volumes outlive containers", "enter")
        await pilot.pause()
        book = Notebook(app.store)
        assert [(b.lesson_id, b.section) for b in book.bookmarks()] == [("wc-run", "volumes")]
        assert [(n.section, n.text) for n in book.notes()] == [
            ("volumes", "named volumes outlive containers")
        ]
        await pilot.press("escape")
        app.open_item("notes", "")
        await pilot.pause()
        assert isinstance(app.screen, NotesScreen)
        listing = app.screen.query_one(OptionList)
        listing.highlighted = 1  # the bookmark
        await pilot.press("enter")
        # the lesson opens, lays its text out, jumps to the section, then ends the jump (a timer)
        await until(pilot, lambda: _jumped(app))
        lesson = app.screen
        assert isinstance(lesson, LessonScreen) and lesson.lesson_id == "wc-run"
        assert lesson.query_one(LessonReader).current_section()[0] == "volumes"
        assert "wc-run" not in app.store.done_lessons()  # jumping there is not reading it


async def test_theme_and_last_place_are_kept_between_runs(tutor_home: Path) -> None:
    app = make_app(content=[WIDE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        app.theme = "nord"
        app.open_item("lesson", "wc-run")
        await pilot.pause()
        await pilot.press("q")
    again = make_app(content=[WIDE], preload=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"
        items = again.screen.query_one("#items", OptionList)
        await until(pilot, lambda: items.has_focus)  # the last place is restored after the first refresh
        assert items.has_focus and items.get_option_at_index(items.highlighted).id == "lesson:wc-run"


async def test_search_finds_text_inside_lessons_from_the_palette(tutor_home: Path) -> None:
    from textual.command import CommandPalette

    app = make_app(content=[WIDE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("slash")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"restart unless")
        shown = await palette_settled(pilot, app, "Running containers › One long command")
        assert any("Running containers › One long command" in s for s in shown), shown


@pytest.fixture
def quiet_lab(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lab_terminal.LabTerminal, "start_shell", lambda self, launch: None)


async def test_notifications_never_cover_check_results_or_the_rating_line(
    tutor_home: Path, quiet_lab
) -> None:
    app = make_app(content=[str(FIXTURES / "quiet_lab")], start=("lab", "hello-file"), preload=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await until(pilot, lambda: app.screen.session is not None)  # the lab starts in a thread worker
        app.screen.session.apply_solution("write")
        await pilot.press("f6", "c")
        await until(pilot, lambda: app.screen.step_index == 1)  # its checks run in a thread worker
        await pilot.pause(0.2)
        toasts = list(app.screen.query("Toast"))
        assert toasts  # "Step 1 done"
        covered = [app.screen.query_one(s).region for s in ("#lab-checks", "#lab-steps", "#lab-status")]
        for toast in toasts:
            for region in covered:
                assert not toast.region.overlaps(region), (toast.region, region)


def _jumped(app) -> bool:
    """A lesson screen is on top, composed, and has reached the section it was opened at."""
    screen = app.screen
    return isinstance(screen, LessonScreen) and bool(screen.query(LessonReader)) and screen.section is None
