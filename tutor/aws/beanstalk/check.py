"""Check a source bundle (a folder or a .zip) as Elastic Beanstalk's Docker platforms read it.

What each file means, from "Preparing your Docker image for deployment to Elastic Beanstalk"
(https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html):
the *Docker running on AL2 / AL2023* branches read a docker-compose.yml (Docker Compose), else a
Dockerfile and/or a Dockerrun.aws.json v1; with Compose a Dockerrun.aws.json v3 only carries
registry authentication; v2 belongs to the *ECS running on AL2 / AL2023* branches. Only real
problems go to `problems`: a bundle that Beanstalk accepts is never reported as failing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tutor.aws.beanstalk import dockerrun_v2
from tutor.aws.beanstalk.dockerrun_v1 import check_v1
from tutor.aws.beanstalk.extensions import read_extensions
from tutor.aws.beanstalk.source import BundleError, BundleSource, open_bundle
from tutor.base.limits import LimitExceeded, load_json

MAX_BUNDLE_BYTES = 500 * 1024 * 1024  # Beanstalk's limit for a source bundle
COMPOSE_FILE = "docker-compose.yml"
DOCKER_PLATFORM = "Docker running on 64bit Amazon Linux 2023"
ECS_PLATFORM = "ECS running on 64bit Amazon Linux 2023"


@dataclass
class BundleReport:
    bundle: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # worth fixing, yet Beanstalk deploys it
    kind: str = ""  # dockerfile | dockerrun | compose | dockerrun-v2
    platform: str = ""
    port: int | None = None  # the container port web traffic reaches
    image: str | None = None
    files: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # environment properties in .ebextensions
    local: list[str] = field(default_factory=list)
    aws_only: list[str] = field(default_factory=list)
    compose_draft: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def runs_locally(self) -> bool:
        return self.ok and self.kind in ("dockerfile", "dockerrun", "compose")

    def to_dict(self) -> dict[str, Any]:
        return {
            "bundle": str(self.bundle),
            "ok": self.ok,
            "kind": self.kind,
            "platform": self.platform,
            "port": self.port,
            "image": self.image,
            "problems": self.problems,
            "warnings": self.warnings,
            "notes": self.notes,
            "environment": self.env,
            "runs_locally": self.local,
            "aws_only": self.aws_only,
            "compose_draft": self.compose_draft or None,
        }


def exposed_ports(dockerfile: str) -> list[int]:
    ports: list[int] = []
    for line in dockerfile.splitlines():
        words = line.strip().split()
        if words and words[0].upper() == "EXPOSE":
            ports += [int(w.split("/")[0]) for w in words[1:] if w.split("/")[0].isdigit()]
    return ports


def check_bundle(bundle: Path, *, resolve: bool = True) -> BundleReport:
    """The checks Beanstalk applies to a Docker source bundle, with what to do about each.
    `resolve` also has Compose read a docker-compose.yml (when Compose v2 is here)."""
    report = BundleReport(bundle)
    try:
        src = open_bundle(bundle)
    except BundleError as exc:
        report.problems.append(exc.message)
        return report
    report.files = src.names
    if src.size > MAX_BUNDLE_BYTES:
        report.problems.append(f"the bundle is {src.size / 1e6:.0f} MB; Beanstalk takes at most 500 MB")
    if not src.names:
        report.problems.append("the bundle is empty")
        return report
    root = src.root
    if not root & {"Dockerfile", "Dockerrun.aws.json", COMPOSE_FILE}:
        _nothing_at_root(src, report)
        return report
    where = "at the root of the zip" if src.is_zip else "at the root of the folder"
    report.notes.append(f"{len(src.names)} file(s), the Docker files {where}")
    try:
        _read_docker_files(src, report, resolve)
        ext = read_extensions(src)
    except BundleError as exc:  # a file over the size limit
        report.problems.append(exc.message)
        return report
    report.env, report.local, report.aws_only = ext.env, ext.local, ext.aws_only
    report.problems += ext.problems
    report.warnings += ext.warnings
    return report


def _read_docker_files(src: BundleSource, report: BundleReport, resolve: bool) -> None:
    root = src.root
    if COMPOSE_FILE in root:
        _compose(src, report, resolve)
        return
    report.platform = DOCKER_PLATFORM
    if "Dockerfile" in root:
        _dockerfile(src.text("Dockerfile"), report)
    if "Dockerrun.aws.json" in root:
        _dockerrun(src.read("Dockerrun.aws.json"), report, has_dockerfile="Dockerfile" in root)


def _nothing_at_root(src: BundleSource, report: BundleReport) -> None:
    deeper = [
        n for n in src.names if PurePosixPath(n).name in ("Dockerfile", "Dockerrun.aws.json", COMPOSE_FILE)
    ]
    if deeper:
        folder = str(PurePosixPath(deeper[0]).parent)
        name = PurePosixPath(deeper[0]).name
        fix = f"Zip the folder's contents, not the folder: `cd {folder} && zip -r ../{src.path.name} .`"
        if not src.is_zip:
            fix = f"Give that folder instead: `tutor eb check {src.path / folder}`"
        what = "zip" if src.is_zip else "folder"
        report.problems.append(
            f"the {name} is in {folder}/, not at the root of the {what}: "
            f"Beanstalk only looks at the root. {fix}"
        )
    else:
        report.problems.append(
            "the bundle has no Dockerfile, Dockerrun.aws.json or docker-compose.yml at its root, so "
            "Beanstalk's Docker platform cannot tell what to run"
        )


def _dockerfile(text: str, report: BundleReport) -> None:
    report.kind = "dockerfile"
    ports = exposed_ports(text)
    if not ports:
        report.problems.append(
            "the Dockerfile has no EXPOSE: Beanstalk needs it to know which port to send traffic to"
        )
    elif len(ports) > 1:
        report.problems.append(
            f"the Dockerfile exposes {len(ports)} ports ({', '.join(map(str, ports))}); expose exactly one, "
            "the one your app listens on"
        )
    else:
        report.port = ports[0]
        report.notes.append(f"the Dockerfile exposes port {ports[0]}")


def _load_json(raw: bytes, report: BundleReport) -> dict[str, Any] | None:
    try:
        data = load_json(raw)
    except LimitExceeded as exc:
        where = f" (line {exc.line})" if exc.line else ""
        report.problems.append(f"Dockerrun.aws.json{where}: {exc.message}")
        return None
    except ValueError as exc:
        report.problems.append(f"Dockerrun.aws.json is not valid JSON ({exc})")
        return None
    if not isinstance(data, dict):
        report.problems.append("Dockerrun.aws.json must be a JSON object")
        return None
    return data


def _dockerrun(raw: bytes, report: BundleReport, *, has_dockerfile: bool) -> None:
    data = _load_json(raw, report)
    if data is None:
        return
    version = str(data.get("AWSEBDockerrunVersion", ""))
    if version == "2":
        report.kind, report.platform = "dockerrun-v2", ECS_PLATFORM
        report.notes += dockerrun_v2.explain()
        report.compose_draft = dockerrun_v2.to_compose(data)
        return
    if version == "3":
        report.problems.append(
            "Dockerrun.aws.json version 3 goes with a docker-compose.yml (it holds the registry "
            "login for a Compose app), and this bundle has none; for one container without Compose, "
            "use version 1"
        )
        return
    check_v1(data, report, has_dockerfile=has_dockerfile)


def _compose(src: BundleSource, report: BundleReport, resolve: bool) -> None:
    from tutor.aws.beanstalk.compose_bundle import check_compose

    report.kind, report.platform = "compose", DOCKER_PLATFORM
    if "Dockerrun.aws.json" in src.root:
        data = _load_json(src.read("Dockerrun.aws.json"), report)
        version = str((data or {}).get("AWSEBDockerrunVersion", ""))
        if data is not None and version == "3":
            report.notes.append(
                "Dockerrun.aws.json v3 gives Beanstalk the login for private images; here your own "
                "`docker login` applies"
            )
        elif data is not None:
            report.warnings.append(
                f"Dockerrun.aws.json version {version or '?'} is not read next to a docker-compose.yml "
                "(with Compose only version 3, for registry authentication, is)"
            )
    if "Dockerfile" in src.root:
        report.notes.append("the Dockerfile is used where a service says `build: .`")
    check_compose(src, report, resolve)


__all__ = ["BundleError", "BundleReport", "check_bundle", "exposed_ports"]
