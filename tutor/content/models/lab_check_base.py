"""What every lab check has: a title and a hint."""

from __future__ import annotations

from pydantic import Field

from tutor.content.models.base import Strict


class CheckBase(Strict):
    title: str = Field("", description="What the check looks at, as the learner reads it.")
    hint: str = Field("", description="A nudge shown while this check fails.")
