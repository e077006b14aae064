"""Records: frozen dataclasses that a command prints as JSON."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any


class Record:
    """A dataclass's `to_dict`: its fields, nested dataclasses and lists included, as plain values."""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)  # type: ignore[call-overload]
