"""The loaded course: everything from one or more content roots, plus the problems found."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from tutor.base.errors import ContentError
from tutor.content.models.classpack import ClassPack
from tutor.content.models.exams import ExamBlueprint
from tutor.content.models.labs import Lab
from tutor.content.models.lessons import Lesson, Topic
from tutor.content.models.objectives import ObjectivesFile
from tutor.content.models.questions import Question, Quiz
from tutor.content.roots import CLASS_FILE


class Source(NamedTuple):
    """Where an item came from, to point errors found later at the right line (a named tuple:
    one is made for every question, and a tuple is made faster than a frozen dataclass)."""

    file: Path
    line_offset: int = 0
    prefix: tuple[str | int, ...] = ()


@dataclass
class Course:
    roots: list[Path] = field(default_factory=list)
    topics: dict[str, Topic] = field(default_factory=dict)
    lessons: dict[str, Lesson] = field(default_factory=dict)
    quizzes: dict[str, Quiz] = field(default_factory=dict)
    exams: dict[str, ExamBlueprint] = field(default_factory=dict)
    labs: dict[str, Lab] = field(default_factory=dict)
    klass: ClassPack | None = None  # the class pack (class.yaml) of the last root that has one
    objectives: dict[str, ObjectivesFile] = field(default_factory=dict)  # by exam id
    errors: list[ContentError] = field(default_factory=list)
    sources: dict[tuple[str, str], Source] = field(default_factory=dict)

    # Derived indexes, rebuilt by `index()`.
    questions: dict[str, Question] = field(default_factory=dict)
    question_quiz: dict[str, str] = field(default_factory=dict)

    def index(self) -> None:
        self.questions = {}
        self.question_quiz = {}
        for quiz in self.quizzes.values():
            for q in quiz.questions:
                self.questions[q.id] = q
                self.question_quiz[q.id] = quiz.id

    def overlay(self, other: Course) -> None:
        """Put `other` on top of this course: items with the same id are replaced."""
        self.roots.extend(other.roots)
        self.topics.update(other.topics)
        self.lessons.update(other.lessons)
        self.quizzes.update(other.quizzes)
        self.exams.update(other.exams)
        self.labs.update(other.labs)
        if other.klass is not None:
            earlier = self.sources.get(("class", CLASS_FILE))
            if self.klass is not None and earlier is not None:
                self.errors.append(
                    ContentError(
                        other.sources[("class", CLASS_FILE)].file,
                        f"this class pack replaces the one in {earlier.file}",
                        hint="layer one class pack at a time",
                        warning=True,
                    )
                )
            self.klass = other.klass
        self.objectives.update(other.objectives)
        self.errors.extend(other.errors)
        self.sources.update(other.sources)

    @property
    def ok(self) -> bool:
        return not self.errors
