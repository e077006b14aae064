"""Everything about one lab attempt at a glance: steps and their status, the workspace, the
parameters (and the variables a lab shell gets from them), and what the lab owns on the engine.
The CLI's `tutor lab show` prints it; nothing here draws."""

from __future__ import annotations

from typing import Any

from tutor.base.errors import TutorError
from tutor.labs import snippets
from tutor.labs.shellenv import param_vars


def overview(session: Any, *, resources: bool = True) -> dict[str, Any]:
    """A plain dict (JSON-ready) for a tutor.labs.engine.LabSession."""
    lab = session.lab
    attempt = session.attempt
    params = attempt.params if attempt else {}
    passed = session.passed_steps() if attempt else set()
    current = session.current_step().id if attempt else None
    steps = []
    for status in session.statuses():
        step = status.step
        last = session.records.last_results(lab.id, step.id) if attempt else []
        steps.append(
            {
                "id": step.id,
                "title": session.render(step.title),
                "status": "passed"
                if step.id in passed
                else ("current" if step.id == current else ("ready" if status.ready else "waiting")),
                "checks": [{"title": r["title"], "passed": r["passed"], "reason": r["reason"]} for r in last],
                "commands": snippets.commands(session.render(step.instructions)),
            }
        )
    data: dict[str, Any] = {
        "lab": lab.id,
        "title": lab.title,
        "started": attempt is not None,
        "attempt": attempt.attempt_id if attempt else None,
        "completed": bool(attempt and attempt.completed_at),
        "workspace": str(session.workspace),
        "params": params,
        "variables": param_vars(params),
        "steps": steps,
        "resources": None,  # what reset removes: labelled, or made during this attempt
        "older_named": [],
        "resources_error": None,
    }
    if resources and attempt is not None:
        try:
            plan = session.reset_plan()
            data["resources"] = [r.to_dict() for r in plan.sure]
            data["older_named"] = [r.to_dict() for r in plan.unsure]  # may be the learner's: kept
        except TutorError as exc:  # no engine: the rest still stands
            data["resources_error"] = exc.message
    return data
