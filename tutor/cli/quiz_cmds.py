"""`tutor quiz ...`, `tutor review`, `tutor stats`: quizzes and exams without the TUI.

`tutor quiz ID` opens the app on a quiz (or, with --exam or an exam id, a timed exam).
The headless commands let scripts and autograders take the same quizzes:

    tutor quiz start ecs-practice --seed 7 --json      -> attempt id and the questions
    tutor quiz answer 12 ecs-q003 '{"choice": "b"}' --json
    tutor quiz submit 12 --json
"""

from __future__ import annotations

import argparse
import json
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli import interchange_cmds, practice_cmds
from tutor.cli.args import JSON, arg, attempt_number, command, flag, seed_number
from tutor.cli.output import emit_json, load, open_progress

ACTIONS = ("list", "start", "answer", "submit", "show", "resume", *interchange_cmds.ACTIONS)


def register(sub: Any) -> None:
    p = command(
        sub,
        "quiz",
        quiz,
        "list, open or take quizzes and mock exams",
        arg("target", metavar="ACTION_OR_ID", help=f"{', '.join(ACTIONS)}, or a quiz/exam id to open"),
        arg("args", nargs="*", help="the action's arguments"),
        flag("--exam", "timed exam mode"),
        arg("--seed", type=seed_number, help="shuffle seed (recorded with the attempt)"),
        arg("--mode", choices=["practice", "cram"], default="practice"),
        JSON,
        flag("--open", "resume: continue in the app"),
        description="tutor quiz list | ID [--exam] [--seed N] | start ID [--size N|all] [--source S] "
        "[--domain EXAM:N] | answer ATTEMPT QUESTION JSON [--rating R] | submit ATTEMPT [--junit FILE] | "
        "show ATTEMPT | resume [ATTEMPT] [--open] | import FILE.gift --out DIR | "
        "export QUIZ --format gift|moodle-xml --out FILE",
    )
    practice_cmds.add_options(p)
    interchange_cmds.add_quiz_options(p)


def quiz(args: argparse.Namespace) -> int:
    if args.target not in ACTIONS:
        return _open(args)
    if args.target in interchange_cmds.ACTIONS:
        return interchange_cmds.run(args)
    actions = {"list": _list, "start": _start, "answer": _answer, "submit": _submit, "show": _show}
    return {**actions, "resume": practice_cmds.resume}[args.target](args)


def _need(args: argparse.Namespace, n: int, usage: str) -> list[str]:
    if len(args.args) != n:
        raise TutorError(f"usage: tutor quiz {args.target} {usage}")
    return list(args.args)


def _open(args: argparse.Namespace) -> int:
    from tutor.cli.tui_cmd import run_app

    course = load(args)
    target = args.target
    if target not in course.quizzes and target not in course.exams:
        from tutor.content.suggest import did_you_mean

        raise TutorError(
            f"no quiz or exam {target!r}",
            hint=did_you_mean(target, [*course.quizzes, *course.exams]) or "run `tutor quiz list`",
        )
    kind = "exam" if (args.exam or target in course.exams) else ("cram" if args.mode == "cram" else "quiz")
    return run_app(args, start=(kind, target), seed=args.seed)


def _list(args: argparse.Namespace) -> int:
    from tutor.progress.attempts import Attempts
    from tutor.quiz.drawing import domain_quota, eligible, exam_domain

    course = load(args)
    attempts = Attempts(open_progress())
    quizzes = []
    for q in sorted(course.quizzes.values(), key=lambda x: (x.topic, x.order, x.id)):
        quizzes.append(
            {
                "id": q.id,
                "title": q.title,
                "topic": q.topic,
                "questions": len(q.questions),
                "scoring": q.scoring,
            }
        )
    exams = []
    for e in sorted(course.exams.values(), key=lambda x: x.id):
        quota = domain_quota(e)
        pool = eligible(e, list(course.questions.values()))
        have = {d.id: sum(1 for q in pool if exam_domain(q, e) == d.id) for d in e.domains}
        best = max((h.result.get("scaled", 0) for h in attempts.history(e.id) if h.result), default=None)
        exams.append(
            {
                "id": e.id,
                "title": e.title,
                "exam": e.exam,
                "questions": e.questions,
                "minutes": e.minutes,
                "pass_mark": e.pass_mark,
                "scale": [e.scale.min, e.scale.max],
                "types": sorted(e.allowed_types()),
                "type_mix": dict(e.type_mix),
                "best": best,
                "domains": [
                    {
                        "id": d.id,
                        "name": d.name,
                        "weight": d.weight,
                        "needed": quota[d.id],
                        "in_bank": have[d.id],
                    }
                    for d in e.domains
                ],
            }
        )
    if args.json:
        emit_json({"quizzes": quizzes, "exams": exams})
        return 0
    print("Quizzes (tutor quiz ID):")
    for q in quizzes:
        print(f"  {q['id']:<22} {q['title']} ({q['questions']} questions)")
    print("Mock exams (tutor quiz ID --exam):")
    for e in exams:
        best = f", best {e['best']}" if e["best"] is not None else ""
        print(
            f"  {e['id']:<22} {e['exam']}: {e['questions']} questions, {e['minutes']} min, "
            f"pass {e['pass_mark']}{best}"
        )
        for d in e["domains"]:
            if d["in_bank"] < d["needed"]:
                print(
                    f"    ! {d['name']}: the bank has {d['in_bank']} of the {d['needed']} questions it needs"
                )
    return 0


def _public(question: Any, order: list[str]) -> dict[str, Any]:
    from tutor.quiz.public import public_question

    return public_question(question, order)


def _start(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession
    from tutor.quiz.session import PracticeSession

    (target,) = _need(args, 1, "ID [--exam] [--seed N] [--mode cram] [--size N] [--source S] [--domain D]")
    course = load(args)
    store = open_progress()
    practice = practice_cmds.wants_practice(args)
    if args.exam and practice:
        raise TutorError("--size, --source and --domain choose practice questions; an exam draws its own")
    if not practice and (args.exam or target in course.exams):
        exam = ExamSession.start(course, store, target, seed=args.seed, wall_clock=True)
        data = {
            "attempt": exam.attempt_id,
            "mode": "exam",
            "title": exam.title,
            "seed": exam.seed,
            "time_limit_seconds": exam.time_limit,
            "shortfalls": exam.shortfalls,
            "questions": [
                _public(course.questions[q], exam.order(course.questions[q])) for q in exam.question_ids
            ],
        }
    elif target in course.quizzes and not practice:
        quiz_ = course.quizzes[target]
        run = PracticeSession.start(
            course,
            store,
            [q.id for q in quiz_.questions],
            quiz_id=quiz_.id,
            mode=args.mode,
            seed=args.seed,
            scoring=quiz_.scoring,
            title=quiz_.title,
        )
        data = {
            "attempt": run.attempt_id,
            "mode": run.mode,
            "title": quiz_.title,
            "seed": run.seed,
            "questions": [practice_cmds.public(course, q, run) for q in run.question_ids],
        }
    else:  # a topic, an exam or exam domain, or `all`, with the practice options
        data = practice_cmds.start(args, course, store, target)
    if args.json:
        emit_json(data)
    else:
        print(
            f"attempt {data['attempt']}: {data['title']}, {len(data['questions'])} questions "
            f"(seed {data['seed']})"
        )
    return 0


def _session(course: Any, store: Any, attempt_id: int) -> Any:
    from tutor.progress.attempts import Attempts
    from tutor.quiz.exam import ExamSession
    from tutor.quiz.session import PracticeSession

    row = Attempts(store).get(attempt_id)
    if row is None:
        raise TutorError(f"no attempt {attempt_id}")
    if row.mode == "exam":
        return ExamSession.resume(course, store, attempt_id)
    return PracticeSession.resume(course, store, attempt_id)


def _answer(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession
    from tutor.quiz.public import parse_response

    attempt, qid, raw = _need(args, 3, "ATTEMPT QUESTION 'JSON'")
    course = load(args)
    session = _session(course, open_progress(), attempt_number(attempt))
    if qid not in session.question_ids:
        raise TutorError(f"question {qid!r} is not part of attempt {attempt}")
    response = parse_response(course.questions[qid], raw)
    if isinstance(session, ExamSession):
        if args.rating is not None:
            raise TutorError("an exam answer is not rated; rate recall in practice and review")
        if session.expired:
            from tutor.quiz.session import QuizError

            result = session.submit()
            raise QuizError(f"time is up: the exam was submitted with score {result.scaled}")
        g = session.answer(response, qid)
        _settled(g, course.questions[qid], session.order(course.questions[qid]), response)
        from tutor.quiz.grading import is_incomplete

        data: dict[str, Any] = {
            "saved": True,
            "question": qid,
            "incomplete": is_incomplete(course.questions[qid], response),
            "remaining_seconds": round(session.remaining(), 1),
        }
    else:
        if qid not in session.grades:
            session.index = session.question_ids.index(qid)
            q = course.questions[qid]
            _settled(grade_only(q, response, session.scoring), q, session.order(q), response)
        data = practice_cmds.answer(session, qid, response, args.rating)
    if args.json:
        emit_json(data)
    else:
        print(json.dumps(data, indent=2))
    return 0


def _settled(g: Any, question: Any, order: list[str], response: Any) -> None:
    """An unsettled DOMC answer is not saved: say so, and which option comes next."""
    if g.settled:
        return
    from tutor.quiz.grading import domc_next
    from tutor.quiz.session import QuizError

    answers = [(o, bool(v)) for o, v in response.get("answers", [])] if isinstance(response, dict) else []
    nxt = domc_next(question, order, answers)
    raise QuizError(
        "not saved: this DOMC answer is not settled yet"
        + (f"; add your yes/no for option {nxt!r} and answer again" if nxt else ""),
    )


def grade_only(question: Any, response: Any, scoring: Any) -> Any:
    from tutor.quiz.grading import grade

    return grade(question, response, scoring)


def _submit(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession

    (attempt,) = _need(args, 1, "ATTEMPT")
    course = load(args)
    session = _session(course, open_progress(), attempt_number(attempt))
    if isinstance(session, ExamSession):
        from tutor.quiz.feedback import exam_report

        data = exam_report(course, session, session.submit())
    else:
        session.finish()
        data = {"answered": len(session.grades), "right": session.right, "total": len(session.question_ids)}
    if args.junit:
        interchange_cmds.quiz_junit(args.junit, course, session)
    if args.json:
        emit_json(data)
    elif "scaled" in data:
        verdict = "PASS" if data["passed"] else "FAIL"
        print(
            f"{verdict}: {data['scaled']} (pass {data['pass_mark']}), "
            f"{data['points']:g}/{data['total']} right"
        )
        for d in data["domains"]:
            print(f"  {d['name']:<45} {d['points']:g}/{d['total']}  {d['percent']:.0f}%")
        for m in data["missed"]:
            where = m["teaches"]
            learn = (
                f" -> {where['lesson_title']}" + (f" > {where['section']}" if where["section"] else "")
                if where
                else ""
            )
            print(f"  Q{m['number']:<3} {m['state']:<10} {m['id']}{learn}")
    else:
        print(f"{data['right']} of {data['total']} right")
    return 0


def _show(args: argparse.Namespace) -> int:
    from tutor.progress.attempts import Attempts

    (attempt,) = _need(args, 1, "ATTEMPT")
    store = open_progress()
    row = Attempts(store).get(attempt_number(attempt))
    if row is None:
        raise TutorError(f"no attempt {attempt}")
    answers = Attempts(store).answers(row.id)
    data = {
        "attempt": row.id,
        "quiz": row.quiz_id,
        "mode": row.mode,
        "seed": row.seed,
        "finished": row.finished_at is not None,
        "time_used_seconds": row.time_used,
        "answers": {
            q: {"response": a.response, "score": a.score, "flagged": a.flagged} for q, a in answers.items()
        },
        "result": row.result,
    }
    emit_json(data)
    return 0
