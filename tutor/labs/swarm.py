"""Swarm mode for the labs, leaving the engine as the lab found it.

A Swarm lab says before it starts that it will turn swarm mode on. If the engine was not in a
swarm, the lab turns it on (listening on 127.0.0.1 only) and writes down that it did, with the
new cluster's id, in `swarm.json` of this store's folder; reset turns it off again once no lab of
this store needs it and the swarm holds nothing the labs did not make. If the engine was already
in a swarm, the lab touches only what it made (its services, secrets, configs and networks), and a
lab that changes the node itself (labels, drain) refuses to run there.

The ingress routing mesh (a published port answering on every node) needs the kernel's IPVS;
`routing_mesh()` says whether this machine has it, and `publish_mode` parameters follow it.
"""

from __future__ import annotations

import json
import os
import platform
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.errors import EnvironmentProblem
from tutor.base.paths import data_home

LISTEN = "127.0.0.1"
GWBRIDGE = "docker_gwbridge"


@dataclass(frozen=True)
class SwarmState:
    active: bool
    manager: bool
    cluster: str
    node: str
    error: str = ""


def state(client: Any) -> SwarmState:
    info = client.info().get("Swarm") or {}
    return SwarmState(
        active=info.get("LocalNodeState") == "active",
        manager=bool(info.get("ControlAvailable")),
        cluster=((info.get("Cluster") or {}).get("ID")) or "",
        node=info.get("NodeID") or "",
        error=info.get("Error") or "",
    )


def active(client: Any) -> bool:
    """Whether the engine is in a swarm (as a manager or a worker)."""
    return state(client).active


def _record_path() -> Path:
    return data_home() / "swarm.json"


def record() -> dict[str, Any]:
    try:
        data = json.loads(_record_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(data: dict[str, Any]) -> None:
    path = _record_path()
    if not data:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    tmp.replace(path)


def ours(current: SwarmState) -> bool:
    """The swarm the engine is in is one a lab of this store turned on."""
    rec = record()
    return bool(current.active and rec.get("cluster") and rec.get("cluster") == current.cluster)


def notice(client: Any, *, node: bool = False) -> str:
    """What a Swarm lab says before it starts (empty when nothing about swarm mode changes)."""
    current = state(client)
    if not current.active:
        return (
            "This lab turns on swarm mode on your Docker engine (`docker swarm init`, listening on "
            "127.0.0.1 only). Resetting the lab (`tutor lab reset`) turns it off again "
            "(`docker swarm leave --force`); nothing else of yours is touched."
        )
    if ours(current):
        return ""
    what = "changes the node (labels, drain)" if node else "adds its own services to it"
    return f"Your engine is already in a swarm: this lab {what} and removes only what it made on reset."


def ensure(client: Any, lab_id: str, *, node: bool = False) -> bool:
    """Swarm mode on for `lab_id`: True when this call turned it on. Never half-changes the engine:
    either the swarm is up, or nothing changed and EnvironmentProblem says why."""
    current = state(client)
    rec = record()
    if current.active:
        if not current.manager:
            raise EnvironmentProblem(
                "this engine is a worker in a swarm, and Swarm labs need a manager (they create services)",
                hint="run the lab on a manager node, or on an engine outside the swarm",
            )
        if ours(current):
            rec["labs"] = sorted({*rec.get("labs", []), lab_id})
            _save(rec)
            return False
        if node:
            raise EnvironmentProblem(
                "this lab labels and drains the swarm's node, and your engine is already in a swarm "
                "that a lab did not make: it will not change your node",
                hint="run it on an engine that is not in a swarm (the lab turns swarm mode on and off "
                "itself), or leave your swarm first if nothing in it matters (`docker swarm leave`)",
            )
        return False
    if current.error:
        raise EnvironmentProblem(f"swarm mode is in an error state: {current.error}", hint=_init_hint(""))
    had_gwbridge = bool(client.networks.list(names=[GWBRIDGE]))
    try:
        client.swarm.init(advertise_addr=LISTEN, listen_addr=f"{LISTEN}:2377")
    except Exception as exc:
        message = getattr(exc, "explanation", None) or str(exc)
        if state(client).active:  # it did start after all: undo, so nothing is half-changed
            _leave(client, had_gwbridge)
        raise EnvironmentProblem(
            f"swarm mode could not start on this engine: {str(message).splitlines()[0][:200]}",
            hint=_init_hint(str(message)),
        ) from None
    after = state(client)
    _save({"cluster": after.cluster, "labs": [lab_id], "gwbridge_existed": had_gwbridge})
    return True


def _init_hint(message: str) -> str:
    if "2377" in message or "address already in use" in message:
        return "something else listens on 127.0.0.1:2377, Swarm's port: stop it and start the lab again"
    return (
        "check `docker info` (Swarm:) and the engine's log; a rootless or restricted engine may not "
        "allow swarm mode. `docker swarm init --advertise-addr 127.0.0.1` shows the engine's own error"
    )


def leftovers(client: Any) -> list[str]:
    """What the swarm holds besides the default ingress network: services, secrets, configs, networks."""
    found = [f"service {s.name}" for s in client.services.list()]
    found += [f"secret {s.name}" for s in client.secrets.list()]
    found += [f"config {c.name}" for c in client.configs.list()]
    found += [
        f"network {n.name}"
        for n in client.networks.list(filters={"driver": "overlay"})
        if n.name != "ingress" and (n.attrs.get("Scope") == "swarm")
    ]
    return found


def release(client: Any, lab_id: str) -> str:
    """After a lab's reset: turn swarm mode off when a lab of this store turned it on, no other
    lab of the store still needs it, and nothing else is left in it. Says what it did."""
    rec = record()
    if not rec:
        return ""
    rec["labs"] = [x for x in rec.get("labs", []) if x != lab_id]
    current = state(client)
    if not current.active or current.cluster != rec.get("cluster"):
        _save({})  # someone else left or replaced the swarm: it is no longer ours
        return ""
    if rec["labs"]:
        _save(rec)
        return f"swarm mode stays on for {', '.join(rec['labs'])}"
    left = leftovers(client)
    if left:
        _save(rec)
        return (
            f"swarm mode stays on: it holds what the lab did not make ({', '.join(left[:4])}); "
            "`docker swarm leave --force` turns it off"
        )
    _leave(client, bool(rec.get("gwbridge_existed")))
    _save({})
    return "swarm mode turned off again, as it was before the lab"


def _leave(client: Any, had_gwbridge: bool) -> None:
    import time

    client.swarm.leave(force=True)
    if had_gwbridge:
        return
    for _ in range(20):  # the bridge goes once the ingress sandbox has let go of it
        nets = client.networks.list(names=[GWBRIDGE])
        if not nets:
            return
        try:
            nets[0].remove()
            return
        except Exception:
            time.sleep(0.25)


# -- the ingress routing mesh -------------------------------------------------------------


def routing_mesh(client: Any | None = None) -> tuple[str, str]:
    """("available" | "missing" | "unknown", why). The mesh needs IPVS in the engine's kernel."""
    forced = os.environ.get("TUTOR_ROUTING_MESH", "")
    if forced in ("available", "missing"):
        return forced, "set by TUTOR_ROUTING_MESH"
    host = os.environ.get("DOCKER_HOST", "")
    if sys.platform != "linux" or (host and not host.startswith("unix://")):
        return "unknown", "the engine runs elsewhere (a VM or another host); Docker Desktop's has IPVS"
    release_ = platform.release()
    if client is not None:
        kernel = client.info().get("KernelVersion") or ""
        if kernel and kernel != release_:
            return "unknown", f"the engine's kernel ({kernel}) is not this machine's"
    if Path("/proc/net/ip_vs").exists() or Path("/sys/module/ip_vs").exists():
        return "available", "the kernel has IPVS loaded"
    modules = Path("/lib/modules") / release_
    for name in ("modules.builtin", "modules.dep"):
        try:
            if "/ip_vs.ko" in (modules / name).read_text(encoding="utf-8", errors="replace"):
                return "available", "the kernel has an IPVS module (loaded when swarm needs it)"
        except OSError:
            continue
    return "missing", f"the kernel {release_} has no IPVS (no /proc/net/ip_vs, no ip_vs module)"


def publish_mode() -> str:
    """`ingress` where the routing mesh works (or may), else `host`."""
    return "host" if routing_mesh()[0] == "missing" else "ingress"
