"""The environment a lab's commands get (solution commands, a lab shell): the sandbox only."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tutor.content.models.labs import Lab


def lab_env(lab: Lab, workspace: Path) -> dict[str, str]:
    """This process's environment without AWS credentials, our own Docker config, and the
    emulator's endpoint and fake credentials when the lab needs AWS."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["DOCKER_CONFIG"] = str(workspace / ".docker")
    # `aws` and `tutor` from the environment this app runs in, even when it is not on PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    if lab.needs.aws:
        from tutor.aws import emulator

        state = emulator.status()
        if state is not None:
            env.update(emulator.sandbox_env(state.endpoint))
    return env
