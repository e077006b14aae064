"""What each kind of item opens: lessons, quizzes, exams, reviews, labs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tutor.base.errors import TutorError
from tutor.quiz.exam import ExamSession
from tutor.quiz.session import PracticeSession
from tutor.quiz.srs import Repetition

if TYPE_CHECKING:
    from tutor.tui.context import Tutor


def _take_seed(app: Tutor) -> int | None:
    seed, app.seed = app.seed, None
    return seed


def open_target(app: Tutor, kind: str, item_id: str) -> None:
    services = app.services
    course = services.course
    if kind == "lesson":
        from tutor.tui.screens.lesson import LessonScreen

        lesson_id, _, section = item_id.partition("#")  # "lesson#Section heading" opens at it
        if lesson_id not in course.lessons:
            raise TutorError(f"no lesson {lesson_id!r}")
        app.push_screen(LessonScreen(lesson_id, section=section or None))
    elif kind in ("quiz", "cram"):
        _practice(app, kind, item_id)
    elif kind == "questions":  # a lesson's check-your-understanding
        ids = [q for q in item_id.split(",") if q in course.questions]
        _start_practice(app, ids, quiz_id="lesson-check", mode="practice", title="Check your understanding")
    elif kind == "review":
        due = Repetition(app.store).due(known=course.questions)
        if not due:
            app.notify("Nothing is due for review right now.", timeout=3)
            return
        _start_practice(app, due, quiz_id="review", mode="review", title="Review", shuffle=False)
    elif kind == "mistakes":
        ids = [q for q in Repetition(app.store).mistakes() if q in course.questions]
        _start_practice(app, ids, quiz_id="mistakes", mode="review", title="Your mistakes")
    elif kind == "exam":
        _confirm_exam(app, item_id)
    elif kind == "resume":
        from tutor.tui.screens.exam import ExamScreen

        app.push_screen(ExamScreen(ExamSession.resume(course, app.store, int(item_id))))
    elif kind == "lab":
        from tutor.tui.screens.lab import LabScreen

        if item_id not in course.labs:
            raise TutorError(f"no lab {item_id!r}")
        app.push_screen(LabScreen(item_id))
    elif kind == "stats":
        from tutor.tui.screens.stats import StatsScreen

        app.push_screen(StatsScreen())
    elif kind == "problems":
        app.action_problems()
    else:
        app.notify(f"Opening a {kind} is not available yet.", severity="warning")


def _practice(app: Tutor, kind: str, item_id: str) -> None:
    course = app.services.course
    mode = "cram" if kind == "cram" else "practice"
    if item_id == "mistakes":
        ids = [q for q in Repetition(app.store).mistakes() if q in course.questions]
        _start_practice(app, ids, quiz_id="mistakes", mode=mode, title="Cram: your mistakes")
        return
    quiz = course.quizzes.get(item_id)
    if quiz is None:
        raise TutorError(f"no quiz {item_id!r}")
    _start_practice(
        app,
        [q.id for q in quiz.questions],
        quiz_id=quiz.id,
        mode=mode,
        title=quiz.title,
        scoring=quiz.scoring,
    )


def _start_practice(app: Tutor, ids: list[str], *, quiz_id: str, mode: str, title: str, **kw: object) -> None:
    from tutor.tui.screens.practice import PracticeScreen

    if not ids:
        app.notify("There is nothing to practise here yet.", timeout=3)
        return
    session = PracticeSession.start(
        app.services.course,
        app.store,
        ids,
        quiz_id=quiz_id,
        mode=mode,
        seed=_take_seed(app),
        **kw,  # type: ignore[arg-type]
    )
    app.push_screen(PracticeScreen(session, title))


def _confirm_exam(app: Tutor, exam_id: str) -> None:
    from tutor.tui.screens.confirm import confirm
    from tutor.tui.screens.exam import ExamScreen

    course = app.services.course
    exam = course.exams.get(exam_id)
    if exam is not None:
        text = (
            f"[b]{exam.title}[/b]\n{exam.questions} questions in {exam.minutes} minutes; "
            f"pass mark {exam.pass_mark}."
        )
    elif exam_id in course.quizzes:
        quiz = course.quizzes[exam_id]
        text = f"[b]{quiz.title}[/b], timed: {len(quiz.questions)} questions, no feedback until you submit."
    else:
        raise TutorError(f"no exam or quiz {exam_id!r}")
    seed = _take_seed(app)

    def start(answer: str | None) -> None:
        if answer == "y":
            app.push_screen(ExamScreen(ExamSession.start(course, app.store, exam_id, seed=seed)))

    app.push_screen(confirm(f"{text}\nThe clock starts now. Start?", yes="Start", no="Not now"), start)
