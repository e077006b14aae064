"""The home screen's class panel at 80x24: the assignments, most urgent first, and the topics
still usable below it."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from pilot_waits import until
from textual.app import App, ComposeResult
from textual.widgets import OptionList

from tutor.content.class_outline import AssignmentOutline, ClassOutline
from tutor.content.loading.loader import load_course
from tutor.progress.labs import LabRecords
from tutor.progress.store import open_store
from tutor.quiz.session import PracticeSession
from tutor.tui.app import make_app
from tutor.tui.screens.home import HomeScreen
from tutor.tui.widgets.class_panel import ClassPanel

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "classroom"
ROOTS = [str(FIXTURES / "course"), str(FIXTURES / "pack")]
NOW = dt.datetime(2027, 3, 5, 12, tzinfo=dt.UTC).timestamp()


@pytest.fixture
def learner(tutor_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Halfway through the lab (overdue by NOW), the quiz passed, the exam not started."""
    course = load_course([Path(r) for r in ROOTS], cache=False)
    store = open_store(tutor_home)
    with monkeypatch.context() as m:
        m.setattr(time, "time", lambda: NOW - 5 * 86400)
        labs = LabRecords(store)
        labs.start("first-files", "t1", {})
        labs.record_check("first-files", "notes", True, [])
        quiz = course.quizzes["basics"]
        s = PracticeSession.start(course, store, [q.id for q in quiz.questions], quiz_id="basics", seed=1)
        for _ in quiz.questions:
            q = s.question
            s.answer({"choice": "a"} if q.type == "single" else {"value": True})
            s.next()
    store.close()
    monkeypatch.setattr(ClassPanel, "clock", staticmethod(lambda: NOW))
    return tutor_home


def _text(panel: ClassPanel) -> list[str]:
    return [line.text.rstrip() for line in panel.render_lines(panel.region.reset_offset)]


async def test_the_panel_fits_above_the_topics_at_80x24(learner: Path) -> None:
    app = make_app(content=ROOTS, preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        panel = app.screen.query_one(ClassPanel)
        assert panel.display and panel.region.height <= 6 and panel.region.right <= 80
        lines = _text(panel)
        assert lines[0].startswith("╭─ Class: Containers 101 <spring> & co ")
        body = lines[1:-1]
        assert [line.split()[1:3] for line in body] == [["!", "Lab"], ["○", "Exam"], ["✔", "Quiz"]]
        assert "4 days overdue" in body[0] and "1/2 steps" in body[0]
        assert "due in 10 days" in body[1] and "not started" in body[1]
        assert "passed · 100%" in body[2]
        assert lines[-1].endswith("1/3 finished · 1 overdue ─╯")
        topics = app.screen.query_one("#topics", OptionList)
        await until(pilot, lambda: topics.has_focus)  # focus() takes effect on a later message
        assert topics.has_focus and topics.region.height >= 10 and topics.region.bottom <= 23
        await pilot.press("enter")  # the topics still open as before
        items = app.screen.query_one("#items", OptionList)
        await until(pilot, lambda: items.has_focus)  # a selected message, then focus(): later messages
        assert items.has_focus


async def test_no_class_pack_no_panel(tutor_home: Path) -> None:
    app = make_app(content=ROOTS[:1], preload=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query_one(ClassPanel).display


class _One(App[None]):
    def __init__(self, klass: ClassOutline, home: Path) -> None:
        super().__init__()
        self.klass, self.home = klass, home

    def compose(self) -> ComposeResult:
        yield ClassPanel()

    def on_mount(self) -> None:
        self.query_one(ClassPanel).show(self.klass, open_store(self.home))


async def test_many_assignments_are_counted_not_listed(
    tutor_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ClassPanel, "clock", staticmethod(lambda: NOW))
    rows = [
        AssignmentOutline("quiz", f"q{i}", f"Quiz \x1b[31mnumber\x1b[0m {i}", f"2027-03-{10 + i:02d}", 70)
        for i in range(7)
    ]
    app = _One(ClassOutline("Big class", "Read the notes.", rows), tutor_home)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.query_one(ClassPanel)
        lines = _text(panel)
        assert len(lines) == 4 and "+4 more: tutor class status" in lines[3]  # no border here
        assert "Quiz [31mnumber[0m 0" in lines[0] and "\x1b" not in "".join(lines)
        assert panel.tooltip == "Read the notes."


def test_home_snapshot_with_a_class(learner: Path, snap_compare) -> None:
    assert snap_compare(make_app(content=ROOTS, preload=True), terminal_size=(80, 24))
