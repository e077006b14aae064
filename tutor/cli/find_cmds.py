"""`tutor search`, `tutor note`, `tutor bookmark`: find things and keep your own.

tutor search "fargate spot" [--json] [--limit N]
tutor note add docker-volumes#named-volumes "use -v name:/path"   (a section: LESSON#SECTION)
tutor note list [LESSON] [--json]        tutor note remove ID
tutor bookmark add LESSON#SECTION        tutor bookmark remove LESSON#SECTION
tutor bookmark list [--json]
"""

from __future__ import annotations

import argparse
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.args import JSON, arg, command, count
from tutor.cli.output import answer, emit_json, load, open_progress

NOTE_USAGE = "tutor note add LESSON[#SECTION] TEXT | list [LESSON] | remove ID"
BOOKMARK_USAGE = "tutor bookmark add LESSON[#SECTION] | remove LESSON[#SECTION] | list"


def register(sub: Any) -> None:
    command(
        sub,
        "search",
        search,
        "search the text of every lesson, question and lab",
        arg("text", nargs="+", help="words to find (the last may be the start of a word)"),
        arg("--limit", type=count, default=20, help="at most this many results (default 20)"),
        JSON,
    )
    for name, func, about, actions, usage in (
        ("note", note, "your notes on lesson sections", ("add", "list", "remove"), NOTE_USAGE),
        ("bookmark", bookmark, "bookmark lesson sections", ("add", "remove", "list"), BOOKMARK_USAGE),
    ):
        action = arg("action", choices=list(actions))
        command(sub, name, func, about, action, arg("args", nargs="*"), JSON, description=usage)


def search(args: argparse.Namespace) -> int:
    from tutor.content.search import SearchIndex

    query = " ".join(args.text)
    hits = SearchIndex.for_course(load(args)).search(query, limit=args.limit)
    if args.json:
        emit_json({"query": query, "results": [h.to_dict() for h in hits]})
        return 0
    if not hits:
        print(f"nothing found for {query!r}")
        return 0
    for h in hits:
        where = f"{h.doc.id}#{h.doc.anchor}" if h.doc.anchor else h.doc.id
        print(f"{h.doc.kind:<8} {where}\n         {h.doc.title}\n         {h.snippet}")
    return 0


def place(course: Any, text: str) -> tuple[str, str, str]:
    """LESSON or LESSON#SECTION -> (lesson id, section slug, section title), checked."""
    from tutor.content.sections import lesson_sections
    from tutor.content.suggest import did_you_mean

    lesson_id, _, slug = text.partition("#")
    lesson = course.lessons.get(lesson_id)
    if lesson is None:
        raise TutorError(
            f"no lesson {lesson_id[:60]!r}",
            hint=did_you_mean(lesson_id, course.lessons) or "see `tutor lesson list`",
        )
    sections = lesson_sections(lesson, course)
    if not slug:
        return lesson.id, sections[0].slug, sections[0].title
    found = next((s for s in sections if s.slug == slug), None)
    if found is None:
        raise TutorError(
            f"lesson {lesson.id} has no section {slug[:60]!r}",
            hint=did_you_mean(slug, [s.slug for s in sections])
            or "sections: " + ", ".join(s.slug for s in sections[:12]),
        )
    return lesson.id, found.slug, found.title


def note(args: argparse.Namespace) -> int:
    from tutor.progress.notes import Notebook

    book = Notebook(open_progress())
    if args.action == "add":
        if len(args.args) < 2:
            raise TutorError("usage: tutor note add LESSON[#SECTION] TEXT")
        lesson_id, slug, _ = place(load(args), args.args[0])
        text = " ".join(args.args[1:]).strip()
        if not text:
            raise TutorError("the note is empty")
        made = book.add_note(lesson_id, slug, text)
        answer(args, made.to_dict(), [f"note {made.id} added to {lesson_id}#{slug}"])
        return 0
    if args.action == "remove":
        if len(args.args) != 1 or not args.args[0].isdigit():
            raise TutorError("usage: tutor note remove ID", hint="`tutor note list` shows the ids")
        if not book.remove_note(int(args.args[0])):
            raise TutorError(f"no note {args.args[0]}", hint="`tutor note list` shows the ids")
        answer(args, {"removed": int(args.args[0])}, [f"note {args.args[0]} removed"])
        return 0
    if len(args.args) > 1:
        raise TutorError("usage: tutor note list [LESSON]")
    notes = book.notes(args.args[0] if args.args else None)
    shown = (f"  {n.id:>4}  {n.lesson_id}#{n.section}\n        {n.text}" for n in notes)
    answer(args, {"notes": [n.to_dict() for n in notes]}, [f"{len(notes)} note(s)", *shown])
    return 0


def bookmark(args: argparse.Namespace) -> int:
    from tutor.progress.notes import Notebook

    book = Notebook(open_progress())
    if args.action == "list":
        if args.args:
            raise TutorError("usage: tutor bookmark list")
        marks = book.bookmarks()
        shown = (f"  {b.lesson_id}#{b.section}  {b.title}" for b in marks)
        answer(args, {"bookmarks": [b.to_dict() for b in marks]}, [f"{len(marks)} bookmark(s)", *shown])
        return 0
    if len(args.args) != 1:
        raise TutorError(f"usage: tutor bookmark {args.action} LESSON[#SECTION]")
    lesson_id, slug, title = place(load(args), args.args[0])
    if args.action == "add":
        book.bookmark(lesson_id, slug, title)
        done = True
    else:
        done = book.unbookmark(lesson_id, slug)
        if not done:
            raise TutorError(f"{lesson_id}#{slug} is not bookmarked")
    data = {"lesson": lesson_id, "section": slug, "bookmarked": args.action == "add"}
    answer(args, data, [f"{'bookmarked' if args.action == 'add' else 'removed'}: {lesson_id}#{slug}"])
    return 0
