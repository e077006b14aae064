"""Bookmarks and personal notes, per lesson section, in the progress store."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from tutor.base.record import Record
from tutor.progress.store import ProgressStore, upsert

MAX_NOTE = 4000  # characters: a note, not a document


@dataclass(frozen=True)
class Bookmark(Record):
    lesson_id: str
    section: str
    title: str
    created_at: float


@dataclass(frozen=True)
class Note(Record):
    id: int
    lesson_id: str
    section: str
    text: str
    created_at: float


class Notebook:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    # -- bookmarks ----------------------------------------------------------------------
    def bookmark(self, lesson_id: str, section: str, title: str = "") -> Bookmark:
        row = {"lesson_id": lesson_id, "section": section, "title": title, "created_at": time.time()}
        with self.store.transaction() as db:
            upsert(db, "bookmarks", row, ("lesson_id", "section"), keep=("created_at",))
        return next(b for b in self.bookmarks(lesson_id) if b.section == section)

    def unbookmark(self, lesson_id: str, section: str) -> bool:
        with self.store.transaction() as db:
            cur = db.execute(
                "DELETE FROM bookmarks WHERE lesson_id = ? AND section = ?", (lesson_id, section)
            )
            return cur.rowcount > 0

    def toggle_bookmark(self, lesson_id: str, section: str, title: str = "") -> bool:
        """True when the section is bookmarked afterwards."""
        if self.unbookmark(lesson_id, section):
            return False
        self.bookmark(lesson_id, section, title)
        return True

    def bookmarks(self, lesson_id: str | None = None) -> list[Bookmark]:
        sql = "SELECT lesson_id, section, title, created_at FROM bookmarks"
        return [Bookmark(*r) for r in self._of_lesson(sql, lesson_id, "created_at, rowid")]

    # -- notes --------------------------------------------------------------------------
    def add_note(self, lesson_id: str, section: str, text: str) -> Note:
        text = text.strip()[:MAX_NOTE]
        now = time.time()
        with self.store.transaction() as db:
            cur = db.execute(
                "INSERT INTO notes (lesson_id, section, text, created_at) VALUES (?, ?, ?, ?)",
                (lesson_id, section, text, now),
            )
            note_id = int(cur.lastrowid or 0)
        return Note(note_id, lesson_id, section, text, now)

    def remove_note(self, note_id: int) -> bool:
        with self.store.transaction() as db:
            return db.execute("DELETE FROM notes WHERE id = ?", (note_id,)).rowcount > 0

    def notes(self, lesson_id: str | None = None) -> list[Note]:
        sql = "SELECT id, lesson_id, section, text, created_at FROM notes"
        return [Note(*r) for r in self._of_lesson(sql, lesson_id, "created_at, id")]

    def _of_lesson(self, select: str, lesson_id: str | None, order: str) -> list[Any]:
        """The rows `select` gives, of one lesson (or all), in `order`."""
        where, params = (" WHERE lesson_id = ?", (lesson_id,)) if lesson_id is not None else ("", ())
        return self.store.query(f"{select}{where} ORDER BY {order}", params)
