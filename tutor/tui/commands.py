"""Command palette entries: open any topic, lesson or lab by name (from the outline, at once),
and search the full text of lessons, questions and labs (the index built when the course
loads; a search loads the course when a saved outline drew the home screen without it)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from tutor.tui.context import Tutor

FULL_TEXT_HITS = 15
KIND_NAMES = {"lesson": "Lesson", "question": "Question", "lab": "Lab"}


class CourseCommands(Provider):
    def _entries(self) -> Iterator[tuple[str, str, str, str]]:
        app: Tutor = self.app  # type: ignore[assignment]
        for topic in app.outline.topics:
            yield f"Topic: {topic.title}", "topic", topic.id, topic.summary
            for lesson in topic.lessons:
                yield f"Lesson: {lesson.title}", "lesson", lesson.id, topic.title
            for lab in topic.labs:
                yield f"Lab: {lab.title}", "lab", lab.id, topic.title

    async def discover(self) -> Hits:
        app: Tutor = self.app  # type: ignore[assignment]
        for text, kind, item_id, help_text in self._entries():
            if kind == "topic":
                yield DiscoveryHit(text, partial(app.open_item, kind, item_id), help=help_text)
        yield DiscoveryHit("Practise… (choose questions)", partial(app.open_item, "setup", "all"))
        yield DiscoveryHit("Bookmarks and notes", partial(app.open_item, "notes", ""))

    async def search(self, query: str) -> Hits:
        app: Tutor = self.app  # type: ignore[assignment]
        matcher = self.matcher(query)
        titles: set[tuple[str, str]] = set()
        for text, kind, item_id, help_text in self._entries():
            score = matcher.match(text)
            if score > 0:
                titles.add((kind, item_id))
                yield Hit(
                    score, matcher.highlight(text), partial(app.open_item, kind, item_id), help=help_text
                )
        for text, kind, item_id in (
            ("Practise… (choose questions)", "setup", "all"),
            ("Bookmarks and notes", "notes", ""),
        ):
            if (score := matcher.match(text)) > 0:
                yield Hit(score, matcher.highlight(text), partial(app.open_item, kind, item_id))
        if not await _course_loaded(app):
            return
        hits = app.services.search.search(query, limit=FULL_TEXT_HITS)
        for rank, hit in enumerate(hits):
            kind, item_id = hit.doc.target
            if (kind, item_id) in titles:
                continue
            label = Text.assemble((f"{KIND_NAMES[hit.doc.kind]}: ", "bold"), hit.doc.title)
            # Below title matches, in the index's order.
            yield Hit(
                0.5 * (1 - rank / (FULL_TEXT_HITS + 1)),
                label,
                partial(app.open_item, kind, item_id),
                help=hit.snippet,
            )


async def _course_loaded(app: Tutor) -> bool:
    """Load the course if need be and wait for it (title hits are shown meanwhile); a newer
    query or closing the palette cancels the wait. False when the load failed (the app says why)."""
    app.ensure_loaded()
    while app.loading:
        await asyncio.sleep(0.05)
    return app.loaded
