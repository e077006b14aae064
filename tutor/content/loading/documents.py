"""Reading content files into data: YAML files and Markdown with YAML front matter.

Parsed data is cached per content root, keyed by each file's size and modification
time, so an unchanged course is not parsed again; it is always validated again.
The cache holds only plain data (marshal), never code, and is rebuilt when stale.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from tutor.base.errors import ContentError
from tutor.base.limits import LimitExceeded, read_text, read_text_stat
from tutor.base.text import clean
from tutor.content.loading.yamlsource import YamlSyntaxError, parse, split_front_matter

CACHE_VERSION = 2  # 2: strings sanitised and limits applied while parsing


class Document(NamedTuple):  # one per file read: a tuple is made faster than a frozen dataclass
    path: Path
    data: Any
    line_offset: int = 0  # lines of the file before the YAML starts
    body: str | None = None  # Markdown after the front matter
    body_line: int = 1

    @property
    def text(self) -> str:
        """The YAML text, read again only when a problem needs its line."""
        return yaml_text(self.path)


def yaml_text(path: Path) -> str:
    try:
        text = read_text(path)
    except (OSError, ValueError):  # LimitExceeded and UnicodeDecodeError are ValueErrors
        return ""
    if path.suffix == ".md":
        parts = split_front_matter(text)
        return parts[0] if parts else ""
    return text


class ParseCache:
    """{relative path: (size, mtime_ns, entry)} for one content root, kept in one file."""

    def __init__(self, root: Path, folder: Path | None) -> None:
        self.root = root
        self._prefix = str(root) + os.sep
        self.file: Path | None = None
        self.entries: dict[str, tuple[int, int, Any]] = {}
        self.dirty = False
        if folder is None:
            return
        key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.file = folder / f"content-{key}.marshal"
        try:
            version, entries = marshal.loads(self.file.read_bytes())
            if version == CACHE_VERSION and isinstance(entries, dict):
                self.entries = entries
        except (OSError, EOFError, ValueError, TypeError):
            pass

    def get(self, path: Path, st: os.stat_result) -> Any:
        hit = self.entries.get(self.key(path))
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return hit[2]
        return None

    def put(self, path: Path, size: int, mtime_ns: int, entry: Any) -> None:
        if self.file is None:  # no cache folder: nothing is kept
            return
        try:
            marshal.dumps(entry)  # only plain data can be cached (not dates, say)
        except ValueError:
            return
        self.entries[self.key(path)] = (size, mtime_ns, entry)
        self.dirty = True

    def save(self, seen: set[str]) -> None:
        stale = set(self.entries) - seen
        for key in stale:
            del self.entries[key]
        if self.file is None or not (self.dirty or stale):
            return
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
            tmp.write_bytes(marshal.dumps((CACHE_VERSION, self.entries)))
            os.replace(tmp, self.file)
        except OSError:
            pass  # a cache that cannot be written only costs time

    def key(self, path: Path) -> str:
        text = str(path)
        return text[len(self._prefix) :] if text.startswith(self._prefix) else text


class Parsed(NamedTuple):
    """What a content file parses to, with the size and time of the file read (the cache key)."""

    size: int
    mtime_ns: int
    entry: Any  # the YAML data; for Markdown (data, line offset, body, body line)


def read_document(
    path: Path,
    errors: list[ContentError],
    cache: ParseCache,
    parsed_ahead: Callable[[Path], Parsed | None] | None = None,
) -> Document | None:
    """Parse one file, or take it from the cache or from `parsed_ahead` (a parse done in
    another process, see prefetch.py); problems go to `errors` and the result is None."""
    if cache.entries:  # a cached parse is looked up by the file's size and time, before reading it
        try:
            cached = cache.get(path, path.stat())
        except OSError as exc:
            errors.append(ContentError(path, f"cannot be read: {exc.strerror}"))
            return None
        if cached is not None:
            return _from_entry(path, cached)
    parsed = parsed_ahead(path) if parsed_ahead is not None else None
    if parsed is None:
        parsed = parse_file(path, errors)
        if parsed is None:
            return None
    cache.put(path, *parsed)
    return _from_entry(path, parsed.entry)


def parse_file(path: Path, errors: list[ContentError]) -> Parsed | None:
    """Read and parse one content file, with no cache: the same in the loader and in the
    process that parses ahead of it. Problems go to `errors` and the result is None."""
    try:
        text, st = read_text_stat(path)  # the status of the file read, for the cache
    except LimitExceeded as exc:
        errors.append(ContentError(path, exc.message, hint=exc.hint))
        return None
    except UnicodeDecodeError as exc:
        errors.append(ContentError(path, f"not UTF-8 text ({exc.reason})", hint="save the file as UTF-8"))
        return None
    except OSError as exc:
        errors.append(ContentError(path, f"cannot be read: {exc.strerror}"))
        return None
    entry = _parse_markdown(path, text, errors) if path.suffix == ".md" else _parse_yaml(path, text, errors)
    return None if entry is None else Parsed(st.st_size, st.st_mtime_ns, entry)


def _from_entry(path: Path, entry: Any) -> Document:
    if path.suffix == ".md":
        data, offset, body, body_line = entry
        return Document(path, data, offset, body, body_line)
    return Document(path, entry)


def _syntax_error(path: Path, exc: YamlSyntaxError, offset: int) -> ContentError:
    line = exc.line + offset if exc.line else None
    hint = exc.hint or "check the indentation and quoting near this line"
    return ContentError(path, str(exc), line=line, hint=hint)


def _parse_yaml(path: Path, text: str, errors: list[ContentError]) -> Any:
    try:
        data = parse(text)
    except YamlSyntaxError as exc:
        errors.append(_syntax_error(path, exc, 0))
        return None
    if data is None:
        errors.append(
            ContentError(path, "the file is empty", line=1, hint="see docs/authoring.md for what it holds")
        )
        return None
    if not isinstance(data, dict):
        errors.append(ContentError(path, "the file must be a mapping of keys to values", line=1))
        return None
    return data


def _parse_markdown(path: Path, text: str, errors: list[ContentError]) -> Any:
    parts = split_front_matter(text)
    if parts is None:
        errors.append(
            ContentError(
                path,
                "the lesson has no front matter",
                line=1,
                hint="start the file with a '---' line, the lesson's YAML (id, title, topic, ...), "
                "and another '---'",
            )
        )
        return None
    front, body, first_line = parts
    offset = first_line - 1
    try:
        data = parse(front)
    except YamlSyntaxError as exc:
        errors.append(_syntax_error(path, exc, offset))
        return None
    if not isinstance(data, dict):
        errors.append(
            ContentError(
                path,
                "the front matter is empty"
                if data is None
                else "the front matter must be a mapping of keys to values",
                line=1,
                hint="add id, title, topic, order, objectives, minutes and references",
            )
        )
        return None
    body_line = front.count("\n") + first_line + 1
    return (data, offset, clean(body), body_line)
