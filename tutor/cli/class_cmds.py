"""`tutor export`, `tutor class status`, `tutor class report`: a class pack's assignments.

    tutor export --out results.json [--learner NAME] [--json]
    tutor --content builtin --content CLASSDIR class status [--as-of WHEN] [--json]
    tutor --content builtin --content CLASSDIR class report EXPORT... --out report.html
                                              [--format csv|md|html] [--as-of WHEN] [--json]

Exit codes: 0 done; 1 the report left something out (listed in it and on stderr); 2 usage
(no class pack loaded, no format); 4 the class pack cannot be read at all.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

from tutor.base.errors import ContentInvalid, Exit, TutorError
from tutor.cli.args import JSON, arg, command, flag, group
from tutor.cli.output import emit_json, load, open_progress, warn

FORMATS = {".csv": "csv", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html"}


def when(text: str) -> float:
    """--as-of: 2027-03-20 (the end of that day), 2027-03-20 18:00, or with an offset."""
    from tutor.content.class_outline import deadline

    try:
        value = deadline(text.strip())
    except ValueError:
        value = None
    if value is None:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a date: write 2027-03-20 or 2027-03-20 18:00")
    return value


def register(sub: Any) -> None:
    summary = flag("--json", "print a summary as JSON")
    as_of = arg("--as-of", type=when, metavar="WHEN", help="judge due dates at this time (default: now)")
    command(
        sub,
        "export",
        export,
        "write your results to a file for your instructor",
        arg("--out", required=True, metavar="FILE", help="the file to write (JSON)"),
        arg(
            "--learner",
            metavar="NAME",
            help="your name as your instructor knows it ($TUTOR_LEARNER, your login)",
        ),
        summary,
    )
    klass = group(sub, "class", "a class pack: your assignments, an instructor's report")
    command(
        klass, "status", status, "where you stand on each assignment of the class pack loaded", as_of, JSON
    )
    command(
        klass,
        "report",
        report,
        "a report over learners' exports (for instructors)",
        arg("exports", nargs="+", metavar="EXPORT", help="files written by `tutor export`"),
        arg("--out", required=True, metavar="FILE", help="the report to write ('-': standard output)"),
        arg("--format", choices=["csv", "md", "html"], help="default: from the --out file's suffix"),
        as_of,
        summary,
    )


def _learner(given: str | None) -> str:
    import getpass
    import os

    name = (given or os.environ.get("TUTOR_LEARNER") or "").strip()
    if not name:
        try:
            name = getpass.getuser()
        except Exception:  # no login name on this system
            name = ""
    if not name:
        raise TutorError("who is exporting? no name was given", hint="add --learner 'Your Name'")
    return name


def export(args: argparse.Namespace) -> int:
    from tutor.classroom.export import build_export, write_export
    from tutor.content.roots import resolve_roots

    roots = resolve_roots(args.content)
    course = load(args)
    learner = _learner(args.learner)
    document = build_export(course, roots, open_progress(), learner)
    out = Path(args.out)
    write_export(document, out)
    payload = document["payload"]
    summary = {
        "file": str(out),
        "learner": learner,
        "content_id": payload["content"]["id"],
        "class": payload["class"],
        "labs": len(payload["labs"]),
        "attempts": len(payload["attempts"]),
        "checksum": document["checksum"],
    }
    if args.json:
        emit_json(summary)
    else:
        print(
            f"wrote the results of {learner} to {out}: {summary['labs']} lab(s), {summary['attempts']} "
            f"quiz and exam attempt(s), content {summary['content_id'][:12]}"
        )
        print("the checksum in it catches accidental edits; it is not proof against cheating")
    return Exit.OK


def _klass(course: Any) -> Any:
    from tutor.content.class_outline import ClassOutline

    klass = ClassOutline.from_course(course)
    if klass is not None:
        return klass
    broken = [e for e in course.errors if e.file.name == "class.yaml" and not e.warning]
    if broken:
        raise ContentInvalid(
            "the class pack cannot be read (`tutor validate CLASSDIR` lists every problem):\n"
            + "\n".join(str(e) for e in broken[:10])
        )
    raise TutorError(
        "no class pack is loaded",
        hint="load it over its course: `tutor --content builtin --content CLASSDIR class ...`",
    )


def status(args: argparse.Namespace) -> int:
    from tutor.classroom.payload import iso
    from tutor.classroom.records import from_store
    from tutor.classroom.report import class_problems
    from tutor.classroom.status import counts, due_label, duration, evaluate

    course = load(args)
    klass = _klass(course)
    for problem in class_problems(course):
        warn(f"class pack: {problem}")
    now = args.as_of if args.as_of is not None else time.time()
    records = from_store(
        open_progress(),
        labs={a.id: a.steps for a in klass.assignments if a.kind == "lab"},
        quizzes=[a.id for a in klass.assignments if a.kind != "lab"],
        answers=False,
    )
    statuses = evaluate(klass, records, now)
    if args.json:
        emit_json(
            {
                "class": klass.name,
                "notes": klass.notes,
                "as_of": iso(now),
                "counts": counts(statuses),
                "assignments": [_row(s, now) for s in statuses],
            }
        )
        return Exit.OK
    c = counts(statuses)
    finished = c["done"] + c["passed"]
    print(f"{klass.name}: {finished} of {len(statuses)} finished, {c['overdue']} overdue")
    for s in statuses:
        a = s.assignment
        late = " (late)" if s.late else ""
        when_ = due_label(a.deadline, now) if not s.finished else (f"due {a.due_shown}" if a.due else "")
        spent = f", {duration(s.seconds)}" if s.seconds is not None else ""
        print(f"  {s.state + late:<16} {a.kind:<5} {a.id:<28} {when_:<18} {s.detail}{spent}")
    if klass.notes:
        print(f"\n{klass.notes}")
    return Exit.OK


def _row(s: Any, now: float) -> dict[str, Any]:
    from tutor.classroom.payload import iso
    from tutor.classroom.status import due_label

    a = s.assignment
    return {
        "kind": a.kind,
        "id": a.id,
        "title": a.title,
        "due": a.due or None,
        "due_label": due_label(a.deadline, now),
        "pass_mark": a.pass_mark,
        "timed": a.timed,
        "notes": a.notes,
        "state": s.state,
        "late": s.late,
        "score": None if s.score is None else round(s.score, 1),
        "finished_at": iso(s.finished_at),
        "seconds": None if s.seconds is None else round(s.seconds, 1),
        "attempts": s.attempts,
        "detail": s.detail,
    }


def report(args: argparse.Namespace) -> int:
    from tutor.classroom.export import content_id, write_file
    from tutor.classroom.report import build_report
    from tutor.classroom.report_html import to_html
    from tutor.classroom.report_text import to_csv, to_markdown
    from tutor.content.roots import resolve_roots

    fmt = args.format or FORMATS.get(Path(args.out).suffix.lower())
    if fmt is None:
        raise TutorError(
            f"which format? {args.out!r} does not end in .csv, .md or .html", hint="add --format csv|md|html"
        )
    roots = resolve_roots(args.content)
    course = load(args)
    klass = _klass(course)
    now = args.as_of if args.as_of is not None else time.time()
    files = [(Path(name), name) for name in args.exports]
    result = build_report(course, klass, content_id(roots), files, now)
    text = {"csv": to_csv, "md": to_markdown, "html": to_html}[fmt](result)
    if args.out == "-":
        sys.stdout.write(text)
    else:
        write_file(Path(args.out), text)
    for problem in result.problems:
        warn(str(problem))
    if args.json:
        emit_json(
            {
                "out": args.out,
                "format": fmt,
                "learners": [row.name for row in result.learners],
                "assignments": len(klass.assignments),
                "problems": [str(p) for p in result.problems],
            }
        )
    elif args.out != "-":
        left_out = f", {len(result.problems)} problem(s) listed in it" if result.problems else ""
        counted = f"{len(result.learners)} learner(s), {len(klass.assignments)} assignment(s)"
        print(f"wrote {args.out}: {counted}{left_out}")
    return Exit.FAILED if result.problems else Exit.OK
