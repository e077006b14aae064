"""Practice and exam sessions over a real progress store, including a SIGKILL mid-exam."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tutor.content.loading.loader import load_course
from tutor.progress import open_store
from tutor.progress.attempts import Attempts
from tutor.quiz.drawing import domain_quota, draw_exam
from tutor.quiz.exam import ExamSession
from tutor.quiz.session import PracticeSession, QuizError
from tutor.quiz.srs import Repetition

EXAM_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "exam_course"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def course():
    c = load_course([EXAM_COURSE])
    assert c.ok, c.errors
    return c


def test_practice_grades_at_once_and_saves_every_answer(course) -> None:
    store = open_store()
    ids = [q.id for q in course.quizzes["docker-quiz"].questions]
    s = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=42)
    assert sorted(s.question_ids) == sorted(ids) and s.question_ids != ids  # shuffled by the seed
    first = s.question
    g = s.answer({"value": True} if first.type == "true_false" else {"text": "nope"})
    answers = Attempts(store).answers(s.attempt_id)
    assert list(answers) == [first.id]
    assert answers[first.id].score == g.score
    assert Repetition(store).seen() == set()  # scheduled once rated, or on moving on
    s.next()
    assert Repetition(store).mistakes() == ([] if g.correct else [first.id])
    # The same seed gives the same order again.
    again = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=42)
    assert again.question_ids == s.question_ids


def test_cram_never_changes_the_schedule(course) -> None:
    store = open_store()
    s = PracticeSession.start(course, store, ["docker-x02"], quiz_id="cram", mode="cram", seed=1)
    s.answer({"value": False})
    assert Repetition(store).mistakes() == []
    assert store.query("SELECT COUNT(*) FROM cards")[0][0] == 0


def test_wrong_answers_come_back_for_review(course) -> None:
    store = open_store()
    srs = Repetition(store)
    now = datetime.now(UTC)
    srs.record("docker-x02", False, now)
    srs.record("docker-x06", True, now)
    assert srs.mistakes() == ["docker-x02"]
    tomorrow = now + timedelta(days=1)
    assert "docker-x02" in srs.due(tomorrow)
    assert "docker-x06" not in srs.due(now + timedelta(minutes=5))
    exam = course.exams["mini"]
    ready = {r.domain: r for r in srs.readiness(exam, course.questions.values(), now)}
    assert ready["dca:images"].seen == 2 and ready["dca:images"].total == 8
    assert ready["dca:orchestration"].readiness == 0.0
    assert 0 < ready["dca:images"].readiness <= 1


def test_exam_draw_follows_the_weights(course) -> None:
    exam = course.exams["mini"]
    assert domain_quota(exam) == {"dca:images": 3, "dca:orchestration": 3}
    drawn = draw_exam(exam, list(course.questions.values()), seed=5)
    assert len(drawn.question_ids) == 6 and len(set(drawn.question_ids)) == 6
    per = {d: sum(1 for q in drawn.question_ids if drawn.domain_of[q] == d) for d in domain_quota(exam)}
    assert per == {"dca:images": 3, "dca:orchestration": 3}
    assert drawn.shortfalls == {}
    assert draw_exam(exam, list(course.questions.values()), seed=5).question_ids == drawn.question_ids


def test_exam_shortfall_is_reported_and_filled(course) -> None:
    exam = course.exams["mini"].model_copy(update={"questions": 12})
    docker_only = [q for q in course.questions.values() if q.topic == "docker"] + [
        q for q in course.questions.values() if q.topic == "ecs"
    ][:2]
    drawn = draw_exam(exam, docker_only, seed=3)
    assert drawn.shortfalls == {"dca:orchestration": 4}
    assert len(drawn.question_ids) == 10  # everything there is


def _perfect(q):
    return {
        "single": lambda: {"choice": "a"},
        "true_false": lambda: {"value": True},
        "multiple": lambda: {"choices": ["a", "b"]},
        "short": lambda: {"text": "yes"},
    }[q.type]()


def test_exam_flow_flag_review_submit(course) -> None:
    store = open_store()
    clock = FakeClock()
    s = ExamSession.start(course, store, "mini", seed=9, clock=clock)
    assert s.time_limit == 600 and s.remaining() == 600
    for i, qid in enumerate(s.question_ids[:4]):
        s.goto(i)
        s.answer(_perfect(course.questions[qid]))
        clock.now += 30
    s.goto(4)
    assert s.flag() is True
    assert s.unanswered() == [4, 5] and s.flagged() == [4]
    result = s.submit()
    assert result.total == 6 and result.points == 4 and result.answered == 4
    assert result.scaled == 700 and result.passed  # 100 + 900 * 4/6: exactly the pass mark
    assert {d.id: (d.points, d.total) for d in result.domains}.keys() == {"dca:images", "dca:orchestration"}
    assert result.time_used == pytest.approx(120)
    row = Attempts(store).get(s.attempt_id)
    assert row is not None and row.finished_at is not None and row.result["scaled"] == result.scaled
    with pytest.raises(QuizError):
        s.answer({"value": True})


def test_exam_submits_at_zero_and_caps_time(course) -> None:
    clock = FakeClock()
    s = ExamSession.start(course, open_store(), "mini", seed=1, clock=clock)
    clock.now += 601
    assert s.expired and s.remaining() == 0
    assert s.submit().time_used == 600


def test_quit_and_resume_keeps_answers_flags_and_time(course) -> None:
    store = open_store()
    clock = FakeClock()
    s = ExamSession.start(course, store, "mini", seed=4, clock=clock)
    s.answer(_perfect(s.question))
    s.goto(2)
    s.flag()
    clock.now += 100
    s.pause()
    clock.now += 5000  # time away from the exam does not count
    (row,) = Attempts(store).unfinished()
    assert row.remaining == pytest.approx(500)
    again = ExamSession.resume(course, store, row.id, clock=clock)
    assert again.remaining() == pytest.approx(500)
    assert again.index == 2 and again.flagged() == [2]
    assert list(again.responses) == [s.question_ids[0]]


def test_timed_quiz_and_unknown_ids(course) -> None:
    s = ExamSession.start(course, open_store(), "docker-quiz", seed=2)
    assert len(s.question_ids) == 8 and s.time_limit == 12 * 60 and s.scale == (0, 100)
    with pytest.raises(QuizError, match="did you mean 'mini'"):
        ExamSession.start(course, open_store(), "minii")


KILLED_EXAM = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from tutor.content.loading.loader import load_course
    from tutor.progress import open_store
    from tutor.quiz.exam import ExamSession
    course = load_course([Path(sys.argv[1])])
    s = ExamSession.start(course, open_store(), "mini", seed=11)
    print("attempt", s.attempt_id, flush=True)
    answers = {"single": {"choice": "a"}, "true_false": {"value": True},
               "multiple": {"choices": ["a", "b"]}, "short": {"text": "yes"}}
    for i, qid in enumerate(s.question_ids[:3]):
        s.goto(i)
        s.answer(answers[course.questions[qid].type])
        print("answered", qid, round(s.remaining(), 3), flush=True)
    time.sleep(60)
    """
)


def test_sigkill_mid_exam_loses_no_answer_and_no_time(course) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", KILLED_EXAM, str(EXAM_COURSE)],
        stdout=subprocess.PIPE,
        text=True,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None
    lines = [proc.stdout.readline().split() for _ in range(4)]
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    attempt_id = int(lines[0][1])
    answered = [line[1] for line in lines[1:]]
    remaining_at_last_answer = float(lines[-1][2])

    store = open_store()
    (row,) = Attempts(store).unfinished()
    assert row.id == attempt_id
    resumed = ExamSession.resume(course, store, attempt_id)
    assert sorted(resumed.responses) == sorted(answered)
    # The learner gets back at least the time that was left at the last saved answer.
    assert resumed.remaining() >= remaining_at_last_answer - 0.05
    assert resumed.submit().answered == 3
    stored = json.loads(store.query("SELECT result FROM attempts WHERE id = ?", (attempt_id,))[0][0])
    assert stored["answered"] == 3
