"""Every screen at 80x24, pictured and compared with the accepted pictures in __snapshots__/.

Clocks are fixed and nothing random is on screen: an exam runs on a clock that does not move,
the lab's terminal starts no shell (its process is stubbed) and notifications are switched off
where they would carry a temporary path.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot_waits import box_focused, until

from tutor.quiz.exam import ExamSession
from tutor.tui.app import make_app
from tutor.tui.screens.exam import ExamScreen
from tutor.tui.screens.exam_results import ExamResultScreen
from tutor.tui.screens.exam_review import ExamReviewScreen

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
COURSE = str(FIXTURES / "course")
EXAM_COURSE = str(FIXTURES / "exam_course")
WIDE = str(FIXTURES / "wide_code")
SIZE = (80, 24)


def _exam(app, answer: int = 0) -> ExamSession:
    session = ExamSession.start(app.services.course, app.store, "mini", seed=4, clock=lambda: 0.0)
    for qid in session.question_ids[:answer]:
        q = app.services.course.questions[qid]
        response = {"value": True} if q.type == "true_false" else {"text": "yes"}
        if q.type == "single":
            response = {"choice": "a"}
        elif q.type == "multiple":
            response = {"choices": ["a", "b"]}
        session.answer(response, qid)
    return session


def test_80x24_home(snap_compare) -> None:
    assert snap_compare(make_app(content=[EXAM_COURSE], preload=True), terminal_size=SIZE)


def test_80x24_practice_hub(snap_compare) -> None:
    from datetime import UTC, datetime, timedelta

    from tutor.quiz.srs import Repetition
    from tutor.tui.screens.practice_hub import PRACTICE_ROW

    app = make_app(content=[EXAM_COURSE], preload=True)
    long_ago = datetime(2024, 1, 1, tzinfo=UTC)
    for qid in ("docker-x01", "docker-x02", "ecs-x01"):  # three due, one of them missed
        Repetition(app.store, fuzz=False).review(qid, 1 if qid == "ecs-x01" else 3, long_ago)
    assert long_ago + timedelta(days=30) < datetime.now(UTC)

    async def practice_row(pilot) -> None:
        await pilot.pause()
        app.screen.select_topic(PRACTICE_ROW)
        await pilot.pause()

    assert snap_compare(app, run_before=practice_row, terminal_size=SIZE)


def test_80x24_lesson_code_scrolls_sideways(snap_compare) -> None:
    app = make_app(content=[WIDE], start=("lesson", "wc-run"), preload=True)
    assert snap_compare(app, press=["down", "down", "down", "right", "right", "right"], terminal_size=SIZE)


def test_80x24_lesson_references_are_links(snap_compare) -> None:
    app = make_app(content=[WIDE], start=("lesson", "wc-run"), preload=True)
    assert snap_compare(app, press=["end"], terminal_size=SIZE)


def test_80x24_practice_after_an_answer(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], start=("quiz", "ecs-quiz"), seed=5, preload=True)
    assert snap_compare(app, press=["1", "enter"], terminal_size=SIZE)


def test_80x24_practice_setup(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], start=("setup", "docker-quiz"), preload=True)
    assert snap_compare(app, terminal_size=SIZE)


def test_80x24_exam_question(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)

    async def start(pilot) -> None:
        await app.push_screen(ExamScreen(_exam(app, answer=1)))
        await pilot.pause()

    assert snap_compare(app, run_before=start, terminal_size=SIZE)


def test_80x24_exam_review_page_study_branch(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)

    async def start(pilot) -> None:
        session = _exam(app, answer=2)
        session.flags.add(session.question_ids[0])
        await app.push_screen(ExamReviewScreen(session))
        await pilot.pause()

    assert snap_compare(app, run_before=start, terminal_size=SIZE)


def test_80x24_exam_results_study_branch(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], preload=True)

    async def start(pilot) -> None:
        session = _exam(app, answer=3)
        await app.push_screen(ExamResultScreen(session, session.submit()))
        await pilot.pause()

    assert snap_compare(app, run_before=start, terminal_size=SIZE)


def test_80x24_stats(snap_compare) -> None:
    app = make_app(content=[EXAM_COURSE], start=("stats", ""), preload=True)
    assert snap_compare(app, terminal_size=SIZE)


def test_80x24_help(snap_compare) -> None:
    from textual.widgets import Input

    app = make_app(content=[EXAM_COURSE], start=("quiz", "docker-quiz"), seed=1, preload=True)

    async def keys(pilot) -> None:
        await pilot.pause()
        await until(pilot, lambda: box_focused(app.screen))  # the box gets the focus after a refresh
        if isinstance(app.focused, Input):
            await pilot.press("escape")  # out of the answer box: ? is a key again
        await pilot.press("question_mark")

    assert snap_compare(app, run_before=keys, terminal_size=SIZE)


def test_80x24_problems(snap_compare) -> None:
    app = make_app(content=[str(FIXTURES / "broken" / "unknown_ids")], preload=True)
    assert snap_compare(app, press=["exclamation_mark"], terminal_size=SIZE)


def test_80x24_bookmarks_and_notes(snap_compare) -> None:
    app = make_app(content=[WIDE], preload=True)
    from tutor.progress.notes import Notebook

    book = Notebook(app.store)
    book.bookmark("wc-run", "volumes", "Volumes")
    book.add_note("wc-run", "one-long-command", "--restart unless-stopped survives a reboot of the host")
    assert snap_compare(app, run_before=lambda pilot: app.open_item("notes", ""), terminal_size=SIZE)


@pytest.fixture
def quiet_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """The lab's terminal starts no shell: its pane keeps its placeholder (the lab needs no
    engine, so nothing here depends on one)."""
    from tutor.tui.screens import lab_terminal

    monkeypatch.setattr(lab_terminal.LabTerminal, "start_shell", lambda self, launch: None)


def test_80x24_lab_instructions_and_checks(snap_compare, quiet_terminal) -> None:
    app = make_app(content=[str(FIXTURES / "quiet_lab")], start=("lab", "hello-file"), preload=True)

    async def checked(pilot) -> None:
        app.notify = lambda *a, **k: None  # "your workspace: /tmp/..." would differ each run
        for _ in range(400):
            await pilot.pause(0.05)
            if getattr(app.screen, "session", None) is not None:
                break
        app.screen.session.apply_solution("write")  # as the learner would, in the terminal
        await pilot.press("f6", "c")
        for _ in range(400):  # until the step passes and the next one is on show
            await pilot.pause(0.05)
            if app.screen.step_index == 1:
                break
        assert app.screen.results["write"][0].passed is True
        await pilot.pause()

    assert snap_compare(app, run_before=checked, terminal_size=SIZE)
