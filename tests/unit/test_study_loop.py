"""The study loop in the core: recall ratings on the fsrs scheduler, daily limits, choosing
practice questions, skipping, leaving and resuming a run."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.base.errors import TutorError
from tutor.content.loading.loader import load_course
from tutor.progress import open_store
from tutor.progress.attempts import Attempts
from tutor.progress.settings import Settings
from tutor.quiz.selection import ALL, flagged, resolve_scope, scopes, select, set_flag
from tutor.quiz.session import PracticeSession, QuizError
from tutor.quiz.srs import NEW, RATINGS, Repetition, derive_rating, parse_rating, start_of_day

EXAM_COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "exam_course"
NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture
def course():
    c = load_course([EXAM_COURSE])
    assert c.ok, c.errors
    return c


class Clock:
    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def right(q) -> dict:
    return {
        "single": lambda: {"choice": q.answer},
        "multiple": lambda: {"choices": sorted(q.answer)},
        "true_false": lambda: {"value": q.answer},
        "short": lambda: {"text": q.answers[0]},
    }[q.type]()


def wrong(q) -> dict:
    return {"text": "certainly not"} if q.type == "short" else {"value": not q.answer}


# -- the scheduler -------------------------------------------------------------------------
def test_a_first_right_answer_is_days_away_and_a_miss_minutes() -> None:
    srs = Repetition(open_store())
    good = srs.review("q-good", RATINGS["good"], NOON)
    easy = srs.review("q-easy", RATINGS["easy"], NOON)
    again = srs.review("q-again", RATINGS["again"], NOON)
    derived = srs.record("q-right", True, NOON)
    assert good - NOON >= timedelta(days=1)
    assert derived - NOON >= timedelta(days=1)
    assert easy - good >= timedelta(days=3)
    assert timedelta(minutes=5) <= again - NOON <= timedelta(minutes=15)


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ratings=st.lists(st.sampled_from([1, 2, 3, 4]), min_size=1, max_size=8))
def test_every_review_is_logged_and_due_moves_forward(ratings: list[int]) -> None:
    store = open_store(Path(__import__("tempfile").mkdtemp()))
    srs = Repetition(store)
    when = NOON
    for r in ratings:
        due = srs.review("q", r, when)
        assert due > when
        when = due
    rows = store.query("SELECT rating, state_before FROM reviews ORDER BY id")
    assert [r[0] for r in rows] == ratings
    assert rows[0][1] == NEW and all(r[1] != NEW for r in rows[1:])


def test_derived_rating_follows_correctness_and_time() -> None:
    assert derive_rating(False, 5, 20, NEW) == RATINGS["again"]
    assert derive_rating(True, 5, 20, NEW) == RATINGS["good"]
    assert derive_rating(True, 500, 20, NEW) == RATINGS["good"]  # a first right answer is never Hard
    assert derive_rating(True, 500, 20, 2) == RATINGS["hard"]  # slow, on a question in review
    assert derive_rating(True, None, 20, 2) == RATINGS["good"]


def test_ratings_by_word_or_number() -> None:
    assert [parse_rating(x) for x in ("again", "Hard", "3", "EASY", 4)] == [1, 2, 3, 4, 4]
    for bad in ("0", "5", "meh", ""):
        with pytest.raises(TutorError):
            parse_rating(bad)


def test_daily_limits_for_new_and_due_questions() -> None:
    store = open_store()
    settings_ = Settings(store)
    settings_.set("new_per_day", "3")
    settings_.set("reviews_per_day", "2")
    srs = Repetition(store)
    bank = [f"q{i}" for i in range(10)]
    yesterday = NOON - timedelta(days=3)
    for q in bank[:4]:
        srs.review(q, RATINGS["good"], yesterday)  # four met three days ago: due again now
    queue = srs.daily(bank, NOON + timedelta(days=10))
    assert queue.due_total == 4 and len(queue.due) == 2  # the review limit
    assert queue.new == ["q4", "q5", "q6"]  # the new limit, in course order
    # What was done today counts against today's limits.
    today = datetime.now(UTC)
    srs.review("q4", RATINGS["good"], today)
    srs.review("q0", RATINGS["good"], today)
    new_today, reviews_today = srs.today(today)
    assert (new_today, reviews_today) == (1, 1)
    later = srs.daily(bank, today)
    assert len(later.new) == 2 and later.new[0] == "q5"


def test_start_of_day_is_local_midnight() -> None:
    start = start_of_day(NOON)
    assert start <= NOON < start + timedelta(days=1)
    assert start.astimezone().hour == 0


# -- choosing questions --------------------------------------------------------------------
def test_scopes_name_quizzes_topics_exams_and_domains(course) -> None:
    keys = {s.key for s in scopes(course)}
    assert {ALL, "docker", "docker-quiz", "mini", "dca:images"} <= keys
    with pytest.raises(TutorError) as err:
        resolve_scope(course, "docker-quizz")
    assert "did you mean 'docker-quiz'" in str(err.value)


def test_select_by_domain_source_and_size(course) -> None:
    store = open_store()
    picked = select(course, store, target="mini", domain="dca:orchestration", size=3, seed=1)
    assert len(picked.question_ids) == 3 and picked.available == 8
    assert all("dca:orchestration" in course.questions[q].domains for q in picked.question_ids)
    assert select(course, store, target="mini", domain="dca:orchestration", size=3, seed=1) == picked
    everything = select(course, store, target=ALL, size=0, seed=2)
    assert len(everything.question_ids) == len(course.questions)
    with pytest.raises(TutorError):
        select(course, store, domain="dca:nope")


def test_sources_missed_new_flagged_due(course) -> None:
    store = open_store()
    ids = ["docker-x01", "docker-x02", "docker-x04"]
    s = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=1, shuffle=False)
    s.answer(right(course.questions["docker-x01"]), rating=RATINGS["again"])
    s.next()
    s.answer(wrong(course.questions["docker-x02"]))
    s.next()
    set_flag(store, "docker-x04", True)

    def pick(source: str) -> set[str]:
        return set(select(course, store, target="docker-quiz", source=source, seed=1).question_ids)

    assert pick("missed") == {"docker-x02"}
    assert pick("new") == set(q.id for q in course.quizzes["docker-quiz"].questions) - {
        "docker-x01",
        "docker-x02",
    }
    assert pick("flagged") == {"docker-x04"}
    set_flag(store, "docker-x04", False)
    assert flagged(store) == set()
    assert pick("due") == set()  # the ten-minute step is not over yet
    Repetition(store).review("docker-x05", RATINGS["again"], NOON - timedelta(days=1))
    assert pick("due") == {"docker-x05"}


# -- a practice run --------------------------------------------------------------------------
def test_rating_schedules_the_answer_and_moving_on_derives_one(course) -> None:
    store = open_store()
    clock = Clock()
    ids = ["docker-x01", "docker-x05"]
    s = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=1, shuffle=False, clock=clock)
    clock.now += 12
    s.answer(right(s.question))
    assert s.pending and not Repetition(store).seen()
    due = s.rate(RATINGS["easy"])
    assert due - datetime.now(UTC) > timedelta(days=3)
    with pytest.raises(QuizError, match="already rated"):
        s.rate(RATINGS["good"])
    s.next()
    s.answer(right(s.question))  # the last one: the run finishes, the rating can still come
    assert s.finished and "docker-x05" in s.pending
    s.leave()  # leaving gives it the derived rating
    rows = store.query("SELECT question_id, rating, rated_by, seconds FROM reviews ORDER BY id")
    assert [(r[0], r[1], r[2]) for r in rows] == [
        ("docker-x01", 4, "learner"),
        ("docker-x05", 3, "derived"),
    ]
    assert rows[0][3] == 12.0


def test_cram_is_never_rated(course) -> None:
    store = open_store()
    s = PracticeSession.start(course, store, ["docker-x01"], quiz_id="c", mode="cram", seed=1)
    s.answer(right(s.question))
    with pytest.raises(QuizError, match="cram"):
        s.rate(3)
    assert not Repetition(store).seen()


def test_skip_comes_back_after_the_others(course) -> None:
    store = open_store()
    ids = ["docker-x01", "docker-x02", "docker-x05"]
    s = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=1, shuffle=False)
    assert s.next() and s.current_id == "docker-x02"  # x01 skipped
    s.answer(right(s.question))
    assert s.next() and s.current_id == "docker-x05"
    s.answer(right(s.question))
    assert s.next() and s.current_id == "docker-x01"  # back to the skipped one
    assert not s.next()  # the only one left stays
    assert not s.previous()  # it is the first
    s.answer(right(s.question))
    assert s.done and s.finished


def test_leave_and_resume_where_it_was(course) -> None:
    store = open_store()
    ids = ["docker-x01", "docker-x02", "docker-x05", "docker-x06"]
    s = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=3, shuffle=False, title="T")
    s.answer(right(s.question))  # x01, left unrated
    s.next()
    s.next()  # x02 skipped, on x05
    s.leave()
    assert Attempts(store).unfinished("practice")[0].id == s.attempt_id
    back = PracticeSession.resume(course, store, s.attempt_id)
    assert back.current_id == "docker-x05" and back.title == "T"
    assert set(back.grades) == {"docker-x01"} and not back.pending  # rated on leaving
    assert back.unanswered == ["docker-x02", "docker-x05", "docker-x06"]
    # A run left with no answer is dropped rather than kept open.
    empty = PracticeSession.start(course, store, ids, quiz_id="docker-quiz", seed=3)
    empty.leave()
    assert Attempts(store).get(empty.attempt_id) is None


def test_resume_refuses_an_exam_and_an_unknown_attempt(course) -> None:
    from tutor.quiz.exam import ExamSession

    store = open_store()
    exam = ExamSession.start(course, store, "mini", seed=1)
    with pytest.raises(QuizError, match="exam"):
        PracticeSession.resume(course, store, exam.attempt_id)
    with pytest.raises(QuizError, match="no attempt"):
        PracticeSession.resume(course, store, 999)
