"""`tutor validate --coverage [--json]`: bank depth per blueprint domain, uncovered objectives."""

from __future__ import annotations

import argparse
from typing import Any

from tutor.base.errors import Exit
from tutor.cli.output import emit_json


def coverage(args: argparse.Namespace, course: Any) -> int:
    from tutor.content.coverage import TARGET_RATIO, coverage

    table = coverage(course)
    errors = [e for e in course.errors if not e.warning]
    ok = not errors and all(x.ok for x in table)
    uncovered = sum(len(x.uncovered) for x in table)
    if args.json:
        emit_json(
            {
                "ok": ok,
                "target_ratio": TARGET_RATIO,
                "uncovered_objectives": uncovered,
                "exams": [x.to_dict() for x in table],
            }
        )
        return _exit(args, ok, bool(errors))
    for x in table:
        print(f"{x.exam}: {x.title} ({x.questions} questions; types: {', '.join(x.types)})")
        print(f"  {'domain':<22} {'eligible':>8} {'per mock':>8} {'ratio':>6}")
        for r in x.domains:
            mark = "" if r.ok else f"  below {TARGET_RATIO:g}x"
            print(f"  {r.domain:<22} {r.eligible:>8} {r.draws:>8} {r.ratio:>5.1f}x{mark}")
        for t in x.type_mix:
            mark = "" if t.ratio >= TARGET_RATIO else f"  below {TARGET_RATIO:g}x"
            print(f"  {'type ' + t.type:<22} {t.eligible:>8} {t.draws:>8} {t.ratio:>5.1f}x{mark}")
        if x.objectives:
            covered = len(x.objectives) - len(x.uncovered)
            print(f"  objectives: {covered} of {len(x.objectives)} covered")
        else:
            print("  objectives: none listed")
        for o in x.uncovered:
            print(f"    not covered: {o.id} ({o.domain}) {o.text}")
    if errors:
        print(f"{len(errors)} content error(s): run `tutor validate` first")
    else:
        depth = "every domain" if ok else "NOT every domain"
        print(
            f"{'ok' if ok else 'below target'}: {depth} holds {TARGET_RATIO:g}x what one mock draws; "
            f"{uncovered} objective(s) not covered"
        )
    return _exit(args, ok, bool(errors))


def _exit(args: argparse.Namespace, ok: bool, errors: bool) -> int:
    """Invalid content always fails; a domain below the target fails only with --strict."""
    if errors or (args.strict and not ok):
        return Exit.CONTENT
    return Exit.OK
