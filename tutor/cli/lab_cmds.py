"""`tutor lab ...`: labs for autograders, classrooms and authors, without the TUI."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tutor.base.errors import TutorError
from tutor.cli.args import JSON, arg, command, flag, group
from tutor.cli.output import emit_json, lab_session, load, open_progress

LAB = arg("lab_id")


def register(sub: Any) -> None:
    lab = group(sub, "lab", "hands-on labs on your Docker engine")
    command(lab, "list", lab_list, "every lab, with your progress", JSON)
    command(
        lab,
        "start",
        lab_start,
        "prepare and set up a lab (keeps an attempt under way)",
        LAB,
        flag("--fresh", "reset first and start a new attempt"),
        JSON,
    )
    command(lab, "open", lab_open, "open a lab in the app", LAB)
    command(
        lab,
        "check",
        lab_check,
        "run the checks; exit 0 only when every check passes",
        LAB,
        arg("--step", help="one step (default: every step)"),
        JSON,
        arg("--junit", metavar="FILE", help="also write the checks as JUnit XML"),
    )
    for name, func, about in (
        ("hint", lab_hint, "the next hint for a step"),
        ("solution", lab_solution, "show a step's solution"),
    ):
        command(lab, name, func, about, LAB, arg("--step"), JSON)
    command(
        lab,
        "reset",
        lab_reset,
        "remove what a lab made (lists it first)",
        arg("lab_id", nargs="?", help="a lab; omit with --all"),
        flag("--all", "every lab"),
        arg("--step", help="only what one step asks you to create"),
        flag("--yes", "do not ask (resources older than the lab are still kept)"),
        flag("--include-older", "also remove resources named like lab ones but older"),
        JSON,
    )
    command(
        lab,
        "prepare",
        lab_prepare,
        "make sure the base images labs use exist (offline)",
        arg("lab_id", nargs="*", help="labs (default: all)"),
        flag("--no-pull", "do not try a registry"),
        JSON,
    )
    command(
        lab,
        "test",
        lab_test,
        "for authors: setup -> fail -> solution -> pass -> reset",
        arg("lab_id", nargs="*"),
        flag("--all"),
        flag("--yes", "run the solution commands of labs from outside the shipped course without asking"),
        JSON,
    )
    from tutor.cli import lab_shell_cmds

    lab_shell_cmds.register(lab)


def lab_list(args: argparse.Namespace) -> int:
    from tutor.progress.labs import LabRecords

    course = load(args)
    records = LabRecords(open_progress())
    attempts = records.attempts()
    history: dict[str, list[float]] = {}
    for c in records.completions():
        history.setdefault(c.lab_id, []).append(c.completed_at)
    rows = []
    for lab in sorted(
        course.labs.values(),
        key=lambda x: (list(course.topics).index(x.topic) if x.topic in course.topics else 99, x.order, x.id),
    ):
        done = records.passed_steps(lab.id)
        attempt = attempts.get(lab.id)
        completed = history.get(lab.id, [])
        rows.append(
            {
                "id": lab.id,
                "title": lab.title,
                "topic": lab.topic,
                "steps": len(lab.steps),
                "passed": len(done & {s.id for s in lab.steps}),
                "started": attempt is not None,  # an attempt is under way
                "attempt": None
                if attempt is None
                else {"id": attempt.attempt_id, "started_at": _stamp(attempt.started_at)},
                "completed": bool(completed),  # ever, kept through resets
                "completions": [_stamp(t) for t in completed],
                "needs": lab.needs.model_dump(),
            }
        )
    if args.json:
        emit_json(rows)
    else:
        for r in rows:
            mark = "x" if r["completed"] else ("~" if r["started"] else " ")
            when = f"  completed {r['completions'][-1][:10]}" if r["completions"] else ""
            under_way = f"  (attempt under way: {r['passed']}/{r['steps']})" if r["started"] else ""
            print(f"[{mark}] {r['topic']:<10} {r['id']:<34} {r['title']}{when}{under_way}")
    return 0


def _stamp(seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds, dt.UTC).isoformat(timespec="seconds")


def lab_start(args: argparse.Namespace) -> int:
    s = lab_session(args)
    from tutor.labs.orchestration import notice_before_start

    said = notice_before_start(s, fresh=args.fresh)
    if said:  # before anything changes, on stderr so --json stays one document
        print(said, file=sys.stderr)
    attempt = s.start(fresh=args.fresh)
    step = s.current_step()
    data = {
        "lab": s.lab.id,
        "attempt": attempt.attempt_id,
        "params": attempt.params,
        "workspace": str(s.workspace),
        "step": step.id,
        "instructions": s.render(step.instructions),
    }
    if args.json:
        emit_json(data)
    else:
        print(f"{s.lab.title} is ready (attempt {attempt.attempt_id}); your workspace is {s.workspace}")
        print(f"\nStep {step.id}: {step.title}\n")
        print(data["instructions"])
        print(f"Check your work with: tutor lab check {s.lab.id}")
    return 0


def lab_open(args: argparse.Namespace) -> int:
    from tutor.cli.tui_cmd import run_app

    course = load(args)
    if args.lab_id not in course.labs:
        from tutor.content.suggest import did_you_mean

        raise TutorError(
            f"no lab {args.lab_id!r}", hint=did_you_mean(args.lab_id, course.labs) or "`tutor lab list`"
        )
    return run_app(args, start=("lab", args.lab_id))


def lab_check(args: argparse.Namespace) -> int:
    s = lab_session(args)
    if s.attempt is None:
        raise TutorError(f"the lab {s.lab.id} has not been started", hint=f"run `tutor lab start {s.lab.id}`")
    steps = [s.lab.step(args.step)] if args.step else s.lab.steps
    out = []
    all_passed = True
    for step in steps:
        if not args.json:
            print(f"{step.id}: {s.render(step.title)}")
        results = []
        for r in s.check_step(step.id):
            results.append(r.to_dict())
            if not args.json:
                mark = "✔" if r.passed else "✘"
                print(f"  {mark} {s.render(r.title)}")
                if not r.passed:
                    print(f"      {r.reason}")
                    if r.hint:
                        print(f"      hint: {r.hint}")
        passed = all(x["passed"] for x in results)
        all_passed &= passed
        out.append({"step": step.id, "passed": passed, "checks": results})
    if args.json:
        emit_json({"lab": s.lab.id, "passed": all_passed, "steps": out})
    if args.junit:
        from tutor.cli.interchange_cmds import lab_junit

        lab_junit(args.junit, s.lab.id, out, s.render)
    return 0 if all_passed else 1


def _step(s: Any, step_id: str | None) -> Any:
    return s.lab.step(step_id) if step_id else s.current_step()


def lab_hint(args: argparse.Namespace) -> int:
    s = lab_session(args)
    step = _step(s, args.step)
    text, n, total = s.next_hint(step.id)
    if args.json:
        emit_json({"step": step.id, "hint": text, "number": n, "of": total})
    else:
        print(f"hint {n}/{total}: {text}" if text else "no more hints; `tutor lab solution` shows the answer")
    return 0


def lab_solution(args: argparse.Namespace) -> int:
    s = lab_session(args)
    step = _step(s, args.step)
    sol = s.solution(step.id)
    if args.json:
        emit_json({"step": step.id, **sol})
    else:
        for path, content in sol["files"].items():
            print(f"# {path}\n{content}")
        for cmd in sol["commands"]:
            print(f"$ {cmd}")
        if sol["note"]:
            print(sol["note"])
    return 0


def lab_reset(args: argparse.Namespace) -> int:
    from tutor.labs.engine import LabSession

    course = load(args)
    if not args.all and not args.lab_id:
        raise TutorError("name a lab, or pass --all")
    ids = sorted(course.labs) if args.all else [args.lab_id]
    store = open_progress()
    report = []
    for lab_id in ids:
        s = LabSession(course, store, lab_id)
        plan = s.reset_plan(args.step)
        if not args.json:
            if plan.sure or plan.unsure:
                print(f"{lab_id}:")
            for r in plan.sure:
                print(f"  remove {r.kind} {r.name} ({r.why})")
            for r in plan.unsure:
                keep = "remove" if args.include_older else "keep"
                print(f"  {keep} {r.kind} {r.name} ({r.why}; it may be yours)")
        go = args.yes
        if not go and (plan.sure or (plan.unsure and args.include_older)):
            if not sys.stdin.isatty():
                raise TutorError("reset needs a confirmation", hint="run it in a terminal, or add --yes")
            go = input("Remove these? [y/N] ").strip().lower() == "y"
        removed = s.reset(step_id=args.step, include_unsure=args.include_older, plan=plan) if go else []
        if s.swarm_note and not args.json:
            print(f"  {s.swarm_note}")
        report.append({"lab": lab_id, **plan.to_dict(), "removed": [r.to_dict() for r in removed]})
    if args.json:
        emit_json(report)
    elif not any(r["remove"] or r["ask"] for r in report):
        print("nothing to remove")
    return 0


def lab_prepare(args: argparse.Namespace) -> int:
    from tutor.base.dockerhost import connect
    from tutor.labs.images import prepare

    course = load(args)
    labs = [course.labs[i] for i in args.lab_id] if args.lab_id else list(course.labs.values())
    names = [img for lab in labs for img in lab.needs.images]
    done = prepare(connect(), names, course.roots, allow_pull=not args.no_pull)
    if args.json:
        emit_json([d.__dict__ for d in done])
    else:
        for d in done:
            print(f"{d.name}: {d.how}{' ' + d.detail if d.detail else ''}")
    return 0


def _consent(args: argparse.Namespace, course: Any, ids: list[str]) -> None:
    """Solution commands from outside the shipped course run only when the person agrees."""
    from tutor.labs.author_test import commands_needing_consent, consent_text

    pending = commands_needing_consent(course, ids)
    if not pending or args.yes:
        return
    text = consent_text(course, pending)
    if not sys.stdin.isatty():
        if args.json:
            listed = [
                {"lab": lab, "step": step, "command": command}
                for lab, commands in pending.items()
                for step, command in commands
            ]
            emit_json({"ok": False, "needs_consent": True, "commands": listed})
        raise TutorError(f"nothing was run: {text}", hint="read the commands, then add --yes to run them")
    print(text)
    if input("Run these commands on this machine? [y/N] ").strip().lower() != "y":
        raise TutorError("nothing was run", hint="add --yes to run a pack's solution commands without asking")


def lab_test(args: argparse.Namespace) -> int:
    from tutor.labs.author_test import test_lab

    course = load(args)
    ids = sorted(course.labs) if args.all else args.lab_id
    if not ids:
        raise TutorError("name labs to test, or pass --all")
    unknown = [i for i in ids if i not in course.labs]
    if unknown:
        raise TutorError(f"no lab {unknown[0]!r}")
    _consent(args, course, ids)
    store = open_progress()
    reports = []
    for lab_id in ids:
        report = test_lab(course, store, lab_id, progress=None if args.json else print)
        reports.append(report)
        if not args.json:
            print(f"{'PASS' if report.ok else 'FAIL'} {lab_id} ({report.seconds:.1f} s)")
            if not report.ok:
                for line in report.lines:
                    print(f"    {line}")
    if args.json:
        emit_json([r.to_dict() for r in reports])
    return 0 if all(r.ok for r in reports) else 1
