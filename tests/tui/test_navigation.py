"""Pilot tests: home -> lesson -> next -> back -> home shows progress, and it survives a restart."""

from __future__ import annotations

from pathlib import Path

from pilot_waits import palette_prompts, palette_settled, until
from textual.widgets import MarkdownViewer, OptionList

from tutor.tui.app import make_app
from tutor.tui.screens.help import HelpScreen
from tutor.tui.screens.home import HomeScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.screens.problems import ProblemsScreen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
BROKEN = FIXTURES / "broken"
QUIET_LAB = FIXTURES / "quiet_lab"


def _prompts(app, selector: str) -> list[str]:
    widget = app.screen.query_one(selector, OptionList)
    return [str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count)]


async def test_home_lists_topics_in_order(fixture_course: Path) -> None:
    app = make_app(content=[str(fixture_course)], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        topics = _prompts(app, "#topics")
        assert topics[0].startswith("Docker") and "0/2" in topics[0]
        assert topics[1].startswith("Amazon ECS")
        items = _prompts(app, "#items")
        assert any("What is a container?" in x for x in items)
        assert any("Docker fixture quiz" in x for x in items)


async def test_read_next_back_home_shows_progress_and_it_persists(fixture_course: Path) -> None:
    app = make_app(content=[str(fixture_course)], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")  # into the topic's items
        await pilot.press("enter")  # open the first lesson
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "fx-containers"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "fx-images"
        await pilot.press("d")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        topics = _prompts(app, "#topics")
        assert "1/2" in topics[0]
        items = _prompts(app, "#items")
        assert any("✔" in x and "Images and layers" in x for x in items)
        assert any("○" in x and "What is a container?" in x for x in items)
        await pilot.press("q")
    # A new app on the same store remembers.
    again = make_app(content=[str(fixture_course)], preload=True)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "1/2" in _prompts(again, "#topics")[0]


async def test_reading_to_the_end_marks_the_lesson_done(fixture_course: Path, tmp_path: Path) -> None:
    course = tmp_path / "course"
    import shutil

    shutil.copytree(fixture_course, course)
    long_body = "\n\n".join(f"Paragraph {i} about containers." for i in range(80))
    lesson = course / "lessons" / "docker" / "02-images.md"
    lesson.write_text(lesson.read_text() + "\n" + long_body + "\n")
    app = make_app(content=[str(course)], start=("lesson", "fx-images"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        viewer = app.screen.query_one(MarkdownViewer)
        assert viewer.max_scroll_y > 0
        assert "fx-images" not in app.services.store.done_lessons()
        await pilot.press("end")
        await pilot.pause()
        assert "fx-images" in app.services.store.done_lessons()


async def test_previous_at_the_first_lesson_stays(fixture_course: Path) -> None:
    app = make_app(content=[str(fixture_course)], start=("lesson", "fx-containers"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("p")
        await pilot.pause()
        assert app.screen.lesson_id == "fx-containers"  # type: ignore[attr-defined]


async def test_help_lists_the_screens_keys(fixture_course: Path) -> None:
    app = make_app(content=[str(fixture_course)], start=("lesson", "fx-containers"), preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        from tutor.tui.screens.help import binding_rows

        rows = binding_rows(app.screen.under)
        names = {row[1] for row in rows}
        assert {"Next", "Prev", "Done", "Contents", "Bookmark", "Note", "Keys", "Quit"} <= names
        words = " ".join(f"{name} {what}" for _, name, what in rows)
        for internal in ("toggle_done", "scroll(", "practise", "action_", "dismiss"):
            assert internal not in words  # words a learner understands, no action names
        await pilot.press("escape")
        assert isinstance(app.screen, LessonScreen)


async def test_broken_content_shows_problems_and_the_rest_works() -> None:
    app = make_app(content=[str(BROKEN / "unknown_key")], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        banner = app.screen.query_one("#banner")
        assert banner.display
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        await pilot.press("escape")
        await pilot.press("enter", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "good-lesson"


async def test_command_palette_opens_a_lesson(fixture_course: Path) -> None:
    app = make_app(content=[str(fixture_course)], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"tasks and")
        await palette_settled(pilot, app, "Tasks and services")  # it searches in a worker
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, LessonScreen) and app.screen.lesson_id == "fx-tasks"


async def test_a_first_run_draws_the_topics_at_once_and_the_rest_when_loaded(fixture_course: Path) -> None:
    """No saved outline: the home screen does not wait for the course (issue 12)."""
    app = make_app(content=[str(fixture_course)])
    assert not app.loaded and [t.title for t in app.outline.topics][:2] == ["Docker", "Amazon ECS"]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.loaded
        assert any("What is a container?" in x for x in _prompts(app, "#items"))


async def test_the_palette_finds_a_lab_by_name_and_by_its_text_before_the_course_has_loaded() -> None:
    """A saved outline draws the home screen without loading the course: the palette still
    finds a lab by its title at once, and by the text of its steps once it has loaded it."""
    from textual.command import CommandPalette

    content = [str(QUIET_LAB)]
    make_app(content=content, preload=True)  # saves the outline, as a first run does
    app = make_app(content=content)
    assert not app.loaded
    async with app.run_test(size=(80, 24)) as pilot:
        # by its title (from the outline), then by a step's text (the full-text index)
        for query, shown in [("hello file", "Lab: Write a hello"), ("second line", "Lab: Write a hello")]:
            await pilot.press("ctrl+p")
            await pilot.pause()
            assert isinstance(app.screen, CommandPalette)
            await pilot.press(*query)
            # the course loads in a worker meanwhile; the palette searches in another
            await until(pilot, lambda: any(shown in p for p in palette_prompts(app)), 60)  # noqa: B023
            prompts = palette_prompts(app)
            assert any(shown in p for p in prompts), (query, prompts)
            await pilot.press("escape")
            await pilot.pause()
        assert app.loaded


async def test_the_problems_screen_shows_twenty_problems_a_file(fixture_course: Path) -> None:
    """A file with a problem per question (thousands) would be a widget each: 20, then a count."""
    from tutor.base.errors import ContentError

    errors = [ContentError("quizzes/big.yaml", f"problem {i}", line=i + 1) for i in range(500)]
    errors.append(ContentError("lessons/one.md", "one problem", line=3))
    app = make_app(content=[str(fixture_course)], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.push_screen(ProblemsScreen(errors))  # returns once the screen is mounted
        await pilot.pause()
        shown = [str(w.render()) for w in app.screen.query(".problem")]
        assert len(shown) == 22
        assert sum("big.yaml" in s for s in shown) == 21 and "480 more problem(s)" in shown[-1]
        assert "one problem" in shown[0]  # lessons/ before quizzes/
