"""Choose N: a multiple-response answer never holds more than N choices (refused with exit 2,
nothing saved); fewer is saved during an exam and shown as incomplete; grading is unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.progress import open_store
from tutor.progress.attempts import Attempts
from tutor.quiz.exam import ExamSession
from tutor.quiz.grading import InvalidResponse, check_choices, grade, is_incomplete
from tutor.quiz.public import public_question, stem
from tutor.quiz.session import PracticeSession

EXAM_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "exam_course"


@pytest.fixture(scope="module")
def course():
    return load_course([EXAM_COURSE])


def _multiple(course, exam: ExamSession | None = None):
    ids = exam.question_ids if exam else list(course.questions)
    return next(course.questions[q] for q in ids if course.questions[q].type == "multiple")


def test_the_count_is_stated_once_from_the_answer(course) -> None:
    q = _multiple(course)
    assert stem(q).endswith("(Choose two.)") and "Choose" not in q.prompt
    assert public_question(q, [o.id for o in q.options])["prompt"] == stem(q)
    stated = q.model_copy(update={"prompt": "Which two are right? (Choose two.)"})
    assert stem(stated).count("Choose two") == 1
    single = next(x for x in course.questions.values() if x.type == "single")
    assert stem(single) == single.prompt.strip()


def test_more_than_n_is_refused_fewer_is_incomplete_and_grading_is_unchanged(course) -> None:
    q = _multiple(course)
    with pytest.raises(InvalidResponse, match="Choose two") as err:
        check_choices(q, {"choices": ["a", "b", "c"]})
    assert err.value.exit_code == 2
    check_choices(q, {"choices": ["a", "b"]})
    check_choices(q, {"choices": ["a"]})
    assert is_incomplete(q, {"choices": ["a"]}) and not is_incomplete(q, {"choices": ["a", "b"]})
    assert grade(q, {"choices": ["a"]}).score == 0.0
    assert grade(q, {"choices": ["a"]}, "partial").score == 0.5


def test_exam_session_refuses_and_saves_nothing(course) -> None:
    store = open_store()
    s = ExamSession.start(course, store, "mini", seed=2)
    q = _multiple(course, s)
    with pytest.raises(InvalidResponse):
        s.answer({"choices": ["a", "b", "c"]}, q.id)
    assert q.id not in s.responses and Attempts(store).answers(s.attempt_id) == {}
    s.answer({"choices": ["a"]}, q.id)
    index = s.question_ids.index(q.id)
    assert s.incomplete() == [index] and index not in s.unanswered()


def test_practice_session_refuses_too(course) -> None:
    q = _multiple(course)
    s = PracticeSession.start(course, open_store(), [q.id], quiz_id="docker-quiz", seed=1)
    with pytest.raises(InvalidResponse):
        s.answer({"choices": ["a", "b", "c"]})
    assert s.grades == {}


def test_headless_answer_with_too_many_choices_exits_2_and_saves_nothing(capsys) -> None:
    assert main(["--content", str(EXAM_COURSE), "quiz", "start", "mini", "--seed", "2", "--json"]) == 0
    started = json.loads(capsys.readouterr().out)
    q = next(x for x in started["questions"] if x["type"] == "multiple")
    assert q["prompt"].endswith("(Choose two.)") and q["choose"] == 2
    attempt = str(started["attempt"])
    rc = main(
        ["--content", str(EXAM_COURSE), "quiz", "answer", attempt, q["id"], '{"choices": ["a","b","c"]}']
    )
    err = capsys.readouterr().err
    assert rc == 2 and "Choose two" in err and "takes 2 answers, not 3" in err
    assert Attempts(open_store()).answers(int(attempt)) == {}
    rc = main(
        ["--content", str(EXAM_COURSE), "quiz", "answer", attempt, q["id"], '{"choices": ["a"]}', "--json"]
    )
    saved = json.loads(capsys.readouterr().out)
    assert rc == 0 and saved["saved"] and saved["incomplete"] is True


def test_validate_refuses_a_stated_count_and_a_count_that_disagrees(course) -> None:
    q = _multiple(course)
    stated = q.model_copy(update={"prompt": "Which are right? (Choose two.)"})
    assert any("the app adds it" in message for _, message, _ in stated.problems())
    wrong = q.model_copy(update={"prompt": "Which three of these are right?"})
    assert any("asks for three but the answer lists 2" in m for _, m, _ in wrong.problems())
    assert list(q.model_copy(update={"prompt": "Which two of these are right?"}).problems()) == []
