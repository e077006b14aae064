"""`tutor validate`, `tutor list`, `tutor lesson ...`: the course without the TUI."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tutor.base.errors import Exit, by_file
from tutor.cli.args import JSON, arg, command, flag, group
from tutor.cli.output import answer, emit_json, load, open_progress

LESSON = arg("lesson_id")
PER_FILE = 20  # problems printed per file: a file written with the wrong keys has thousands


def register(sub: Any) -> None:
    command(
        sub,
        "validate",
        validate,
        "lint a content folder (default: the course in use)",
        arg("dirs", nargs="*", metavar="DIR", help="content folder(s); later ones layer on top"),
        flag("--with-builtin", "check DIR on top of the built-in course"),
        flag("--json", "print problems as JSON"),
        flag("--strict", "fail (exit 4) on warnings too: item-writing lint, freshness"),
        flag("--coverage", "questions per exam domain and objectives nothing covers"),
        flag("--all", f"print every problem (without it, {PER_FILE} per file; --json has them all)"),
    )
    command(sub, "list", list_course, "topics with their lessons, quizzes, labs and your progress", JSON)
    lesson = group(sub, "lesson", "read lessons and mark them done")
    command(lesson, "list", lesson_list, "every lesson in course order", JSON)
    command(lesson, "show", lesson_show, "print a lesson's Markdown", LESSON, JSON)
    command(lesson, "open", lesson_open, "open a lesson in the app", LESSON)
    command(
        lesson, "done", lesson_done, "mark a lesson done (or not, with --undo)", LESSON, flag("--undo"), JSON
    )


def validate(args: argparse.Namespace) -> int:
    from tutor.content.loading.loader import load_course
    from tutor.content.roots import CLASS_FILE, CONTENT_DIRS, builtin_root, resolve_roots

    notes: list[str] = []
    if args.dirs:
        roots = [Path(d).expanduser().resolve() for d in args.dirs]
        only_class = all(
            (r / CLASS_FILE).is_file() and not any((r / d).is_dir() for d in CONTENT_DIRS) for r in roots
        )
        if only_class and not args.with_builtin:  # a class pack alone assigns from no course
            notes.append("a class pack alone: checked on top of the built-in course (as --with-builtin)")
        if args.with_builtin or only_class:
            roots.insert(0, builtin_root())
    else:
        roots = resolve_roots(args.content)
    course = load_course(roots)
    if args.coverage:
        from tutor.cli.coverage_cmd import coverage

        return coverage(args, course)
    from tutor.content.lint import lint_errors

    lint, lint_blocking = lint_errors(course)
    problems = [*course.errors, *lint]
    errors = [e for e in problems if not e.warning]
    warnings = [e for e in problems if e.warning]
    blocking = [e for e in course.errors if e.warning] + lint_blocking
    failed = bool(errors) or (args.strict and bool(blocking))
    counts = {
        "topics": len(course.topics),
        "lessons": len(course.lessons),
        "quizzes": len(course.quizzes),
        "questions": len(course.questions),
        "exams": len(course.exams),
        "labs": len(course.labs),
    }
    if course.klass is not None:
        counts["assignments"] = len(course.klass.assignments)
    if args.json:
        emit_json(
            {
                "ok": not failed,
                "strict": args.strict,
                "roots": [str(r) for r in roots],
                "counts": counts,
                "notes": notes,
                "problems": [e.to_dict() for e in problems],
            }
        )
    else:
        for note in notes:
            print(note)
        _print_problems(problems, None if args.all else PER_FILE)
        summary = ", ".join(f"{n} {k}" for k, n in counts.items())
        parts = [f"{len(errors)} error(s)"] if errors else []
        parts += [f"{len(warnings)} warning(s)"] if warnings else []
        verdict = ", ".join(parts) if failed else ", ".join(["ok", *parts])
        if failed and not errors:
            verdict += f" ({len(blocking)} fail --strict)"
        print(f"{verdict}: {summary} in {', '.join(str(r) for r in roots)}")
    return Exit.CONTENT if failed else Exit.OK


def _print_problems(problems: list[Any], per_file: int | None) -> None:
    """Each problem, in file and line order; past `per_file` in one file, how many more."""
    for of_file in by_file(problems, per_file):
        for err in of_file.shown:
            print(err)
        if of_file.more:
            print(f"{of_file.file}: {of_file.more} more problem(s) in this file (--all or --json lists them)")


def _progress(args: argparse.Namespace) -> Any:
    return open_progress()


def _lesson_row(lesson: Any, done: set[str]) -> dict[str, Any]:
    return {
        "id": lesson.id,
        "title": lesson.title,
        "topic": lesson.topic,
        "minutes": lesson.meta.minutes,
        "done": lesson.id in done,
        "file": str(lesson.source),
    }


def list_course(args: argparse.Namespace) -> int:
    from tutor.content.catalog import Catalog

    course = load(args)
    catalog = Catalog.build(course)
    store = _progress(args)
    done = store.done_lessons()
    rows = []
    for entry in catalog.entries:
        rows.append(
            {
                "id": entry.id,
                "title": entry.topic.title,
                "lessons": [_lesson_row(x, done) for x in entry.lessons],
                "quizzes": [
                    {"id": q.id, "title": q.title, "questions": len(q.questions)} for q in entry.quizzes
                ],
                "labs": [{"id": lab.id, "title": lab.title} for lab in entry.labs],
            }
        )
    if args.json:
        emit_json({"topics": rows, "content_errors": len([e for e in course.errors if not e.warning])})
        return 0
    for row in rows:
        n_done = sum(1 for x in row["lessons"] if x["done"])
        print(f"{row['title']}  ({n_done}/{len(row['lessons'])} lessons done)")
        for x in row["lessons"]:
            mark = "x" if x["done"] else " "
            print(f"  [{mark}] {x['id']:<40} {x['title']}")
        for q in row["quizzes"]:
            print(f"  quiz  {q['id']:<40} {q['title']} ({q['questions']} questions)")
        for lab in row["labs"]:
            print(f"  lab   {lab['id']:<40} {lab['title']}")
    return 0


def _find_lesson(course: Any, lesson_id: str) -> Any:
    from tutor.base.errors import TutorError
    from tutor.content.suggest import did_you_mean

    lesson = course.lessons.get(lesson_id)
    if lesson is None:
        raise TutorError(
            f"no lesson {lesson_id!r}",
            hint=did_you_mean(lesson_id, course.lessons) or "run `tutor lesson list` to see them",
        )
    return lesson


def lesson_list(args: argparse.Namespace) -> int:
    from tutor.content.catalog import Catalog

    course = load(args)
    done = _progress(args).done_lessons()
    rows = [_lesson_row(x, done) for x in Catalog.build(course).lesson_order]
    shown = (f"[{'x' if r['done'] else ' '}] {r['topic']:<10} {r['id']:<40} {r['title']}" for r in rows)
    answer(args, rows, shown)
    return 0


def lesson_show(args: argparse.Namespace) -> int:
    course = load(args)
    lesson = _find_lesson(course, args.lesson_id)
    if args.json:
        emit_json({**lesson.meta.model_dump(mode="json"), "body": lesson.body, "file": str(lesson.source)})
    else:
        from tutor.content.render import lesson_markdown

        print(lesson_markdown(lesson, course), end="")
    return 0


def lesson_open(args: argparse.Namespace) -> int:
    from tutor.cli.tui_cmd import run_app

    course = load(args)
    _find_lesson(course, args.lesson_id)
    return run_app(args, start=("lesson", args.lesson_id))


def lesson_done(args: argparse.Namespace) -> int:
    course = load(args)
    lesson = _find_lesson(course, args.lesson_id)
    store = _progress(args)
    store.complete_lesson(lesson.id, done=not args.undo)
    state = "not done" if args.undo else "done"
    answer(args, {"id": lesson.id, "done": not args.undo}, [f"{lesson.id}: {state}"])
    return 0
