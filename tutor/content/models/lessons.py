"""Topics and lessons: Markdown with YAML front matter."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import Field

from tutor.content.models.base import Id, References, Strict, Text


class Topic(Strict):
    """A row of the home screen: Docker, ECR, ECS, ..."""

    id: Id
    title: Text
    summary: str = ""
    order: int = 0


class TopicsFile(Strict):
    """`lessons/topics.yaml`: the topics of a course, in order."""

    topics: Annotated[list[Topic], Field(min_length=1)]


class LessonMeta(Strict):
    """The front matter of a lesson file."""

    id: Id
    title: Text
    topic: Id
    order: int = Field(ge=0)
    objectives: Annotated[list[Text], Field(min_length=1)]
    minutes: int = Field(ge=1, le=240, description="Estimated reading time in minutes.")
    references: References
    summary: str = ""
    verified: str | None = Field(
        None,
        pattern=r"^\d{4}-(0[1-9]|1[0-2])$",
        description="When the lesson was last checked against the official docs (YYYY-MM).",
    )
    labs: list[Id] = Field(default_factory=list, description="Related labs, by id.")
    questions: list[Id] = Field(
        default_factory=list, description="Check-your-understanding questions, by id."
    )


class Lesson(Strict):
    meta: LessonMeta
    body: str
    source: Path
    body_line: int = 1

    @property
    def id(self) -> str:
        return self.meta.id

    @property
    def title(self) -> str:
        return self.meta.title

    @property
    def topic(self) -> str:
        return self.meta.topic
