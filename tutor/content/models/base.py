"""Building blocks shared by every content model."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

Id = Annotated[
    str,
    StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", max_length=100),
]
"""Stable identifier: lower-case letters, digits, '.', '_' and '-'."""

Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=True)]


class Strict(BaseModel):
    """Unknown keys are errors (so misspellings are caught), and models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True)


def _reference_from_str(value: Any) -> Any:
    if isinstance(value, str):
        return {"url": value}
    return value


class Reference(Strict):
    """A link to official documentation."""

    url: Annotated[str, StringConstraints(pattern=r"^https://\S+$")]
    title: str = ""

    @property
    def label(self) -> str:
        return self.title or self.url


ReferenceField = Annotated[Reference, BeforeValidator(_reference_from_str)]
References = Annotated[list[ReferenceField], Field(min_length=1)]
