"""The status rules, on hand-made records: what counts for a quiz, an exam, a lab; due dates."""

from __future__ import annotations

import datetime as dt

import pytest

from tutor.classroom.records import AttemptRecord, Completion, LabRecord, LearnerRecords, StepRecord
from tutor.classroom.status import assignment_status, due_label, duration, urgency
from tutor.content.class_outline import AssignmentOutline

DUE = "2027-03-08T18:00:00+00:00"
DEADLINE = dt.datetime(2027, 3, 8, 18, tzinfo=dt.UTC).timestamp()
BEFORE, AFTER = DEADLINE - 86400, DEADLINE + 86400
QUIZ = AssignmentOutline("quiz", "basics", "Docker basics", DUE, 80)
TIMED = AssignmentOutline("quiz", "basics", "Docker basics", DUE, 80, timed=True)
EXAM = AssignmentOutline("exam", "mock", "Mock exam", DUE, None)
EXAM_70 = AssignmentOutline("exam", "mock", "Mock exam", DUE, 70)
LAB = AssignmentOutline("lab", "first-files", "Write two files", DUE, steps=("notes", "config"))


def attempt(
    mode: str, points: float, *, finished: float | None = BEFORE, quiz: str = "basics", **kw
) -> AttemptRecord:
    return AttemptRecord(1, quiz, mode, (finished or BEFORE) - 600, finished, 300.0, points, 10, **kw)


def state(
    a: AssignmentOutline, *attempts: AttemptRecord, now: float = BEFORE - 1
) -> tuple[str, bool, float | None]:
    s = assignment_status(a, LearnerRecords(attempts=list(attempts)), now)
    return s.state, s.late, s.score


def test_a_quiz_is_passed_by_a_finished_attempt_at_its_pass_mark() -> None:
    assert state(QUIZ) == ("not started", False, None)
    assert state(QUIZ, attempt("practice", 4, finished=None)) == ("in progress", False, None)
    assert state(QUIZ, attempt("practice", 7)) == ("in progress", False, 70.0)
    assert state(QUIZ, attempt("practice", 7), attempt("cram", 8)) == ("passed", False, 80.0)
    assert state(QUIZ, attempt("exam", 9)) == ("passed", False, 90.0)


def test_review_sessions_and_other_quizzes_do_not_count() -> None:
    assert state(QUIZ, attempt("review", 10), attempt("practice", 10, quiz="other")) == (
        "not started",
        False,
        None,
    )


def test_a_timed_quiz_counts_only_timed_attempts() -> None:
    assert state(TIMED, attempt("practice", 10)) == ("not started", False, None)
    assert state(TIMED, attempt("practice", 10), attempt("exam", 8)) == ("passed", False, 80.0)


def test_an_exam_keeps_its_own_pass_mark_unless_the_class_sets_one() -> None:
    failed = attempt("exam", 7, quiz="mock", scaled=650, passed=False)
    assert state(EXAM, failed) == ("in progress", False, 70.0)
    assert state(EXAM_70, failed) == ("passed", False, 70.0)
    s = assignment_status(EXAM, LearnerRecords(attempts=[failed]), BEFORE)
    assert s.detail == "best 70%, scaled 650, below the pass mark"
    assert state(EXAM, attempt("exam", 8, quiz="mock", scaled=730, passed=True))[0] == "passed"


def test_due_dates_make_work_overdue_and_late_work_counts_marked_late() -> None:
    assert state(QUIZ, now=AFTER) == ("overdue", False, None)
    assert state(QUIZ, attempt("practice", 7), now=AFTER) == ("overdue", False, 70.0)
    assert state(QUIZ, attempt("practice", 9, finished=AFTER), now=AFTER + 1) == ("passed", True, 90.0)
    # the first passing attempt decides when it was passed
    early, late = attempt("practice", 8, finished=BEFORE), attempt("practice", 10, finished=AFTER)
    s = assignment_status(QUIZ, LearnerRecords(attempts=[late, early]), AFTER + 1)
    assert (s.state, s.late, s.score, s.finished_at) == ("passed", False, 100.0, BEFORE)
    undated = AssignmentOutline("quiz", "basics", "Docker basics", "", 80)
    assert state(undated, now=AFTER * 2) == ("not started", False, None)


def test_a_lab_is_done_by_a_completion_and_otherwise_counts_its_steps() -> None:
    def lab(**kw) -> LearnerRecords:
        return LearnerRecords(labs={"first-files": LabRecord("first-files", **kw)})

    assert assignment_status(LAB, LearnerRecords(), BEFORE).detail == "0/2 steps"
    halfway = lab(attempt="x", steps=[StepRecord("notes", passed_at=BEFORE, checks=2)])
    s = assignment_status(LAB, halfway, BEFORE)
    assert (s.state, s.score, s.detail) == ("in progress", 50.0, "1/2 steps")
    assert assignment_status(LAB, halfway, AFTER).state == "overdue"
    done = lab(completions=[Completion("x", BEFORE - 900, AFTER)])
    s = assignment_status(LAB, done, AFTER + 5)
    assert (s.state, s.late, s.seconds, s.score) == ("done", True, 900 + 2 * 86400, 100.0)


def test_step_times_run_from_the_start_or_the_previous_pass() -> None:
    rec = LabRecord(
        "first-files",
        steps_started_at=1000.0,
        steps=[
            StepRecord("notes", passed_at=1300.0, first_check_at=1100.0, checks=3),
            StepRecord("config", passed_at=1900.0, first_check_at=1200.0, checks=1),
            StepRecord("extra", first_check_at=2000.0, checks=1),
        ],
    )
    assert rec.step_seconds() == {"notes": 300.0, "config": 600.0}


def test_open_work_comes_first_by_due_date() -> None:
    later = AssignmentOutline("quiz", "later", "Later", "2027-04-01", 80)
    records = LearnerRecords(attempts=[attempt("practice", 10)])
    statuses = [assignment_status(a, records, BEFORE) for a in (QUIZ, later, LAB)]
    assert [s.assignment.id for s in sorted(statuses, key=urgency)] == ["first-files", "later", "basics"]


@pytest.mark.parametrize(
    ("left", "label"),
    [
        (-3 * 86400, "3 days overdue"),
        (-7200, "2 h overdue"),
        (600, "due within the hour"),
        (5 * 3600, "due in 5 h"),
        (9 * 86400, "due in 9 days"),
    ],
)
def test_due_labels(left: float, label: str) -> None:
    assert due_label(DEADLINE, DEADLINE - left) == label
    assert due_label(None, 0) == "no due date"


def test_durations() -> None:
    assert [duration(x) for x in (None, 45, 725, 7380)] == ["", "45s", "12m 05s", "2h 03m"]
