"""Results that teach, at 80x24: the scaled score against the pass line, domains as bars, missed
questions with the lesson section that teaches them (opened at that section); pictures of the
review page and the results screen."""

from __future__ import annotations

import os
from pathlib import Path

from pilot_waits import until
from textual.widgets import MarkdownViewer, OptionList

from tutor.quiz.exam import ExamSession
from tutor.tui.app import make_app
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_answers import AnswerReviewScreen
from tutor.tui.screens.exam_results import ExamResultScreen
from tutor.tui.screens.exam_review import ExamReviewScreen
from tutor.tui.screens.lesson import LessonScreen
from tutor.tui.widgets.reader import LessonReader

EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")


def _text(widget) -> str:
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(widget.content if hasattr(widget, "content") else widget)
    return console.export_text()


class FrozenClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _session(app, seed: int = 2) -> ExamSession:
    """An exam with a frozen clock: two right, one incomplete, one flagged, the rest open."""
    clock = FrozenClock()
    s = ExamSession.start(app.services.course, app.store, "mini", seed=seed, clock=clock)
    qs = s.course.questions
    for qid in s.question_ids:
        if qs[qid].type == "single":
            s.answer({"choice": qs[qid].answer}, qid)
    multiple = next(q for q in s.question_ids if qs[q].type == "multiple")
    s.answer({"choices": [qs[multiple].answer[0]]}, multiple)  # one of two: incomplete, and wrong
    s.flag(multiple)
    clock.now += 254
    return s


async def _results(app, pilot) -> ExamResultScreen:
    s = _session(app)
    app.push_screen(ExamScreen(s))
    await pilot.pause()
    app.screen.finish()
    await pilot.pause()
    await pilot.pause()
    assert isinstance(app.screen, ExamResultScreen)
    return app.screen


async def test_results_teach_and_open_the_lesson_at_its_section(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _results(app, pilot)
        summary = _text(screen.query_one("#result-summary"))
        assert "FAIL" in summary and "(pass 700)" in summary and "time 04:14" in summary
        assert "By domain" in summary and "│" in summary and "Images" in summary
        missed = screen.report["missed"]
        assert len(missed) == len(screen.session.question_ids) - screen.result.points
        linked = [m for m in missed if m["teaches"] and m["teaches"]["section"]]
        assert linked, missed
        listing = screen.query_one("#missed", OptionList)
        target = linked[0]
        row = next(
            i
            for i in range(listing.option_count)
            if listing.get_option_at_index(i).id == str(target["number"] - 1)
        )
        assert target["teaches"]["section"] in _text(listing.get_option_at_index(row).prompt)
        listing.highlighted = row
        await pilot.press("enter")
        await pilot.pause()
        answers = app.screen
        assert isinstance(answers, AnswerReviewScreen) and answers.index == target["number"] - 1
        assert target["teaches"]["section"] in _text(answers.query_one("#answer-link"))
        await pilot.press("o")
        # the lesson lays its text out, then scrolls to the section (later messages, a timer)
        await until(pilot, lambda: _jumped(app))
        lesson = app.screen
        assert isinstance(lesson, LessonScreen) and lesson.lesson_id == "fx-images"
        assert lesson.section is None  # found and scrolled to
        viewer = lesson.query_one(MarkdownViewer)
        heading = next(
            h
            for h in viewer.document.query("MarkdownH2")
            if target["teaches"]["section"] in str(h.source or "")
        )
        assert heading.region.y - viewer.region.y <= 3 or viewer.scroll_y > 0


def test_snapshot_review_page(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)

    async def setup(pilot) -> None:
        s = _session(app)
        app.push_screen(ExamScreen(s))
        await pilot.pause()
        app.push_screen(ExamReviewScreen(s))
        await pilot.pause()

    assert snap_compare(app, run_before=setup, terminal_size=(80, 24))


def test_snapshot_results_screen(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)

    async def setup(pilot) -> None:
        await _results(app, pilot)

    assert snap_compare(app, run_before=setup, terminal_size=(80, 24))


async def test_home_shows_readiness_per_domain_under_each_mock(tutor_home: Path) -> None:
    from tutor.tui.screens.practice_hub import PRACTICE_ROW

    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.select_topic(PRACTICE_ROW)
        await pilot.pause()
        items = app.screen.query_one("#items", OptionList)
        lines = [_text(items.get_option_at_index(i).prompt) for i in range(items.option_count)]
        ready = next(line for line in lines if "readiness" in line)
        assert "weakest: Images 0%" in ready or "weakest: Orchestration 0%" in ready
        assert sum(ch in "▁▂▃▄▅▆▇█" for ch in ready) == 2  # one level per domain


def _jumped(app) -> bool:
    """A lesson screen is on top, composed, and has reached the section it was opened at."""
    screen = app.screen
    return isinstance(screen, LessonScreen) and bool(screen.query(LessonReader)) and screen.section is None
