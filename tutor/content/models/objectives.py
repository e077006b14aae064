"""Exam-guide objectives as data, mapped to the lessons and questions that cover them.

One file per exam, beside its blueprint (`quizzes/exams/objectives/<exam>.yaml`):

    kind: objectives
    exam: saa-c03                      # a blueprint id
    references: [{title: SAA-C03 exam guide, url: https://...}]
    objectives:
      - id: saa-c03.1.1.containers
        domain: "saa-c03:1"            # one of the blueprint's domains
        text: Design secure access to AWS resources (task roles, ...)
        source: https://...            # the exam guide page that states it
        lessons: [ecs-security-networking]
        questions: [ecs-q070, ecs-q100]
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from tutor.content.models.base import Id, ReferenceField, References, Strict, Text
from tutor.content.models.questions import DomainTag


class Objective(Strict):
    id: Id
    domain: DomainTag = Field(description="The blueprint domain the objective belongs to.")
    text: Text = Field(description="The objective, in the exam guide's words (container-related part).")
    source: ReferenceField = Field(description="The exam guide page that states it.")
    lessons: list[Id] = Field(default_factory=list, description="Lessons that teach it.")
    questions: list[Id] = Field(default_factory=list, description="Questions that test it.")

    @property
    def covered(self) -> bool:
        return bool(self.lessons or self.questions)


class ObjectivesFile(Strict):
    kind: Literal["objectives"]
    exam: Id = Field(description="The exam blueprint these objectives belong to.")
    title: Text
    references: References
    objectives: Annotated[list[Objective], Field(min_length=1)]
