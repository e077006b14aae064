"""Elastic Beanstalk's Docker platform, locally: check a source bundle as Beanstalk would, then
run it on the local engine with a health check on its port (like `eb local run`)."""

from __future__ import annotations

import tempfile
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from tutor.base.errors import TutorError
from tutor.base.labels import LAB_LABEL, STORE_LABEL
from tutor.base.limits import MAX_FILE_BYTES, LimitExceeded, load_json

MAX_BUNDLE_BYTES = 500 * 1024 * 1024  # Beanstalk's limit for a source bundle
EB_LABEL = "tutor.eb"
DOCKERRUN_V1_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["AWSEBDockerrunVersion"],
    "properties": {
        "AWSEBDockerrunVersion": {"enum": ["1", 1]},
        "Image": {
            "type": "object",
            "required": ["Name"],
            "properties": {"Name": {"type": "string", "minLength": 1}, "Update": {"enum": ["true", "false"]}},
        },
        "Ports": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["ContainerPort"],
                "properties": {
                    "ContainerPort": {"type": ["string", "integer"], "pattern": "^[0-9]+$"},
                    "HostPort": {"type": ["string", "integer"]},
                },
            },
        },
        "Volumes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["HostDirectory", "ContainerDirectory"],
                "properties": {"HostDirectory": {"type": "string"}, "ContainerDirectory": {"type": "string"}},
            },
        },
        "Logging": {"type": "string"},
        "Authentication": {"type": "object"},
        "Entrypoint": {"type": "string"},
        "Command": {"type": "string"},
    },
}


class BundleError(TutorError):
    pass


@dataclass
class BundleReport:
    bundle: Path
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    kind: str = ""  # dockerfile | dockerrun
    port: int | None = None
    image: str | None = None
    files: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_dict(self) -> dict[str, Any]:
        return {
            "bundle": str(self.bundle),
            "ok": self.ok,
            "kind": self.kind,
            "port": self.port,
            "image": self.image,
            "problems": self.problems,
            "notes": self.notes,
        }


def _exposed_ports(dockerfile: str) -> list[int]:
    ports: list[int] = []
    for line in dockerfile.splitlines():
        words = line.strip().split()
        if words and words[0].upper() == "EXPOSE":
            for w in words[1:]:
                number = w.split("/")[0]
                if number.isdigit():
                    ports.append(int(number))
    return ports


def _member(zf: zipfile.ZipFile, name: str) -> bytes:
    """One file of the zip, read no further than the size limit (a zip bomb stops there)."""
    with zf.open(name) as f:
        data = f.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise LimitExceeded(
            f"{name} in the bundle unpacks to more than {MAX_FILE_BYTES // (1024 * 1024)} MB",
            hint="a Dockerfile or Dockerrun.aws.json is a few KB",
        )
    return data


def check_bundle(bundle: Path) -> BundleReport:
    """The checks Beanstalk applies to a Docker source bundle, with what to do about each."""
    report = BundleReport(bundle)
    if not bundle.is_file():
        report.problems.append(f"{bundle} does not exist")
        return report
    size = bundle.stat().st_size
    if size > MAX_BUNDLE_BYTES:
        report.problems.append(f"the bundle is {size / 1e6:.0f} MB; Beanstalk takes at most 500 MB")
    try:
        with zipfile.ZipFile(bundle) as zf:
            names = [n for n in zf.namelist() if not n.endswith("/")]
            wanted = ("Dockerfile", "Dockerrun.aws.json")
            read = {n: _member(zf, n) for n in names if PurePosixPath(n).name in wanted}
    except LimitExceeded as exc:
        report.problems.append(f"{exc.message} ({exc.hint})")
        return report
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        report.problems.append(f"{bundle.name} is not a zip file; a Beanstalk source bundle is a .zip")
        return report
    report.files = names
    root = {n for n in names if "/" not in n}
    if not names:
        report.problems.append("the zip is empty")
        return report
    deeper = [n for n in read if "/" in n]
    if not root & {"Dockerfile", "Dockerrun.aws.json", "docker-compose.yml"}:
        if deeper:
            folder = str(PurePosixPath(deeper[0]).parent)
            report.problems.append(
                f"the {PurePosixPath(deeper[0]).name} is in {folder}/, not at the root of the zip: "
                "Beanstalk only "
                f"looks at the root. Zip the folder's contents, not the folder: "
                f"`cd {folder} && zip -r ../{bundle.name} .`"
            )
        else:
            report.problems.append(
                "the zip has no Dockerfile, Dockerrun.aws.json or docker-compose.yml at its root, so "
                "Beanstalk's Docker platform cannot tell what to run"
            )
        return report
    report.notes.append(f"{len(names)} file(s), the Docker files at the root of the zip")
    if "Dockerfile" in root:
        report.kind = "dockerfile"
        ports = _exposed_ports(read["Dockerfile"].decode("utf-8", "replace"))
        if not ports:
            report.problems.append(
                "the Dockerfile has no EXPOSE: Beanstalk needs it to know which port to send traffic to"
            )
        elif len(ports) > 1:
            report.problems.append(
                f"the Dockerfile exposes {len(ports)} ports ({', '.join(map(str, ports))}); "
                "expose exactly one, "
                "the one your app listens on"
            )
        else:
            report.port = ports[0]
            report.notes.append(f"the Dockerfile exposes port {ports[0]}")
    if "Dockerrun.aws.json" in root:
        _check_dockerrun(read["Dockerrun.aws.json"], report, has_dockerfile=report.kind == "dockerfile")
    if report.kind == "" and "docker-compose.yml" in root:
        report.kind = "compose"
        report.problems.append(
            "docker-compose.yml bundles are not run locally by this tool; "
            "use a Dockerfile or Dockerrun.aws.json v1"
        )
    return report


def _check_dockerrun(raw: bytes, report: BundleReport, *, has_dockerfile: bool) -> None:
    import jsonschema

    try:
        data = load_json(raw)
    except LimitExceeded as exc:
        where = f" (line {exc.line})" if exc.line else ""
        report.problems.append(f"Dockerrun.aws.json{where}: {exc.message}")
        return
    except ValueError as exc:
        report.problems.append(f"Dockerrun.aws.json is not valid JSON ({exc})")
        return
    version = str(data.get("AWSEBDockerrunVersion", "")) if isinstance(data, dict) else ""
    if version in ("2", "3"):
        report.problems.append(
            f"Dockerrun.aws.json version {version} is for the ECS-based (v2) or Compose (v3) platform; "
            "the single-container Docker platform reads version 1"
        )
        return
    errors = sorted(
        jsonschema.Draft202012Validator(DOCKERRUN_V1_SCHEMA).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.path)) or "the top level"
        report.problems.append(f"Dockerrun.aws.json: at {where}, {e.message}")
        return
    if not has_dockerfile:
        if "Image" not in data:
            report.problems.append("Dockerrun.aws.json needs Image.Name when there is no Dockerfile")
            return
        report.kind = "dockerrun"
        report.image = data["Image"]["Name"]
        if "Ports" not in data:
            report.problems.append(
                "Dockerrun.aws.json needs Ports with the ContainerPort your app listens on"
            )
            return
    elif "Image" in data:
        report.notes.append("the Dockerfile is built; Image in Dockerrun.aws.json is not used")
    ports = data.get("Ports") or []
    if ports:
        first = int(ports[0]["ContainerPort"])
        if len(ports) > 1:
            report.notes.append(f"Beanstalk sends traffic to the first ContainerPort only ({first})")
        if report.port is not None and report.port != first:
            report.problems.append(
                f"the Dockerfile exposes {report.port} but Dockerrun.aws.json says {first}"
            )
        report.port = first
    report.notes.append(f"Dockerrun.aws.json v1 is valid (port {report.port})")


def _wait_healthy(port: int, seconds: float = 30.0) -> tuple[str, str]:
    deadline = time.monotonic() + seconds
    last = "no answer yet"
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as r:
                if 200 <= r.status < 400:
                    return "healthy", f"HTTP {r.status}"
                last = f"HTTP {r.status}"
        except urllib.error.HTTPError as exc:
            last = f"HTTP {exc.code}"
        except OSError as exc:
            last = str(getattr(exc, "reason", exc))
        time.sleep(0.5)
    return "unhealthy", last


def run_bundle(
    client: Any,
    bundle: Path,
    *,
    port: int | None = None,
    name: str | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    from docker.errors import ImageNotFound, NotFound

    say = progress or (lambda _t: None)
    report = check_bundle(bundle)
    if not report.ok:
        raise BundleError("the bundle would not deploy:\n  " + "\n  ".join(report.problems))
    assert report.port is not None
    name = name or f"eb-{bundle.stem}"
    from tutor.progress.identity import current_store_id

    store = current_store_id()
    labels = {LAB_LABEL: "eb-local", EB_LABEL: bundle.name, STORE_LABEL: store}
    if port is None:
        from tutor.base.ports import free_port

        port = free_port(8000, 8999)
    if report.kind == "dockerfile":
        image = f"eb-local/{name.removeprefix('eb-')}:latest"
        with tempfile.TemporaryDirectory() as tmp:
            zipfile.ZipFile(bundle).extractall(tmp)
            say(f"building {image} from the bundle's Dockerfile")
            client.images.build(path=tmp, tag=image, labels=labels, rm=True, forcerm=True)
    else:
        image = report.image or ""
        try:
            client.images.get(image)
        except ImageNotFound:
            raise BundleError(
                f"the image {image} named in Dockerrun.aws.json is not on this machine",
                hint=f"build or pull it first (`docker image ls {image.split(':')[0]}`)",
            ) from None
    try:
        old = client.containers.get(name)
    except NotFound:
        old = None
    if old is not None:
        if old.labels.get(LAB_LABEL) != "eb-local" or old.labels.get(STORE_LABEL) != store:
            raise BundleError(
                f"a container named {name} exists, and no `tutor eb run` of yours started it; "
                "it is left alone",
                hint="pick another name with --name",
            )
        old.remove(force=True)
    say(f"running {name}: host port {port} -> container port {report.port}")
    container = client.containers.run(
        image, name=name, detach=True, labels=labels, ports={f"{report.port}/tcp": ("127.0.0.1", port)}
    )
    health, detail = _wait_healthy(port)
    container.reload()
    return {
        "container": name,
        "image": image,
        "url": f"http://127.0.0.1:{port}/",
        "port": port,
        "container_port": report.port,
        "health": health,
        "detail": detail,
        "status": container.status,
    }


def stop_bundle(client: Any, name: str) -> bool:
    from docker.errors import NotFound

    try:
        container = client.containers.get(name)
    except NotFound:
        return False
    from tutor.progress.identity import current_store_id

    if (
        container.labels.get(LAB_LABEL) != "eb-local"
        or container.labels.get(STORE_LABEL) != current_store_id()
    ):
        raise BundleError(f"{name} was not started by your `tutor eb run`; it is left alone")
    container.remove(force=True)
    return True
