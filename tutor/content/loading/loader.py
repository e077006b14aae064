"""Read a content root (lessons/, quizzes/, labs/), validate everything, collect every problem.

One broken file never stops the rest: each file is parsed and validated on its own,
and every problem becomes a ContentError with the file, the line and the field path.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, TypeAdapter, ValidationError

from tutor.base.containment import scan
from tutor.base.errors import ContentError
from tutor.base.paths import cache_home
from tutor.content.course import Course, Source
from tutor.content.loading.classpack import check_class, load_class
from tutor.content.loading.crossrefs import check_references
from tutor.content.loading.documents import Document, ParseCache, read_document
from tutor.content.loading.labs import check_images, load_labs
from tutor.content.loading.located import document_errors, problem_errors, valid_rows, validated
from tutor.content.loading.objectives import check_objectives, load_objectives
from tutor.content.loading.prefetch import Prefetched, prefetch
from tutor.content.loading.yamlsource import forget_located
from tutor.content.models.exams import ExamBlueprint, QuizFile
from tutor.content.models.lessons import Lesson, LessonMeta, TopicsFile
from tutor.content.models.questions import Quiz
from tutor.content.roots import BUILTIN, builtin_root, is_content_root, resolve_roots

__all__ = ["BUILTIN", "RootLoader", "builtin_root", "load_course", "resolve_roots"]

_QUIZ_FILE: TypeAdapter[Quiz | ExamBlueprint] = TypeAdapter(QuizFile)
_YAML_SUFFIXES = (".yaml", ".yml")

M = TypeVar("M", bound=BaseModel)


def _skip(name: str) -> bool:
    return name.startswith(("_", ".")) or name.lower() == "readme.md"


def _content(files: list[Path], folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files to read: hidden folders and files, `_`-folders and READMEs are skipped."""
    out = []
    prefix = str(folder) + os.sep
    for path in files:
        if not path.name.endswith(suffixes) or _skip(path.name):
            continue
        text = str(path)  # the folders between `folder` and the file, without pathlib's parsing
        folders = text[len(prefix) :].split(os.sep)[:-1] if text.startswith(prefix) else []
        if any(part.startswith((".", "_")) for part in folders):
            continue
        out.append(path)
    return out


class RootLoader:
    """Loads one content root into a Course of its own."""

    def __init__(self, root: Path, cache: Path | None = None) -> None:
        self.root = root
        self.course = Course(roots=[root])
        self.cache = ParseCache(root, cache)
        self.seen: set[str] = set()
        self.blocked: dict[Path, str] = {}  # links out of the pack, devices, pipes -> why: never read
        self.prefetched: Prefetched | None = None  # parses done ahead in another process

    def load(self) -> Course:
        if not self.root.is_dir():
            return self._unusable_root(
                "content folder not found", "pass a folder that holds lessons/, quizzes/ or labs/"
            )
        if not is_content_root(self.root):
            return self._unusable_root(
                "this folder holds no lessons/, quizzes/ or labs/ (nor a class.yaml)",
                "point at the folder that contains them (see docs/authoring.md)",
            )
        lessons = _content(self._scan("lessons"), self.root / "lessons", (".md",))
        quizzes = _content(self._scan("quizzes"), self.root / "quizzes", _YAML_SUFFIXES)
        self._scan("labs")
        self.prefetched = prefetch(lessons + quizzes, self.cache)
        try:
            topics = self.root / "lessons" / "topics.yaml"
            if topics not in self.blocked and topics.exists():
                self._topics(topics)
            for path in lessons:
                self._lesson(path)
            for path in quizzes:
                self._quiz_file(path)
        finally:
            if self.prefetched is not None:
                self.prefetched.close()
                self.prefetched = None
        self._labs()
        load_class(self.course, self.root, self.read)
        self.cache.save(self.seen)
        return self.course

    def _scan(self, name: str) -> list[Path]:
        """The files of one content folder; whatever leads out of the pack is reported, not read."""
        found = scan(self.root, self.root / name)
        for bad in found.escapes:
            self.blocked[bad.path] = bad.reason
            self.course.errors.append(
                ContentError(
                    bad.path,
                    f"refused: this entry {bad.reason}",
                    hint="a pack holds its own files: put the file itself here, or remove the link",
                )
            )
        return found.files

    def read(self, path: Path) -> Document | None:
        if path in self.blocked:
            return None
        self.seen.add(self.cache.key(path))
        ahead = self.prefetched.take if self.prefetched is not None else None
        return read_document(path, self.course.errors, self.cache, ahead)

    def _read_as(self, path: Path, model: type[M]) -> tuple[Document, M] | None:
        """The file read and validated as a `model`; None (its problems reported) when it is not."""
        doc = self.read(path)
        value = None if doc is None else validated(doc, model, self.course.errors)
        return None if doc is None or value is None else (doc, value)

    def _unusable_root(self, message: str, hint: str) -> Course:
        self.course.errors.append(ContentError(self.root, message, hint=hint))
        return self.course

    def _problem(
        self, doc: Document, path: tuple[str | int, ...], message: str, hint: str | None = None
    ) -> None:
        self.course.errors.extend(
            problem_errors([(path, message, hint)], file=doc.path, text=doc.text, line_offset=doc.line_offset)
        )

    def _topics(self, path: Path) -> None:
        got = self._read_as(path, TopicsFile)
        if got is None:
            return
        doc, topics = got
        for i, topic in enumerate(topics.topics):
            if topic.id in self.course.topics:
                self._problem(doc, ("topics", i, "id"), f"topic {topic.id!r} is listed twice")
            self.course.topics[topic.id] = topic
            self.course.sources[("topic", topic.id)] = Source(path, prefix=("topics", i))

    def _lesson(self, path: Path) -> None:
        got = self._read_as(path, LessonMeta)
        if got is None:
            return
        doc, meta = got
        if meta.id in self.course.lessons:
            other = self.course.lessons[meta.id].source
            self._problem(
                doc,
                ("id",),
                f"lesson id {meta.id!r} is already used by {other}",
                "give each lesson its own id",
            )
            return
        self.course.lessons[meta.id] = Lesson.model_construct(  # every part is checked already
            meta=meta, body=doc.body or "", source=path, body_line=doc.body_line
        )
        self.course.sources[("lesson", meta.id)] = Source(path, line_offset=doc.line_offset)

    def _quiz_file(self, path: Path) -> None:
        doc = self.read(path)
        if doc is None:
            return
        data = doc.data
        if isinstance(data, dict) and data.get("kind") == "objectives":
            load_objectives(self.course, doc, self._problem)
            return
        rows: list[int] | None = None  # original positions of the questions kept
        try:
            item = _QUIZ_FILE.validate_python(data)
        except ValidationError as exc:
            self.course.errors.extend(document_errors(exc, doc, QuizFile))
            salvaged = _salvage_quiz(data, exc)
            if salvaged is None:
                return
            item, rows = salvaged
        errors = self.course.errors
        if isinstance(item, ExamBlueprint):
            if item.id in self.course.exams:
                self._problem(doc, ("id",), f"exam id {item.id!r} is used twice")
                return
            self.course.exams[item.id] = item
            self.course.sources[("exam", item.id)] = Source(path)
            problems = list(item.problems())
            if problems:
                errors.extend(problem_errors(problems, file=path, text=doc.text))
            return
        if item.id in self.course.quizzes:
            self._problem(doc, ("id",), f"quiz id {item.id!r} is used twice")
            return
        self.course.quizzes[item.id] = item
        self.course.sources[("quiz", item.id)] = Source(path)
        text: str | None = None  # read again once, for the first question with a problem
        for i, q in enumerate(item.questions):
            row = rows[i] if rows is not None else i
            self.course.sources[("question", q.id)] = Source(path, prefix=("questions", row))
            problems = list(q.problems())
            if problems:
                text = doc.text if text is None else text
                errors.extend(
                    problem_errors(
                        problems,
                        file=path,
                        text=text,
                        prefix=("questions", row),
                        label=f"question {q.id}: ",
                    )
                )

    def _labs(self) -> None:
        load_labs(self.course, self.root, self.read, self.blocked)
        check_images(self.course, self.root, self.read, self.blocked)


def _salvage_quiz(data: dict[str, Any], exc: ValidationError) -> tuple[Quiz, list[int]] | None:
    """A quiz with some broken questions still offers its valid ones: the quiz and, for each
    question kept, its position in the file."""
    if data.get("kind") != "quiz" or not isinstance(data.get("questions"), list):
        return None
    return valid_rows(Quiz, data, "questions", exc, ("quiz", "questions"))


def load_course(roots: Iterable[Path] | None = None, *, cache: bool = True) -> Course:
    """Load each root in order (later roots override earlier ones by id) and cross-check."""
    course = Course()
    folder = cache_home() if cache else None
    # Loading allocates many small objects and frees none; the cyclic collector would
    # only walk them again and again (a third of the time on a large course).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for root in roots if roots is not None else [builtin_root()]:
            course.overlay(RootLoader(Path(root), folder).load())
        course.index()
        check_references(course)
        check_class(course)
        check_objectives(course)
    finally:
        forget_located()
        if was_enabled:
            gc.enable()
    return course
