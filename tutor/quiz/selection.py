"""Which questions a practice run asks: a scope (quiz, topic, exam, exam domain or everything),
a source (all, missed before, never seen, flagged, due) and a size (10, 20, all)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from tutor.base.errors import TutorError
from tutor.progress.attempts import Attempts
from tutor.progress.store import ProgressStore, upsert
from tutor.quiz.srs import Repetition

if TYPE_CHECKING:  # the models load with the course; `tutor --help` must not pay for them
    from tutor.content.course import Course
    from tutor.content.models.questions import Question

SOURCES = {
    "all": "all questions",
    "missed": "missed before",
    "new": "never seen",
    "flagged": "flagged",
    "due": "due for review",
}
SIZES = (10, 20, 0)  # 0: all of them
ALL = "all"


@dataclass(frozen=True)
class Scope:
    kind: str  # "all", "topic", "quiz", "exam" or "domain"
    id: str
    title: str

    @property
    def key(self) -> str:
        return ALL if self.kind == "all" else self.id


@dataclass(frozen=True)
class Selection:
    question_ids: list[str]
    available: int  # how many matched before the size was applied
    title: str
    quiz_id: str  # recorded with the attempt


def course_order(course: Course) -> list[Question]:
    """Every question once, as the course meets them: topic order, quiz order, file order."""
    topic_order = {t.id: (t.order, i) for i, t in enumerate(course.topics.values())}
    quizzes = sorted(
        course.quizzes.values(), key=lambda q: (topic_order.get(q.topic, (1 << 30, 0)), q.order, q.id)
    )
    seen: set[str] = set()
    out: list[Question] = []
    for quiz in quizzes:
        for q in quiz.questions:
            if q.id not in seen and course.questions.get(q.id) is q:
                seen.add(q.id)
                out.append(q)
    return out


def scopes(course: Course) -> list[Scope]:
    """What a practice run can be drawn from, for a picker: everything, topics, quizzes, exams,
    exam domains."""
    out = [Scope("all", ALL, "Everything")]
    for t in sorted(course.topics.values(), key=lambda t: (t.order, t.id)):
        out.append(Scope("topic", t.id, f"Topic: {t.title}"))
    for q in sorted(course.quizzes.values(), key=lambda q: (q.topic, q.order, q.id)):
        out.append(Scope("quiz", q.id, f"Quiz: {q.title}"))
    for e in sorted(course.exams.values(), key=lambda e: e.id):
        out.append(Scope("exam", e.id, f"Exam: {e.exam}"))
        for d in e.domains:
            out.append(Scope("domain", d.id, f"{e.id.upper()} domain {d.id.partition(':')[2]}: {d.name}"))
    return out


def resolve_scope(course: Course, target: str) -> Scope:
    for scope in scopes(course):
        if scope.key == target:
            return scope
    from tutor.content.suggest import did_you_mean

    known = [s.key for s in scopes(course)]
    raise TutorError(
        f"no quiz, topic, exam or exam domain {target[:60]!r}",
        hint=did_you_mean(target, known) or "run `tutor quiz list`; `all` practises everything",
    )


def in_scope(course: Course, scope: Scope) -> list[Question]:
    bank = course_order(course)
    if scope.kind == "quiz":
        ids = {q.id for q in course.quizzes[scope.id].questions}
        return [q for q in bank if q.id in ids]
    if scope.kind == "topic":
        return [q for q in bank if q.topic == scope.id]
    if scope.kind == "exam":
        tags = {d.id for d in course.exams[scope.id].domains}
        return [q for q in bank if tags.intersection(q.domains)]
    if scope.kind == "domain":
        return [q for q in bank if scope.id in q.domains]
    return bank


def flagged(store: ProgressStore) -> set[str]:
    """Questions whose latest flag says flagged: practice flags, and flags set in exams."""
    rows = store.query(
        "SELECT question_id, flagged FROM ("
        " SELECT question_id, flagged, at FROM flags"
        " UNION ALL SELECT a.question_id, a.flagged, a.answered_at FROM answers a"
        " JOIN attempts t ON t.id = a.attempt_id WHERE t.mode = 'exam' AND a.flagged = 1"
        ") ORDER BY at"
    )
    latest: dict[str, bool] = {}
    for qid, flag in rows:
        latest[qid] = bool(flag)
    return {q for q, f in latest.items() if f}


def set_flag(store: ProgressStore, question_id: str, on: bool) -> None:
    import time

    with store.transaction() as db:
        upsert(
            db, "flags", {"question_id": question_id, "flagged": int(on), "at": time.time()}, ("question_id",)
        )


def from_source(
    store: ProgressStore, questions: list[Question], source: str, when: datetime | None = None
) -> list[Question]:
    if source not in SOURCES:
        raise TutorError(f"no source {source!r}", hint=f"use one of: {', '.join(SOURCES)}")
    if source == "all":
        return questions
    srs = Repetition(store)
    if source == "due":
        order = {q: i for i, q in enumerate(srs.due(when or datetime.now(UTC)))}
        return sorted((q for q in questions if q.id in order), key=lambda q: order[q.id])
    if source == "missed":
        last = Attempts(store).last_results()
        missed = set(srs.mistakes()) | {q for q, right in last.items() if not right}
        return [q for q in questions if q.id in missed]
    if source == "new":
        answered = srs.seen() | set(Attempts(store).last_results())
        return [q for q in questions if q.id not in answered]
    marked = flagged(store)
    return [q for q in questions if q.id in marked]


def select(
    course: Course,
    store: ProgressStore,
    *,
    target: str = ALL,
    source: str = "all",
    domain: str | None = None,
    size: int = 0,
    seed: int = 0,
) -> Selection:
    """The questions of one practice run, in the order they will be asked (due: most overdue
    first; otherwise shuffled by `seed`)."""
    scope = resolve_scope(course, target)
    questions = in_scope(course, scope)
    if domain:
        if not any(domain == d.id for e in course.exams.values() for d in e.domains):
            raise TutorError(
                f"no exam domain {domain[:40]!r}", hint="domains look like saa-c03:2; see `tutor quiz list`"
            )
        questions = [q for q in questions if domain in q.domains]
    picked = from_source(store, questions, source)
    available = len(picked)
    if source != "due":
        picked = list(picked)
        random.Random(seed).shuffle(picked)
    if size > 0:
        picked = picked[:size]
    title = scope.title.partition(": ")[2] or scope.title
    if domain and scope.kind != "domain":
        title = next((s.title for s in scopes(course) if s.key == domain), domain)
    if source != "all":
        title += f" · {SOURCES[source]}"
    quiz_id = scope.id if scope.kind == "quiz" else f"{scope.kind}:{scope.key}"
    return Selection([q.id for q in picked], available, title, quiz_id)
