"""A lesson's sections: its Markdown headings, outside code blocks, as a reader sees them."""

from __future__ import annotations

import re
from dataclasses import dataclass

_HEADING = re.compile(r"^(#{2,4})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_MARKUP = re.compile(r"[`*_]|\[([^\]]*)\]\([^)]*\)")


@dataclass(frozen=True)
class Section:
    level: int  # 2 for "##"
    title: str  # the heading's text without Markdown markup
    line: int  # 1-based, in the lesson body


def plain(text: str) -> str:
    """A heading as text: links keep their words, code and emphasis marks go."""
    return " ".join(_MARKUP.sub(lambda m: m.group(1) or "", text).split())


def sections(body: str) -> list[Section]:
    out: list[Section] = []
    fence: str | None = None
    for number, line in enumerate(body.splitlines(), 1):
        mark = _FENCE.match(line)
        if mark:
            token = mark.group(1)[0]
            fence = None if fence == token else (fence or token)
            continue
        if fence is None and (m := _HEADING.match(line)):
            out.append(Section(len(m.group(1)), plain(m.group(2)), number))
    return out


def find_section(body: str, title: str) -> Section | None:
    """The section whose heading reads `title` (case, spacing and markup aside)."""
    want = plain(title).casefold()
    return next((s for s in sections(body) if s.title.casefold() == want), None)
