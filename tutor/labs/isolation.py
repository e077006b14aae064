"""What keeps learners on one Docker engine apart, as the engine sees it: names already in use
(so an attempt's suffix is new) and host ports already published (so a reserved port is free).

Both are read from the engine's list calls only: inspecting a container waits while another
client stops it, which on a shared engine can take longer than a check's timeout.
"""

from __future__ import annotations

import secrets
from typing import Any

from tutor.content.models.labs import Lab
from tutor.labs.params import make_params, port_owner


def names_in_use(client: Any) -> set[str]:
    """Every container, network and volume name, and every image repository, on the engine."""
    names = {n.lstrip("/") for c in client.api.containers(all=True) for n in c.get("Names") or []}
    names |= {n.get("Name", "") for n in client.api.networks()}
    names |= {v.get("Name", "") for v in (client.api.volumes() or {}).get("Volumes") or []}
    for image in client.api.images():
        for tag in image.get("RepoTags") or []:
            names.add(tag.rsplit(":", 1)[0])
    return names - {""}


def published_ports(client: Any) -> set[int]:
    """Host ports the engine's running containers publish."""
    return {
        int(p["PublicPort"])
        for c in client.api.containers()
        for p in c.get("Ports") or []
        if p.get("PublicPort")
    }


def new_params(lab: Lab, client: Any | None, store_id: str) -> dict[str, str]:
    """An attempt's names (one suffix, not used on the engine yet) and ports reserved for it."""
    names = names_in_use(client) if client is not None else set()
    return make_params(
        lab,
        owner=f"{port_owner(store_id, lab.id)}{secrets.token_hex(4)}",
        taken=names.__contains__,
        ports_in_use=published_ports(client) if client is not None else set(),
    )
