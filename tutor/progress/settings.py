"""The learner's settings, kept in the progress store between runs (`tutor settings`).

Each setting has a type, a default and a range; a value that does not fit is refused with a
one-line reason. The app's last place (what was open, and where in it) is kept here too.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from typing import Any

from tutor.base.errors import Exit, TutorError
from tutor.progress.store import ProgressStore, upsert


class SettingError(TutorError):
    exit_code = Exit.USAGE


@dataclass(frozen=True)
class Setting:
    key: str
    kind: type
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    pattern: str | None = None

    def parse(self, raw: Any) -> Any:
        """A value from the command line (text) or from the store (JSON), checked."""
        value: Any = raw
        if isinstance(raw, str) and self.kind is not str:
            try:
                value = self.kind(raw.strip())
            except ValueError:
                raise SettingError(
                    f"{self.key} must be a {_kind_name(self.kind)}, not {raw[:40]!r}",
                    hint=self.describe(),
                ) from None
        if self.kind is int and isinstance(value, float) and value.is_integer():
            value = int(value)
        if not isinstance(value, self.kind) or isinstance(value, bool):
            raise SettingError(f"{self.key} must be a {_kind_name(self.kind)}", hint=self.describe())
        if self.low is not None and self.high is not None and not self.low <= value <= self.high:
            raise SettingError(
                f"{self.key} must be between {self.low:g} and {self.high:g}, not {value}",
                hint=self.describe(),
            )
        if self.pattern is not None and not re.fullmatch(self.pattern, value):
            raise SettingError(f"{self.key}: {value[:40]!r} is not a valid name", hint=self.describe())
        return value

    def describe(self) -> str:
        bounds = f" ({self.low:g} to {self.high:g})" if self.low is not None and self.high is not None else ""
        return f"{self.key}: {self.help}{bounds}; default {self.default}"


def _kind_name(kind: type) -> str:
    return {int: "whole number", float: "number", str: "name"}.get(kind, kind.__name__)


SETTINGS: dict[str, Setting] = {
    s.key: s
    for s in (
        Setting("theme", str, "textual-dark", "the app's colour theme", pattern=r"[a-z0-9][a-z0-9-]{0,40}"),
        Setting("new_per_day", int, 20, "new questions the daily review brings in", 0, 1000),
        Setting("reviews_per_day", int, 200, "due questions the daily review shows at most", 0, 10000),
        Setting(
            "desired_retention",
            float,
            0.9,
            "the chance of recall at which a question comes back (higher: more reviews)",
            0.7,
            0.97,
        ),
    )
}
PLACE_KEY = "last_place"


def unknown(key: str) -> SettingError:
    import difflib

    close = difflib.get_close_matches(key, list(SETTINGS), n=1, cutoff=0.6)
    return SettingError(
        f"no setting {key[:40]!r}",
        hint=f"did you mean {close[0]!r}?" if close else f"settings: {', '.join(SETTINGS)}",
    )


class Settings:
    def __init__(self, store: ProgressStore) -> None:
        self.store = store

    def _raw(self, key: str) -> Any:
        rows = self.store.query("SELECT value FROM settings WHERE key = ?", (key,))
        if not rows:
            return None
        try:
            return json.loads(rows[0][0])
        except ValueError:
            return None

    def get(self, key: str) -> Any:
        spec = SETTINGS.get(key)
        if spec is None:
            raise unknown(key)
        raw = self._raw(key)
        if raw is None:
            return spec.default
        try:
            return spec.parse(raw)
        except SettingError:  # a value written by hand or by a newer version: the default
            return spec.default

    def all(self) -> dict[str, Any]:
        return {key: self.get(key) for key in SETTINGS}

    def is_default(self, key: str) -> bool:
        return self._raw(key) is None

    def set(self, key: str, raw: Any) -> Any:
        spec = SETTINGS.get(key)
        if spec is None:
            raise unknown(key)
        value = spec.parse(raw)
        self._write(key, value)
        return value

    def reset(self, key: str) -> Any:
        if key not in SETTINGS:
            raise unknown(key)
        with self.store.transaction() as db:
            db.execute("DELETE FROM settings WHERE key = ?", (key,))
        return SETTINGS[key].default

    def _write(self, key: str, value: Any) -> None:
        row = {"key": key, "value": json.dumps(value), "updated_at": time.time()}
        with self.store.transaction() as db:
            upsert(db, "settings", row, ("key",))

    # -- the last place ------------------------------------------------------------------
    def place(self) -> dict[str, str] | None:
        """{"kind": "lesson", "id": ..., "section": ...} for what was open last, or None."""
        raw = self._raw(PLACE_KEY)
        if not isinstance(raw, dict) or not all(isinstance(raw.get(k), str) for k in ("kind", "id")):
            return None
        return {k: str(v) for k, v in raw.items() if isinstance(v, str | int)}

    def set_place(self, kind: str, item_id: str, section: str = "") -> None:
        place = {"kind": kind, "id": item_id}
        if section:
            place["section"] = section
        self._write(PLACE_KEY, place)
