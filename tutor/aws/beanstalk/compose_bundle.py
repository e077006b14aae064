"""docker-compose.yml bundles (Docker running on AL2023): checked as Beanstalk reads them, and run
locally with Compose v2 the way the platform runs them.

From "Configuring Elastic Beanstalk Docker environments"
(https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker.container.console.html):
with Docker Compose Beanstalk runs no NGINX proxy (it expects one as a container), writes the
environment properties to a `.env` file at the root of the app unless the bundle has one, and sets
EB_LOG_BASE_DIR (/var/log/eb-docker/containers) for log bind mounts. The instance's port 80 gets
the web traffic (the default process listens on port 80).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from tutor.aws.beanstalk.extensions import dotenv
from tutor.aws.beanstalk.source import BundleSource
from tutor.base.labels import LAB_LABEL, STORE_LABEL
from tutor.content.loading.yamlsource import YamlSyntaxError, parse

FILE = "docker-compose.yml"
EB_LABEL = "tutor.eb"
WEB_PORT = 80


def _published_80(services: dict[str, Any]) -> list[tuple[str, int]]:
    """(service, container port) for every port published on host port 80."""
    found = []
    for name, svc in services.items():
        for p in (svc or {}).get("ports") or []:
            if isinstance(p, dict):
                if str(p.get("published", "")) == str(WEB_PORT) and p.get("target"):
                    found.append((name, int(p["target"])))
                continue
            parts = str(p).split("/")[0].split(":")
            if len(parts) >= 2 and parts[-2] == str(WEB_PORT) and parts[-1].isdigit():
                found.append((name, int(parts[-1])))
    return found


def check_compose(src: BundleSource, report: Any, resolve: bool) -> None:
    try:
        data = parse(src.text(FILE))
    except YamlSyntaxError as exc:
        where = f" at line {exc.line}" if exc.line else ""
        report.problems.append(f"{FILE} is not valid YAML{where}: {exc}")
        return
    services = (data or {}).get("services") if isinstance(data, dict) else None
    if not isinstance(services, dict) or not services:
        report.problems.append(f"{FILE} defines no services (a top-level `services:` mapping)")
        return
    for name, svc in services.items():
        build = (svc or {}).get("build")
        context = build.get("context", ".") if isinstance(build, dict) else build
        if context and (
            PurePosixPath(str(context)).is_absolute() or ".." in PurePosixPath(str(context)).parts
        ):
            report.problems.append(f"{FILE}, service {name}: build context {context} is outside the bundle")
    resolved = _resolve(src, report) if resolve else None
    if resolve and report.problems:
        return
    # Compose's own reading where there is one: it fills ${VARS} in ports and drops services of
    # profiles, which `docker compose up` on the instance does not start.
    web = _published_80(services if resolved is None else (resolved.get("services") or {}))
    if web:
        service, target = web[0]
        report.port = target
        report.notes.append(
            f"service {service} publishes host port 80 (container port {target}): Beanstalk sends web "
            "traffic there"
        )
    else:
        report.warnings.append(
            "no service publishes host port 80: Beanstalk sends web traffic to port 80 of the instance, and "
            'with Compose there is no proxy of its own in front; publish your web service there ("80:PORT")'
        )
    report.notes.append(f"{FILE} has {len(services)} service(s): {', '.join(services)}")
    if ".env" in src.root:
        report.notes.append(".env is in the bundle, so Beanstalk writes none from the environment properties")
    else:
        report.notes.append(
            "Beanstalk writes the environment properties to .env; a service gets them with `env_file: .env`"
        )


def _resolve(src: BundleSource, report: Any) -> dict[str, Any] | None:
    """Have Compose itself read the file (when Compose v2 is here): its errors name the service.
    Returns the project as Compose resolves it, None when it could not."""
    import tempfile

    from tutor.base import compose, compose_run

    if compose.find() is None:
        report.notes.append("Compose v2 is not here, so the file was read as YAML only")
        return None
    with tempfile.TemporaryDirectory(prefix="tutor-eb-") as tmp:
        src.copy_to(Path(tmp))
        if ".env" not in src.root:  # Beanstalk writes one (from the environment properties)
            (Path(tmp) / ".env").write_text("", encoding="utf-8")
        try:
            return compose_run.resolved(Path(tmp) / FILE, "eb-check", _env(Path(tmp)))
        except compose_run.ComposeFailed as exc:
            report.problems.append(exc.message.replace(str(Path(tmp) / FILE), FILE))
            return None


def _env(folder: Path) -> dict[str, str]:
    logs = folder / ".eb-logs"
    logs.mkdir(exist_ok=True)
    return {**os.environ, "EB_LOG_BASE_DIR": str(logs)}


def run_compose(
    src: BundleSource, report: Any, folder: Path, *, project: str, port: int, env: dict[str, str]
) -> dict[str, Any]:
    """Copy the bundle to `folder`, write .env as Beanstalk would, publish host port 80 on `port`
    (on 127.0.0.1), and `up -d` with the app's labels. Returns what runs."""
    import json

    from tutor.base import compose_run
    from tutor.progress.identity import current_store_id

    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    src.copy_to(folder)
    if ".env" not in src.root:
        (folder / ".env").write_text(dotenv(env), encoding="utf-8")
    run_env = _env(folder)
    config = compose_run.resolved(folder / FILE, project, run_env)
    for svc in (config.get("services") or {}).values():
        for p in svc.get("ports") or []:
            p["host_ip"] = "127.0.0.1"
            if str(p.get("published", "")) == str(WEB_PORT):
                p["published"] = str(port)
        svc["labels"] = {
            **(svc.get("labels") or {}),
            LAB_LABEL: "eb-local",
            EB_LABEL: src.path.name,
            STORE_LABEL: current_store_id(),
        }
    local = folder / ".tutor-eb-local.json"
    local.write_text(json.dumps(config), encoding="utf-8")
    compose_run.up(local, project, folder, run_env, check_safety=False)
    return {"project": project, "services": list(config.get("services") or {})}


def stop_compose(project: str, folder: Path) -> None:
    from tutor.base import compose, compose_run

    proc = compose_run.run_argv(
        compose.argv("-p", project, "down", "-v", "--rmi", "local"), os.environ, Path.cwd()
    )
    if proc.returncode != 0:
        raise compose_run.ComposeFailed(
            f"`docker compose -p {project} down` failed: {proc.stderr.strip()[-300:]}"
        )
    shutil.rmtree(folder, ignore_errors=True)
