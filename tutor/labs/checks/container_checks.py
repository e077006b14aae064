"""The container check: state, image, ports, mounts, environment, health, restarts, of one container
or of every container with a label. Reasons speak of what the learner did."""

from __future__ import annotations

from typing import Any

from tutor.base.labels import STORE_LABEL
from tutor.content.models.lab_checks import (
    ContainerCheck,
)
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, foreign, ok
from tutor.labs.checks.docker_checks import env_dict, human_bytes, own_container, parse_memory, port_key


def _get_container(ctx: CheckContext, spec: ContainerCheck) -> tuple[Any | None, str]:
    """The container the check looks at, when it may be this learner's (see `foreign`)."""
    client = ctx.engine
    if spec.name:
        c, missing = own_container(spec.name, ctx)
        return (c, f"a container named {spec.name}") if c is not None else (None, missing)
    labelled = client.containers.list(all=True, filters={"label": spec.label})
    found = [c for c in labelled if not foreign(c.labels, ctx)]
    suffix = ctx.params.get("suffix", "")
    if suffix:  # made by hand: it is the learner's when it carries this attempt's suffix
        found = [c for c in found if c.labels.get(STORE_LABEL) or suffix in c.name]
    if not found:
        return None, f"no container of yours with the label {spec.label} exists yet"
    return found[0], f"a container labelled {spec.label} ({found[0].name})"


def _same_image(wanted: str, container: Any) -> bool:
    used = container.attrs.get("Config", {}).get("Image", "")
    tags = container.image.tags if container.image else []
    norm = lambda s: s if ":" in s.rsplit("/", 1)[-1] else f"{s}:latest"  # noqa: E731
    return norm(wanted) in {norm(used), *tags}


@check("container")
def container_check(spec: ContainerCheck, ctx: CheckContext) -> Outcome:
    c, who = _get_container(ctx, spec)
    if not spec.exists:
        if c is None:
            return ok(f"{who.replace(' exists yet', ' exists')}.")
        return fail(f"{who} still exists.", spec.hint or f"remove it with `docker rm {c.name}`")
    if c is None:
        what = f"--name {spec.name} " if spec.name else f"--label {spec.label} "
        return fail(f"{who}.", spec.hint or f"start one with `docker run {what}...`")
    attrs = c.attrs
    state = attrs.get("State", {})
    host = attrs.get("HostConfig", {})
    config = attrs.get("Config", {})
    status = state.get("Status", "?")
    if spec.running is True and status != "running":
        code = state.get("ExitCode")
        extra = " (it was killed for using too much memory)" if state.get("OOMKilled") else ""
        return fail(
            f"{who} exists but it is {status} (exit code {code}){extra}.",
            spec.hint or f"see why with `docker logs {c.name}`, then start it again",
        )
    if spec.running is False and status == "running":
        return fail(f"{who} is still running.", spec.hint or f"stop it with `docker stop {c.name}`")
    if spec.oom_killed is not None and bool(state.get("OOMKilled")) != spec.oom_killed:
        said = "was" if state.get("OOMKilled") else "was not"
        return fail(f"{who} {said} killed for running out of memory (status {status}).", spec.hint)
    if spec.status and status != spec.status:
        return fail(f"{who} is {status}, not {spec.status}.", spec.hint)
    if spec.exit_code is not None and state.get("ExitCode") != spec.exit_code:
        return fail(f"{who} exited with code {state.get('ExitCode')}, not {spec.exit_code}.", spec.hint)
    if spec.image and not _same_image(spec.image, c):
        return fail(
            f"{who} runs the image {config.get('Image')}, not {spec.image}.",
            spec.hint or f"remove it (`docker rm -f {c.name}`) and run it from {spec.image}",
        )
    if spec.restart is not None:
        policy = host.get("RestartPolicy", {}).get("Name") or "no"
        if policy != spec.restart:
            return fail(
                f"{who} has the restart policy {policy!r}, not {spec.restart!r}.",
                spec.hint or f"recreate it with `--restart {spec.restart}`",
            )
    if spec.restart_count_at_least is not None and attrs.get("RestartCount", 0) < spec.restart_count_at_least:
        return fail(
            f"{who} has restarted {attrs.get('RestartCount', 0)} time(s) so far.",
            spec.hint or "make its main process stop and watch Docker start it again",
        )
    if spec.health is not None:
        health = state.get("Health")
        if not health:
            return fail(f"{who} has no health check.", spec.hint or "add --health-cmd (or a HEALTHCHECK)")
        if health.get("Status") != spec.health:
            return fail(
                f"{who} is {health.get('Status')}, not {spec.health}.",
                spec.hint or f"`docker inspect {c.name}`",
            )
    for cport, hport in spec.ports.items():
        outcome = _port(who, c, cport, hport, spec.hint)
        if outcome is not None:
            return outcome
    env = env_dict(config.get("Env"))
    for key, value in spec.env.items():
        if key not in env:
            return fail(
                f"{who} has no environment variable {key}.", spec.hint or f"pass it with `-e {key}=...`"
            )
        if value != "*" and env[key] != value:
            return fail(f"{who} has {key}={env[key]!r}, but the task needs {value!r}.", spec.hint)
    for mount in spec.mounts:
        outcome = _mount(who, attrs.get("Mounts", []), mount, spec.hint)
        if outcome is not None:
            return outcome
    nets = set(attrs.get("NetworkSettings", {}).get("Networks", {}) or {})
    for net in spec.networks:
        if net not in nets:
            return fail(
                f"{who} is on {', '.join(sorted(nets)) or 'no network'}, not on {net}.",
                spec.hint
                or f"connect it with `docker network connect {net} {c.name}` or run it with --network {net}",
            )
    user = config.get("User") or ""
    if spec.user is not None and user != spec.user:
        return fail(f"{who} runs as user {user or 'root'!r}, not {spec.user!r}.", spec.hint)
    if spec.non_root and user in ("", "root", "0", "0:0"):
        return fail(f"{who} runs as root.", spec.hint or "run it with --user, or set USER in the image")
    if spec.memory is not None:
        want = parse_memory(spec.memory)
        have = host.get("Memory") or 0
        if have != want:
            shown = human_bytes(have) if have else "no limit"
            return fail(
                f"{who} has a memory limit of {shown}, not {spec.memory}.",
                spec.hint or f"use `--memory {spec.memory}`",
            )
    if spec.cpus is not None:
        have_cpus = (host.get("NanoCpus") or 0) / 1e9
        if abs(have_cpus - spec.cpus) > 1e-6:
            shown = f"{have_cpus:g} CPUs" if have_cpus else "no CPU limit"
            return fail(f"{who} has {shown}, not {spec.cpus:g}.", spec.hint or f"use `--cpus {spec.cpus:g}`")
    labels = config.get("Labels") or {}
    for key, value in spec.labels.items():
        if labels.get(key) != value:
            return fail(
                f"{who} does not carry the label {key}={value}.", spec.hint or f"use `--label {key}={value}`"
            )
    return ok(f"{who} is as it should be.")


def _port(who: str, c: Any, cport: str, hport: str, hint: str) -> Outcome | None:
    key = port_key(cport)
    bound = (c.attrs.get("NetworkSettings", {}).get("Ports") or {}) if c.status == "running" else {}
    if not bound:
        bound = {k: v for k, v in (c.attrs.get("HostConfig", {}).get("PortBindings") or {}).items()}
    bindings = bound.get(key) or []
    host_ports = {b.get("HostPort") for b in bindings if b}
    if hport in host_ports:
        return None
    # Is the wanted host port going somewhere else in this container?
    for other, binds in bound.items():
        if any(b and b.get("HostPort") == hport for b in binds or []):
            return Outcome(
                False,
                f"{who} publishes host port {hport} to container port {other.split('/')[0]}, "
                f"but the server inside listens on {cport}.",
                hint or f"recreate it with `-p {hport}:{cport}`",
            )
    if not host_ports:
        return Outcome(
            False,
            f"{who} is running, but port {cport} is not published to the host; you may have left out -p.",
            hint or f"recreate it with `-p {hport}:{cport}`",
        )
    return Outcome(
        False,
        f"{who} publishes container port {cport} on host port "
        f"{', '.join(sorted(p for p in host_ports if p))}, "
        f"not {hport}.",
        hint or f"recreate it with `-p {hport}:{cport}`",
    )


def _mount(who: str, mounts: list[dict[str, Any]], spec: Any, hint: str) -> Outcome | None:
    at = [m for m in mounts if m.get("Destination") == spec.destination]
    if not at:
        where = ", ".join(m.get("Destination", "?") for m in mounts) or "nothing"
        return Outcome(False, f"{who} has nothing mounted at {spec.destination} (it mounts {where}).", hint)
    m = at[0]
    if spec.volume is not None and (m.get("Type") != "volume" or m.get("Name") != spec.volume):
        got = f"the volume {m.get('Name')}" if m.get("Type") == "volume" else f"a {m.get('Type')} mount"
        return Outcome(
            False,
            f"{who} mounts {got} at {spec.destination}, not the volume {spec.volume}.",
            hint or f"use `-v {spec.volume}:{spec.destination}`",
        )
    if spec.bind is not None and (m.get("Type") == "bind") != spec.bind:
        return Outcome(False, f"{who} mounts a {m.get('Type')} at {spec.destination}.", hint)
    if spec.read_only is not None and (not m.get("RW", True)) != spec.read_only:
        mode = "read-write" if m.get("RW", True) else "read-only"
        return Outcome(
            False, f"{who} mounts {spec.destination} {mode}.", hint or "add `:ro` to make it read-only"
        )
    return None
