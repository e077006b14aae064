"""`tutor lab test`: a lab is tested like code. Fresh setup -> every step's checks fail ->
apply the solution -> they pass -> reset -> nothing labelled is left.

A lab's solution commands run in a shell on the host (in the lab's workspace). Those of the
shipped course are ours; those of any other pack run only with the person's consent: the
command line lists them and asks (or needs `--yes`).
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tutor.base.errors import EngineUnavailable, EnvironmentProblem, TutorError
from tutor.content.course import Course
from tutor.content.models.labs import Lab
from tutor.content.roots import builtin_root
from tutor.labs.engine import CheckResult, LabSession
from tutor.labs.solution import planned_commands
from tutor.progress.store import ProgressStore

PASS_WAIT = 90.0  # seconds a solved step may take to settle (health checks, restarts)


@dataclass
class LabTestReport:
    lab_id: str
    ok: bool = True
    lines: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def note(self, text: str) -> None:
        self.lines.append(text)

    def fail(self, text: str) -> None:
        self.ok = False
        self.lines.append(f"FAIL {text}")

    def to_dict(self) -> dict[str, Any]:
        return {"lab": self.lab_id, "ok": self.ok, "seconds": round(self.seconds, 1), "log": self.lines}


def shipped(lab: Lab) -> bool:
    """The lab comes from the course that ships with the app (not from a pack laid over it)."""
    return lab.pack_root is not None and lab.pack_root.resolve() == builtin_root().resolve()


def commands_needing_consent(course: Course, lab_ids: list[str]) -> dict[str, list[tuple[str, str]]]:
    """lab id -> (step, command) for the labs outside the shipped course that run commands."""
    out = {}
    for lab_id in lab_ids:
        lab = course.labs[lab_id]
        commands = planned_commands(lab)
        if commands and not shipped(lab):
            out[lab_id] = commands
    return out


def consent_text(course: Course, pending: dict[str, list[tuple[str, str]]]) -> str:
    lines = [
        "`tutor lab test` runs each step's solution commands in a shell on this machine, in the "
        "lab's workspace; they can reach the network and anything your user can. These come from "
        "outside the shipped course:"
    ]
    for lab_id, commands in pending.items():
        lab = course.labs[lab_id]
        lines.append(f"  {lab_id} (from {lab.pack_root or lab.folder}):")
        for step, command in commands:
            body = command.strip().replace("\n", "\n      ")
            lines.append(f"    step {step}: $ {body}")
    return "\n".join(lines)


def _summary(results: list[CheckResult]) -> str:
    return "; ".join(f"{'ok' if r.passed else 'no'}: {r.title} ({r.reason})" for r in results)


def test_lab(
    course: Course,
    store: ProgressStore,
    lab_id: str,
    *,
    client: Any | None = None,
    progress: Callable[[str], None] | None = None,
) -> LabTestReport:
    report = LabTestReport(lab_id)
    say = progress or (lambda _text: None)
    started = time.monotonic()
    session = LabSession(course, store, lab_id, client=client)
    try:
        session.reset(include_unsure=True)  # a clean slate, whatever an earlier run left
        session.start(fresh=True)
        report.note(f"setup done (params {session.attempt.params if session.attempt else {}})")
        say(f"{lab_id}: setup done")
        for step in session.lab.steps:
            before = session.run_step(step.id, record=False)
            if all(r.passed for r in before):
                report.fail(f"step {step.id}: every check passes before the solution, so it can be skipped")
            else:
                report.note(f"step {step.id}: checks fail before the solution, as they should")
            session.apply_solution(step.id)
            deadline = time.monotonic() + PASS_WAIT
            while True:
                after = session.run_step(step.id)
                if all(r.passed for r in after) or time.monotonic() > deadline:
                    break
                time.sleep(1.0)
            if all(r.passed for r in after):
                report.note(f"step {step.id}: checks pass after the solution")
                say(f"{lab_id}: step {step.id} ok")
            else:
                report.fail(f"step {step.id}: the solution does not pass: {_summary(after)}")
                break
        session.reset()
        left = session.reset_plan()
        labelled = [r for r in left.sure + left.unsure]
        if labelled:
            report.fail("reset left: " + ", ".join(f"{r.kind} {r.name}" for r in labelled))
        else:
            report.note("reset removed everything the lab made")
    except (EnvironmentProblem, EngineUnavailable):
        # The machine lacks something (the engine, the emulator): not the lab's fault, and
        # nothing more of it can run. Exit 3, with what is missing.
        with contextlib.suppress(TutorError):
            session.reset(include_unsure=True)
        raise
    except TutorError as exc:
        report.fail(str(exc))
        with contextlib.suppress(Exception):
            session.reset(include_unsure=True)
    except Exception as exc:  # the engine failed a call (a timeout on a busy engine): a failed test
        report.fail(f"the engine failed a call: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}")
        with contextlib.suppress(Exception):
            session.reset(include_unsure=True)
    finally:
        session.close()
    report.seconds = time.monotonic() - started
    return report
