"""Grading for every question type, with hypothesis properties."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter

from tutor.content.loading.loader import load_course
from tutor.content.models.questions import Question
from tutor.quiz.grading import (
    InvalidResponse,
    domc_next,
    domc_state,
    grade,
    multiple_score,
    normalise,
    ordering_score,
)
from tutor.quiz.shuffle import option_order

QA: TypeAdapter[Question] = TypeAdapter(Question)
REF = ["https://docs.docker.com/"]


def q(**kw: Any) -> Question:
    base = {"id": "t", "topic": "docker", "domains": ["dca:images"], "prompt": "P", "explanation": "E"}
    return QA.validate_python({**base, "references": REF, **kw})


def opts(*ids: str) -> list[dict[str, str]]:
    return [{"id": i, "text": f"text {i}", "why": f"why {i}"} for i in ids]


SINGLE = q(type="single", options=opts("a", "b", "c"), answer="b")
MULTI = q(type="multiple", options=opts("a", "b", "c", "d", "e"), answer=["a", "c", "d"])
TF = q(type="true_false", answer=False, why_true="no, it is false", why_false="right, it is false")
DOMC = q(type="domc", options=opts("a", "b", "c", "d"), answer=["c"])
ORDER = q(
    type="ordering",
    steps=[{"id": x, "text": f"step {x}", "why": "w"} for x in ("login", "tag", "push", "run")],
)
RUN = q(
    type="command",
    rule={
        "program": "docker",
        "subcommand": ["run"],
        "options": [{"names": ["-d", "--detach"]}, {"names": ["-p", "--publish"], "value": "8080:80"}],
        "positionals": ["nginx"],
    },
    example="docker run -d -p 8080:80 nginx",
)
SHORT = q(type="short", accept=["CMD", "the CMD instruction"])


def test_single() -> None:
    right = grade(SINGLE, {"choice": "b"})
    assert right.correct and right.score == 1
    wrong = grade(SINGLE, {"choice": "a"})
    assert not wrong.correct and wrong.score == 0
    chosen = {v.id: (v.chosen, v.correct) for v in wrong.verdicts}
    assert chosen == {"a": (True, False), "b": (False, True), "c": (False, False)}
    assert wrong.verdicts[0].why == "why a"


def test_multiple_all_or_nothing_and_partial() -> None:
    assert grade(MULTI, {"choices": ["d", "a", "c"]}).correct
    assert grade(MULTI, {"choices": ["a", "c"]}).score == 0  # AWS: all or nothing
    assert grade(MULTI, {"choices": ["a", "c"]}, "partial").score == pytest.approx(2 / 3)
    assert grade(MULTI, {"choices": ["a", "c", "b"]}, "partial").score == pytest.approx(1 / 3)
    assert grade(MULTI, {"choices": ["b", "e"]}, "partial").score == 0  # floored at 0
    assert grade(MULTI, {"choices": ["a", "b", "c", "d", "e"]}, "partial").score == pytest.approx(1 / 3)


def test_true_false_explains_the_choice_made() -> None:
    assert grade(TF, {"value": False}).correct
    g = grade(TF, {"value": True})
    assert not g.correct and g.reason == "no, it is false" and g.right_answer == "False"


def test_domc_ends_as_soon_as_settled() -> None:
    order = ["a", "c", "b", "d"]
    assert domc_next(DOMC, order, []) == "a"
    assert domc_state(DOMC, [("a", False)]) == "open"
    assert domc_next(DOMC, order, [("a", False)]) == "c"
    assert domc_state(DOMC, [("a", False), ("c", True)]) == "right"
    assert domc_next(DOMC, order, [("a", False), ("c", True)]) is None  # b and d never shown
    assert domc_state(DOMC, [("a", True)]) == "wrong"  # a wrong yes ends it
    assert domc_state(DOMC, [("a", False), ("c", False)]) == "wrong"  # so does a wrong no
    assert grade(DOMC, {"answers": [["a", False], ["c", True]]}).correct
    assert not grade(DOMC, {"answers": [["a", False]]}).settled
    assert grade(DOMC, {"answers": [["b", True]]}).score == 0


def test_ordering() -> None:
    right = ["login", "tag", "push", "run"]
    assert grade(ORDER, {"order": right}).correct
    swapped = ["tag", "login", "push", "run"]
    assert grade(ORDER, {"order": swapped}).score == 0
    assert grade(ORDER, {"order": swapped}, "partial").score == 0.5
    with pytest.raises(InvalidResponse, match="each step once"):
        grade(ORDER, {"order": ["login", "login", "push", "run"]})


@pytest.mark.parametrize(
    "text",
    [
        "docker run -d -p 8080:80 nginx",
        "docker run --publish 8080:80 --detach nginx",
        "docker container run -dp 8080:80 nginx",
        "docker run --publish=8080:80 -d --name web nginx",
        "$ sudo docker run -p8080:80 -d nginx",
        "/usr/bin/docker run -d -p 8080:80 nginx",
    ],
)
def test_command_spellings_of_the_same_answer(text: str) -> None:
    assert grade(RUN, {"text": text}).correct, grade(RUN, {"text": text}).reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("docker run -d nginx", "-p/--publish 8080:80 is missing"),
        ("docker run -d -p 9090:80 nginx", "is given '9090:80'"),
        ("docker run -d -p 8080:80 httpd", "should name nginx"),
        ("docker run nginx -d -p 8080:80", "is missing"),  # after the image, flags go to the container
        ("docker start -d -p 8080:80 nginx", "should be `docker run"),
        ("podman run -d -p 8080:80 nginx", "should start with `docker`"),
        ("docker run -d -p 8080:80 'nginx", "cannot be read"),
        ("", "empty"),
    ],
)
def test_command_wrong_answers_say_why(text: str, reason: str) -> None:
    g = grade(RUN, {"text": text})
    assert not g.correct
    assert reason in g.reason


def test_typed_answers_are_never_run(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    for text in (
        f"docker run -d -p 8080:80 nginx; touch {marker}",
        f"$(touch {marker})",
        f"`touch {marker}`",
    ):
        grade(RUN, {"text": text})
        grade(SHORT, {"text": text})
    assert not marker.exists()


def test_short_answers_are_case_and_space_tolerant() -> None:
    for text in ("CMD", "cmd", "  Cmd  ", "the   cmd instruction", "`CMD`", "CMD."):
        assert grade(SHORT, {"text": text}).correct, text
    assert not grade(SHORT, {"text": "ENTRYPOINT"}).correct
    assert normalise("  The  CMD\tinstruction ") == "the cmd instruction"


@pytest.mark.parametrize(
    ("question", "response", "message"),
    [
        (SINGLE, {"choices": ["b"]}, "'choice'"),
        (SINGLE, {"choice": "z"}, "not an option"),
        (SINGLE, "b", "'choice'"),
        (MULTI, {"choices": "a"}, "list of option ids"),
        (TF, {"value": "false"}, "true or false"),
        (DOMC, {"answers": [["a", "yes"]]}, "[option id, true or false]"),
        (RUN, {"text": 12}, "command as text"),
    ],
)
def test_wrong_answer_formats_are_clear_errors(question: Question, response: Any, message: str) -> None:
    with pytest.raises(InvalidResponse, match=message.replace("[", r"\[").replace("]", r"\]")):
        grade(question, response)


# -- properties ------------------------------------------------------------------------------


@given(seed=st.integers(0, 2**31), picks=st.sets(st.integers(0, 4)))
def test_shuffling_never_changes_the_grade(seed: int, picks: set[int]) -> None:
    """The learner picks by position on screen; grading goes by identity."""
    shown = option_order(MULTI, seed)
    assert sorted(shown) == ["a", "b", "c", "d", "e"]
    chosen = {shown[i] for i in picks}
    for scoring in ("all_or_nothing", "partial"):
        by_screen = grade(MULTI, {"choices": sorted(chosen)}, scoring).score
        assert by_screen == multiple_score({"a", "c", "d"}, chosen, scoring)  # type: ignore[arg-type]
    correct_positions = [i for i, o in enumerate(shown) if o in {"a", "c", "d"}]
    assert grade(MULTI, {"choices": [shown[i] for i in correct_positions]}).correct


@given(seed=st.integers(0, 2**31))
def test_ordering_never_starts_solved(seed: int) -> None:
    shown = option_order(ORDER, seed)
    assert sorted(shown) == sorted(s.id for s in ORDER.steps)
    assert shown != [s.id for s in ORDER.steps]


@given(correct=st.sets(st.sampled_from("abcdef"), min_size=1), chosen=st.sets(st.sampled_from("abcdef")))
def test_partial_credit_is_between_zero_and_all_or_nothing(correct: set[str], chosen: set[str]) -> None:
    partial = multiple_score(correct, chosen, "partial")
    strict = multiple_score(correct, chosen, "all_or_nothing")
    assert 0.0 <= partial <= 1.0
    assert strict <= partial or strict == partial == 1.0
    assert (chosen == correct) == (strict == 1.0) == (partial == 1.0 and not chosen - correct)


@given(perm=st.permutations(["login", "tag", "push", "run"]))
def test_ordering_partial_counts_positions(perm: list[str]) -> None:
    right = ["login", "tag", "push", "run"]
    hits = sum(a == b for a, b in zip(perm, right, strict=True))
    assert ordering_score(right, perm, "partial") == hits / 4
    assert ordering_score(right, perm, "all_or_nothing") == (1.0 if hits == 4 else 0.0)


def perfect_response(question: Question) -> dict[str, Any]:
    t = question.type
    if t == "single":
        return {"choice": question.answer}  # type: ignore[union-attr]
    if t == "multiple":
        return {"choices": list(question.answer)}  # type: ignore[union-attr]
    if t == "true_false":
        return {"value": question.answer}  # type: ignore[union-attr]
    if t == "domc":
        correct = question.correct_ids()  # type: ignore[union-attr]
        return {"answers": [[o.id, o.id in correct] for o in question.options]}  # type: ignore[union-attr]
    if t == "ordering":
        return {"order": [s.id for s in question.steps]}  # type: ignore[union-attr]
    if t == "command":
        return {"text": question.example}  # type: ignore[union-attr]
    return {"text": question.accept[-1]}  # type: ignore[union-attr]


BANK = sorted(load_course().questions.values(), key=lambda x: x.id)


@settings(max_examples=200)
@given(index=st.integers(0, max(0, len(BANK) - 1)), scoring=st.sampled_from(["all_or_nothing", "partial"]))
def test_a_perfect_answer_scores_full_marks_on_every_bank_question(index: int, scoring: str) -> None:
    if not BANK:
        return
    question = BANK[index]
    g = grade(question, perfect_response(question), scoring)  # type: ignore[arg-type]
    assert g.correct, (question.id, g.reason)


def test_every_bank_question_grades_its_perfect_answer() -> None:
    failures = [x.id for x in BANK if not grade(x, perfect_response(x)).correct]
    assert not failures
