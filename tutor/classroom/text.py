"""Text from a class pack or a learner's export, made safe to show in a terminal or a report.

Until the course-wide sanitiser lands (issue 11), this is the one place the classroom cleans
text; each report format escapes it for itself as well.
"""

from __future__ import annotations

import re
from typing import Any

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")


def clean(text: Any, limit: int = 200) -> str:
    """Control and direction characters removed, one line, at most `limit` characters."""
    one = _CONTROL.sub("", " ".join(str(text).split()))
    return one if len(one) <= limit else one[: limit - 1] + "…"
