"""Lab content: placeholder until the lab format lands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tutor.content.base import Id, Strict, Text

if TYPE_CHECKING:
    pass


class Lab(Strict):
    id: Id
    title: Text
    topic: Id


def load_labs(loader: object, folder: Path) -> None:
    return None
