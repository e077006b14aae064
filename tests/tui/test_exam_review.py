"""The exam as a candidate meets it, at 80x24: Choose N refused in the app, the review page's states,
counts, filters and jumps, warnings at 15 and 5 minutes, and ending the exam asked once."""

from __future__ import annotations

import os
from pathlib import Path

from tutor.quiz.exam import ExamSession
from tutor.tui.app import make_app
from tutor.tui.screens.confirm import ChoiceScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_results import ExamResultScreen
from tutor.tui.screens.exam_review import ExamReviewScreen
from tutor.tui.widgets.exam_grid import ExamGrid


def _text(widget) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    console.print(widget.content)
    return console.export_text()


EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _recorder(app) -> list[str]:
    notes: list[str] = []
    real = app.notify

    def notify(message: str, **kw) -> None:
        notes.append(message)
        real(message, **kw)

    app.notify = notify
    return notes


async def _exam(app, pilot, clock=None) -> ExamScreen:
    session = ExamSession.start(app.services.course, app.store, "mini", seed=2, clock=clock or FakeClock())
    app.push_screen(ExamScreen(session))
    await pilot.pause()
    assert isinstance(app.screen, ExamScreen)
    return app.screen


def _index_of(screen: ExamScreen, kind: str) -> int:
    s = screen.session
    return next(i for i, q in enumerate(s.question_ids) if s.course.questions[q].type == kind)


async def test_choose_n_refuses_a_third_choice_in_the_app(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _exam(app, pilot)
        notes = _recorder(app)
        screen.goto(_index_of(screen, "multiple"))
        await pilot.pause()
        assert "(Choose two.)" in _text(screen.view.query_one("#q-prompt"))
        await pilot.press("1", "2", "3")
        await pilot.pause()
        view = screen.view
        assert len(view.selected) == 2 and view.order[2] not in view.selected
        assert any("Choose two." in n for n in notes)
        assert sorted(screen.session.responses[view.question.id]["choices"]) == sorted(view.order[:2])
        await pilot.press("2", "3")  # unselect one, then the third fits
        assert view.selected == {view.order[0], view.order[2]}


async def test_review_page_states_counts_filters_and_jump(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _exam(app, pilot)
        s = screen.session
        multi = _index_of(screen, "multiple")
        single = _index_of(screen, "single")
        s.answer({"choices": ["a"]}, s.question_ids[multi])  # one of two: incomplete
        s.answer({"choice": "a"}, s.question_ids[single])
        s.flag(s.question_ids[single])
        s.flag(s.question_ids[5 if 5 not in (multi, single) else 4])
        await pilot.press("r")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ExamReviewScreen)
        bar = _text(review.query_one("#exam-bar"))
        assert "1 answered · 4 unanswered · 1 incomplete · 2 flagged" in bar and "10:00 left" in bar
        filters = _text(review.query_one("#review-filters"))
        assert "All 6" in filters and "Flagged 2" in filters and "Incomplete 1" in filters
        assert "answered" in _text(review.query_one("#review-legend"))
        grid = review.query_one(ExamGrid)
        assert [c.state for c in grid.cells].count("unanswered") == 4
        for key, want in (("f", 2), ("u", 4), ("i", 1), ("a", 6)):
            await pilot.press(key)
            await pilot.pause()
            assert len(grid.visible) == want, key
        await pilot.press("i")
        assert [c.index for c in grid.visible] == [multi]
        preview = _text(review.query_one("#review-preview"))
        assert f"Question {multi + 1} · incomplete" in preview
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.screen is screen and s.index == multi


async def test_ending_the_exam_from_the_review_asks_once(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await _exam(app, pilot)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen) and "6 question(s) are unanswered" in app.screen.message
        await pilot.press("y")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)


async def test_warnings_at_15_and_5_minutes_and_expiry_under_the_review(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        clock = FakeClock()
        screen = await _exam(app, pilot, clock)
        s = screen.session
        s.time_limit = 20 * 60
        notes = _recorder(app)
        screen.tick()
        assert notes == []
        clock.now += 5 * 60 + 1  # 14:59 left
        screen.tick()
        screen.tick()
        assert [n for n in notes if "minutes left" in n] == [
            "15 minutes left. 6 question(s) still unanswered or incomplete."
        ]
        clock.now += 10 * 60  # 4:59 left
        screen.tick()
        screen.tick()
        assert sum("minutes left" in n for n in notes) == 2 and notes[-1].startswith("5 minutes left.")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamReviewScreen)
        clock.now += 5 * 60
        screen.tick()  # time is up while the review page is on top
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        assert not any(isinstance(x, ExamReviewScreen) for x in app.screen_stack)
