"""Size limits for everything read from a content pack or a learner's file, in one place.

A pack is untrusted input: a YAML alias bomb, a 10 MB string, a 1,000-level nesting or a FIFO
named like a lesson must end in a one-line error with the file and line, in bounded memory
and time. The YAML reader (tutor.content.loading.yamlsource) applies these while it builds
the data; JSON from packs and learners goes through `load_json`; files through `read_text`.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

MAX_FILE_BYTES = 2 * 1024 * 1024
"""A content file (lesson, quiz, lab, task definition, bundle member); the course's largest is ~110 KB."""
MAX_STRING_CHARS = 64 * 1024
"""One string value in YAML or JSON; the course's longest is under 1,000 characters."""
MAX_DEPTH = 64
"""Nested mappings and lists in one document; the course goes 8 deep."""
MAX_ALIAS_NODES = 100_000
"""Values YAML aliases (*name, <<: *name) may add to one document when expanded."""


class LimitExceeded(ValueError):
    """Input over one of the limits above; `line` is 1-based when known."""

    def __init__(self, message: str, *, line: int | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.hint = hint


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def too_big(size: int, limit: int = MAX_FILE_BYTES) -> LimitExceeded:
    return LimitExceeded(
        f"the file is {_size(size)}; files may be at most {_size(limit)}",
        hint="split it into smaller files",
    )


def _past_limit(message: str, hint: str) -> Callable[[int | None], LimitExceeded]:
    """The error for one limit, at the line (when known) where the data goes past it."""

    def error(line: int | None = None) -> LimitExceeded:
        return LimitExceeded(message, line=line, hint=hint)

    return error


too_long = _past_limit(
    f"a string here is longer than {MAX_STRING_CHARS:,} characters",
    "shorten it, or keep long text in a lesson's Markdown",
)
too_deep = _past_limit(
    f"the data is nested more than {MAX_DEPTH} levels deep", "flatten it: content needs only a few levels"
)
too_many_aliases = _past_limit(
    f"YAML aliases here expand to more than {MAX_ALIAS_NODES:,} values",
    "write the values out, or alias smaller pieces",
)


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes.

    Never blocks on a FIFO and never reads a device: the file is opened without blocking
    and checked before a byte is read. Raises LimitExceeded, or OSError.
    """
    return read_bytes_stat(path, limit)[0]


def read_bytes_stat(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[bytes, os.stat_result]:
    """`read_bytes`, and the file's status as it was opened (size and time for a cache key)."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise LimitExceeded(
                "not a regular file (a device, a pipe or a socket)", hint="ship plain files only"
            )
        if st.st_size > limit:
            raise too_big(st.st_size, limit)
        data = _read_up_to(fd, st.st_size + 1)  # not `limit`: a buffer that size costs more
        if len(data) > st.st_size:  # it grows while we read: read on, up to the limit
            data += _read_up_to(fd, limit + 1 - len(data))
    finally:
        os.close(fd)
    if len(data) > limit:
        raise too_big(len(data), limit)
    return data, st


def _read_up_to(fd: int, size: int) -> bytes:
    """`size` bytes, or fewer at the end of the file."""
    parts = []
    while size > 0:
        chunk = os.read(fd, size)
        if not chunk:
            break
        parts.append(chunk)
        size -= len(chunk)
    return b"".join(parts)


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """UTF-8 text with universal newlines (as `Path.read_text`), within the limits of `read_bytes`.

    Raises LimitExceeded, OSError or UnicodeDecodeError.
    """
    return read_text_stat(path, limit)[0]


def read_text_stat(path: Path, limit: int = MAX_FILE_BYTES) -> tuple[str, os.stat_result]:
    """`read_text`, and the file's status as it was opened."""
    data, st = read_bytes_stat(path, limit)
    text = data.decode("utf-8")
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, st


_JSON_TOKEN = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]')


def check_json(text: str) -> None:
    """Raise LimitExceeded (with a line) when `text` is too big, nests too deep or holds too
    long a string. A scan of its brackets and strings, before json.loads recurses into it."""
    if len(text) > MAX_FILE_BYTES:
        raise too_big(len(text.encode("utf-8", "surrogatepass")))
    depth = 0
    for m in _JSON_TOKEN.finditer(text):
        start = m.start()
        c = text[start]
        if c == '"':
            if m.end() - start - 2 > MAX_STRING_CHARS:
                raise too_long(text.count("\n", 0, start) + 1)
        elif c == "[" or c == "{":
            depth += 1
            if depth > MAX_DEPTH:
                raise too_deep(text.count("\n", 0, start) + 1)
        else:
            depth -= 1


def load_json(text: str | bytes) -> Any:
    """json.loads within the limits. Raises LimitExceeded or json.JSONDecodeError (both ValueError)."""
    if isinstance(text, bytes | bytearray):
        if len(text) > MAX_FILE_BYTES:
            raise too_big(len(text))
        text = text.decode("utf-8-sig") if text[:3] == b"\xef\xbb\xbf" else text.decode("utf-8")
    check_json(text)
    return json.loads(text)
