"""Where a learner stands on each assignment of a class: not started, in progress, done or
passed, overdue. One set of rules for the home screen, `tutor class status` and the reports.

- a lab is done when every step has passed in one attempt (a completion; resets keep it);
- a quiz is passed by a finished attempt (practice, cram or timed; only timed ones with
  `timed: true`) scoring at least its pass mark, in percent of the points;
- an exam is passed by a finished exam attempt that meets its own pass mark (on the exam's
  scale), or the class's pass mark in percent when the class sets one;
- overdue: the due date has passed and it is not done or passed. Work done after the due date
  still counts, marked late.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tutor.classroom.records import COUNTED_MODES, AttemptRecord, LearnerRecords
from tutor.content.class_outline import AssignmentOutline, ClassOutline

NOT_STARTED, IN_PROGRESS, DONE, PASSED, OVERDUE = "not started", "in progress", "done", "passed", "overdue"
STATES = (NOT_STARTED, IN_PROGRESS, DONE, PASSED, OVERDUE)
FINISHED = (DONE, PASSED)


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: AssignmentOutline
    state: str
    score: float | None = None  # percent: the best quiz or exam score, the share of a lab's steps
    finished_at: float | None = None  # when it was done or passed
    late: bool = False
    seconds: float | None = None  # how long the lab, or the attempt that counts, took
    attempts: int = 0
    detail: str = ""  # '1/2 steps', 'best 60%, needs 80%', 'scaled 640, needs 700'

    @property
    def finished(self) -> bool:
        return self.state in FINISHED


def evaluate(klass: ClassOutline, records: LearnerRecords, now: float) -> list[AssignmentStatus]:
    return [assignment_status(a, records, now) for a in klass.assignments]


def assignment_status(a: AssignmentOutline, records: LearnerRecords, now: float) -> AssignmentStatus:
    status = _lab(a, records) if a.kind == "lab" else _quiz(a, records)
    deadline = a.deadline
    if status.finished:
        late = deadline is not None and status.finished_at is not None and status.finished_at > deadline
        return _with(status, late=late)
    if deadline is not None and now > deadline:
        return _with(status, state=OVERDUE)
    return status


def _with(s: AssignmentStatus, **changes: object) -> AssignmentStatus:
    values = {**s.__dict__, **changes}
    return AssignmentStatus(**values)  # type: ignore[arg-type]


def _lab(a: AssignmentOutline, records: LearnerRecords) -> AssignmentStatus:
    lab = records.labs.get(a.id)
    total = len(a.steps)
    if lab is None:
        return AssignmentStatus(a, NOT_STARTED, detail=f"0/{total} steps")
    if lab.done:
        first = lab.completions[0]
        return AssignmentStatus(
            a,
            DONE,
            100.0,
            first.completed_at,
            seconds=max(0.0, first.completed_at - first.started_at),
            attempts=len(lab.completions),
            detail=f"{total}/{total} steps",
        )
    passed = sum(1 for s in a.steps if (r := lab.step(s)) is not None and r.passed)
    started = lab.attempt is not None or any(s.reached for s in lab.steps)
    return AssignmentStatus(
        a,
        IN_PROGRESS if started else NOT_STARTED,
        100.0 * passed / total if total else 0.0,
        detail=f"{passed}/{total} steps",
    )


def _meets(a: AssignmentOutline, attempt: AttemptRecord) -> bool:
    if a.pass_mark is None:  # an exam graded by its own pass mark
        return bool(attempt.passed)
    return attempt.percent >= a.pass_mark - 1e-9


def _needs(a: AssignmentOutline, best: AttemptRecord | None) -> str:
    if a.pass_mark is not None:
        return f"needs {a.pass_mark:g}%"
    return "needs the exam's pass mark" if best is None or best.scaled is None else ""


def _quiz(a: AssignmentOutline, records: LearnerRecords) -> AssignmentStatus:
    counted = records.attempts_of(a.id, ("exam",) if a.kind == "exam" or a.timed else COUNTED_MODES)
    finished = [t for t in counted if t.finished]
    if not counted:
        return AssignmentStatus(a, NOT_STARTED, detail=_needs(a, None))
    best = max(finished, key=lambda t: (t.percent, -(t.finished_at or 0.0)), default=None)
    passing = sorted((t for t in finished if _meets(a, t)), key=lambda t: t.finished_at or 0.0)
    shown = passing[0] if passing else best
    score = round(best.percent, 1) if best is not None else None
    detail = _quiz_detail(a, best, shown if passing else None)
    if passing:
        first = passing[0]
        return AssignmentStatus(
            a, PASSED, score, first.finished_at, seconds=first.seconds, attempts=len(counted), detail=detail
        )
    seconds = shown.seconds if shown is not None else None
    return AssignmentStatus(a, IN_PROGRESS, score, seconds=seconds, attempts=len(counted), detail=detail)


def _quiz_detail(a: AssignmentOutline, best: AttemptRecord | None, passing: AttemptRecord | None) -> str:
    if best is None:
        return "not finished yet"
    scaled = f", scaled {best.scaled}" if a.kind == "exam" and best.scaled is not None else ""
    text = f"best {best.percent:.0f}%{scaled}"
    if passing is None:
        need = _needs(a, best)
        text += f", {need}" if need else ", below the pass mark"
    return text


# -- summaries and labels ----------------------------------------------------------------


def counts(statuses: Iterable[AssignmentStatus]) -> dict[str, int]:
    c = Counter(s.state for s in statuses)
    return {state: c.get(state, 0) for state in STATES}


def urgency(s: AssignmentStatus) -> tuple[int, float]:
    """Overdue first, then what is open by due date (none last), then what is finished."""
    rank = {OVERDUE: 0, IN_PROGRESS: 1, NOT_STARTED: 1}.get(s.state, 2)
    deadline = s.assignment.deadline
    return rank, deadline if deadline is not None else float("inf")


def due_label(deadline: float | None, now: float) -> str:
    """'due in 3 days', 'due today', 'due in 5 h', '2 days overdue'."""
    if deadline is None:
        return "no due date"
    left = deadline - now
    hours = abs(left) / 3600
    if left < 0:
        return f"{_span(hours)} overdue"
    if hours < 1:
        return "due within the hour"
    return f"due in {_span(hours)}"


def _span(hours: float) -> str:
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"


def duration(seconds: float | None) -> str:
    """'45s', '12m 05s', '2h 03m'; '' for None."""
    if seconds is None:
        return ""
    s = round(seconds)
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m {s % 60:02d}s"
    return f"{s // 3600}h {s % 3600 // 60:02d}m"
