"""Export then import gives back the same questions, over the whole shipped bank; Moodle XML
is well formed and shaped as Moodle's XML format describes."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tutor.content.loading.loader import load_course
from tutor.content.models.questions import Quiz
from tutor.quiz.interchange.gift import parse_gift
from tutor.quiz.interchange.gift_import import ImportOptions, convert
from tutor.quiz.interchange.gift_writer import NOT_EXPORTED, quiz_to_gift
from tutor.quiz.interchange.moodle_xml import quiz_to_moodle_xml

GIFT = Path(__file__).resolve().parent.parent / "fixtures" / "gift"
COURSE = load_course(cache=False)
GIFT_TYPES = {"single", "multiple", "true_false", "domc", "short", "matching", "numeric"}


def reimport(quiz: Quiz) -> tuple[Quiz, list[str], list[tuple[str, str]]]:
    exported = quiz_to_gift(quiz)
    result = convert(parse_gift(exported.text, f"{quiz.id}.gift"), f"{quiz.id}.gift")
    assert not [n for n in result.notes if n.level == "error"], result.notes
    assert not any(result.missing.values())  # the annotation carried domains and references
    (back,) = [Quiz.model_validate(q) for q in result.quizzes]
    return back, exported.written, exported.left_out


@pytest.mark.parametrize("quiz_id", sorted(COURSE.quizzes))
def test_every_gift_type_of_the_shipped_bank_survives_a_round_trip(quiz_id: str) -> None:
    quiz = COURSE.quizzes[quiz_id]
    back, written, left_out = reimport(quiz)
    kept = [q for q in quiz.questions if q.type in GIFT_TYPES]
    assert written == [q.id for q in kept]
    assert back.questions == kept  # every field of every question, unchanged
    assert back.model_copy(update={"questions": []}) == quiz.model_copy(update={"questions": []})
    # Nothing is lost silently: each question left out is listed with its reason.
    assert sorted(left_out) == sorted((q.id, NOT_EXPORTED[q.type]) for q in quiz.questions if q not in kept)


def test_the_bank_really_has_every_type_gift_holds_except_the_new_ones() -> None:
    seen = {q.type for q in COURSE.questions.values()}
    assert {"single", "multiple", "true_false", "domc", "short"} <= seen


def test_matching_and_numeric_from_the_fixture_round_trip() -> None:
    opts = ImportOptions(domains=("dca:images",), references=("https://docs.docker.com/",))
    result = convert(parse_gift((GIFT / "constructs.gift").read_text(), "c.gift"), "c.gift", opts)
    quizzes = [Quiz.model_validate(q) for q in result.quizzes]
    types = {q.type for quiz in quizzes for q in quiz.questions}
    assert {"matching", "numeric", "multiple", "single", "true_false", "short"} <= types
    for quiz in quizzes:
        back, _, left_out = reimport(quiz)
        assert back == quiz and not left_out


def test_gift_output_escapes_specials_and_keeps_one_question_per_block() -> None:
    quiz = COURSE.quizzes["docker-practice"]
    text = quiz_to_gift(quiz).text
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[1].splitlines()[1] == "$CATEGORY: $course$/docker-practice"
    questions = blocks[2:]
    assert len(questions) == len(quiz_to_gift(quiz).written)
    for block in questions:  # a comment line, the question, its answers, nothing else
        first, head, *_ = block.splitlines()
        assert first.startswith("// tutor: {") and head.startswith("::docker-q") and block.endswith("}")
        assert all(line.strip() for line in block.splitlines())


# -- Moodle XML ------------------------------------------------------------------------------


def test_moodle_xml_is_well_formed_and_structured() -> None:
    for quiz in COURSE.quizzes.values():
        exported = quiz_to_moodle_xml(quiz)
        root = ET.fromstring(exported.text)
        assert root.tag == "quiz"
        category, *questions = root.findall("question")
        assert category.get("type") == "category"
        assert category.findtext("category/text") == f"$course$/{quiz.id}"
        assert [q.findtext("name/text") for q in questions] == exported.written
        by_id = {q.id: q for q in quiz.questions}
        for el in questions:
            q = by_id[el.findtext("name/text")]
            assert el.findtext("questiontext/text") == q.prompt
            assert el.find("questiontext").get("format") == "markdown"
            assert el.findtext("generalfeedback/text") == q.explanation
            check_question(el, q)


def check_question(el: ET.Element, q) -> None:
    kind = el.get("type")
    answers = el.findall("answer")
    if q.type in ("single", "multiple", "domc"):
        assert kind == "multichoice"
        right = q.correct_ids()
        assert el.findtext("single") == ("true" if len(right) == 1 else "false")
        fractions = [float(a.get("fraction")) for a in answers]
        assert [a.findtext("text") for a in answers] == [o.text for o in q.options]
        assert [a.findtext("feedback/text") for a in answers] == [o.why for o in q.options]
        assert abs(sum(f for f in fractions if f > 0) - 100) < 0.01
        assert [f > 0 for f in fractions] == [o.id in right for o in q.options]
    elif q.type == "true_false":
        assert kind == "truefalse"
        got = {a.findtext("text"): (a.get("fraction"), a.findtext("feedback/text")) for a in answers}
        assert got["true"] == ("100" if q.answer else "0", q.why_true)
        assert got["false"] == ("0" if q.answer else "100", q.why_false)
    elif q.type == "short":
        assert kind == "shortanswer"
        assert [(a.get("fraction"), a.findtext("text")) for a in answers] == [("100", t) for t in q.accept]
    else:  # pragma: no cover - the bank holds no other exported type yet
        raise AssertionError(q.type)


def test_moodle_xml_matching_and_numerical() -> None:
    opts = ImportOptions(domains=("dca:images",), references=("https://docs.docker.com/",))
    result = convert(parse_gift((GIFT / "constructs.gift").read_text(), "c.gift"), "c.gift", opts)
    quiz = Quiz.model_validate(result.quizzes[0])
    root = ET.fromstring(quiz_to_moodle_xml(quiz).text)
    by_name = {q.findtext("name/text"): q for q in root.findall("question")}
    match = by_name["match-ports"]
    assert match.get("type") == "matching"
    subs = [(s.findtext("text"), s.findtext("answer/text")) for s in match.findall("subquestion")]
    assert subs == [("HTTP", "80"), ("HTTPS", "443"), ("SSH", "22"), ("", "8080")]
    rng = by_name["range"]
    assert rng.get("type") == "numerical"
    assert (rng.findtext("answer/text"), rng.findtext("answer/tolerance")) == ("3", "2")
    pi = by_name["pi"].find("answer")
    assert (pi.get("fraction"), pi.findtext("text"), pi.findtext("tolerance")) == ("100", "3.14", "0.005")
    multi = by_name["two-right"]
    assert [a.get("fraction") for a in multi.findall("answer")] == ["50", "50", "-50", "-50"]
