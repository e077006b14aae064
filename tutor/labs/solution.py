"""A step's solution applied for `tutor lab test`: its files written into the workspace (never
through a link out of it), its commands run with the workspace as the working directory."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from tutor.base.containment import PathEscape, write_inside
from tutor.base.errors import TutorError
from tutor.content.models.labs import Lab


class SolutionFailed(TutorError):
    pass


def planned_commands(lab: Lab) -> list[tuple[str, str]]:
    """(step id, command) for every solution command of the lab, placeholders as written."""
    return [(step.id, command) for step in lab.steps for command in step.solution.commands]


def apply(solution: dict[str, Any], workspace: Path, env: dict[str, str], timeout: float) -> None:
    """Write the (filled-in) solution's files, then run its commands one by one in `workspace`."""
    for rel, content in solution["files"].items():
        try:
            write_inside(workspace, rel, content)
        except PathEscape as exc:
            raise SolutionFailed(f"the solution file {rel} is refused: {exc}") from None
    for command in solution["commands"]:
        try:
            proc = subprocess.run(
                ["bash", "-c", command],
                cwd=workspace,
                capture_output=True,
                text=True,
                errors="replace",
                timeout=timeout,
                env=env,
            )
        except subprocess.TimeoutExpired:
            raise SolutionFailed(f"the solution command did not finish in {timeout:g} s: {command}") from None
        if proc.returncode != 0:
            raise SolutionFailed(
                f"the solution command failed ({proc.returncode}): {command}\n"
                f"{(proc.stderr or proc.stdout)[-600:]}"  # TutorError makes its control characters visible
            )
