"""The compose check: a Compose project's containers, found through the labels Compose puts on them
(com.docker.compose.project, com.docker.compose.service), never through container names."""

from __future__ import annotations

from typing import Any

from tutor.content.models.lab_checks_orch import ComposeCheck
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, ok
from tutor.labs.checks.docker_checks import env_dict, port_key

PROJECT = "com.docker.compose.project"
SERVICE = "com.docker.compose.service"
ONEOFF = "com.docker.compose.oneoff"


def project_containers(client: Any, project: str, service: str | None = None) -> list[Any]:
    """The project's containers (one-off `docker compose run` containers left out)."""
    labels = [f"{PROJECT}={project}"] + ([f"{SERVICE}={service}"] if service else [])
    found = client.containers.list(all=True, filters={"label": labels})
    return [c for c in found if c.labels.get(ONEOFF, "False") != "True"]


@check("compose")
def compose_check(spec: ComposeCheck, ctx: CheckContext) -> Outcome:
    client = ctx.engine
    what = (
        f"the service {spec.service} of the project {spec.project}"
        if spec.service
        else (f"the Compose project {spec.project}")
    )
    containers = project_containers(client, spec.project, spec.service)
    if not spec.exists:
        if not containers:
            return ok(f"{what} has no containers.")
        names = ", ".join(c.name for c in containers)
        return fail(f"{what} still has containers ({names}).", spec.hint)
    if not containers:
        other = project_containers(client, spec.project)
        if spec.service and other:
            services = sorted({c.labels.get(SERVICE, "?") for c in other})
            return fail(
                f"the project {spec.project} has no service {spec.service} running containers "
                f"(it has: {', '.join(services)}).",
                spec.hint
                or "is the service behind a profile? `docker compose --profile NAME up -d` starts it",
            )
        return fail(
            f"no container belongs to {what}.",
            spec.hint or f"start it with `docker compose -p {spec.project} up -d` (the project name matters)",
        )
    running = [c for c in containers if c.status == "running"]
    if spec.running is not None and len(running) != spec.running:
        states = ", ".join(f"{c.name} {_state(c)}" for c in containers)
        return fail(
            f"{what} has {len(running)} running container(s), not {spec.running} ({states}).", spec.hint
        )
    if spec.healthy is not None:
        for c in running or containers:
            health = ((c.attrs.get("State") or {}).get("Health") or {}).get("Status")
            if health is None:
                return fail(
                    f"{c.name} has no health check.", spec.hint or "add a `healthcheck:` to the service"
                )
            if (health == "healthy") != spec.healthy:
                return fail(
                    f"{c.name} is {health}.", spec.hint or f"`docker inspect {c.name}` shows the probes"
                )
    if spec.service:
        outcome = _service_details(spec, running or containers)
        if outcome is not None:
            return outcome
    return ok(f"{what} is as it should be ({len(running)} running).")


def _state(c: Any) -> str:
    state = c.attrs.get("State") or {}
    health = (state.get("Health") or {}).get("Status")
    return (
        f"{c.status}"
        + (f"/{health}" if health else "")
        + (f" (exit {state.get('ExitCode')})" if c.status == "exited" else "")
    )


def _service_details(spec: ComposeCheck, containers: list[Any]) -> Outcome | None:
    c = containers[0]
    attrs = c.attrs
    config = attrs.get("Config") or {}
    if spec.image and config.get("Image") != spec.image:
        return fail(f"{c.name} runs {config.get('Image')}, not {spec.image}.", spec.hint)
    env = env_dict(config.get("Env"))
    for key, value in spec.env.items():
        if key not in env:
            return fail(
                f"{c.name} has no environment variable {key}.",
                spec.hint or "set it under `environment:` or in an `env_file:`, then `up -d` again",
            )
        if value != "*" and env[key] != value:
            return fail(f"{c.name} has {key}={env[key]!r}, not {value!r}.", spec.hint)
    bound = (attrs.get("HostConfig") or {}).get("PortBindings") or {}
    for cport, hport in spec.ports.items():
        hosts = {b.get("HostPort") for b in bound.get(port_key(cport)) or [] if b}
        if hport not in hosts:
            shown = ", ".join(sorted(h for h in hosts if h)) or "no host port"
            return fail(f"{c.name} publishes container port {cport} on {shown}, not {hport}.", spec.hint)
    nets = set((attrs.get("NetworkSettings") or {}).get("Networks") or {})
    for net in spec.networks:
        if net not in nets:
            return fail(f"{c.name} is on {', '.join(sorted(nets)) or 'no network'}, not on {net}.", spec.hint)
    mounted = {m.get("Name") for m in attrs.get("Mounts") or [] if m.get("Type") == "volume"}
    for vol in spec.volumes:
        if vol not in mounted:
            shown = ", ".join(sorted(v for v in mounted if v)) or "no named volume"
            return fail(f"{c.name} mounts {shown}, not the volume {vol}.", spec.hint)
    return None
