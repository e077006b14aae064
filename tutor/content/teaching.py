"""Where the course teaches what a question asks: a lesson, its section, and the labs to practise.

A question's `teaches:` says it outright; otherwise a lesson that lists the question in its
`questions:` teaches it (from the top). The labs are `teaches.lab`, or else the lesson's labs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.base.record import Record
from tutor.content.course import Course


@dataclass(frozen=True)
class LabLink:
    id: str
    title: str


@dataclass(frozen=True)
class Link(Record):
    lesson: str
    lesson_title: str
    section: str | None
    labs: list[LabLink] = field(default_factory=list)

    def describe(self) -> str:
        where = self.lesson_title + (f" › {self.section}" if self.section else "")
        labs = ", ".join(lab.title for lab in self.labs)
        return where + (f" · lab: {labs}" if labs else "")


def lesson_for(course: Course) -> dict[str, str]:
    """question id -> the first lesson (in course order) that lists it in `questions:`."""
    out: dict[str, str] = {}
    for lesson in sorted(course.lessons.values(), key=lambda x: (x.topic, x.meta.order, x.id)):
        for qid in lesson.meta.questions:
            out.setdefault(qid, lesson.id)
    return out


def link_for(course: Course, question_id: str, listed: dict[str, str] | None = None) -> Link | None:
    """The lesson, section and labs for a question, or None when the course has none for it."""
    question = course.questions.get(question_id)
    if question is None:
        return None
    teaches = question.teaches
    lesson_id = teaches.lesson if teaches else (listed or lesson_for(course)).get(question_id)
    lesson = course.lessons.get(lesson_id or "")
    if lesson is None:
        return None
    lab_ids = [teaches.lab] if teaches and teaches.lab else list(lesson.meta.labs)
    labs = [LabLink(lab, course.labs[lab].title) for lab in lab_ids if lab in course.labs]
    return Link(lesson.id, lesson.title, teaches.section if teaches else None, labs)


def links_for(course: Course, question_ids: list[str]) -> dict[str, Link | None]:
    listed = lesson_for(course)
    return {qid: link_for(course, qid, listed) for qid in question_ids}
