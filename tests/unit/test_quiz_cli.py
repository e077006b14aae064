"""Headless quizzes and exams: the same sessions the app uses, driven with --json."""

from __future__ import annotations

import json
from pathlib import Path

from tutor.cli import main

EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")


def run_json(capsys, *args: str) -> dict:
    rc = main(["--content", EXAM_COURSE, *args, "--json"])
    out = capsys.readouterr().out
    assert rc == 0, out
    return json.loads(out)


def right(question: dict) -> dict:
    kind = question["type"]
    if kind == "single":
        return {"choice": "a"}
    if kind == "multiple":
        return {"choices": ["a", "b"]}
    if kind == "true_false":
        return {"value": True}
    return {"text": "yes"}


def test_practice_headless(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "docker-quiz", "--seed", "4")
    assert started["mode"] == "practice" and len(started["questions"]) == 8
    first = started["questions"][0]
    assert "answer" not in first and "why" not in json.dumps(first)  # no answer key leaks
    graded = run_json(
        capsys, "quiz", "answer", str(started["attempt"]), first["id"], json.dumps(right(first))
    )
    assert graded["correct"] is True and graded["explanation"] == "Because."
    again = run_json(capsys, "quiz", "start", "docker-quiz", "--seed", "4")
    assert [q["id"] for q in again["questions"]] == [q["id"] for q in started["questions"]]
    summary = run_json(capsys, "quiz", "submit", str(started["attempt"]))
    assert summary == {"answered": 1, "right": 1, "total": 8}
    stats = run_json(capsys, "stats")
    assert stats["answered_questions"] == 1 and stats["history"][0]["quiz"] == "docker-quiz"


def test_exam_headless(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "mini", "--seed", "1")
    assert started["mode"] == "exam" and started["time_limit_seconds"] == 600
    attempt = str(started["attempt"])
    for q in started["questions"][:3]:
        saved = run_json(capsys, "quiz", "answer", attempt, q["id"], json.dumps(right(q)))
        assert saved["saved"] and 0 < saved["remaining_seconds"] <= 600
        assert "correct" not in saved  # no feedback during an exam
    result = run_json(capsys, "quiz", "submit", attempt)
    assert result["answered"] == 3 and result["points"] == 3 and result["total"] == 6
    assert result["scaled"] == 550 and result["passed"] is False
    assert [d["id"] for d in result["domains"]] == ["dca:images", "dca:orchestration"]
    shown = run_json(capsys, "quiz", "show", attempt)
    assert shown["finished"] and len(shown["answers"]) == 3


def test_bad_answers_are_clear_errors(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "docker-quiz", "--seed", "2")
    attempt, qid = str(started["attempt"]), started["questions"][0]["id"]
    assert main(["--content", EXAM_COURSE, "quiz", "answer", attempt, qid, "{not json"]) == 2
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["--content", EXAM_COURSE, "quiz", "answer", attempt, qid, '{"wrong": 1}']) == 2
    assert "the answer must be an object" in capsys.readouterr().err
    assert main(["--content", EXAM_COURSE, "quiz", "answer", attempt, "nope", '{"value": true}']) == 2
    assert "not part of attempt" in capsys.readouterr().err


def test_quiz_list_shows_blueprint_coverage(capsys) -> None:
    data = run_json(capsys, "quiz", "list")
    assert {q["id"] for q in data["quizzes"]} == {"docker-quiz", "ecs-quiz"}
    (exam,) = data["exams"]
    assert [(d["needed"], d["in_bank"]) for d in exam["domains"]] == [(3, 8), (3, 8)]


def test_unknown_quiz_suggests(capsys) -> None:
    assert main(["--content", EXAM_COURSE, "quiz", "dokcer-quiz"]) == 2
    assert "did you mean 'docker-quiz'" in capsys.readouterr().err


def _builtin_json(capsys, *args: str) -> tuple[int, dict | None, str]:
    rc = main([*args, "--json"])
    captured = capsys.readouterr()
    return rc, (json.loads(captured.out) if captured.out.strip() else None), captured.err


def test_an_unsettled_domc_answer_is_not_reported_saved(capsys) -> None:
    from tutor.content.loading.loader import load_course

    course = load_course()
    rc, started, _ = _builtin_json(capsys, "quiz", "start", "dca", "--exam", "--seed", "5")
    assert rc == 0 and started is not None
    domc = next(q for q in started["questions"] if q["type"] == "domc")
    question = course.questions[domc["id"]]
    wrong = next(o.id for o in question.options if o.id not in question.correct_ids())
    partial = json.dumps({"answers": [[wrong, False]]})  # "no" to a wrong option settles nothing
    rc, data, err = _builtin_json(capsys, "quiz", "answer", str(started["attempt"]), domc["id"], partial)
    assert rc == 2 and data is None
    assert "not saved" in err and "not settled" in err
    rc, shown, _ = _builtin_json(capsys, "quiz", "show", str(started["attempt"]))
    assert rc == 0 and shown is not None
    assert domc["id"] not in shown["answers"]


def test_answers_to_a_submitted_practice_attempt_are_refused(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "docker-quiz", "--seed", "4")
    attempt = str(started["attempt"])
    first, second = started["questions"][:2]
    run_json(capsys, "quiz", "answer", attempt, first["id"], json.dumps(right(first)))
    run_json(capsys, "quiz", "submit", attempt)
    rc = main(["--content", EXAM_COURSE, "quiz", "answer", attempt, second["id"], json.dumps(right(second))])
    assert rc == 2
    assert "has been submitted" in capsys.readouterr().err
    shown = run_json(capsys, "quiz", "show", attempt)
    assert shown["finished"] is True


def test_exam_submit_teaches_and_stats_keep_the_history(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "mini", "--seed", "1")
    assert {q["type"] for q in started["questions"]} <= {"single", "multiple", "true_false", "short"}
    attempt = str(started["attempt"])
    first = started["questions"][0]
    run_json(capsys, "quiz", "answer", attempt, first["id"], json.dumps(right(first)))
    result = run_json(capsys, "quiz", "submit", attempt)
    assert result["pass_share"] == round(600 / 900, 4)
    assert all({"percent", "at_pass_line"} <= set(d) for d in result["domains"])
    missed = result["missed"]
    assert len(missed) == 6 - result["points"] and first["id"] not in {m["id"] for m in missed}
    assert {m["state"] for m in missed} <= {"unanswered", "wrong", "incomplete"}
    linked = [m for m in missed if m["teaches"]]
    for m in linked:
        assert m["teaches"]["lesson"] == "fx-images" and m["teaches"]["lesson_title"] == "Images and tags"
        assert m["teaches"]["section"] in ("What an image is", "Tags move, digests do not", None)
    stats = run_json(capsys, "stats")
    series = stats["exams"]["mini"]
    assert series["pass_mark"] == 700 and series["scale"] == [100, 1000]
    assert [a["scaled"] for a in series["attempts"]] == [result["scaled"]]
    assert set(series["attempts"][0]["domains"]) == {"dca:images", "dca:orchestration"}
