"""Pilot tests for practice and exam flows: answer, feedback, flag, review, submit, time-out, resume."""

from __future__ import annotations

import os
from pathlib import Path

from answering import right_keys
from pilot_waits import box_focused, opened, until
from textual.widgets import Input, Static

from tutor.content.loading.loader import load_course
from tutor.progress import open_store
from tutor.progress.attempts import Attempts
from tutor.quiz.exam import ExamSession
from tutor.tui.app import make_app
from tutor.tui.screens.confirm import ChoiceScreen
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_results import AnswerReviewScreen, ExamResultScreen
from tutor.tui.screens.exam_review import ExamReviewScreen
from tutor.tui.screens.practice import PracticeScreen

EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")


def _text(widget: Static) -> str:
    """What a Static shows, as plain text."""
    from rich.console import Console

    console = Console(width=200, record=True, file=open(os.devnull, "w"))  # noqa: SIM115
    content = widget.content
    console.print(content)
    return console.export_text()


async def test_practice_answer_feedback_next(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], seed=3)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("quiz", "docker-quiz")
        await opened(pilot, app, PracticeScreen)  # once the course has loaded
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        view = screen.view
        assert view is not None
        first = view.question.id
        await pilot.press(*right_keys(view), "enter")
        await pilot.pause()
        feedback = _text(view.query_one("#q-feedback", Static))
        assert "Correct" in feedback and "Because." in feedback
        answers = Attempts(app.store).answers(screen.session.attempt_id)
        assert answers[first].score == 1.0  # saved when given
        await pilot.press("n")
        await pilot.pause()
        assert screen.view is not None and screen.view.question.id != first
        # A wrong answer explains itself.
        view = screen.view
        if view.question.type in ("single", "true_false"):
            wrong = next(k for k in ("1", "2", "3") if [k] != right_keys(view))
            await pilot.press("2" if view.question.type == "true_false" else wrong, "enter")
            await pilot.pause()
            assert "Not quite" in _text(view.query_one("#q-feedback", Static))


async def test_exam_flag_review_submit_and_answer_review(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE], seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("exam", "mini")
        await opened(pilot, app, ChoiceScreen)  # "start the exam?", once the course has loaded
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        session = screen.session
        assert len(session.question_ids) == 6
        view = screen.view
        assert view is not None
        await pilot.press(*right_keys(view))
        if view.question.type == "short":
            await pilot.press("enter")
        else:
            await pilot.press("right")
        await pilot.pause()
        assert session.question_ids[0] in session.responses
        await until(pilot, lambda: box_focused(screen))  # a typed question's box takes the letters
        if isinstance(app.focused, Input):
            await pilot.press("escape")  # out of the typed-answer box; letters are keys again
            assert isinstance(app.screen, ExamScreen)
        await pilot.press("m")  # flag question 2
        await pilot.pause()
        assert session.flagged() == [1]
        assert "flagged 1" in _text(screen.query_one("#exam-bar", Static))
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, ExamReviewScreen)
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ExamResultScreen)
        result = app.screen.result
        assert result.answered == 1 and result.total == 6
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, AnswerReviewScreen)
        await pilot.press("n")
        await pilot.pause()
        assert app.screen.index == 1
    row = Attempts(open_store()).history("mini")[0]
    assert row.result is not None and row.result["answered"] == 1


async def test_exam_submits_itself_when_time_runs_out(tutor_home: Path) -> None:
    app = make_app(content=[EXAM_COURSE])
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("exam", "mini")
        await opened(pilot, app, ChoiceScreen)  # "start the exam?", once the course has loaded
        await pilot.press("y")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        screen.session.time_limit = screen.session.elapsed() + 1.5  # a short timer
        await opened(pilot, app, ExamResultScreen)  # the clock ticks each second
        assert isinstance(app.screen, ExamResultScreen)
        assert app.screen.result.time_used <= screen.session.time_limit


async def test_interrupted_exam_is_offered_for_resumption(tutor_home: Path) -> None:
    course = load_course([Path(EXAM_COURSE)])
    store = open_store()
    s = ExamSession.start(course, store, "mini", seed=2)
    s.answer({"value": True} if s.question.type == "true_false" else {"text": "yes"}, s.question_ids[0])
    s.used_before = 130
    s._since = None
    s.pause()
    store.close()
    app = make_app(content=[EXAM_COURSE])
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        assert "7:50 left" in app.screen.message
        await pilot.press("r")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        assert screen.session.attempt_id == s.attempt_id
        assert 465 <= screen.session.remaining() <= 470  # the clock runs while it resumes
        assert s.question_ids[0] in screen.session.responses


MATCH_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "match_course")


async def test_matching_and_numeric_in_practice(tutor_home: Path) -> None:
    app = make_app(content=[MATCH_COURSE], seed=5)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_item("quiz", "match-quiz")
        await opened(pilot, app, PracticeScreen)  # once the course has loaded
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        view = screen.view
        assert view is not None and view.question.id == "ports"
        q = view.question
        answers = q.answers()
        right = {p.id: p.right for p in q.pairs}
        assert "Answers:" in _text(view.query_one("#q-body", Static))
        await pilot.press("1")  # a wrong match for the first item, then cleared
        assert view.matches == {view.order[0]: answers[0]} and view.highlight == 1
        await pilot.press("up", "backspace")
        assert view.matches == {}
        for item in view.order:  # each key matches the highlighted item and moves on
            await pilot.press(str(answers.index(right[item]) + 1))
        assert view.matches == right
        await pilot.press("enter")
        await pilot.pause()
        feedback = _text(view.query_one("#q-feedback", Static))
        assert "Correct" in feedback and "HTTP → 80" in feedback and "The web's port." in feedback
        await pilot.press("enter")
        await pilot.pause()
        view = screen.view
        assert view is not None and view.question.id == "pi"
        await until(pilot, lambda: box_focused(screen))  # the box gets the focus after a refresh
        assert isinstance(app.focused, Input)
        await pilot.press(*"3.14", "enter")
        await pilot.pause()
        assert "Correct" in _text(view.query_one("#q-feedback", Static))
        assert screen.session.right == 2
