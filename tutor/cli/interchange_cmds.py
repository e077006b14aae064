"""`tutor quiz import/export` (GIFT, Moodle XML) and `--junit` reports for graders.

    tutor quiz import bank.gift --out my-course [--topic docker] [--domain dca:images]
                                [--reference URL] [--skip-invalid] [--force] [--json]
    tutor quiz export docker-practice --format gift|moodle-xml --out docker.gift [--json]

Exit codes: 0 done, 2 the input or the command line is unusable (not GIFT, syntax errors,
a missing option), 4 the questions are not valid course content.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.output import emit_json, load

ACTIONS = ("import", "export")


def add_quiz_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("import and export (tutor quiz import FILE | export QUIZ)")
    g.add_argument("--out", metavar="PATH", help="import: the content folder to write; export: the file")
    g.add_argument("--format", choices=["gift", "moodle-xml"], default="gift", help="export format")
    g.add_argument("--topic", help="import: the topic of every question (default: as written, or 'imported')")
    g.add_argument("--domain", action="append", default=[], metavar="TAG", help="import: exam domain tag")
    g.add_argument("--reference", action="append", default=[], metavar="URL", help="import: reference URL")
    g.add_argument("--difficulty", choices=["easy", "medium", "hard"], help="import: difficulty")
    g.add_argument("--skip-invalid", action="store_true", help="import: import the valid questions only")
    g.add_argument("--force", action="store_true", help="import: replace quiz files that exist")
    p.add_argument("--junit", metavar="FILE", help="submit: also write the result as JUnit XML")


def run(args: argparse.Namespace) -> int:
    return {"import": _import, "export": _export}[args.target](args)


def _one(args: argparse.Namespace, usage: str) -> str:
    if len(args.args) != 1:
        raise TutorError(f"usage: tutor quiz {args.target} {usage}")
    return str(args.args[0])


def _import(args: argparse.Namespace) -> int:
    from tutor.content.roots import resolve_roots
    from tutor.quiz.interchange.files import import_gift
    from tutor.quiz.interchange.gift_import import ImportOptions
    from tutor.quiz.interchange.report import InterchangeError

    source = Path(_one(args, "FILE.gift --out DIR [--topic T] [--domain TAG] [--reference URL]"))
    if not args.out:
        raise InterchangeError("tutor quiz import needs --out DIR (the content folder to write)")
    options = ImportOptions(
        topic=args.topic,
        domains=tuple(args.domain),
        references=tuple(args.reference),
        difficulty=args.difficulty,
        default_quiz=source.stem,
    )
    roots = [Path(r) for r in resolve_roots(args.content)]
    try:
        report = import_gift(
            source, Path(args.out), options, roots=roots, force=args.force, skip_invalid=args.skip_invalid
        )
    except InterchangeError as exc:
        if args.json:
            emit_json({"ok": False, "error": exc.message, "notes": [n.to_dict() for n in exc.notes]})
        else:
            for note in sorted(exc.notes, key=lambda n: n.line or 0):
                print(note, file=sys.stderr)
        raise
    if args.json:
        emit_json({"ok": True, **report.to_dict()})
        return 0
    for note in sorted(report.notes, key=lambda n: n.line or 0):
        print(note)
    for quiz in report.quizzes:
        print(f"wrote {quiz['questions']} question(s) of quiz {quiz['id']} to {quiz['file']}")
    print(
        f"{report.converted} imported, {report.skipped} skipped; "
        f"check with: tutor validate {args.out} --with-builtin"
    )
    return 0


def _export(args: argparse.Namespace) -> int:
    from tutor.quiz.interchange.files import export_quiz

    quiz_id = _one(args, "QUIZ --format gift|moodle-xml --out FILE")
    course = load(args)
    quiz = course.quizzes.get(quiz_id)
    if quiz is None:
        from tutor.content.suggest import did_you_mean

        hint = did_you_mean(quiz_id, course.quizzes) or "run `tutor quiz list`"
        raise TutorError(f"no quiz {quiz_id!r}", hint=hint)
    out = Path(args.out or f"{quiz_id}.{'gift' if args.format == 'gift' else 'xml'}")
    exported = export_quiz(quiz, args.format, out)
    if args.json:
        emit_json({"quiz": quiz_id, "format": args.format, "out": str(out), **exported.to_dict()})
        return 0
    print(f"wrote {len(exported.written)} of {len(quiz.questions)} questions of {quiz_id} to {out}")
    if exported.left_out:
        print(f"left out ({len(exported.left_out)}), {args.format} cannot hold them:")
        for qid, reason in exported.left_out:
            print(f"  {qid}: {reason}")
    for note in exported.notes:
        print(f"  note: {note}")
    return 0


# -- JUnit ---------------------------------------------------------------------------------


def quiz_junit(path: str, course: Any, session: Any) -> None:
    """The attempt's questions as JUnit testcases (after `tutor quiz submit`)."""
    from tutor.classroom.junit import quiz_cases, write_junit
    from tutor.quiz.grading import grade

    grades = dict(getattr(session, "grades", {}))
    for qid, response in getattr(session, "responses", {}).items():
        if qid in course.questions:
            grades[qid] = grade(course.questions[qid], response, session.scoring)
    questions = [course.questions[q] for q in session.question_ids if q in course.questions]
    name = getattr(session, "quiz_id", None) or getattr(session, "exam_id", None) or "quiz"
    write_junit(path, f"quiz {name} attempt {session.attempt_id}", quiz_cases(name, questions, grades))


def lab_junit(path: str, lab_id: str, steps: list[dict[str, Any]], render: Any) -> None:
    from tutor.classroom.junit import lab_cases, write_junit

    write_junit(path, f"lab {lab_id}", lab_cases(lab_id, steps, render))
