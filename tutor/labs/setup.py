"""A lab's setup actions on the engine and in the workspace: build, run, write, copy, volumes, networks."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from tutor.content.models.lab_setup import (
    BuildAction,
    ComposeAction,
    CopyAction,
    NetworkAction,
    RunAction,
    StackAction,
    VolumeAction,
    WriteAction,
)
from tutor.content.models.labs import Lab
from tutor.labs.checks.docker_checks import port_key


def apply_setup(client: Any, lab: Lab, a: Any, tags: dict[str, str], workspace: Path) -> None:
    """Run one setup action whose placeholders are already filled."""
    if isinstance(a, BuildAction):
        assert lab.folder is not None
        client.images.build(path=str(lab.folder / a.context), tag=a.image, labels=tags, rm=True, forcerm=True)
    elif isinstance(a, RunAction):
        volumes = {}
        for source, target in a.volumes.items():
            if source.startswith(".") or "/" in source:
                volumes[str((workspace / source).resolve())] = {"bind": target, "mode": "rw"}
            else:
                volumes[source] = {"bind": target, "mode": "rw"}
        client.containers.run(
            a.image,
            a.command,
            name=a.name,
            entrypoint=a.entrypoint,
            detach=True,
            environment=a.env,
            ports={port_key(c): ("127.0.0.1", int(h)) for c, h in a.ports.items()},
            volumes=volumes,
            network=a.network,
            restart_policy={"Name": a.restart} if a.restart != "no" else None,
            user=a.user,
            labels=tags,
            mem_limit=a.memory,
            memswap_limit=a.memory,
        )
    elif isinstance(a, WriteAction):
        target = workspace / a.path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(a.content, encoding="utf-8")
    elif isinstance(a, CopyAction):
        assert lab.folder is not None
        source, target = lab.folder / a.source, workspace / a.to
        if source.is_dir():
            shutil.copytree(source, target / source.name if a.to == "." else target, dirs_exist_ok=True)
        else:
            target = target / source.name if a.to == "." or target.is_dir() else target
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    elif isinstance(a, VolumeAction):
        client.volumes.create(a.name, labels=tags)
    elif isinstance(a, NetworkAction):
        client.networks.create(a.name, labels=tags)
    elif isinstance(a, ComposeAction | StackAction):
        import os

        from tutor.base import compose_run
        from tutor.labs.shellenv import docker_host_default

        env = {**os.environ, "DOCKER_CONFIG": str(workspace / ".docker")}
        if "DOCKER_HOST" not in env and docker_host_default():
            env["DOCKER_HOST"] = str(docker_host_default())
        file = workspace / a.file
        if isinstance(a, ComposeAction):
            compose_run.up(
                file, a.project, workspace, env, profiles=a.profiles, allow_failure=a.allow_failure
            )
        else:
            compose_run.deploy_stack(file, a.name, workspace, env)
