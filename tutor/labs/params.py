"""Per-attempt parameters and filling `{{placeholders}}` with them.

Two learners may do the same lab on one engine at the same time, so an attempt's names and
ports are its own: every random name param gets the attempt's suffix (web -> web-3f9a; one
suffix per attempt, picked so that no container, network, volume or image has such a name yet),
and every port is reserved machine-wide for the attempt until its reset (tutor.base.ports).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from typing import Any

from pydantic import ValidationError

from tutor.base.errors import Exit, TutorError
from tutor.base.ports import free_port, reserve_port
from tutor.content.models.lab_setup import (
    EcrRegistryParam,
    NameParam,
    PortParam,
    PublishModeParam,
    ValueParam,
)
from tutor.content.models.labs import Lab
from tutor.content.models.placeholders import render

__all__ = ["UnsafeFill", "defaults", "ecr_address", "fill", "make_params", "port_owner", "render"]


class UnsafeFill(TutorError):
    """A check or setup action that its filled-in parameters make invalid (or unsafe)."""

    exit_code = Exit.CONTENT


SUFFIX_TRIES = 50


def port_owner(store: str, lab_id: str) -> str:
    """The owner prefix of a learner's port reservations for one lab (an attempt id follows)."""
    return f"{store}/{lab_id}/"


def make_params(
    lab: Lab,
    *,
    owner: str = "",
    taken: Callable[[str], bool] | None = None,
    ports_in_use: Collection[int] = (),
) -> dict[str, str]:
    """An attempt's parameters: `suffix`, names with it, reserved ports (for `owner`), values."""
    random_names = {n: s for n, s in lab.params.items() if isinstance(s, NameParam) and s.random}
    suffix = secrets.token_hex(2)
    for _ in range(SUFFIX_TRIES):
        if taken is None or not any(taken(f"{s.prefix}-{suffix}") for s in random_names.values()):
            break
        suffix = secrets.token_hex(2)
    out: dict[str, str] = {"suffix": suffix}
    picked: set[int] = set(ports_in_use)
    for name, spec in lab.params.items():
        if isinstance(spec, PortParam):
            port = (
                reserve_port(spec.min, spec.max, owner, avoid=picked)
                if owner
                else free_port(spec.min, spec.max, avoid=picked)
            )
            picked.add(port)
            out[name] = str(port)
        elif isinstance(spec, NameParam):
            out[name] = f"{spec.prefix}-{suffix}" if spec.random else spec.prefix
        elif isinstance(spec, ValueParam):
            out[name] = spec.value
        elif isinstance(spec, PublishModeParam):
            from tutor.labs.swarm import publish_mode

            out[name] = publish_mode()
        elif isinstance(spec, EcrRegistryParam):
            out[name] = ecr_address()
    return out


def ecr_address() -> str:
    """Start (or find) the ECR gate in front of the lab's registry, once both are up."""
    from tutor.aws import ecr_gate, emulator, registry
    from tutor.base.errors import EnvironmentProblem

    reg, emu = registry.status(), emulator.status()
    if reg is None or emu is None:
        raise EnvironmentProblem("an ecr_registry parameter needs the lab's registry and the AWS emulator")
    return ecr_gate.start(reg.address, emu.endpoint)


def defaults(lab: Lab, have: dict[str, str]) -> dict[str, str]:
    """Values for name and value params an attempt has none for (it began before the lab had
    them): the name's prefix, as a lab without per-learner names would have used."""
    out: dict[str, str] = {}
    for name, spec in lab.params.items():
        if name not in have and isinstance(spec, NameParam):
            out[name] = spec.prefix
        elif name not in have and isinstance(spec, ValueParam):
            out[name] = spec.value
    return out


def fill(model: Any, params: dict[str, str]) -> Any:
    """A copy of a check or setup action with its placeholders filled in and validated again:
    what is refused when written is refused when a parameter brings it (UnsafeFill)."""
    try:
        return type(model).model_validate(render(model.model_dump(by_alias=True), params))
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        where = ".".join(str(p) for p in first["loc"])
        what = getattr(model, "kind", None) or getattr(model, "action", None) or type(model).__name__
        raise UnsafeFill(
            f"the lab's {what} is refused once its parameters are filled in: "
            f"{where + ': ' if where else ''}{first['msg']}",
            hint="run `tutor validate` on the lab's pack; it names the line",
        ) from None
