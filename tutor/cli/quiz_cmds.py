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
from tutor.base.limits import LimitExceeded, load_json
from tutor.cli.output import emit_json, load

ACTIONS = ("list", "start", "answer", "submit", "show")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "quiz",
        help="list, open or take quizzes and mock exams",
        description="tutor quiz list | ID [--exam] [--seed N] | start ID | answer ATTEMPT QUESTION JSON | "
        "submit ATTEMPT | show ATTEMPT",
    )
    p.add_argument("target", metavar="ACTION_OR_ID", help=f"{', '.join(ACTIONS)}, or a quiz/exam id to open")
    p.add_argument("args", nargs="*", help="the action's arguments")
    p.add_argument("--exam", action="store_true", help="timed exam mode")
    p.add_argument("--seed", type=int, help="shuffle seed (recorded with the attempt)")
    p.add_argument("--mode", choices=["practice", "cram"], default="practice")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=quiz)

    p = sub.add_parser("review", help="questions due for spaced-repetition review")
    p.add_argument("--json", action="store_true")
    p.add_argument("--open", action="store_true", help="review them in the app")
    p.set_defaults(func=review)

    p = sub.add_parser("stats", help="history, readiness per exam domain, what is due")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=stats)


def quiz(args: argparse.Namespace) -> int:
    if args.target not in ACTIONS:
        return _open(args)
    return {"list": _list, "start": _start, "answer": _answer, "submit": _submit, "show": _show}[args.target](
        args
    )


def _store() -> Any:
    from tutor.progress import open_store

    return open_store()


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
    attempts = Attempts(_store())
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
    """A question as the learner sees it: no answer key."""
    out: dict[str, Any] = {"id": question.id, "type": question.type, "prompt": question.prompt}
    if question.type in ("single", "multiple", "domc"):
        out["options"] = [{"id": o, "text": question.option(o).text} for o in order]
        if question.type == "multiple":
            out["choose"] = len(question.answer)
    elif question.type == "ordering":
        by_id = {s.id: s.text for s in question.steps}
        out["steps"] = [{"id": s, "text": by_id[s]} for s in order]
    out["response_format"] = {
        "single": '{"choice": ID}',
        "multiple": '{"choices": [ID, ...]}',
        "true_false": '{"value": true|false}',
        "domc": '{"answers": [[ID, true|false], ...]} in the order the options are shown',
        "ordering": '{"order": [ID, ...]}',
        "command": '{"text": "the command"}',
        "short": '{"text": "the answer"}',
    }[question.type]
    return out


def _start(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession
    from tutor.quiz.session import PracticeSession

    (target,) = _need(args, 1, "ID [--exam] [--seed N] [--mode cram]")
    course = load(args)
    store = _store()
    if args.exam or target in course.exams:
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
    else:
        quiz_ = course.quizzes.get(target)
        if quiz_ is None:
            raise TutorError(f"no quiz or exam {target!r}", hint="run `tutor quiz list`")
        practice = PracticeSession.start(
            course,
            store,
            [q.id for q in quiz_.questions],
            quiz_id=quiz_.id,
            mode=args.mode,
            seed=args.seed,
            scoring=quiz_.scoring,
        )
        data = {
            "attempt": practice.attempt_id,
            "mode": practice.mode,
            "title": quiz_.title,
            "seed": practice.seed,
            "questions": [
                _public(course.questions[q], practice.order(course.questions[q]))
                for q in practice.question_ids
            ],
        }
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
    done = Attempts(store).answers(attempt_id)
    session = PracticeSession(
        course,
        store,
        row.id,
        row.quiz_id,
        row.mode,
        row.seed,
        row.question_ids,
        course.quizzes[row.quiz_id].scoring if row.quiz_id in course.quizzes else "all_or_nothing",
    )
    from tutor.quiz.grading import grade

    for qid, a in done.items():
        if a.response is not None and qid in course.questions:
            session.grades[qid] = grade(course.questions[qid], a.response, session.scoring)
    return session


def _answer(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession

    attempt, qid, raw = _need(args, 3, "ATTEMPT QUESTION 'JSON'")
    try:
        response = load_json(raw)
    except LimitExceeded as exc:
        raise TutorError(f"the answer is too big: {exc.message}", hint='e.g. \'{"choice": "b"}\'') from None
    except json.JSONDecodeError as exc:
        raise TutorError(
            f"the answer is not valid JSON: {exc.msg}", hint='e.g. \'{"choice": "b"}\''
        ) from None
    course = load(args)
    session = _session(course, _store(), int(attempt))
    if qid not in session.question_ids:
        raise TutorError(f"question {qid!r} is not part of attempt {attempt}")
    if isinstance(session, ExamSession):
        if session.expired:
            result = session.submit()
            raise TutorError(f"time is up: the exam was submitted with score {result.scaled}")
        session.answer(response, qid)
        data: dict[str, Any] = {
            "saved": True,
            "question": qid,
            "remaining_seconds": round(session.remaining(), 1),
        }
    else:
        session.index = session.question_ids.index(qid)
        g = session.answer(response)
        q = course.questions[qid]
        data = {
            "question": qid,
            **g.to_dict(),
            "explanation": q.explanation,
            "references": [r.url for r in q.references],
        }
    if args.json:
        emit_json(data)
    else:
        print(json.dumps(data, indent=2))
    return 0


def _submit(args: argparse.Namespace) -> int:
    from tutor.quiz.exam import ExamSession

    (attempt,) = _need(args, 1, "ATTEMPT")
    course = load(args)
    session = _session(course, _store(), int(attempt))
    if isinstance(session, ExamSession):
        data = session.submit().to_dict()
    else:
        session.finish()
        data = {"answered": len(session.grades), "right": session.right, "total": len(session.question_ids)}
    if args.json:
        emit_json(data)
    elif "scaled" in data:
        verdict = "PASS" if data["passed"] else "FAIL"
        print(
            f"{verdict}: {data['scaled']} (pass {data['pass_mark']}), "
            f"{data['points']:g}/{data['total']} right"
        )
        for d in data["domains"]:
            print(f"  {d['name']:<45} {d['points']:g}/{d['total']}")
    else:
        print(f"{data['right']} of {data['total']} right")
    return 0


def _show(args: argparse.Namespace) -> int:
    from tutor.progress.attempts import Attempts

    (attempt,) = _need(args, 1, "ATTEMPT")
    store = _store()
    row = Attempts(store).get(int(attempt))
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


def review(args: argparse.Namespace) -> int:
    from tutor.quiz.srs import Repetition

    course = load(args)
    due = Repetition(_store()).due(known=course.questions)
    if args.open:
        from tutor.cli.tui_cmd import run_app

        return run_app(args, start=("review", ""))
    rows = [{"id": q, "topic": course.questions[q].topic, "prompt": course.questions[q].prompt} for q in due]
    if args.json:
        emit_json({"due": rows})
    else:
        print(f"{len(rows)} question(s) due for review" + (" (tutor review --open)" if rows else ""))
        for r in rows:
            print(f"  {r['id']:<16} {' '.join(r['prompt'].split())[:70]}")
    return 0


def stats(args: argparse.Namespace) -> int:
    from tutor.quiz.stats import learner_stats

    data = learner_stats(load(args), _store())
    if args.json:
        emit_json(data)
        return 0
    print(
        f"{data['answered_questions']} of {data['bank']} questions answered; {data['due']} due; "
        f"{data['mistakes']} mistakes to revisit"
    )
    for exam in data["readiness"].values():
        print(f"\n{exam['title']}")
        for d in exam["domains"]:
            print(f"  {d['name']:<45} {d['readiness']:>5.0%}  ({d['seen']}/{d['questions']} seen)")
    if data["history"]:
        print("\nRecent attempts:")
        for h in data["history"][:10]:
            score = h["scaled"] if h["scaled"] is not None else f"{h['points']}/{h['total']}"
            print(f"  {h['finished'][:16]}  {h['quiz']:<22} {h['mode']:<9} {score}")
    return 0
