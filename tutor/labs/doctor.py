"""`tutor doctor`: is this machine ready for the course? Plain data; the CLI prints it."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from tutor.base.errors import Exit

Level = Literal["ok", "warn", "fail"]


@dataclass
class Finding:
    name: str
    level: Level
    detail: str
    hint: str = ""


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.level != "fail" for f in self.findings)

    def add(self, name: str, level: Level, detail: str, hint: str = "") -> None:
        self.findings.append(Finding(name, level, detail, hint))

    def ready_or_warn(self, name: str, ready: object, detail: str, missing: str, fix: str) -> None:
        """`detail` when what the labs need is `ready`, else a warning: what is `missing`, the `fix`."""
        if ready:
            self.add(name, "ok", detail)
        else:
            self.add(name, "warn", missing, fix)

    @property
    def exit_code(self) -> int:
        """0 ready; 4 the content is broken; 5 the store is; 3 the labs' Docker engine is missing."""
        levels = {f.name: f.level for f in self.findings}
        if levels.get("content") == "fail":
            return Exit.CONTENT
        if levels.get("progress") == "fail":
            return Exit.STORE
        if levels.get("docker") != "ok" or not self.ok:
            return Exit.ENVIRONMENT
        return Exit.OK

    def to_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok,
            "exit_code": int(self.exit_code),
            "checks": [f.__dict__ for f in self.findings],
        }


def diagnose(content: Iterable[str] | None = None) -> Report:
    report = Report()
    version = ".".join(map(str, sys.version_info[:3]))
    report.add("python", "ok", f"Python {version}")

    from tutor.content.loading.loader import load_course
    from tutor.content.roots import resolve_roots

    roots = resolve_roots(content)
    course = load_course(roots)
    errors = [e for e in course.errors if not e.warning]
    counts = (
        f"{len(course.topics)} topics, {len(course.lessons)} lessons, {len(course.questions)} questions "
        f"in {len(course.quizzes)} quizzes, {len(course.exams)} exams, {len(course.labs)} labs "
        f"from {', '.join(str(r) for r in roots)}"
    )
    if errors:
        report.add(
            "content",
            "fail",
            f"{counts}; {len(errors)} problem(s)",
            "run `tutor validate` to see them",
        )
    else:
        report.add("content", "ok", counts)

    from tutor.base.errors import TutorError
    from tutor.progress import open_store

    try:
        store = open_store(strict=False)
        detail = f"{store.path} (schema {store.schema_version()})"
        if store.moved_aside:
            report.add("progress", "warn", detail, f"a damaged store was moved to {store.moved_aside}")
        elif store.read_only:
            report.add(
                "progress",
                "warn",
                f"{detail}: read-only, progress is not being saved ({store.read_only})",
                "make the folder writable, or set TUTOR_HOME to a folder you can write to",
            )
        else:
            report.add("progress", "ok", detail)
        store.close()
    except TutorError as exc:
        report.add("progress", "fail", exc.message, exc.hint or "")

    from tutor.base import dockerhost

    engine = dockerhost.status()
    report.ready_or_warn(
        "docker",
        engine.ok,
        f"Docker engine {engine.version} (API {engine.api_version})",
        f"{engine.error}; lessons and quizzes work, labs need an engine",
        engine.hint,
    )
    _lab_tools(report)
    _orchestration(report, engine.ok)
    return report


def _orchestration(report: Report, engine_ok: bool) -> None:
    """Compose v2 for the Compose labs; swarm mode and the routing mesh for the Swarm labs."""
    from tutor.base import compose

    tool = compose.find()
    report.ready_or_warn(
        "compose",
        tool,
        f"`docker compose` in labs: {tool.describe if tool else ''}",
        "no Docker Compose v2: the Compose labs cannot start",
        compose.INSTALL_HINT,
    )
    if not engine_ok:
        return
    from tutor.base.dockerhost import connect
    from tutor.labs import swarm

    client = connect(timeout=3)
    try:
        current = swarm.state(client)
        mesh, why = swarm.routing_mesh(client)
    finally:
        client.close()
    if current.active and not current.manager:
        report.add("swarm", "warn", "the engine is a worker in a swarm: the Swarm labs need a manager")
    elif current.active:
        report.add("swarm", "ok", "the engine is a swarm manager: Swarm labs add only their own services")
    else:
        report.add("swarm", "ok", "swarm mode is off: a Swarm lab turns it on, and off again on reset")
    if mesh == "missing":
        report.add(
            "ipvs",
            "warn",
            f"{why}: the routing mesh cannot work, so an ingress-published port answers nothing; "
            "the Swarm labs publish in host mode (`mode: host`) here",
            "load the module (`sudo modprobe ip_vs`) or use a kernel with IPVS for the mesh",
        )
    else:
        report.add("ipvs", "ok", f"routing mesh: {why}")


def _lab_tools(report: Report) -> None:
    """What the offline labs use besides the engine."""
    import importlib.util
    import shutil
    from pathlib import Path

    from tutor.labs.images import find_static_busybox

    busybox = find_static_busybox()
    aws = shutil.which("aws") or str(Path(sys.executable).parent / "aws")
    moto = importlib.util.find_spec("moto") is not None
    registry = shutil.which("docker-registry") or shutil.which("registry")
    report.ready_or_warn(
        "busybox",
        busybox,
        f"static busybox at {busybox}: base images build offline",
        "no static busybox: base images need a registry (or are already built)",
        "sudo apt-get install busybox-static",
    )
    report.ready_or_warn(
        "aws",
        Path(aws).exists() and moto,
        f"the aws CLI ({aws}) and the local emulator (moto) for the AWS labs",
        "the AWS labs need the aws CLI and moto",
        "reinstall container-tutor with pip",
    )
    report.ready_or_warn(
        "registry",
        registry,
        f"{registry} for pushes in the ECR labs",
        "no docker-registry program: the ECR push lab needs it or the registry:2 image",
        "sudo apt-get install docker-registry",
    )


def render(report: Report) -> str:
    marks = {"ok": "✔", "warn": "!", "fail": "✘"}
    lines = []
    for f in report.findings:
        lines.append(f"{marks[f.level]} {f.name:<9} {f.detail}")
        if f.hint:
            lines.append(f"  {'':<9} fix: {f.hint}")
    if report.exit_code == Exit.OK:
        lines.append("ready")
    elif report.exit_code == Exit.ENVIRONMENT and report.ok:
        lines.append("ready for lessons and quizzes; the labs need a Docker engine (see above)")
    else:
        lines.append("something required is broken (see ✘ above)")
    return "\n".join(lines)
