"""A lesson's sections: its Markdown headings, outside code blocks, as a reader sees them;
and the parts they cut a lesson into, named by slug, for bookmarks, notes and search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tutor.content.course import Course
    from tutor.content.models.lessons import Lesson

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


# -- sections as bookmarks, notes and search see them ----------------------------------------
# A lesson as the learner reads it (the title heading, the body, the generated sections) is cut
# at every heading down to level 3. Each part is named by the slug of its heading
# (`## Run a container` -> `run-a-container`; a repeated heading gets `-1`, `-2` as on GitHub);
# the title heading names the part before the first section.

_PART_HEADING = re.compile(r"^(#{1,3})[ \t]+(.+?)[ \t]*#*[ \t]*$")


@dataclass(frozen=True)
class LessonSection:
    slug: str
    title: str  # the heading as written, without Markdown marks
    level: int
    text: str  # the section's Markdown, up to the next heading


def slugify(title: str) -> str:
    words = re.findall(r"[\w-]+", plain(title).lower())
    return "-".join(w.strip("-") for w in words if w.strip("-")) or "section"


def split_sections(markdown: str) -> list[LessonSection]:
    out: list[LessonSection] = []
    seen: dict[str, int] = {}
    fence: str | None = None
    title, level, body = "", 1, []  # text before any heading belongs to an untitled start

    def close() -> None:
        if not title and not "".join(body).strip():
            return
        slug = slugify(title) if title else "start"
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.append(
            LessonSection(slug if n == 0 else f"{slug}-{n}", plain(title), level, "\n".join(body).strip())
        )

    for line in markdown.splitlines():
        mark = _FENCE.match(line)
        if mark:
            fence = None if fence and mark.group(1)[0] == fence else (fence or mark.group(1)[0])
        heading = _PART_HEADING.match(line) if fence is None else None
        if heading:
            close()
            title, level, body = heading.group(2), len(heading.group(1)), []
        else:
            body.append(line)
    close()
    return out


def lesson_sections(lesson: Lesson, course: Course) -> list[LessonSection]:
    """The sections of a lesson as the learner reads it (with the generated ones at the end)."""
    from tutor.content.render import lesson_markdown

    return split_sections(lesson_markdown(lesson, course))


def same_section(slug: str, title: str, wanted: str) -> bool:
    """Whether `wanted` names this section: by its slug, or by its heading (as an exam's missed
    question names the section that teaches it)."""
    return wanted == slug or plain(wanted).casefold() == plain(title).casefold()
