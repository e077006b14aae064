"""`{{placeholders}}` in a lab's strings: filling them, and values like the real ones for validation.

A lab is validated as it will run: a `value` parameter must not smuggle in what the lab may
not write itself (a host network, the Docker socket, a path out of the workspace), so
`tutor validate` fills every placeholder with `sample_params` and validates the result.
"""

from __future__ import annotations

import re
from typing import Any

from tutor.content.models.lab_setup import (
    EcrRegistryParam,
    NameParam,
    Param,
    PortParam,
    PublishModeParam,
    ValueParam,
)

PLACEHOLDER = re.compile(r"{{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*}}")
# `suffix` is the attempt's name suffix (web-3f9a), `store` the learner's store id (tutor.store label)
BUILTIN_PARAMS = ("workspace", "lab", "attempt", "aws_endpoint", "registry", "suffix", "store")


def render(value: Any, params: dict[str, str]) -> Any:
    """Fill placeholders in every string of `value` (dicts and lists are walked)."""
    if isinstance(value, str):
        if "{{" not in value:
            return value
        return PLACEHOLDER.sub(lambda m: params.get(m.group(1), m.group(0)), value)
    if isinstance(value, dict):
        return {render(k, params): render(v, params) for k, v in value.items()}
    if isinstance(value, list):
        return [render(v, params) for v in value]
    return value


def sample_params(lab_id: str, params: dict[str, Param]) -> dict[str, str]:
    """Values shaped like the ones an attempt gets (the `value` parameters exactly)."""
    out = {
        "workspace": f"/home/learner/.local/share/container-tutor/workspaces/{lab_id}",
        "lab": lab_id,
        "attempt": "0a1b2c3d",
        "aws_endpoint": "http://127.0.0.1:4566",
        "registry": "127.0.0.1:5000",
    }
    for name, spec in params.items():
        if isinstance(spec, PortParam):
            out[name] = str(spec.min)
        elif isinstance(spec, NameParam):
            out[name] = f"{spec.prefix}-0a1b" if spec.random else spec.prefix
        elif isinstance(spec, ValueParam):
            out[name] = spec.value
        elif isinstance(spec, PublishModeParam):
            out[name] = "ingress"
        elif isinstance(spec, EcrRegistryParam):
            out[name] = "127.0.0.1:5001"
    return out


def has_placeholder(value: Any) -> bool:
    """Whether any string in `value` (keys too) holds `{{` (a quick test before filling)."""
    if isinstance(value, str):
        return "{{" in value
    if isinstance(value, dict):
        return any(has_placeholder(k) or has_placeholder(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_placeholder(v) for v in value)
    return False


def placeholders_in(value: Any) -> list[str]:
    """The placeholder names used anywhere in `value`, in order, each once."""
    names: dict[str, None] = {}
    if isinstance(value, str):
        names.update(dict.fromkeys(PLACEHOLDER.findall(value)))
    elif isinstance(value, dict):
        for k, v in value.items():
            names.update(dict.fromkeys(placeholders_in(k) + placeholders_in(v)))
    elif isinstance(value, list):
        for v in value:
            names.update(dict.fromkeys(placeholders_in(v)))
    return list(names)
