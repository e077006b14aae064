"""Per-attempt parameters (free ports, names) and filling `{{placeholders}}` with them."""

from __future__ import annotations

import secrets
from typing import Any

from tutor.base.ports import free_port
from tutor.content.models.lab_setup import (
    EcrRegistryParam,
    NameParam,
    PortParam,
    PublishModeParam,
    ValueParam,
)
from tutor.content.models.labs import PLACEHOLDER, Lab


def make_params(lab: Lab) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, spec in lab.params.items():
        if isinstance(spec, PortParam):
            out[name] = str(free_port(spec.min, spec.max))
        elif isinstance(spec, NameParam):
            out[name] = f"{spec.prefix}-{secrets.token_hex(2)}" if spec.random else spec.prefix
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


def render(value: Any, params: dict[str, str]) -> Any:
    """Fill placeholders in every string of `value` (dicts and lists are walked)."""
    if isinstance(value, str):
        return PLACEHOLDER.sub(lambda m: params.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {render(k, params): render(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, params) for v in value]
    return value


def fill(model: Any, params: dict[str, str]) -> Any:
    """A copy of a check or setup action with its placeholders filled in (and validated again)."""
    return type(model).model_validate(render(model.model_dump(by_alias=True), params))
