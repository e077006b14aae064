"""A lint finding, and how it becomes a located warning (file, line, field, fix)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml

from tutor.base.errors import ContentError
from tutor.content.course import Course
from tutor.content.loading.documents import yaml_text
from tutor.content.loading.located import format_path

Kind = Literal["question", "quiz", "lesson", "exam", "objective"]
Loc = tuple[str | int, ...]


@dataclass(frozen=True)
class Finding:
    """One item-writing (or freshness, or objectives) problem, before it is located in a file."""

    rule: str  # e.g. "longest-correct", shown in brackets so authors can look the rule up
    kind: Kind
    item_id: str
    path: Loc  # field path inside the item, e.g. ("options", 2, "text")
    message: str
    hint: str
    strict: bool = True  # False: a warning even under --strict (a date that passes, not a flaw)

    @property
    def label(self) -> str:
        return f"{self.kind} {self.item_id}: " if self.kind in ("question", "objective") else ""


class _Locator:
    """Composes each file once (the loader's `locate` composes it per call) and walks to a path."""

    def __init__(self) -> None:
        self._nodes: dict[Path, yaml.Node | None] = {}

    def line(self, file: Path, path: Loc) -> int | None:
        if file not in self._nodes:
            try:
                self._nodes[file] = yaml.compose(yaml_text(file), Loader=yaml.SafeLoader)
            except yaml.YAMLError:
                self._nodes[file] = None
        node = self._nodes[file]
        if node is None:
            return None
        for part in path:
            child = _child(node, part)
            if child is None:
                break
            node = child
        return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if str(k.value) == str(part)), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        return node.value[part]
    return None


def to_errors(course: Course, findings: list[Finding]) -> list[ContentError]:
    """Each finding as a warning at its file, line and field; findings of unknown items are kept."""
    locator = _Locator()
    out: list[ContentError] = []
    for f in findings:
        src = course.sources.get((f.kind, f.item_id))
        full: Loc = (*src.prefix, *f.path) if src else f.path
        file = src.file if src else Path(f.item_id)
        line = locator.line(file, full) if src else None
        if line is not None and src is not None:
            line += src.line_offset
        out.append(
            ContentError(
                file,
                f"{f.label}{f.message} [{f.rule}]",
                line=line,
                field=format_path(full),
                hint=f.hint,
                warning=True,
            )
        )
    return out
