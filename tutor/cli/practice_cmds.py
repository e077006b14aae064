"""Practice runs headless: choose the questions (`--size`, `--source`, `--domain`), rate recall
(`--rating`), leave and come back (`tutor quiz resume`).

    tutor quiz start saa-c03 --size 10 --source missed --domain saa-c03:2 --json
    tutor quiz answer 12 ecs-q003 '{"choice": "b"}' --rating good --json
    tutor quiz resume 12 --json
"""

from __future__ import annotations

import argparse
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.output import emit_json, load, open_progress

RATE = "tutor review rate"


def size_value(text: str) -> int:
    """`--size`: a positive whole number, or `all` (0)."""
    if text.strip().lower() == "all":
        return 0
    if not (text.isascii() and text.isdigit() and len(text) <= 7) or int(text) < 1:
        raise argparse.ArgumentTypeError(f"the size must be a number above 0 or 'all', not {text[:20]!r}")
    return int(text)


def rating_value(text: str) -> int:
    from tutor.quiz.srs import parse_rating

    try:
        return parse_rating(text)
    except TutorError as exc:
        raise argparse.ArgumentTypeError(exc.message) from None


def add_options(p: argparse.ArgumentParser) -> None:
    from tutor.quiz.selection import SOURCES

    p.add_argument("--size", type=size_value, metavar="N|all", help="practice: how many (default: all)")
    p.add_argument("--source", choices=list(SOURCES), help="practice: which questions (default all)")
    p.add_argument(
        "--rating",
        type=rating_value,
        metavar="again|hard|good|easy",
        help="answer: how well you knew it (without it, the rating follows from correctness and time)",
    )


def domain(args: argparse.Namespace) -> str | None:
    """`--domain EXAM:N` (shared with import, where it may repeat): the last one given."""
    given = getattr(args, "domain", None) or []
    return given[-1] if given else None


def wants_practice(args: argparse.Namespace) -> bool:
    return args.size is not None or args.source is not None or domain(args) is not None


def start(args: argparse.Namespace, course: Any, store: Any, target: str) -> dict[str, Any]:
    from tutor.quiz.selection import select
    from tutor.quiz.session import PracticeSession, new_seed

    seed = args.seed if args.seed is not None else new_seed()
    picked = select(
        course,
        store,
        target=target,
        source=args.source or "all",
        domain=domain(args),
        size=args.size or 0,
        seed=seed,
    )
    if not picked.question_ids:
        raise TutorError(
            f"no questions match: {picked.title}",
            hint="try another --source or --domain, or `--source all`",
        )
    quiz = course.quizzes.get(picked.quiz_id)
    session = PracticeSession.start(
        course,
        store,
        picked.question_ids,
        quiz_id=picked.quiz_id,
        mode=args.mode,
        seed=seed,
        scoring=quiz.scoring if quiz else "all_or_nothing",
        shuffle=False,  # the selection is already in its order
        title=picked.title,
    )
    return {
        "attempt": session.attempt_id,
        "mode": session.mode,
        "title": picked.title,
        "seed": session.seed,
        "available": picked.available,
        "questions": [public(course, q, session) for q in session.question_ids],
    }


def public(course: Any, qid: str, session: Any) -> dict[str, Any]:
    from tutor.quiz.public import public_question

    q = course.questions[qid]
    return public_question(q, session.order(q))


def answer(session: Any, qid: str, response: Any, rating: int | None) -> dict[str, Any]:
    """Answer one question of a practice run; earlier answers left unrated get their derived
    rating now (as moving on does in the app)."""
    from tutor.quiz.session import QuizError

    if qid in session.grades:
        raise QuizError(
            f"question {qid!r} is already answered in attempt {session.attempt_id}",
            hint="`tutor quiz resume ATTEMPT` lists what is left",
        )
    session.index = session.question_ids.index(qid)
    g = session.answer(response, rating)
    q = session.course.questions[qid]
    return {
        "saved": g.settled,
        "question": qid,
        **g.to_dict(),
        "rating": rating,
        "rate_with": None
        if rating is not None or not session.rates
        else f"{RATE} {session.attempt_id} {qid} RATING",
        "explanation": q.explanation,
        "references": [r.url for r in q.references],
    }


def resume(args: argparse.Namespace) -> int:
    """`tutor quiz resume`: the open runs; `tutor quiz resume ATTEMPT`: what is left of one."""
    from tutor.progress.attempts import Attempts
    from tutor.quiz.session import PracticeSession

    if len(args.args) > 1:
        raise TutorError("usage: tutor quiz resume [ATTEMPT] [--open] [--json]")
    store = open_progress()
    if not args.args:
        rows = Attempts(store).unfinished(("practice", "review", "cram", "exam"))
        data = [
            {
                "attempt": r.id,
                "quiz": r.quiz_id,
                "mode": r.mode,
                "title": r.state.get("title") or r.quiz_id,
                "questions": len(r.question_ids),
            }
            for r in rows
        ]
        if args.json:
            emit_json({"open": data})
        else:
            print(f"{len(data)} open run(s)" + (" (tutor quiz resume ATTEMPT)" if data else ""))
            for d in data:
                print(f"  {d['attempt']:>5}  {d['mode']:<9} {d['title']}")
        return 0
    from tutor.cli.args import attempt_number

    attempt = attempt_number(args.args[0])
    course = load(args)
    row = Attempts(store).get(attempt)
    if row is not None and row.mode == "exam":
        if args.open:
            from tutor.cli.tui_cmd import run_app

            return run_app(args, start=("resume", str(attempt)))
        raise TutorError(f"attempt {attempt} is an exam", hint=f"tutor quiz resume {attempt} --open")
    session = PracticeSession.resume(course, store, attempt)
    if args.open:
        from tutor.cli.tui_cmd import run_app

        return run_app(args, start=("practice", str(attempt)))
    left = session.unanswered
    data = {
        "attempt": session.attempt_id,
        "mode": session.mode,
        "title": session.title,
        "finished": session.finished,
        "answered": len(session.grades),
        "right": session.right,
        "total": len(session.question_ids),
        "unrated": sorted(session.pending),
        "next": None if session.done else session.current_id,
        "questions": [public(course, q, session) for q in left],
    }
    if args.json:
        emit_json(data)
    else:
        print(
            f"attempt {attempt}: {data['title']}, {data['answered']} of {data['total']} answered, "
            f"{len(left)} left" + ("" if session.done else f"; next {data['next']}")
        )
    return 0
