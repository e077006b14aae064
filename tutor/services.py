"""Everything a front end needs, built once: the course, its catalog, its outline, the store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from tutor.base.paths import cache_home
from tutor.content.catalog import Catalog
from tutor.content.course import Course
from tutor.content.loading.loader import load_course
from tutor.content.outline import Outline, fingerprint, save_snapshot
from tutor.content.roots import resolve_roots
from tutor.content.search import SearchIndex
from tutor.progress.store import ProgressStore, open_store


@dataclass
class Services:
    course: Course
    catalog: Catalog
    outline: Outline
    store: ProgressStore
    _search: SearchIndex | None = field(default=None, repr=False)

    @property
    def search(self) -> SearchIndex:
        """The full-text index of lessons, questions and labs (built once, on first use)."""
        if self._search is None:
            self._search = SearchIndex.for_course(self.course)
        return self._search

    @classmethod
    def load(
        cls,
        content: Iterable[str] | None = None,
        *,
        home: Path | None = None,
        store: ProgressStore | None = None,
        roots: list[Path] | None = None,
    ) -> Services:
        roots = roots if roots is not None else resolve_roots(content)
        stamp = fingerprint(roots)  # taken before reading, so a change while loading is not missed
        course = load_course(roots)
        catalog = Catalog.build(course)
        outline = Outline.from_catalog(catalog, course, stamp)
        save_snapshot(cache_home(), roots, outline)
        return cls(course, catalog, outline, store or open_store(home))
