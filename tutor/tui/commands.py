"""Command palette entries: open any topic or lesson by typing part of its name."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.tui.context import Tutor


class CourseCommands(Provider):
    def _entries(self) -> Iterator[tuple[str, str, str, str]]:
        app: Tutor = self.app  # type: ignore[assignment]
        for topic in app.outline.topics:
            yield f"Topic: {topic.title}", "topic", topic.id, topic.summary
            for lesson in topic.lessons:
                yield f"Lesson: {lesson.title}", "lesson", lesson.id, topic.title

    async def discover(self) -> Hits:
        app: Tutor = self.app  # type: ignore[assignment]
        for text, kind, item_id, help_text in self._entries():
            if kind == "topic":
                yield DiscoveryHit(text, partial(app.open_item, kind, item_id), help=help_text)

    async def search(self, query: str) -> Hits:
        app: Tutor = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        for text, kind, item_id, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(app.open_item, kind, item_id),
                    help=help_text,
                )
