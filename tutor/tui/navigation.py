"""What each kind of item opens: lessons, quizzes, exams, reviews, labs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tutor.base.errors import TutorError
from tutor.quiz.exam import ExamSession
from tutor.quiz.session import PracticeSession
from tutor.quiz.srs import Repetition

if TYPE_CHECKING:
    from tutor.quiz.selection import Scope
    from tutor.tui.context import Tutor


def _take_seed(app: Tutor) -> int | None:
    seed, app.seed = app.seed, None
    return seed


def open_target(app: Tutor, kind: str, item_id: str) -> None:
    services = app.services
    course = services.course
    if kind == "lesson":
        from tutor.tui.screens.lesson import LessonScreen

        lesson_id, _, section = item_id.partition("#")  # a section by slug or by its heading
        if lesson_id not in course.lessons:
            raise TutorError(f"no lesson {lesson_id!r}")
        app.push_screen(LessonScreen(lesson_id, section))
    elif kind in ("quiz", "cram"):
        _practice(app, kind, item_id)
    elif kind == "questions":  # a lesson's check-your-understanding
        ids = [q for q in item_id.split(",") if q in course.questions]
        _start_practice(app, ids, quiz_id="lesson-check", mode="practice", title="Check your understanding")
    elif kind == "review":  # today's review: what is due, then new questions, within the limits
        from tutor.quiz.selection import course_order

        queue = Repetition(app.store).daily([q.id for q in course_order(course)])
        if not queue.questions:
            app.notify("Nothing is due for review today.", timeout=3)
            return
        _start_practice(app, queue.questions, quiz_id="review", mode="review", title="Review", shuffle=False)
    elif kind == "setup":  # the practice setup dialog, on a quiz, topic, exam or domain
        _setup(app, item_id or "all")
    elif kind == "practice":  # a practice run left earlier
        from tutor.tui.screens.practice import PracticeScreen

        session = PracticeSession.resume(course, app.store, int(item_id))
        app.push_screen(PracticeScreen(session, session.title))
    elif kind == "notes":
        from tutor.tui.screens.notes import NotesScreen

        app.push_screen(NotesScreen())
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
        from tutor.progress.settings import Settings

        Settings(app.store).set_place("lab", item_id)
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
    if item_id in ("all", *course.topics) or any(item_id == s.key for s in _domains(app)):
        _setup(app, item_id)
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


def _domains(app: Tutor) -> list[Scope]:
    from tutor.quiz.selection import scopes

    return [s for s in scopes(app.services.course) if s.kind in ("exam", "domain")]


def _setup(app: Tutor, target: str) -> None:
    from tutor.quiz.selection import select
    from tutor.quiz.session import new_seed
    from tutor.tui.screens.practice_setup import PracticeChoice, PracticeSetup

    course = app.services.course

    def chosen(choice: PracticeChoice | None) -> None:
        if choice is None:
            return
        if choice.mode == "timed":
            _confirm_exam(app, choice.target)
            return
        seed = _take_seed(app) or new_seed()
        picked = select(
            course, app.store, target=choice.target, source=choice.source, size=choice.size, seed=seed
        )
        quiz = course.quizzes.get(picked.quiz_id)
        _start_practice(
            app,
            picked.question_ids,
            quiz_id=picked.quiz_id,
            mode=choice.mode,
            title=picked.title,
            scoring=quiz.scoring if quiz else "all_or_nothing",
            shuffle=False,
            seed=seed,
        )

    app.push_screen(PracticeSetup(target), chosen)


def _start_practice(app: Tutor, ids: list[str], *, quiz_id: str, mode: str, title: str, **kw: Any) -> None:
    from tutor.progress.settings import Settings
    from tutor.tui.screens.practice import PracticeScreen

    if not ids:
        app.notify("There is nothing to practise here yet.", timeout=3)
        return
    seed = kw.pop("seed", None)
    session = PracticeSession.start(
        app.services.course,
        app.store,
        ids,
        quiz_id=quiz_id,
        mode=mode,
        seed=seed if seed is not None else _take_seed(app),
        title=title,
        **kw,
    )
    Settings(app.store).set_place("practice", str(session.attempt_id))
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
