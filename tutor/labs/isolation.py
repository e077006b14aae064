"""What keeps learners on one Docker engine apart, as the engine sees it: names already in use
(so an attempt's suffix is new) and host ports already published (so a reserved port is free)."""

from __future__ import annotations

from typing import Any


def name_taken(client: Any, name: str) -> bool:
    """Is there a container, network, volume or image repository with this name?"""
    from docker.errors import NotFound

    for get in (client.containers.get, client.volumes.get):
        try:
            get(name)
            return True
        except NotFound:
            pass
    if any(n.name == name for n in client.networks.list(names=[name])):
        return True
    return bool(client.images.list(name=name))


def published_ports(client: Any) -> set[int]:
    """Host ports the engine's containers publish, or will publish when (re)started."""
    from docker.errors import NotFound

    ports: set[int] = set()
    for c in client.api.containers(all=True):
        for p in c.get("Ports") or []:
            if p.get("PublicPort"):
                ports.add(int(p["PublicPort"]))
        if c.get("State") == "running":
            continue
        try:  # a stopped or created container keeps its bindings for its next start
            bindings = (client.api.inspect_container(c["Id"]).get("HostConfig") or {}).get("PortBindings")
        except NotFound:
            continue
        for binds in (bindings or {}).values():
            for b in binds or []:
                if b and str(b.get("HostPort") or "").isdigit():
                    ports.add(int(b["HostPort"]))
    return ports
