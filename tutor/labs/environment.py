"""The sandbox as a lab sees it: the services it needs, where they answer, and the environment
of everything the app runs for the lab (solution commands, `lab test`, the lab terminal or
`lab shell`).

It fails closed. It is the learner's environment with every AWS setting removed (see
tutor.aws.awsenv), plus the sandbox: the running emulator for a lab that needs AWS, a dead
loopback endpoint for one that does not. When a lab needs the emulator and it cannot be
started, there is no environment at all (EnvironmentProblem, exit 3), so nothing can fall back
to the learner's own ~/.aws and reach real AWS.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.aws import awsenv
from tutor.base.errors import EnvironmentProblem, TutorError
from tutor.base.paths import data_home
from tutor.content.models.labs import Lab


def services(lab: Lab) -> list[str]:
    """The sandbox's background services this lab needs."""
    wanted = {"emulator": lab.needs.aws, "registry": lab.needs.registry, "agent": lab.needs.ecs}
    return [name for name, on in wanted.items() if on]


def note_use(lab: Lab) -> None:
    """The learner is at work on this lab: its services do not count this time as idle."""
    if services(lab):
        from tutor.aws import background

        background.touch_activity()


def missing_services(lab: Lab) -> list[str]:
    """The services this lab needs that do not run now (they stop themselves when idle)."""
    from tutor.aws import background

    note_use(lab)
    return [name for name in services(lab) if not background.running(name)]


def sandbox_addresses(lab: Lab) -> dict[str, str]:
    """Where the emulator and the registry answer now ("" when they do not run)."""
    found: dict[str, str] = {}
    if lab.needs.aws:
        from tutor.aws import emulator

        state = emulator.status()
        found["aws_endpoint"] = state.endpoint if state else ""
    if lab.needs.registry:
        from tutor.aws import registry

        reg = registry.status()
        found["registry"] = reg.address if reg else ""
    return found


class SandboxUnavailable(EnvironmentProblem):
    """A lab needs the AWS emulator and it does not run: its commands are not run either."""


def emulator_endpoint(lab: Lab) -> str:
    """Where AWS calls of this lab go: the running emulator (started when needed), or nowhere."""
    if not lab.needs.aws:
        return awsenv.CLOSED_ENDPOINT
    from tutor.aws import emulator

    try:
        return emulator.start().endpoint
    except (TutorError, OSError) as exc:
        reason = exc.message if isinstance(exc, TutorError) else str(exc)
        raise SandboxUnavailable(
            f"the lab {lab.id} needs the local AWS emulator, which does not run ({reason}); "
            "nothing is run without it",
            hint=(exc.hint if isinstance(exc, TutorError) and exc.hint else None)
            or "start it with `tutor aws start` and look at `tutor aws status`",
        ) from None


def lab_env(lab: Lab, workspace: Path) -> dict[str, str]:
    """The environment for a command of this lab, run in `workspace`: the sandbox (never the
    learner's own AWS settings) and `docker compose` (v2); SandboxUnavailable when the lab needs
    the emulator and it cannot run."""
    endpoint = emulator_endpoint(lab)
    env = awsenv.scrub(os.environ)
    env["TUTOR_HOME"] = str(data_home())  # `tutor` in a command uses the learner's own store
    env["DOCKER_CONFIG"] = str(workspace / ".docker")  # no registry logins of the learner's
    # `aws` and `tutor` from the environment this app runs in, even when it is not on PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    from tutor.base import compose

    with contextlib.suppress(OSError):  # `docker compose` (v2) under that config; read-only: the system's
        compose.link_plugin(workspace / ".docker")
    return awsenv.environment(endpoint, env)


def start_sandbox(lab: Lab, client: Callable[[], Any]) -> None:
    """Start what `lab` needs besides the engine and is not running: the AWS emulator, the local
    registry, the ECS agent (each stops by itself when the sandbox is idle)."""
    if lab.needs.aws:
        from tutor.aws import emulator

        emulator.start()
    if lab.needs.registry:
        from tutor.aws import registry

        registry.start(client())
    if lab.needs.ecs:
        from tutor.aws.ecs import agent

        agent.start()
