"""A class pack as plain data: what the home screen, `tutor class status` and reports evaluate.

Built from the loaded course (ids resolved, titles and a lab's steps filled in, pass marks
settled), saved with the course outline so the home screen can show it before the course is
loaded. Nothing here imports pydantic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tutor.base.record import Record

if TYPE_CHECKING:
    from tutor.content.course import Course


def deadline(due: str) -> float | None:
    """A due date as a POSIX time: a date means the end of that day; no offset means local time."""
    if not due:
        return None
    if len(due) == 10:
        return dt.datetime.combine(dt.date.fromisoformat(due), dt.time.max).timestamp()
    return dt.datetime.fromisoformat(due).timestamp()


def due_text(due: str) -> str:
    """'2027-03-01', '2027-03-08 18:00', '2027-03-15 17:00 UTC', '2027-03-15 17:00 +01:00'."""
    if len(due) <= 10:
        return due
    stamp = dt.datetime.fromisoformat(due)
    text = stamp.strftime("%Y-%m-%d %H:%M")
    offset = stamp.utcoffset()
    if offset is None:
        return text
    if not offset:
        return f"{text} UTC"
    zone = stamp.strftime("%z")
    return f"{text} {zone[:3]}:{zone[3:5]}"


@dataclass(frozen=True)
class AssignmentOutline:
    kind: str  # lab, quiz or exam
    id: str
    title: str
    due: str = ""  # ISO, as written: a date, or a date and time
    pass_mark: float | None = None  # percent; None: a lab, or an exam graded by its own pass mark
    timed: bool = False  # a quiz: only attempts taken as a timed exam count
    notes: str = ""
    steps: tuple[str, ...] = ()  # a lab's steps, in order

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def deadline(self) -> float | None:
        return deadline(self.due)

    @property
    def due_shown(self) -> str:
        return due_text(self.due)


@dataclass(frozen=True)
class ClassOutline(Record):
    name: str
    notes: str = ""
    assignments: list[AssignmentOutline] = field(default_factory=list)

    @classmethod
    def from_course(cls, course: Course) -> ClassOutline | None:
        """The course's class pack, keeping the assignments whose lab, quiz or exam exists
        (the others are content errors, reported with their line)."""
        pack = course.klass
        if pack is None:
            return None
        out: list[AssignmentOutline] = []
        seen: set[tuple[str, str]] = set()
        for a in pack.assignments:
            if len(a.kinds) != 1 or (a.kind, a.target) in seen:  # both reported by the loader
                continue
            seen.add((a.kind, a.target))
            due = a.due.isoformat() if a.due is not None else ""
            if a.kind == "lab" and a.target in course.labs:
                lab = course.labs[a.target]
                steps = tuple(s.id for s in lab.steps)
                out.append(AssignmentOutline("lab", lab.id, lab.title, due, None, False, a.notes, steps))
            elif a.kind == "quiz" and a.target in course.quizzes:
                quiz = course.quizzes[a.target]
                mark = a.pass_mark if a.pass_mark is not None else pack.pass_mark
                out.append(AssignmentOutline("quiz", quiz.id, quiz.title, due, mark, a.timed, a.notes))
            elif a.kind == "exam" and a.target in course.exams:
                exam = course.exams[a.target]
                out.append(AssignmentOutline("exam", exam.id, exam.title, due, a.pass_mark, False, a.notes))
        return cls(pack.name, pack.notes, out)

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ClassOutline:
        rows = [
            AssignmentOutline(**{**a, "steps": tuple(a.get("steps", ()))}) for a in raw.get("assignments", [])
        ]
        return cls(str(raw["name"]), str(raw.get("notes", "")), rows)
