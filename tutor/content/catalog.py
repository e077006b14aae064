"""The course in the order a learner meets it: topics, then each topic's lessons, quizzes, labs."""

from __future__ import annotations

from dataclasses import dataclass, field

from tutor.content.course import Course
from tutor.content.models.labs import Lab
from tutor.content.models.lessons import Lesson, Topic
from tutor.content.models.questions import Quiz


@dataclass(frozen=True)
class TopicEntry:
    topic: Topic
    lessons: list[Lesson] = field(default_factory=list)
    quizzes: list[Quiz] = field(default_factory=list)
    labs: list[Lab] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.topic.id


@dataclass(frozen=True)
class Catalog:
    entries: list[TopicEntry]

    @classmethod
    def build(cls, course: Course) -> Catalog:
        by_topic = {
            t.id: TopicEntry(t) for t in sorted(course.topics.values(), key=lambda t: (t.order, t.id))
        }
        for lesson in sorted(course.lessons.values(), key=lambda x: (x.meta.order, x.id)):
            if lesson.topic in by_topic:
                by_topic[lesson.topic].lessons.append(lesson)
        for quiz in sorted(course.quizzes.values(), key=lambda x: (x.order, x.id)):
            if quiz.topic in by_topic:
                by_topic[quiz.topic].quizzes.append(quiz)
        for lab in sorted(course.labs.values(), key=lambda x: (getattr(x, "order", 0), x.id)):
            if lab.topic in by_topic:
                by_topic[lab.topic].labs.append(lab)
        return cls(list(by_topic.values()))

    def topic(self, topic_id: str) -> TopicEntry | None:
        return next((e for e in self.entries if e.id == topic_id), None)

    @property
    def lesson_order(self) -> list[Lesson]:
        return [lesson for e in self.entries for lesson in e.lessons]

    def neighbours(self, lesson_id: str) -> tuple[Lesson | None, Lesson | None]:
        """The lessons before and after `lesson_id` in course order."""
        order = self.lesson_order
        for i, lesson in enumerate(order):
            if lesson.id == lesson_id:
                prev = order[i - 1] if i > 0 else None
                nxt = order[i + 1] if i + 1 < len(order) else None
                return prev, nxt
        return None, None
