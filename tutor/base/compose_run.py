"""Compose projects and Swarm stacks that a lab's setup starts, from files in its workspace.

A pack is untrusted, and a setup runs without asking: before `up` or `stack deploy`, the file is
resolved by Compose itself (`docker compose config`, so interpolation, `extends` and `include`
are already applied) and refused when a service asks for what `run` setups may not have either:
privileged mode, extra capabilities, devices, the host's namespaces, or mounts from outside the
workspace. When the engine rejects a file, the error names the file, the service and the
engine's own message.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tutor.base import compose
from tutor.base.errors import ContentInvalid, EnvironmentProblem, TutorError

TIMEOUT = 180.0
_REFUSED_KEYS = {
    "privileged": "privileged mode",
    "cap_add": "extra kernel capabilities",
    "devices": "host devices",
    "device_cgroup_rules": "device rules",
    "security_opt": "security options",
    "userns_mode": "another user namespace",
    "cgroup_parent": "another cgroup parent",
    "sysctls": "kernel parameters",
}
_HOST_MODES = ("network_mode", "pid", "ipc", "uts", "cgroup")


class ComposeFailed(TutorError):
    """The engine (or Compose) rejected a project or a stack: exit 1, with its message."""

    exit_code = 1


def unsafe(config: Mapping[str, Any], workspace: Path) -> list[str]:
    """Why a resolved Compose project may not be started by a setup (empty when it may)."""
    problems: list[str] = []
    root = workspace.resolve()
    for name, svc in (config.get("services") or {}).items():
        for key, what in _REFUSED_KEYS.items():
            if svc.get(key):
                problems.append(f"service {name} asks for {what} ({key})")
        for key in _HOST_MODES:
            if str(svc.get(key) or "") == "host":
                problems.append(f"service {name} asks for the host's {key.replace('_mode', '')} namespace")
        for vol in svc.get("volumes") or []:
            if vol.get("type") == "bind":
                source = Path(str(vol.get("source", "/")))
                if "docker.sock" in str(source) or not source.resolve().is_relative_to(root):
                    problems.append(f"service {name} mounts {source}, outside the lab's workspace")
    for name, vol in (config.get("volumes") or {}).items():
        if (vol or {}).get("driver_opts"):
            problems.append(f"volume {name} sets driver_opts (a way to mount host folders)")
    return problems


def resolved(file: Path, project: str, env: Mapping[str, str], profiles: list[str] = ()) -> dict[str, Any]:
    """The project as Compose resolves it (`docker compose config --format json`)."""
    flags = [f for p in profiles for f in ("--profile", p)]
    proc = run_argv(
        compose.argv("-p", project, "-f", str(file), *flags, "config", "--format", "json"), env, file.parent
    )
    if proc.returncode != 0:
        raise ComposeFailed(describe_failure(file, project, proc.stderr or proc.stdout))
    return json.loads(proc.stdout)


def up(
    file: Path,
    project: str,
    workspace: Path,
    env: Mapping[str, str],
    *,
    profiles: list[str] = (),
    allow_failure: bool = False,
    check_safety: bool = True,
) -> str:
    """Start a project after checking it (a pack's setup: `check_safety`); returns Compose's
    output. A failure raises ComposeFailed unless `allow_failure` (a broken project is then the
    lab's starting point)."""
    problems = unsafe(resolved(file, project, env, profiles), workspace) if check_safety else []
    if problems:
        raise ContentInvalid(
            f"{file.name}: the lab's setup may not start this project: {'; '.join(problems)}",
            hint="a lab's setup runs without asking, so it gets no more than a `run` setup",
        )
    flags = [f for p in profiles for f in ("--profile", p)]
    proc = run_argv(
        compose.argv("-p", project, "-f", str(file), *flags, "up", "-d", "--quiet-pull"), env, file.parent
    )
    if proc.returncode != 0 and not allow_failure:
        raise ComposeFailed(describe_failure(file, project, proc.stderr or proc.stdout))
    return proc.stderr + proc.stdout


def deploy_stack(file: Path, name: str, workspace: Path, env: Mapping[str, str]) -> str:
    """`docker stack deploy` of a file in the workspace (checked as `up` checks it)."""
    docker = shutil.which("docker", path=env.get("PATH"))
    if docker is None:
        raise EnvironmentProblem(
            "`docker stack deploy` needs the docker command line, and it is not on PATH",
            hint="install the Docker CLI (`sudo apt-get install docker.io` or docker-ce-cli)",
        )
    problems = unsafe(resolved(file, name, env), workspace)
    if problems:
        raise ContentInvalid(f"{file.name}: the lab's setup may not deploy this stack: {'; '.join(problems)}")
    proc = run_argv([docker, "stack", "deploy", "--detach=true", "-c", str(file), name], env, file.parent)
    if proc.returncode != 0:
        raise ComposeFailed(describe_failure(file, name, proc.stderr or proc.stdout, stack=True))
    return proc.stderr + proc.stdout


def run_argv(argv: list[str], env: Mapping[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            argv,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env=dict(env),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        raise ComposeFailed(f"`{' '.join(argv[-4:])}` did not finish within {TIMEOUT:g} s") from None


_SERVICE = (
    re.compile(r'service "([^"]+)"'),
    re.compile(r"services\.([A-Za-z0-9_.-]+?)(?:\.| |:|$)"),
    re.compile(r"failed to (?:create|update) service [A-Za-z0-9_.-]+?_([A-Za-z0-9_.-]+):"),
)


def describe_failure(file: Path, project: str, output: str, *, stack: bool = False) -> str:
    """One line: the file, the service when the message names one, and the engine's own words."""
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    meaningful = [ln for ln in lines if "error" in ln.lower() or "invalid" in ln.lower()] or lines or ["?"]
    message = meaningful[-1]
    service = ""
    for pattern in _SERVICE:
        m = pattern.search(output)
        if m:
            service = m.group(1)
            break
    if not service:  # containers are named PROJECT-SERVICE-N
        m = re.search(rf"{re.escape(project)}[-_]([A-Za-z0-9_.-]+?)[-.]\d+\b", output)
        service = m.group(1) if m else ""
    what = "the stack" if stack else "the project"
    who = "the engine" if "daemon" in output or stack else "Compose"
    where = f", service {service}" if service else ""
    return f"{file}{where}: {who} rejected {what} {project}: {message[:300]}"
