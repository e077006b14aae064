"""The course's outline: what the home screen shows, as plain data.

It is derived from the loaded catalog and kept on disk beside the parse cache, keyed by
the content files' sizes and times, so the app can draw its home screen at once and load
(and validate) the full course in the background. Nothing here imports pydantic.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor import __version__
from tutor.base.text import clean
from tutor.content.roots import content_files

if TYPE_CHECKING:
    from tutor.content.catalog import Catalog
    from tutor.content.class_outline import ClassOutline
    from tutor.content.course import Course

OUTLINE_VERSION = 4  # 3: class packs; 4: titles sanitised at load time (older snapshots may hold raw ones)


@dataclass(frozen=True)
class ItemOutline:
    id: str
    title: str
    detail: str = ""


@dataclass(frozen=True)
class TopicOutline:
    id: str
    title: str
    summary: str
    lessons: list[ItemOutline] = field(default_factory=list)
    quizzes: list[ItemOutline] = field(default_factory=list)
    labs: list[ItemOutline] = field(default_factory=list)


@dataclass(frozen=True)
class TopicProgress:
    topic_id: str
    lessons_done: int
    lessons_total: int

    @property
    def fraction(self) -> float:
        return self.lessons_done / self.lessons_total if self.lessons_total else 0.0


@dataclass(frozen=True)
class Outline:
    topics: list[TopicOutline]
    problems: int = 0  # content errors (not warnings)
    fingerprint: str = ""
    exams: list[ItemOutline] = field(default_factory=list)
    klass: ClassOutline | None = None  # the class pack's assignments, when one is layered on

    @classmethod
    def from_catalog(cls, catalog: Catalog, course: Course, fingerprint: str = "") -> Outline:
        topics = [
            TopicOutline(
                e.id,
                e.topic.title,
                e.topic.summary,
                [ItemOutline(x.id, x.title, f"{x.meta.minutes} min") for x in e.lessons],
                [ItemOutline(q.id, q.title, _plural(len(q.questions), "question")) for q in e.quizzes],
                [ItemOutline(lab.id, lab.title) for lab in e.labs],
            )
            for e in catalog.entries
        ]
        problems = sum(1 for err in course.errors if not err.warning)
        exams = [
            ItemOutline(x.id, x.title, f"{x.questions} q · {x.minutes} min")
            for x in sorted(course.exams.values(), key=lambda x: x.id)
        ]
        from tutor.content.class_outline import ClassOutline

        return cls(topics, problems, fingerprint, exams, ClassOutline.from_course(course))

    def topic(self, topic_id: str) -> TopicOutline | None:
        return next((t for t in self.topics if t.id == topic_id), None)

    def progress(self, done_lessons: set[str]) -> dict[str, TopicProgress]:
        return {
            t.id: TopicProgress(t.id, sum(1 for x in t.lessons if x.id in done_lessons), len(t.lessons))
            for t in self.topics
        }

    def to_json(self) -> str:
        return json.dumps({"version": OUTLINE_VERSION, **asdict(self)})

    @classmethod
    def from_json(cls, text: str) -> Outline | None:
        try:
            raw: dict[str, Any] = json.loads(text)
            if raw.get("version") != OUTLINE_VERSION:
                return None
            topics = [
                TopicOutline(
                    t["id"],
                    t["title"],
                    t["summary"],
                    *([ItemOutline(**x) for x in t[k]] for k in ("lessons", "quizzes", "labs")),
                )
                for t in raw["topics"]
            ]
            exams = [ItemOutline(**x) for x in raw.get("exams", [])]
            klass = None
            if raw.get("klass"):  # a class pack is layered on
                from tutor.content.class_outline import ClassOutline

                klass = ClassOutline.from_dict(raw["klass"])
            return cls(topics, int(raw["problems"]), str(raw["fingerprint"]), exams, klass)
        except (ValueError, KeyError, TypeError):
            return None


def placeholder(roots: list[Path]) -> Outline:
    """What the home screen can show before the course is loaded: the topics, from the small
    `lessons/topics.yaml` of each root (later roots win), with their items still to come."""
    topics: dict[str, TopicOutline] = {}
    for root in roots:
        try:
            text = (root / "lessons" / "topics.yaml").read_bytes()[:65536].decode("utf-8")
            raw = simple_topics(text)
            if raw is None:  # written in more of YAML than the simple form: PyYAML reads it
                import yaml

                raw = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
            rows = sorted(raw.get("topics", []), key=lambda t: t.get("order", 0))
            for t in rows:
                title = clean(str(t.get("title", t["id"])))
                topics[str(t["id"])] = TopicOutline(clean(str(t["id"])), title, "")
        except Exception:  # a broken or missing file: the full load reports it
            continue
    return Outline(list(topics.values()), fingerprint="")


_ITEM = r"(?P<indent> *- +| +)(?P<key>[a-z_]+): +(?P<value>[A-Za-z][^#\t]*?|-?[0-9]+) *"  # compiled when used
_YAML_WORDS = {"yes", "no", "true", "false", "on", "off", "null"}  # plain words that are not strings


def simple_topics(text: str) -> dict[str, Any] | None:
    """`topics.yaml` in its usual form (a `topics:` list of `key: value` lines, plain words and
    numbers, comments) as PyYAML reads it; None for anything else, so that the first frame of a
    first run need not wait for PyYAML to be imported."""
    topics: list[dict[str, Any]] = []
    started = False
    dash = ""  # how each item starts ("  - "); its keys line up after it
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not started:
            if line.rstrip() != "topics:":
                return None
            started = True
            continue
        m = re.fullmatch(_ITEM, line.rstrip())
        if m is None or ": " in m["value"] or m["value"].endswith(":") or m["value"].lower() in _YAML_WORDS:
            return None
        value: Any = m["value"]
        if value[0] in "-0123456789":
            if value.lstrip("-").startswith("0") and value.lstrip("-") != "0":
                return None  # 012 is octal to YAML 1.1
            value = int(value)
        indent = m["indent"]
        if "-" in indent:
            if dash and indent != dash:
                return None
            dash = indent
            topics.append({})
        elif not topics or len(indent) != len(dash) or m["key"] in topics[-1]:
            return None
        topics[-1][m["key"]] = value
    return {"topics": topics} if started else None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def fingerprint(roots: list[Path]) -> str:
    """Changes whenever a content file (or the app's version) changes."""
    parts = [f"{__version__}:{OUTLINE_VERSION}"]
    for root in roots:
        parts.append(str(root))
        for path in content_files(root):
            try:
                st = os.stat(path)
            except OSError:
                continue
            parts.append(f"{path}:{st.st_size}:{st.st_mtime_ns}")
    return _digest("\n".join(parts))


def _digest(text: str) -> str:
    """A 64-bit key for a cache (not a security check): zlib is loaded at start-up already,
    hashlib's OpenSSL would cost the first frame milliseconds."""
    data = text.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _snapshot_file(folder: Path, roots: list[Path]) -> Path:
    return folder / f"outline-{_digest('|'.join(map(str, roots)))}.json"


def load_snapshot(folder: Path, roots: list[Path]) -> Outline | None:
    """The saved outline, if the content has not changed since it was made."""
    try:
        outline = Outline.from_json(_snapshot_file(folder, roots).read_text(encoding="utf-8"))
    except OSError:
        return None
    if outline is None or outline.fingerprint != fingerprint(roots):
        return None
    return outline


def save_snapshot(folder: Path, roots: list[Path], outline: Outline) -> None:
    path = _snapshot_file(folder, roots)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_text(outline.to_json(), encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        pass
