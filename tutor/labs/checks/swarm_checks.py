"""Checks through the Swarm API: services and their tasks, secrets, configs, the node."""

from __future__ import annotations

import base64
from typing import Any

from tutor.content.models.lab_checks_orch import ServiceCheck, SwarmCheck, SwarmObjectCheck
from tutor.labs import swarm
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, ok
from tutor.labs.checks.docker_checks import env_dict

NOT_IN_SWARM = "the engine is not in swarm mode"
SWARM_HINT = "start the lab again (`tutor lab start LAB`): it turns swarm mode on"


def _no_swarm(what: str) -> Outcome:
    return fail(f"{NOT_IN_SWARM}, so there is no {what}.", SWARM_HINT)


def _gone(who: str, present: bool, hint: str) -> Outcome:
    """The outcome of a check that wants `who` removed."""
    return fail(f"{who} still exists.", hint) if present else ok(f"{who} is gone.")


def duration(text: str) -> int:
    """Nanoseconds of a Docker duration such as 10s, 1m30s, 500ms."""
    units = {"ns": 1, "us": 1_000, "ms": 1_000_000, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
    total, number, i = 0, "", 0
    while i < len(text):
        ch = text[i]
        if ch.isdigit() or ch == ".":
            number += ch
            i += 1
            continue
        unit = text[i : i + 2] if text[i : i + 2] in units else ch
        total += int(float(number or "0") * units.get(unit, 10**9))
        number, i = "", i + len(unit)
    return total + (int(float(number) * 10**9) if number else 0)


def _service(client: Any, name: str) -> Any | None:
    found = [s for s in client.services.list(filters={"name": name}) if s.name == name]
    return found[0] if found else None


@check("service")
def service_check(spec: ServiceCheck, ctx: CheckContext) -> Outcome:
    client = ctx.engine
    if not swarm.active(client):
        return _no_swarm(f"service {spec.name}")
    svc = _service(client, spec.name)
    who = f"the service {spec.name}"
    if not spec.exists:
        return _gone(who, svc is not None, spec.hint or f"`docker service rm {spec.name}`")
    if svc is None:
        return fail(f"there is no service {spec.name} yet.", spec.hint or "`docker service ls` lists them")
    attrs = svc.attrs
    s = attrs.get("Spec") or {}
    container = (s.get("TaskTemplate") or {}).get("ContainerSpec") or {}
    mode = "global" if "Global" in (s.get("Mode") or {}) else "replicated"
    if spec.mode and mode != spec.mode:
        return fail(f"{who} runs in {mode} mode, not {spec.mode}.", spec.hint or f"`--mode {spec.mode}`")
    desired = ((s.get("Mode") or {}).get("Replicated") or {}).get("Replicas")
    if spec.replicas is not None and desired != spec.replicas:
        return fail(
            f"{who} wants {desired} replica(s), not {spec.replicas}.",
            spec.hint or f"`docker service scale {spec.name}={spec.replicas}`",
        )
    image = str(container.get("Image", "")).split("@")[0]
    if spec.image and image != spec.image:
        return fail(f"{who} runs the image {image}, not {spec.image}.", spec.hint)
    outcome = _tasks(spec, svc, who)
    if outcome is None:
        outcome = _update(spec, attrs, who)
    if outcome is None:
        outcome = _wiring(spec, client, s, container, who)
    return outcome or ok(f"{who} is as it should be.")


def _tasks(spec: ServiceCheck, svc: Any, who: str) -> Outcome | None:
    if spec.running is None and spec.pending is None:
        return None
    tasks = [t for t in svc.tasks() if t.get("DesiredState") == "running"]
    states = [(t.get("Status") or {}).get("State") for t in tasks]
    running, pending = states.count("running"), states.count("pending")
    if spec.running is not None and running != spec.running:
        errors = {(t.get("Status") or {}).get("Err") for t in tasks} - {None, ""}
        why = f" ({sorted(errors)[0]})" if errors else ""
        return fail(
            f"{who} has {running} running task(s), not {spec.running}{why}.",
            spec.hint or f"`docker service ps {svc.name}` shows each task and its error",
        )
    if spec.pending is not None and pending != spec.pending:
        return fail(f"{who} has {pending} task(s) waiting for a node, not {spec.pending}.", spec.hint)
    return None


def _update(spec: ServiceCheck, attrs: dict[str, Any], who: str) -> Outcome | None:
    cfg = (attrs.get("Spec") or {}).get("UpdateConfig") or {}
    wanted = {
        "Parallelism": spec.update_parallelism,
        "FailureAction": spec.update_failure_action,
        "Order": spec.update_order,
    }
    for key, value in wanted.items():
        if value is not None and cfg.get(key, 1 if key == "Parallelism" else None) != value:
            flag = {"Parallelism": "parallelism", "FailureAction": "failure-action", "Order": "order"}[key]
            return fail(
                f"{who} has update {flag} {cfg.get(key)!r}, not {value!r}.",
                spec.hint or f"`docker service update --update-{flag} {value} ...`",
            )
    if spec.update_delay is not None and cfg.get("Delay", 0) != duration(spec.update_delay):
        return fail(
            f"{who} waits {cfg.get('Delay', 0) / 1e9:g}s between updates, not {spec.update_delay}.",
            spec.hint or f"`--update-delay {spec.update_delay}`",
        )
    if spec.update_state is not None:
        status = (attrs.get("UpdateStatus") or {}).get("State") or "none"
        if status != spec.update_state:
            message = (attrs.get("UpdateStatus") or {}).get("Message") or ""
            return fail(f"{who}'s last update is {status}{f' ({message})' if message else ''}.", spec.hint)
    return None


def _wiring(
    spec: ServiceCheck, client: Any, s: dict[str, Any], container: dict[str, Any], who: str
) -> Outcome | None:
    for kind, wanted, have in (
        ("secret", spec.secrets, {x.get("SecretName") for x in container.get("Secrets") or []}),
        ("config", spec.configs, {x.get("ConfigName") for x in container.get("Configs") or []}),
    ):
        for name in wanted:
            if name not in have:
                return fail(
                    f"{who} is not given the {kind} {name} (it has {', '.join(sorted(have)) or 'none'}).",
                    spec.hint or f"`docker service update --{kind}-add {name} ...`",
                )
    nets = {n.get("Target") for n in (s.get("TaskTemplate") or {}).get("Networks") or s.get("Networks") or []}
    names = {_network_name(client, n) for n in nets}
    for net in spec.networks:
        if net not in names:
            return fail(f"{who} is on {', '.join(sorted(names)) or 'no network'}, not {net}.", spec.hint)
    ports = ((s.get("EndpointSpec") or {}).get("Ports")) or []
    for want in spec.published:
        match = [p for p in ports if p.get("TargetPort") == want.target]
        if not match:
            return fail(f"{who} publishes no port to {want.target}.", spec.hint or "`--publish ...`")
        p = match[0]
        if want.published is not None and str(p.get("PublishedPort")) != str(want.published):
            return fail(
                f"{who} publishes {want.target} on {p.get('PublishedPort')}, not {want.published}.", spec.hint
            )
        if want.mode and p.get("PublishMode", "ingress") != want.mode:
            return fail(
                f"{who} publishes {want.target} in {p.get('PublishMode')} mode, not {want.mode}.", spec.hint
            )
    have_constraints = ((s.get("TaskTemplate") or {}).get("Placement") or {}).get("Constraints") or []
    for c in spec.constraints:
        if c.replace(" ", "") not in {x.replace(" ", "") for x in have_constraints}:
            return fail(f"{who} has the constraints {have_constraints or 'none'}, not {c}.", spec.hint)
    labels = s.get("Labels") or {}
    for k, v in spec.labels.items():
        if labels.get(k) != v:
            return fail(f"{who} does not carry the label {k}={v}.", spec.hint)
    env = env_dict(container.get("Env"))
    for k, v in spec.env.items():
        if k not in env or (v != "*" and env[k] != v):
            return fail(f"{who} does not set {k}={v}.", spec.hint)
    return None


def _network_name(client: Any, net_id: str) -> str:
    try:
        return client.networks.get(net_id).name
    except Exception:
        return net_id


@check("swarm")
def swarm_check(spec: SwarmCheck, ctx: CheckContext) -> Outcome:
    client = ctx.engine
    here = swarm.state(client)
    active = here.active
    if not spec.active:
        return (
            ok("the engine is not in swarm mode.") if not active else fail("the engine is still in a swarm.")
        )
    if not active:
        return fail(f"{NOT_IN_SWARM}.", spec.hint or "`docker swarm init --advertise-addr 127.0.0.1`")
    node = client.nodes.get(here.node)
    nspec = node.attrs.get("Spec") or {}
    labels = nspec.get("Labels") or {}
    for k, v in spec.node_labels.items():
        if k not in labels or (v != "*" and labels[k] != v):
            return fail(
                f"the node has {labels or 'no labels'}, not {k}={v}.",
                spec.hint or f"`docker node update --label-add {k}={v} self`",
            )
    for k in spec.no_node_labels:
        if k in labels:
            return fail(
                f"the node still has the label {k}.", spec.hint or f"`docker node update --label-rm {k} self`"
            )
    if spec.availability and nspec.get("Availability") != spec.availability:
        return fail(
            f"the node is {nspec.get('Availability')}, not {spec.availability}.",
            spec.hint or f"`docker node update --availability {spec.availability} self`",
        )
    return ok("the swarm and its node are as they should be.")


@check("secret")
@check("config")
def swarm_object_check(spec: SwarmObjectCheck, ctx: CheckContext) -> Outcome:
    client = ctx.engine
    if not swarm.active(client):
        return _no_swarm(f"{spec.kind} {spec.name}")
    lister = client.secrets.list if spec.kind == "secret" else client.configs.list
    found = [o for o in lister(filters={"name": spec.name}) if o.name == spec.name]
    if not spec.exists:
        return _gone(f"the {spec.kind} {spec.name}", bool(found), spec.hint)
    if not found:
        return fail(f"there is no {spec.kind} {spec.name}.", spec.hint or f"`docker {spec.kind} create ...`")
    obj = found[0]
    labels = (obj.attrs.get("Spec") or {}).get("Labels") or {}
    for k, v in spec.labels.items():
        if labels.get(k) != v:
            return fail(f"the {spec.kind} {spec.name} does not carry the label {k}={v}.", spec.hint)
    if spec.data_contains:
        data = base64.b64decode((obj.attrs.get("Spec") or {}).get("Data") or b"").decode("utf-8", "replace")
        if spec.data_contains not in data:
            return fail(f"the config {spec.name} does not contain {spec.data_contains!r}.", spec.hint)
    return ok(f"the {spec.kind} {spec.name} is there.")
