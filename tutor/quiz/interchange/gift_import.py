"""GIFT items -> the course's quizzes, as dicts in the YAML layout of quizzes/*.yaml.

Every question is validated with the course's own models; whatever GIFT does not say (exam
domains, references) comes from the options or from a `// tutor: {...}` comment that
`tutor quiz export` writes. Everything not carried over as is gets a note with its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import TypeAdapter, ValidationError

from tutor.content.models.questions import Question
from tutor.quiz.interchange.gift import GiftDocument, GiftItem, GiftText
from tutor.quiz.interchange.gift_types import convert_body
from tutor.quiz.interchange.report import Level, Note
from tutor.quiz.interchange.text import html_to_markdown, looks_like_html, plain_to_markdown, slug

ANNOTATION = "tutor:"
QUIZ_ANNOTATION = "tutor-quiz:"
PLACEHOLDER_DOMAIN = "missing:domain"  # stands in while other problems are found; never written
PLACEHOLDER_URL = "https://missing.invalid/"
KEY_ORDER = ("id", "type", "topic", "domains", "difficulty", "prompt", "explanation", "references")
_QUESTION: TypeAdapter[Question] = TypeAdapter(Question)


@dataclass
class ImportOptions:
    topic: str | None = None
    domains: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    difficulty: str | None = None
    default_quiz: str = "imported"  # quiz id before any $CATEGORY (the file's name)


@dataclass
class Imported:
    quizzes: list[dict[str, Any]] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    missing: dict[str, list[str]] = field(default_factory=lambda: {"domains": [], "references": []})
    converted: int = 0
    skipped: int = 0
    lines: dict[str, int] = field(default_factory=dict)  # question id -> line in the GIFT file


def _annotation(item: GiftItem, key: str) -> tuple[dict[str, Any], str | None]:
    for _line, text in item.comments:
        if text.startswith(key):
            try:
                data = json.loads(text[len(key) :])
            except json.JSONDecodeError as exc:
                return {}, f"the {key} comment is not valid JSON ({exc.msg}); it was ignored"
            return (data, None) if isinstance(data, dict) else ({}, f"the {key} comment is not an object")
    return {}, None


class _Converter:
    def __init__(self, file: str, options: ImportOptions) -> None:
        self.file = file
        self.opt = options
        self.out = Imported()
        self.quizzes: dict[str, dict[str, Any]] = {}
        self.quiz: dict[str, Any] | None = None
        self.ids: set[str] = set()

    def note(self, line: int | None, message: str, level: Level = "info", qid: str = "") -> None:
        self.out.notes.append(Note(self.file, line, message, level, qid))

    # -- text --------------------------------------------------------------------------
    def md(self, t: GiftText | None, line: int, qid: str, what: str) -> str:
        """Text for a Markdown field (prompt, explanation)."""
        if t is None:
            return ""
        if t.format == "plain":
            return plain_to_markdown(t.text)
        if t.format == "html" or (t.format == "moodle" and looks_like_html(t.text)):
            return self._html(t.text, line, qid, what, markup=True)
        return t.text

    def plain(self, t: GiftText | None, line: int, qid: str, what: str) -> str:
        """Text for a field shown as typed (options, feedback)."""
        if t is None:
            return ""
        if t.format == "html" or (t.format == "moodle" and looks_like_html(t.text)):
            return self._html(t.text, line, qid, what, markup=False)
        return t.text

    def _html(self, text: str, line: int, qid: str, what: str, *, markup: bool) -> str:
        out, dropped = html_to_markdown(text, markup=markup)
        if dropped:
            tags = ", ".join(sorted(dropped))
            self.note(line, f"{what}: HTML not converted, only its text kept: {tags}", "warning", qid)
        return out

    # -- quizzes -----------------------------------------------------------------------
    def category(self, item: GiftItem) -> None:
        path = [p.strip() for p in (item.category or "").split("/") if p.strip()]
        path = [p for p in path if not re.fullmatch(r"\$\w+\$|top", p)]
        name = path[-1] if path else self.opt.default_quiz
        ann, problem = _annotation(item, QUIZ_ANNOTATION)
        if problem:
            self.note(item.line, problem, "warning")
        self.open_quiz(slug(name) or "imported", ann.get("title") or name, ann)

    def open_quiz(self, quiz_id: str, title: str, ann: dict[str, Any]) -> None:
        if quiz_id not in self.quizzes:
            self.quizzes[quiz_id] = {
                "kind": "quiz",
                "id": quiz_id,
                "title": title,
                "topic": self.opt.topic or ann.get("topic") or "imported",
                **{k: ann[k] for k in ("description", "order", "scoring") if k in ann},
                "questions": [],
            }
        self.quiz = self.quizzes[quiz_id]

    def run(self, doc: GiftDocument) -> Imported:
        self.out.notes.extend(doc.problems)
        for item in doc.items:
            if item.kind == "category":
                self.category(item)
            elif item.kind in ("essay", "description"):
                what = "an essay question (graded by a person)" if item.kind == "essay" else "a description"
                self.note(item.line, f"{what} was skipped: the course has no such item")
                self.out.skipped += 1
            else:
                if self.quiz is None:
                    stem = self.opt.default_quiz
                    self.open_quiz(slug(stem) or "imported", stem, {})
                self.question(item)
        self.out.quizzes = [q for q in self.quizzes.values() if q["questions"]]
        return self.out

    # -- questions ---------------------------------------------------------------------
    def new_id(self, item: GiftItem) -> str:
        assert self.quiz is not None
        base = slug(item.title or "") or f"{self.quiz['id']}-q{len(self.quiz['questions']) + 1:03d}"
        qid, n = base, 2
        while qid in self.ids:
            qid, n = f"{base}-{n}", n + 1
        if qid != base:
            self.note(item.line, f"id {base!r} is already taken: this question is {qid!r}", "warning", qid)
        elif item.title and qid != item.title:
            self.note(item.line, f"title {item.title!r} became the id {qid!r}", "info", qid)
        self.ids.add(qid)
        return qid

    def question(self, item: GiftItem) -> None:
        assert self.quiz is not None
        qid = self.new_id(item)
        ann, problem = _annotation(item, ANNOTATION)
        if problem:
            self.note(item.line, problem, "warning", qid)
        domains = list(ann.get("domains") or self.opt.domains)
        refs = list(ann.get("references") or self.opt.references)
        for key, have in (("domains", domains), ("references", refs)):
            if not have:
                self.out.missing[key].append(qid)
        data: dict[str, Any] = {
            "id": qid,
            "type": "",
            "topic": self.opt.topic or ann.get("topic") or self.quiz["topic"],
            "domains": domains or [PLACEHOLDER_DOMAIN],
            "difficulty": ann.get("difficulty") or self.opt.difficulty or "medium",
            "prompt": self.md(item.text, item.line, qid, "the question text"),
            "explanation": self.md(item.general_feedback, item.line, qid, "the general feedback"),
            "references": refs or [PLACEHOLDER_URL],
        }
        if isinstance(ann.get("teaches"), dict):
            data["teaches"] = ann["teaches"]
        if item.missing_word:
            self.note(item.line, "missing-word question: the gap is shown as _____", "info", qid)
        try:
            body = convert_body(self, item, qid, ann)
        except ValueError as exc:
            self.note(item.line, str(exc), "error", qid)
            self.out.skipped += 1
            return
        explain = body.pop("_explain")
        data.update(body)
        if not data["explanation"]:
            data["explanation"] = explain
            self.note(item.line, "no general feedback (####): an explanation was written", "info", qid)
        self.add(item, data)

    def add(self, item: GiftItem, data: dict[str, Any]) -> None:
        assert self.quiz is not None
        qid = data["id"]
        try:
            question = _QUESTION.validate_python(data)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(x) for x in err["loc"][1:])
                self.note(item.line, f"{where}: {err['msg']}", "error", qid)
            self.out.skipped += 1
            return
        problems = list(question.problems())
        for path, message, hint in problems:
            fix = f" (fix: {hint})" if hint else ""
            self.note(item.line, f"{'.'.join(map(str, path))}: {message}{fix}", "error", qid)
        if problems:
            self.out.skipped += 1
            return
        dumped = question.model_dump(mode="json", exclude_defaults=True)
        dumped["difficulty"] = question.difficulty
        ordered = {k: dumped.pop(k) for k in KEY_ORDER if k in dumped} | dumped
        self.quiz["questions"].append(ordered)
        self.out.lines[qid] = item.line
        self.out.converted += 1


def convert(doc: GiftDocument, file: str, options: ImportOptions | None = None) -> Imported:
    """GIFT items -> quizzes; the result lists what was skipped or changed, and why."""
    return _Converter(file, options or ImportOptions()).run(doc)
