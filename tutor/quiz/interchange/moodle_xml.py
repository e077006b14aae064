"""A quiz -> Moodle XML ("Moodle XML format"), built with ElementTree so every text is escaped.

    <quiz>
      <question type="category"><category><text>$course$/QUIZ</text></category></question>
      <question type="multichoice|truefalse|shortanswer|matching|numerical">
        <name/><questiontext format="markdown"/><generalfeedback/><defaultgrade/><penalty/>
        <hidden/><idnumber/> ... <answer fraction="100"><text/><feedback/></answer> ...
      </question>
    </quiz>

Texts are Markdown, which Moodle renders. A range `min..max` is written as its middle with a
tolerance of half its width, as Moodle's own GIFT import does.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from tutor.content.models.questions import (
    ChoiceQuestion,
    Matching,
    Numeric,
    Question,
    Quiz,
    ShortAnswer,
    TrueFalse,
)
from tutor.quiz.interchange.gift_writer import NOT_EXPORTED, Exported, export, number, weight

MD = "markdown"
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    """Characters XML 1.0 cannot hold are dropped (pack text is sanitised, but be sure)."""
    return _NOT_XML.sub("", text)


def _text(parent: ET.Element, tag: str, text: str, fmt: str | None = MD) -> ET.Element:
    el = ET.SubElement(parent, tag, {"format": fmt} if fmt else {})
    ET.SubElement(el, "text").text = _clean(text)
    return el


def _answer(parent: ET.Element, fraction: str, text: str, feedback: str, fmt: str | None = MD) -> ET.Element:
    el = ET.SubElement(parent, "answer", {"fraction": fraction, **({"format": fmt} if fmt else {})})
    ET.SubElement(el, "text").text = _clean(text)
    if feedback:
        _text(el, "feedback", feedback)
    return el


def _leaf(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def _head(quiz_el: ET.Element, q: Question, kind: str) -> ET.Element:
    el = ET.SubElement(quiz_el, "question", {"type": kind})
    name = ET.SubElement(el, "name")
    ET.SubElement(name, "text").text = q.id
    _text(el, "questiontext", q.prompt)
    _text(el, "generalfeedback", q.explanation)
    _leaf(el, "defaultgrade", "1")
    _leaf(el, "penalty", "0.3333333")
    _leaf(el, "hidden", "0")
    _leaf(el, "idnumber", q.id)
    return el


def _question(quiz_el: ET.Element, q: Question) -> None:
    if isinstance(q, ChoiceQuestion):
        right = q.correct_ids()
        el = _head(quiz_el, q, "multichoice")
        _leaf(el, "single", "true" if len(right) == 1 else "false")
        _leaf(el, "shuffleanswers", "true")
        _leaf(el, "answernumbering", "abc")
        for o in q.options:
            if len(right) == 1:
                fraction = "100" if o.id in right else "0"
            else:
                share = 100 / len(right)
                fraction = weight(share if o.id in right else -share)
            _answer(el, fraction, o.text, o.why)
    elif isinstance(q, TrueFalse):
        el = _head(quiz_el, q, "truefalse")
        _answer(el, "100" if q.answer else "0", "true", q.why_true, fmt="moodle_auto_format")
        _answer(el, "0" if q.answer else "100", "false", q.why_false, fmt="moodle_auto_format")
    elif isinstance(q, ShortAnswer):
        el = _head(quiz_el, q, "shortanswer")
        _leaf(el, "usecase", "0")
        for accepted in q.accept:
            _answer(el, "100", accepted, "", fmt="moodle_auto_format")
    elif isinstance(q, Matching):
        el = _head(quiz_el, q, "matching")
        _leaf(el, "shuffleanswers", "true")
        for p in q.pairs:
            sub = _text(el, "subquestion", p.left)
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = _clean(p.right)
        for extra in q.distractors:
            sub = _text(el, "subquestion", "")
            ET.SubElement(ET.SubElement(sub, "answer"), "text").text = _clean(extra)
    elif isinstance(q, Numeric):
        el = _head(quiz_el, q, "numerical")
        for r in q.accept:
            if r.value is not None:
                centre, tol = r.value, r.tolerance
            else:
                lo, hi = r.min or 0.0, r.max or 0.0
                centre, tol = (lo + hi) / 2, (hi - lo) / 2
            a = _answer(el, "100", number(centre), "", fmt="moodle_auto_format")
            _leaf(a, "tolerance", number(tol))
            if r.why:
                _text(a, "feedback", r.why)
    else:  # pragma: no cover - callers check NOT_EXPORTED first
        raise ValueError(q.type)


def quiz_to_moodle_xml(quiz: Quiz) -> Exported:
    root = ET.Element("quiz")
    root.append(ET.Comment(f" {_clean(quiz.title).replace('--', '-')}: exported from Container Tutor "))
    cat = ET.SubElement(root, "question", {"type": "category"})
    ET.SubElement(ET.SubElement(cat, "category"), "text").text = f"$course$/{quiz.id}"
    _text(cat, "info", quiz.description, fmt="moodle_auto_format")
    out = export(quiz, lambda q: _question(root, q), lambda q: NOT_EXPORTED.get(q.type))
    ET.indent(root, space="  ")
    out.text = '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
    return out
