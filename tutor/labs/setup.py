"""A lab's setup actions on the engine and in the workspace: build, run, write, copy, volumes, networks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tutor.base.containment import PathEscape, copy_inside, named_path, write_inside
from tutor.base.errors import Exit, TutorError
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


class UnsafePath(TutorError):
    """A lab path that leads out of its pack or its workspace: refused, never followed."""

    exit_code = Exit.CONTENT


def _pack(lab: Lab) -> tuple[Path, Path]:
    assert lab.folder is not None
    return lab.pack_root or lab.folder, lab.folder


def apply_setup(client: Any, lab: Lab, a: Any, tags: dict[str, str], workspace: Path) -> None:
    """Run one setup action whose placeholders are already filled.

    Every path goes through the containment check: a lab reads only inside its pack and
    writes only inside its workspace, whatever links the pack (or a container) put there.
    """
    try:
        _apply(client, lab, a, tags, workspace)
    except PathEscape as exc:
        raise UnsafePath(
            f"the lab {lab.id} was stopped: {exc}",
            hint="a pack may only use its own files and its workspace; run `tutor validate` on it",
        ) from None


def _apply(client: Any, lab: Lab, a: Any, tags: dict[str, str], workspace: Path) -> None:
    if isinstance(a, BuildAction):
        root, folder = _pack(lab)
        context = named_path(root, folder, a.context)
        client.images.build(path=str(context), tag=a.image, labels=tags, rm=True, forcerm=True)
    elif isinstance(a, RunAction):
        volumes = {}
        for source, target in a.volumes.items():
            if source.startswith(".") or "/" in source:
                inside = named_path(workspace, workspace, source, "the workspace")
                volumes[str(inside)] = {"bind": target, "mode": "rw"}
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
        write_inside(workspace, a.path, a.content)
    elif isinstance(a, CopyAction):
        root, folder = _pack(lab)
        source = named_path(root, folder, a.source)  # resolved: links inside the pack are followed
        target = named_path(workspace, workspace, a.to, "the workspace")
        name = (folder / a.source).name
        if source.is_dir():
            target = target / name if a.to == "." else target
        elif a.to == "." or target.is_dir():
            target = target / name
        copy_inside(folder / a.source, target, source_root=root, target_root=workspace)
    elif isinstance(a, VolumeAction):
        client.volumes.create(a.name, labels=tags)
    elif isinstance(a, NetworkAction):
        client.networks.create(a.name, labels=tags)
    elif isinstance(a, ComposeAction | StackAction):
        from tutor.base import compose_run
        from tutor.labs.environment import lab_env
        from tutor.labs.shellenv import docker_host_default

        env = lab_env(lab, workspace)  # a pack's compose file interpolates nothing of the learner's AWS
        if "DOCKER_HOST" not in env and (host := docker_host_default()):
            env["DOCKER_HOST"] = str(host)
        file = workspace / a.file
        if isinstance(a, ComposeAction):
            compose_run.up(
                file, a.project, workspace, env, profiles=a.profiles, allow_failure=a.allow_failure
            )
        else:
            compose_run.deploy_stack(file, a.name, workspace, env)
