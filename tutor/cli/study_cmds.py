"""`tutor review` and `tutor stats`: spaced repetition and progress without the TUI."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.args import JSON, arg, command, flag
from tutor.cli.output import emit_json, load, open_progress


def register(sub: Any) -> None:
    command(
        sub,
        "review",
        review,
        "today's spaced-repetition review; rate an answer's recall",
        arg("action", nargs="?", choices=["rate"], help="rate: rate the recall of an answer"),
        arg("args", nargs="*", help="rate: ATTEMPT QUESTION RATING"),
        JSON,
        flag("--open", "review them in the app"),
        description="tutor review [--json] [--open] | tutor review rate ATTEMPT QUESTION RATING "
        "(again, hard, good or easy)",
    )
    command(sub, "stats", stats, "history, readiness per exam domain, what is due", JSON)


def review(args: argparse.Namespace) -> int:
    if args.action == "rate":
        return rate(args)
    if args.args:
        raise TutorError("usage: tutor review [--json] [--open] | tutor review rate ATTEMPT QUESTION RATING")
    from tutor.quiz.selection import course_order
    from tutor.quiz.srs import Repetition

    course = load(args)
    store = open_progress()
    queue = Repetition(store).daily([q.id for q in course_order(course)])
    if args.open:
        from tutor.cli.tui_cmd import run_app

        return run_app(args, start=("review", ""))

    def row(qid: str, kind: str) -> dict[str, Any]:
        q = course.questions[qid]
        return {"id": qid, "kind": kind, "topic": q.topic, "prompt": q.prompt}

    rows = [row(q, "due") for q in queue.due] + [row(q, "new") for q in queue.new]
    if args.json:
        emit_json(
            {
                "due": rows,
                "due_total": queue.due_total,
                "new_today": queue.new_today,
                "reviews_today": queue.reviews_today,
            }
        )
    else:
        beyond = queue.due_total - len(queue.due)
        print(
            f"{len(queue.due)} question(s) due and {len(queue.new)} new for today"
            + (f" ({beyond} more due beyond today's limit)" if beyond else "")
            + (" (tutor review --open)" if rows else "")
        )
        for r in rows:
            print(f"  {r['kind']:<4} {r['id']:<16} {' '.join(r['prompt'].split())[:64]}")
    return 0


def rate(args: argparse.Namespace) -> int:
    """`tutor review rate ATTEMPT QUESTION RATING`: the learner's recall rating for an answer."""
    from tutor.cli.args import attempt_number
    from tutor.quiz.session import PracticeSession
    from tutor.quiz.srs import RATING_NAMES, parse_rating

    if len(args.args) != 3:
        raise TutorError("usage: tutor review rate ATTEMPT QUESTION again|hard|good|easy")
    attempt, qid, word = args.args
    rating = parse_rating(word)
    session = PracticeSession.resume(load(args), open_progress(), attempt_number(attempt))
    if qid not in session.question_ids:
        raise TutorError(f"question {qid!r} is not part of attempt {attempt}")
    due = session.rate(rating, qid)
    data = {
        "attempt": session.attempt_id,
        "question": qid,
        "rating": RATING_NAMES[rating],
        "due": due.isoformat(timespec="seconds"),
        "in_days": round((due - datetime.now(UTC)).total_seconds() / 86400, 2),
    }
    if args.json:
        emit_json(data)
    else:
        print(f"{qid}: rated {data['rating']}; due again {data['due'][:16].replace('T', ' ')} UTC")
    return 0


def stats(args: argparse.Namespace) -> int:
    from tutor.quiz.stats import learner_stats

    data = learner_stats(load(args), open_progress())
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
    from tutor.quiz.charts import history_lines

    for series in data["exams"].values():
        print(f"\n{series['title']}: your attempts (│ marks the pass mark, {series['pass_mark']})")
        for when, chart, score, passed in history_lines(series):
            print(f"  {when}  {chart} {score:>5} {'pass' if passed else 'fail'}")
    if data["history"]:
        print("\nRecent attempts:")
        for h in data["history"][:10]:
            score = h["scaled"] if h["scaled"] is not None else f"{h['points']}/{h['total']}"
            print(f"  {h['finished'][:16]}  {h['quiz']:<22} {h['mode']:<9} {score}")
    return 0
