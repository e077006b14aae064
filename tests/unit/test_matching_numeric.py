"""Matching (per pair) and numeric (tolerance, range) questions: models, grading, answer forms."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import TypeAdapter

from tutor.content.models.questions import Question
from tutor.quiz.grading import grade
from tutor.quiz.matching import InvalidMatch, match_shorthand, parse_number
from tutor.quiz.public import parse_response, public_question
from tutor.quiz.shuffle import option_order

QA: TypeAdapter[Question] = TypeAdapter(Question)
BASE = {"id": "t", "topic": "docker", "domains": ["dca:images"], "prompt": "P", "explanation": "E"}


def q(**kw: Any) -> Question:
    return QA.validate_python({**BASE, "references": ["https://docs.docker.com/"], **kw})


PORTS = q(
    type="matching",
    pairs=[
        {"id": "http", "left": "HTTP", "right": "80", "why": "The web's port."},
        {"id": "https", "left": "HTTPS", "right": "443"},
        {"id": "ssh", "left": "SSH", "right": "22"},
        {"id": "alt", "left": "HTTP, again", "right": "80"},
    ],
    distractors=["8080"],
)
PI = q(
    type="numeric",
    accept=[{"value": 3.14, "tolerance": 0.005, "why": "Close enough."}, {"min": 10, "max": 20}],
)
RIGHT = {"http": "80", "https": "443", "ssh": "22", "alt": "80"}


def test_answers_are_each_offered_once_in_a_fixed_order() -> None:
    assert PORTS.answers() == ["22", "443", "80", "8080"]


def test_matching_all_or_nothing_and_partial_per_pair() -> None:
    assert grade(PORTS, {"matches": RIGHT}).correct
    one_wrong = {**RIGHT, "ssh": "8080"}
    assert grade(PORTS, {"matches": one_wrong}).score == 0.0
    partial = grade(PORTS, {"matches": one_wrong}, "partial")
    assert partial.score == 0.75 and not partial.correct
    missing = dict(RIGHT)
    del missing["alt"]
    assert grade(PORTS, {"matches": missing}, "partial").score == 0.75  # unanswered counts wrong
    verdicts = {v.id: v for v in partial.verdicts}
    assert verdicts["ssh"].text == "SSH → 8080" and not verdicts["ssh"].correct
    assert verdicts["http"].correct and verdicts["http"].why == "The web's port."
    assert "SSH → 22" in partial.right_answer


@pytest.mark.parametrize(
    "response",
    [{"matches": {"ftp": "21"}}, {"matches": {"ssh": "21"}}, {"choice": "a"}, {"matches": ["80"]}],
)
def test_matching_refuses_answers_that_do_not_fit(response: dict) -> None:
    with pytest.raises(InvalidMatch):
        grade(PORTS, response)


def test_matching_shorthand_numbers_the_answer_list() -> None:
    assert match_shorthand(PORTS, "http=3, https=2,ssh=1") == {
        "matches": {"http": "80", "https": "443", "ssh": "22"}
    }
    assert match_shorthand(PORTS, '{"matches": {}}') is None
    with pytest.raises(InvalidMatch, match="answers 1 to 4"):
        match_shorthand(PORTS, "http=9")
    assert parse_response(PORTS, "ssh=1") == {"matches": {"ssh": "22"}}
    assert parse_response(PORTS, '{"matches": {"ssh": "22"}}') == {"matches": {"ssh": "22"}}


def test_matching_public_view_and_shuffle() -> None:
    order = option_order(PORTS, seed=3)
    assert sorted(order) == ["alt", "http", "https", "ssh"]
    view = public_question(PORTS, order)
    assert [i["id"] for i in view["items"]] == order
    assert view["answers"] == [{"number": n, "text": t} for n, t in enumerate(PORTS.answers(), 1)]
    assert "right" not in str(view["items"]) and "ITEM_ID=N" in view["response_format"]


def test_matching_problems() -> None:
    bad = q(
        type="matching",
        pairs=[{"id": "a", "left": "x", "right": "1"}, {"id": "a", "left": "y", "right": "2"}],
        distractors=["1"],
    )
    messages = [m for _, m, _ in bad.problems()]
    assert any("duplicate pair id" in m for m in messages)
    assert any("also a right answer" in m for m in messages)
    many = q(type="matching", pairs=[{"id": f"p{i}", "left": f"l{i}", "right": f"r{i}"} for i in range(10)])
    assert any("at most 9" in m for _, m, _ in many.problems())


@pytest.mark.parametrize(
    ("typed", "right"),
    [
        ("3.14", True),
        ("3.1449", True),
        ("3.145", True),
        ("3,14", True),
        (" 3.136 ", True),
        ("3.146", False),
        ("15", True),
        ("10", True),
        ("20.0", True),
        ("20.5", False),
        ("1e1", True),
        ("-3.14", False),
    ],
)
def test_numeric_tolerance_and_ranges(typed: str, right: bool) -> None:
    assert grade(PI, {"text": typed}).correct is right


def test_numeric_feedback_and_reasons() -> None:
    assert grade(PI, {"text": "3.14"}).reason == "Close enough."
    wrong = grade(PI, {"text": "pi"})
    assert not wrong.correct and wrong.reason == "'pi' is not a number"
    assert wrong.right_answer == "3.14 ± 0.005 or 10 to 20"


def test_parse_number() -> None:
    assert parse_number("1 000") == 1000 and parse_number("−2") == -2 and parse_number("2.") == 2
    assert parse_number("nan") is None and parse_number("inf") is None and parse_number("1,2,3") is None


def test_numeric_problems() -> None:
    both = q(type="numeric", accept=[{"value": 1, "min": 0, "max": 2}])
    half = q(type="numeric", accept=[{"min": 0}])
    upside = q(type="numeric", accept=[{"min": 5, "max": 1}])
    assert [m for _, m, _ in both.problems()] == [
        "give either value (with an optional tolerance) or min and max"
    ]
    assert [m for _, m, _ in half.problems()] == ["a range needs both min and max"]
    assert [m for _, m, _ in upside.problems()] == ["min 5 is above max 1"]
