"""The learner's progress: a SQLite store. No UI here."""

from tutor.progress.store import ProgressStore, open_store

__all__ = ["ProgressStore", "open_store"]
