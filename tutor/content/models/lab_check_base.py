"""What every lab check has: a title and a hint; and for some kinds, a target named one of two ways."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import Field, model_validator

from tutor.content.models.base import Strict


class CheckBase(Strict):
    title: str = Field("", description="What the check looks at, as the learner reads it.")
    hint: str = Field("", description="A nudge shown while this check fails.")

    # A kind that finds what it looks at in more than one way needs one of these fields set.
    target_fields: ClassVar[tuple[str, ...]] = ()

    @model_validator(mode="after")
    def _has_target(self) -> Self:
        fields = self.target_fields
        if fields and not any(getattr(self, f) for f in fields):
            kind = str(getattr(self, "kind", ""))
            article = "an" if kind[:1] in tuple("aeiou") else "a"
            raise ValueError(f"{article} {kind} check needs " + " or ".join(f"`{f}`" for f in fields))
        return self
