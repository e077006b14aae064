"""Task definitions: validated against botocore's RegisterTaskDefinition input shape and the
rules ECS applies (what runs locally: `tutor.aws.ecs.fidelity`)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.errors import TutorError
from tutor.base.limits import LimitExceeded, load_json, read_bytes

# Task cpu (units) -> memory (MiB) Fargate accepts, from the ECS developer guide.
FARGATE_SIZES: dict[int, list[int]] = {
    256: [512, 1024, 2048],
    512: list(range(1024, 4097, 1024)),
    1024: list(range(2048, 8193, 1024)),
    2048: list(range(4096, 16385, 1024)),
    4096: list(range(8192, 30721, 1024)),
    8192: list(range(16384, 61441, 4096)),
    16384: list(range(32768, 122881, 8192)),
}
OUTPUT_ONLY = {
    "taskDefinitionArn",
    "revision",
    "status",
    "requiresAttributes",
    "compatibilities",
    "registeredAt",
    "registeredBy",
    "deregisteredAt",
}
CONDITIONS = {"START", "COMPLETE", "SUCCESS", "HEALTHY"}


class TaskDefinitionError(TutorError):
    def __init__(self, problems: list[Problem]) -> None:
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"the task definition is not valid:\n{lines}", hint="fix each field named above")
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    path: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.path or '(top level)'}: {self.message} [{self.rule}]"

    def to_dict(self) -> dict[str, str]:
        return {"path": self.path, "rule": self.rule, "message": self.message}


def load(path: Path) -> dict[str, Any]:
    try:
        data = load_json(read_bytes(path))
    except OSError as exc:
        raise TutorError(f"cannot read {path}: {exc.strerror}") from None
    except LimitExceeded as exc:
        where = f":{exc.line}" if exc.line else ""
        raise TutorError(f"{path}{where}: {exc.message}", hint=exc.hint) from None
    except json.JSONDecodeError as exc:
        raise TutorError(f"{path}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except UnicodeDecodeError:
        raise TutorError(f"{path} is not UTF-8 text", hint="save it as UTF-8") from None
    if isinstance(data, dict) and "taskDefinition" in data and "containerDefinitions" not in data:
        data = data["taskDefinition"]  # the output of describe-task-definition
    if not isinstance(data, dict):
        raise TutorError(f"{path} must hold a JSON object (a task definition)")
    return data


def _api_problems(td: dict[str, Any]) -> list[Problem]:
    import botocore.session
    from botocore.validate import ParamValidator

    shape = (
        botocore.session.get_session()
        .get_service_model("ecs")
        .operation_model("RegisterTaskDefinition")
        .input_shape
    )
    report = ParamValidator().validate(td, shape)
    problems = []
    for line in report.generate_report().splitlines() if report.has_errors() else []:
        m = re.match(r'Unknown parameter in (\S+?): "([^"]+)", must be one of: (.*)', line)
        if m:
            from tutor.content.suggest import did_you_mean

            guess = did_you_mean(m.group(2), m.group(3).split(", "))
            path = m.group(1) if m.group(1) != "input" else ""
            where = f"{path}.{m.group(2)}" if path else m.group(2)
            problems.append(
                Problem(where, "api-shape", f"unknown field {m.group(2)!r}" + (f"; {guess}" if guess else ""))
            )
            continue
        m = re.match(
            r"Invalid type for parameter (\S+), value: (.*), type: <class '(\w+)'>, valid types: (.*)", line
        )
        if m:
            kinds = ", ".join(re.findall(r"<class '(\w+)'>", m.group(4)))
            problems.append(
                Problem(m.group(1), "api-shape", f"{m.group(2)} is a {m.group(3)}, the API wants {kinds}")
            )
            continue
        m = re.match(r'Missing required parameter in (\S+?): "([^"]+)"', line)
        if m:
            path = "" if m.group(1) == "input" else m.group(1)
            problems.append(
                Problem(f"{path}.{m.group(2)}" if path else m.group(2), "api-shape", "this field is required")
            )
            continue
        m = re.match(r"Invalid (?:range|length) for parameter (\S+), (.*)", line)
        if m:
            problems.append(Problem(m.group(1), "api-shape", m.group(2)))
            continue
        m = re.match(r"Invalid value for parameter (\S+), (.*)", line)
        problems.append(Problem(m.group(1) if m else "", "api-shape", m.group(2) if m else line))
    return problems


def units(value: Any) -> int | None:
    """'1 vCPU' / '1024' / 1024 -> 1024; '2 GB' / '2048' -> 2048."""
    if value is None:
        return None
    text = str(value).strip().lower()
    m = re.fullmatch(r"([0-9.]+)\s*(vcpu|gb)?", text)
    if not m:
        return None
    number = float(m.group(1))
    if m.group(2) in ("vcpu", "gb"):
        number *= 1024
    return int(number)


def is_fargate(td: dict[str, Any]) -> bool:
    return "FARGATE" in (td.get("requiresCompatibilities") or [])


def validate(td: dict[str, Any], *, fargate: bool | None = None) -> list[Problem]:
    """Every problem with the task definition: the API's shape, then ECS's rules."""
    problems: list[Problem] = []
    for key in sorted(OUTPUT_ONLY & set(td)):
        problems.append(Problem(key, "output-only", f"{key} is set by ECS; remove it before registering"))
    clean = {k: v for k, v in td.items() if k not in OUTPUT_ONLY}
    problems += _api_problems(clean)
    containers = clean.get("containerDefinitions")
    if not isinstance(containers, list) or not containers:
        if not any(p.path == "containerDefinitions" for p in problems):
            problems.append(
                Problem("containerDefinitions", "containers", "a task needs at least one container")
            )
        return problems
    containers = [c for c in containers if isinstance(c, dict)]
    names = [c.get("name") for c in containers]
    mode = clean.get("networkMode", "bridge")
    fargate = is_fargate(clean) if fargate is None else fargate
    for i, c in enumerate(containers):
        where = f"containerDefinitions[{i}]"
        if not c.get("image"):
            problems.append(Problem(f"{where}.image", "image", "every container needs an image"))
        if names.count(c.get("name")) > 1:
            problems.append(
                Problem(f"{where}.name", "unique-names", f"two containers are named {c.get('name')!r}")
            )
        for j, pm in enumerate(c.get("portMappings") or []):
            host, cont = pm.get("hostPort"), pm.get("containerPort")
            if mode == "awsvpc" and host not in (None, cont):
                problems.append(
                    Problem(
                        f"{where}.portMappings[{j}].hostPort",
                        "awsvpc-ports",
                        f"in awsvpc mode hostPort must equal containerPort ({cont}) "
                        f"or be left out, not {host}",
                    )
                )
        for key, what in (("privileged", "privileged containers"),):
            if c.get(key) and fargate:
                problems.append(
                    Problem(f"{where}.{key}", "fargate-no-host", f"Fargate does not allow {what}")
                )
        lp = c.get("linuxParameters") or {}
        if fargate and lp.get("devices"):
            problems.append(
                Problem(
                    f"{where}.linuxParameters.devices",
                    "fargate-no-host",
                    "Fargate does not allow host devices",
                )
            )
        if fargate and (lp.get("capabilities") or {}).get("add", []) not in ([], ["SYS_PTRACE"]):
            problems.append(
                Problem(
                    f"{where}.linuxParameters.capabilities.add",
                    "fargate-no-host",
                    "Fargate only allows adding SYS_PTRACE",
                )
            )
        for j, dep in enumerate(c.get("dependsOn") or []):
            target = dep.get("containerName")
            cond = dep.get("condition")
            path = f"{where}.dependsOn[{j}]"
            if target not in names:
                problems.append(
                    Problem(f"{path}.containerName", "depends-on", f"there is no container named {target!r}")
                )
                continue
            if cond not in CONDITIONS:
                problems.append(
                    Problem(
                        f"{path}.condition", "depends-on", f"condition must be one of {sorted(CONDITIONS)}"
                    )
                )
            other = containers[names.index(target)]
            if cond == "HEALTHY" and not other.get("healthCheck"):
                problems.append(
                    Problem(
                        f"{path}.condition",
                        "depends-on",
                        f"HEALTHY needs a healthCheck on {target}, and it has none",
                    )
                )
            if cond in ("COMPLETE", "SUCCESS") and other.get("essential", True):
                problems.append(
                    Problem(
                        f"{path}.condition",
                        "depends-on",
                        f"{cond} waits for {target} to exit, so {target} must have essential: false",
                    )
                )
    if not any(c.get("essential", True) for c in containers):
        problems.append(
            Problem("containerDefinitions", "essential", "at least one container must be essential")
        )
    cycle = _cycle(containers)
    if cycle:
        problems.append(
            Problem(
                "containerDefinitions",
                "depends-on-cycle",
                "dependsOn goes round in a circle: " + " → ".join(cycle),
            )
        )
    task_cpu, task_mem = units(clean.get("cpu")), units(clean.get("memory"))
    if fargate:
        if mode != "awsvpc":
            problems.append(
                Problem("networkMode", "fargate-awsvpc", f"Fargate needs networkMode awsvpc, not {mode}")
            )
        if task_cpu is None or task_mem is None:
            problems.append(
                Problem(
                    "cpu" if task_cpu is None else "memory",
                    "fargate-size",
                    "Fargate needs task-level cpu and memory",
                )
            )
        elif task_cpu not in FARGATE_SIZES:
            problems.append(
                Problem(
                    "cpu",
                    "fargate-size",
                    f"{clean.get('cpu')} is not a Fargate CPU size ({', '.join(map(str, FARGATE_SIZES))})",
                )
            )
        elif task_mem not in FARGATE_SIZES[task_cpu]:
            sizes = FARGATE_SIZES[task_cpu]
            problems.append(
                Problem(
                    "memory",
                    "fargate-size",
                    f"with cpu {task_cpu} Fargate takes memory {sizes[0]} to {sizes[-1]} MiB "
                    f"({'in 1 GB steps' if len(sizes) > 3 else ', '.join(map(str, sizes))}), not {task_mem}",
                )
            )
        for j, vol in enumerate(clean.get("volumes") or []):
            if (vol.get("host") or {}).get("sourcePath"):
                problems.append(
                    Problem(
                        f"volumes[{j}].host.sourcePath", "fargate-no-host", "Fargate cannot mount host paths"
                    )
                )
        for key in ("pidMode", "ipcMode"):
            if clean.get(key) == "host":
                problems.append(Problem(key, "fargate-no-host", f"Fargate does not allow {key} host"))
    elif task_mem is None:
        for i, c in enumerate(containers):
            if c.get("memory") is None and c.get("memoryReservation") is None:
                problems.append(
                    Problem(
                        f"containerDefinitions[{i}].memory",
                        "ec2-memory",
                        "without task-level memory every container needs memory or memoryReservation",
                    )
                )
    if task_mem is not None:
        total = sum(c.get("memory") or c.get("memoryReservation") or 0 for c in containers)
        if total > task_mem:
            problems.append(
                Problem(
                    "memory",
                    "task-memory",
                    f"the containers ask for {total} MiB, more than the task's {task_mem}",
                )
            )
    return problems


def _cycle(containers: list[dict[str, Any]]) -> list[str]:
    graph = {c.get("name"): [d.get("containerName") for d in c.get("dependsOn") or []] for c in containers}
    state: dict[str, int] = {}
    path: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if state.get(nxt) is None:
                found = visit(nxt)
                if found:
                    return found
        state[node] = 2
        path.pop()
        return []

    for name in graph:
        if state.get(name) is None:
            found = visit(name)
            if found:
                return found
    return []


def check(td: dict[str, Any], *, fargate: bool | None = None) -> None:
    problems = validate(td, fargate=fargate)
    if problems:
        raise TaskDefinitionError(problems)
