"""Run a bundle on the local engine as the Docker platform runs it (like `eb local run`): build or
pull, start, health-check the web port. A Dockerfile or Dockerrun.aws.json v1 bundle becomes one
container; a docker-compose.yml bundle becomes a Compose project. Environment properties (from
.ebextensions option_settings and --env) reach the app as Beanstalk passes them."""

from __future__ import annotations

import re
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tutor.aws.beanstalk.check import check_bundle
from tutor.aws.beanstalk.compose_bundle import EB_LABEL, run_compose, stop_compose
from tutor.aws.beanstalk.source import BundleError, open_bundle
from tutor.base.labels import LAB_LABEL, STORE_LABEL
from tutor.base.paths import data_home


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


def _store() -> str:
    from tutor.progress.identity import current_store_id

    return current_store_id()


def _ours(labels: dict[str, str]) -> bool:
    """Started by `tutor eb run` from this learner's store (another learner's is left alone)."""
    return labels.get(LAB_LABEL) == "eb-local" and labels.get(STORE_LABEL) == _store()


def local_name(bundle: Path) -> str:
    stem = bundle.stem if bundle.suffix == ".zip" else bundle.resolve().name
    return "eb-" + (re.sub(r"[^a-z0-9_-]+", "-", stem.lower()).strip("-") or "app")


def run_bundle(
    client: Any,
    bundle: Path,
    *,
    port: int | None = None,
    name: str | None = None,
    env: dict[str, str] | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    from docker.errors import ImageNotFound, NotFound

    say = progress or (lambda _t: None)
    report = check_bundle(bundle)
    if not report.ok:
        raise BundleError("the bundle would not deploy:\n  " + "\n  ".join(report.problems))
    if not report.runs_locally:
        raise BundleError(
            f"this is a {report.kind} bundle for the {report.platform} platform branch, which "
            "`tutor eb run` does not emulate",
            hint="`tutor eb check` explains it and drafts the docker-compose.yml for the Docker platform",
        )
    name = name or local_name(bundle)
    props = {**report.env, **(env or {})}
    if port is None:
        from tutor.base.ports import free_port

        port = free_port(8000, 8999)
    src = open_bundle(bundle)
    if report.kind == "compose":
        folder = data_home() / "eb" / name
        say(f"starting the Compose project {name}: host port 80 is published on 127.0.0.1:{port}")
        ran = run_compose(src, report, folder, project=name, port=port, env=props)
        health, detail = _wait_healthy(port) if report.port else ("unknown", "no service publishes port 80")
        return {
            "project": name,
            "services": ran["services"],
            "url": f"http://127.0.0.1:{port}/",
            "port": port,
            "container_port": report.port,
            "health": health,
            "detail": detail,
            "environment": sorted(props),
        }
    assert report.port is not None
    labels = {LAB_LABEL: "eb-local", EB_LABEL: bundle.name, STORE_LABEL: _store()}
    if report.kind == "dockerfile":
        image = f"eb-local/{name.removeprefix('eb-')}:latest"
        with tempfile.TemporaryDirectory() as tmp:
            src.copy_to(Path(tmp))
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
        if not _ours(old.labels):
            raise BundleError(
                f"a container named {name} exists, and no `tutor eb run` of yours started it; "
                "it is left alone",
                hint="pick another name with --name",
            )
        old.remove(force=True)
    say(f"running {name}: host port {port} -> container port {report.port}")
    container = client.containers.run(
        image,
        name=name,
        detach=True,
        labels=labels,
        environment=props,
        ports={f"{report.port}/tcp": ("127.0.0.1", port)},
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
        "environment": sorted(props),
    }


def stop_bundle(client: Any, name: str) -> bool:
    """Stop what `tutor eb run` started under `name` (a container or a Compose project)."""
    from docker.errors import NotFound

    project = client.containers.list(all=True, filters={"label": f"com.docker.compose.project={name}"})
    if project:
        if not all(_ours(c.labels) for c in project):
            raise BundleError(
                f"the Compose project {name} was not started by your `tutor eb run`; it is left alone"
            )
        stop_compose(name, data_home() / "eb" / name)
        return True
    try:
        container = client.containers.get(name)
    except NotFound:
        return False
    if not _ours(container.labels):
        raise BundleError(f"{name} was not started by your `tutor eb run`; it is left alone")
    container.remove(force=True)
    return True
