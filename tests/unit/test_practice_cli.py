"""Practice headless: choosing questions, rating recall, leaving and resuming, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tutor.cli import main

EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["--content", EXAM_COURSE, *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


def run_json(capsys, *args: str) -> dict:
    rc, out, err = run(capsys, *args, "--json")
    assert rc == 0, err
    return json.loads(out)


def right(q: dict) -> str:
    return json.dumps(
        {
            "single": {"choice": "a"},
            "multiple": {"choices": ["a", "b"]},
            "true_false": {"value": True},
        }.get(q["type"], {"text": "yes"})
    )


def test_start_by_domain_size_and_source(capsys) -> None:
    args = ["quiz", "start", "mini", "--domain", "dca:images", "--size", "3", "--seed", "5"]
    started = run_json(capsys, *args)
    assert started["mode"] == "practice" and len(started["questions"]) == 3
    assert started["available"] == 8 and "Images" in started["title"]
    every = run_json(capsys, "quiz", "start", "all", "--size", "all", "--source", "new")
    assert len(every["questions"]) == 16


def test_rate_with_the_answer_or_afterwards(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "docker", "--size", "2", "--seed", "1")
    attempt = str(started["attempt"])
    first, second = started["questions"]
    graded = run_json(capsys, "quiz", "answer", attempt, first["id"], right(first), "--rating", "easy")
    assert graded["rating"] == 4 and graded["rate_with"] is None
    graded = run_json(capsys, "quiz", "answer", attempt, second["id"], right(second))
    assert graded["rate_with"] == f"tutor review rate {attempt} {second['id']} RATING"
    rated = run_json(capsys, "review", "rate", attempt, second["id"], "hard")
    assert rated["rating"] == "hard" and rated["in_days"] > 0
    rc, _, err = run(capsys, "review", "rate", attempt, second["id"], "good")
    assert rc == 2 and "already rated" in err
    rc, _, err = run(capsys, "review", "rate", attempt, second["id"], "superb")
    assert rc == 2 and "again, hard, good or easy" in err


def test_an_unrated_answer_gets_its_rating_when_the_next_is_given(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "docker-quiz", "--seed", "2")
    attempt = str(started["attempt"])
    a, b = started["questions"][:2]
    run_json(capsys, "quiz", "answer", attempt, a["id"], right(a))
    assert run_json(capsys, "quiz", "resume", attempt)["unrated"] == [a["id"]]
    run_json(capsys, "quiz", "answer", attempt, b["id"], right(b))
    assert run_json(capsys, "quiz", "resume", attempt)["unrated"] == [b["id"]]
    rc, _, err = run(capsys, "quiz", "answer", attempt, a["id"], right(a))
    assert rc == 2 and "already answered" in err


def test_resume_lists_open_runs_and_what_is_left(capsys) -> None:
    started = run_json(capsys, "quiz", "start", "ecs", "--size", "4", "--seed", "3")
    attempt = str(started["attempt"])
    first = started["questions"][0]
    run_json(capsys, "quiz", "answer", attempt, first["id"], right(first))
    listed = run_json(capsys, "quiz", "resume")
    assert [o["attempt"] for o in listed["open"]] == [started["attempt"]]
    left = run_json(capsys, "quiz", "resume", attempt)
    assert left["answered"] == 1 and left["total"] == 4 and len(left["questions"]) == 3
    assert left["next"] == started["questions"][1]["id"]
    rc, out, _ = run(capsys, "quiz", "resume", attempt)
    assert rc == 0 and "1 of 4 answered, 3 left" in out


def test_review_lists_todays_queue_within_the_limits(capsys) -> None:
    assert main(["settings", "set", "new_per_day", "5"]) == 0
    capsys.readouterr()
    queue = run_json(capsys, "review")
    assert [r["kind"] for r in queue["due"]] == ["new"] * 5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["quiz", "start", "nope", "--size", "2"], "no quiz, topic, exam or exam domain"),
        (["quiz", "start", "mini", "--domain", "dca:nope"], "no exam domain"),
        (["quiz", "start", "mini", "--exam", "--size", "3"], "an exam draws its own"),
        (["quiz", "start", "docker", "--source", "flagged"], "no questions match"),
        (["quiz", "resume", "x"], "is not an attempt id"),
        (["quiz", "resume", "77"], "no attempt 77"),
        (["review", "rate", "1", "q"], "usage: tutor review rate"),
    ],
)
def test_bad_practice_input_is_one_line_and_exit_2(capsys, args: list[str], message: str) -> None:
    rc, _, err = run(capsys, *args)
    assert rc == 2 and message in err and "Traceback" not in err


def test_bad_size_is_a_usage_error(capsys) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--content", EXAM_COURSE, "quiz", "start", "docker", "--size", "0"])
    assert exit_.value.code == 2
    assert "above 0 or 'all'" in capsys.readouterr().err
