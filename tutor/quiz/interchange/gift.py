"""A GIFT reader, written from Moodle's "GIFT format" documentation.

    // comment                         a line that starts with //
    $CATEGORY: $course$/quiz           the questions below belong to this category (a quiz here)
    ::title::[markdown]Question text { =right#feedback ~wrong#feedback ####general feedback }

Answer blocks: `{=a ~b ~c}` multiple choice; `{~%50%a ~%50%b ~%-100%c}` multiple answers with
weights; `{T}` / `{FALSE#wrong feedback#right feedback}` true/false; `{=a =b}` short answer;
`{=item -> match ...}` matching; `{#3.14:0.01}`, `{#1..5}`, `{#=1822:0 =%50%1822:2}` numerical;
`{}` essay; no block at all: a description. Text after the block makes a missing-word question.
`\\~ \\= \\# \\{ \\} \\:` are literal characters, `\\n` a line break, `\\\\` a backslash.
Questions are separated by blank lines. `[html]`, `[moodle]`, `[plain]`, `[markdown]` before a
text give its format.

`parse_gift` returns every item it could read and a note (file, line) for every one it could
not; it raises InterchangeError only when the text is not GIFT at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from tutor.quiz.interchange.report import InterchangeError, Note
from tutor.quiz.interchange.text import Marked

FORMATS = ("moodle", "html", "plain", "markdown")
_WEIGHT = re.compile(r"%(-?\d{1,3}(?:\.\d*)?)%")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
TRUE_FALSE = {"T": True, "TRUE": True, "F": False, "FALSE": False}


@dataclass(frozen=True)
class GiftText:
    text: str
    format: str = "moodle"


@dataclass
class GiftAnswer:
    right: bool  # written with `=`
    weight: float | None  # the %n% weight, when written
    text: GiftText
    feedback: GiftText | None
    line: int


@dataclass
class GiftNumber:
    value: float | None
    tolerance: float
    min: float | None
    max: float | None
    weight: float | None
    feedback: GiftText | None
    line: int


@dataclass
class GiftItem:
    kind: str  # category, description, essay, multichoice, truefalse, shortanswer, matching, numerical
    line: int
    title: str | None = None
    text: GiftText | None = None
    general_feedback: GiftText | None = None
    answers: list[GiftAnswer] = field(default_factory=list)
    pairs: list[tuple[GiftText, str, int]] = field(default_factory=list)  # (item, match, line)
    truth: bool | None = None
    wrong_feedback: GiftText | None = None  # true/false: shown to a wrong answer; numerical: `~#...`
    right_feedback: GiftText | None = None
    numbers: list[GiftNumber] = field(default_factory=list)
    category: str | None = None
    comments: list[tuple[int, str]] = field(default_factory=list)
    missing_word: bool = False


@dataclass
class GiftDocument:
    items: list[GiftItem]
    problems: list[Note]


class _Block:
    def __init__(self, lines: list[str], first_line: int) -> None:
        self.first_line = first_line
        self.comments: list[tuple[int, str]] = []
        kept: list[str] = []
        for i, line in enumerate(lines):
            if line.lstrip().startswith("//"):
                self.comments.append((first_line + i, line.lstrip()[2:].strip()))
                kept.append("")  # keeps line numbers right
            else:
                kept.append(line)
        self.raw = "\n".join(kept)
        self.marked = Marked.lex(self.raw)
        self.newlines = [i for i, c in enumerate(self.marked.s) if c == "\n" and not self.marked.lit[i]]

    def line(self, offset: int) -> int:
        return self.first_line + sum(1 for n in self.newlines if n < offset)


class _Problem(Exception):
    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[str] = []
    start = 1
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip():
            if not current:
                start = n
            current.append(line)
        elif current:
            blocks.append(_Block(current, start))
            current = []
    if current:
        blocks.append(_Block(current, start))
    return blocks


def _fmt(m: Marked, default: str) -> GiftText:
    m = m.strip()
    if m.startswith("["):
        end = m.find("]")
        if end > 0 and m.s[1:end] in FORMATS:
            return GiftText(m[end + 1 :].text(), m.s[1:end])
    return GiftText(m.text(), default)


def _weight(m: Marked) -> tuple[float | None, Marked]:
    m = m.strip()
    found = _WEIGHT.match(m.s)
    if not found or any(m.lit[: found.end()]):
        return None, m
    value = float(found.group(1))
    if not -100 <= value <= 100:
        raise _Problem(f"weight {found.group(0)} is outside -100%..100%", m.start)
    return value, m[found.end() :]


def _split_feedback(m: Marked, default: str) -> tuple[GiftText, GiftText | None]:
    hash_at = m.find("#")
    if hash_at == -1:
        return _fmt(m, default), None
    return _fmt(m[:hash_at], default), _fmt(m[hash_at + 1 :], default)


def _number(text: str, offset: int) -> float:
    t = text.strip()
    if not _NUMBER.fullmatch(t):
        raise _Problem(f"{t!r} is not a number", offset)
    return float(t)


def parse_gift(text: str, file: str = "<gift>") -> GiftDocument:
    """Read GIFT text into items; problems are collected, never raised (see the module doc)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if "\x00" in text:
        raise InterchangeError(f"{file} is a binary file, not GIFT text")
    head = text.lstrip()[:200].lower()
    if head.startswith(("<?xml", "<quiz")):
        raise InterchangeError(
            f"{file} is XML (Moodle XML?), not GIFT", hint="export the questions from Moodle as GIFT"
        )
    items: list[GiftItem] = []
    problems: list[Note] = []
    for block in _blocks(text):
        if not block.raw.strip():
            continue  # comments only
        try:
            items.extend(_item(block))
        except _Problem as exc:
            problems.append(Note(file, block.line(exc.offset), exc.message, "error"))
    if not items and not problems:
        raise InterchangeError(
            f"{file} holds no GIFT questions", hint="a question looks like: Text {=right ~wrong}"
        )
    if not problems and all(i.kind in ("description", "category") for i in items):
        raise InterchangeError(
            f"{file} is not GIFT: no question has an answer block",
            hint="a GIFT question ends with its answers in braces, e.g. Text {=right ~wrong}",
        )
    return GiftDocument(items, problems)


def _item(block: _Block) -> list[GiftItem]:
    m = block.marked.strip()
    out: list[GiftItem] = []
    if m.startswith("$CATEGORY:"):
        end = m.find("\n")
        first = m[10:end] if end != -1 else m[10:]
        out.append(GiftItem("category", block.line(m.start), category=first.text(), comments=block.comments))
        if end == -1 or not m[end:].strip().s:
            return out
        m = m[end:].strip()
        block.comments = []
    item = GiftItem("", block.line(m.start), comments=block.comments)
    if m.startswith("::"):
        close = m.find("::", 2)
        if close == -1:
            raise _Problem("the title opened with :: is never closed", m.start)
        item.title = m[2:close].text()
        m = m[close + 2 :].strip()
    item.line = block.line(m.start) if item.title is None else item.line
    open_at, close_at = m.find("{"), m.find("}")
    if open_at == -1 and close_at == -1:
        item.kind = "description"
        item.text = _fmt(m, "moodle")
        return [*out, item]
    if close_at == -1:
        raise _Problem(
            "the answer block { is never closed with } (a blank line ends a question; "
            "write a literal brace as \\{)",
            m.start + open_at,
        )
    if open_at == -1 or close_at < open_at:
        raise _Problem("} without an opening { (write a literal brace as \\})", m.start + close_at)
    rest = m[close_at + 1 :].strip()
    if rest.find("{") != -1 or rest.find("}") != -1:
        raise _Problem(
            "a question holds one answer block; write literal braces as \\{ and \\}",
            rest.start + max(rest.find("{"), rest.find("}")),
        )
    before = m[:open_at].strip()
    item.missing_word = bool(rest.s)
    text = _fmt(before, "moodle")
    if item.missing_word:
        after = _fmt(rest, text.format).text
        gap = "" if after[:1] in tuple(".,;:!?)") else " "
        text = GiftText(f"{text.text} _____{gap}{after}".strip(), text.format)
    item.text = text
    answers = m[open_at + 1 : close_at].strip()
    gf = answers.rfind("####")
    if gf != -1:
        item.general_feedback = _fmt(answers[gf + 4 :], text.format)
        answers = answers[:gf].strip()
    _answers(item, answers, text.format, block.line)
    return [*out, item]


def _answers(item: GiftItem, m: Marked, fmt: str, line: Callable[[int], int]) -> None:
    if not m.s:
        item.kind = "essay"
    elif m.startswith("#"):
        item.kind = "numerical"
        _numerical(item, m[1:], fmt, line)
    elif m.positions("~"):
        item.kind = "multichoice"
        _choices(item, m, fmt, line)
    elif m.positions("=") and m.find("->") != -1:
        item.kind = "matching"
        _matching(item, m, fmt, line)
    else:
        head = m[: m.find("#")] if m.find("#") != -1 else m
        if head.strip().s in TRUE_FALSE and not any(head.strip().lit):
            item.kind = "truefalse"
            parts = m.split("#", 2)
            item.truth = TRUE_FALSE[parts[0].strip().s]
            item.wrong_feedback = _fmt(parts[1], fmt) if len(parts) > 1 else None
            item.right_feedback = _fmt(parts[2], fmt) if len(parts) > 2 else None
        else:
            item.kind = "shortanswer"
            _short(item, m, fmt, line)


def _pieces(m: Marked, marks: str) -> list[tuple[str, Marked]]:
    """Split at each unescaped mark in `marks`; returns (mark, text after it)."""
    at = m.positions(marks)
    lead = m[: at[0]].strip() if at else m.strip()
    pieces = [("", lead)] if lead.s else []
    for i, pos in enumerate(at):
        end = at[i + 1] if i + 1 < len(at) else len(m)
        pieces.append((m.s[pos], m[pos + 1 : end]))
    return pieces


def _choices(item: GiftItem, m: Marked, fmt: str, line: Callable[[int], int]) -> None:
    for mark, piece in _pieces(m, "~="):
        if mark == "":
            raise _Problem("an answer must start with = (right) or ~ (wrong)", piece.start)
        weight, rest = (None, piece.strip()) if mark == "=" else _weight(piece)
        text, feedback = _split_feedback(rest, fmt)
        if not text.text:
            raise _Problem("an answer has no text", piece.start)
        item.answers.append(GiftAnswer(mark == "=", weight, text, feedback, line(piece.start)))
    if len(item.answers) < 2:
        raise _Problem("a multiple-choice question needs at least two answers", m.start)


def _matching(item: GiftItem, m: Marked, fmt: str, line: Callable[[int], int]) -> None:
    for mark, piece in _pieces(m, "="):
        if mark == "":
            raise _Problem("a matching pair must start with =", piece.start)
        arrow = piece.find("->")
        if arrow == -1:
            raise _Problem("a matching pair needs -> between the item and its match", piece.start)
        right = piece[arrow + 2 :].text()
        if not right:
            raise _Problem("a matching pair has nothing after ->", piece.start)
        item.pairs.append((_fmt(piece[:arrow], fmt), right, line(piece.start)))
    if sum(1 for left, _, _ in item.pairs if left.text) < 2:
        raise _Problem("a matching question needs at least two pairs", m.start)


def _short(item: GiftItem, m: Marked, fmt: str, line: Callable[[int], int]) -> None:
    for _mark, piece in _pieces(m, "="):
        weight, rest = _weight(piece)
        text, feedback = _split_feedback(rest, fmt)
        if not text.text:
            raise _Problem("an answer has no text", piece.start)
        item.answers.append(GiftAnswer(True, weight, text, feedback, line(piece.start)))


def _numerical(item: GiftItem, m: Marked, fmt: str, line: Callable[[int], int]) -> None:
    tilde = m.find("~")
    if tilde != -1:
        _, item.wrong_feedback = _split_feedback(m[tilde + 1 :], fmt)
        m = m[:tilde]
    for _mark, piece in _pieces(m, "="):
        weight, rest = _weight(piece)
        hash_at = rest.find("#")
        value = rest[:hash_at] if hash_at != -1 else rest
        feedback = _fmt(rest[hash_at + 1 :], fmt) if hash_at != -1 else None
        at = piece.start
        span, colon = value.find(".."), value.find(":")
        if span != -1:
            low, high = _number(value[:span].text(), at), _number(value[span + 2 :].text(), at)
            number = GiftNumber(None, 0.0, low, high, weight, feedback, line(at))
        elif colon != -1:
            tol = abs(_number(value[colon + 1 :].text(), at))
            number = GiftNumber(
                _number(value[:colon].text(), at), tol, None, None, weight, feedback, line(at)
            )
        else:
            number = GiftNumber(_number(value.text(), at), 0.0, None, None, weight, feedback, line(at))
        item.numbers.append(number)
    if not item.numbers:
        raise _Problem("a numerical question needs at least one answer", m.start)
