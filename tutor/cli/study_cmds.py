"""`tutor review` and `tutor stats`: spaced repetition and progress without the TUI."""

from __future__ import annotations

import argparse
from typing import Any

from tutor.cli.output import emit_json, load, open_progress


def register(sub: Any) -> None:
    p = sub.add_parser("review", help="questions due for spaced-repetition review")
    p.add_argument("--json", action="store_true")
    p.add_argument("--open", action="store_true", help="review them in the app")
    p.set_defaults(func=review)

    p = sub.add_parser("stats", help="history, readiness per exam domain, what is due")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=stats)


def review(args: argparse.Namespace) -> int:
    from tutor.quiz.srs import Repetition

    course = load(args)
    due = Repetition(open_progress()).due(known=course.questions)
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
