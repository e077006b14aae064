"""Per-attempt parameters (free ports, names) and filling `{{placeholders}}` with them."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import ValidationError

from tutor.base.errors import Exit, TutorError
from tutor.base.ports import free_port
from tutor.content.models.lab_setup import NameParam, PortParam, ValueParam
from tutor.content.models.labs import Lab
from tutor.content.models.placeholders import render

__all__ = ["UnsafeFill", "fill", "make_params", "render"]


class UnsafeFill(TutorError):
    """A check or setup action that its filled-in parameters make invalid (or unsafe)."""

    exit_code = Exit.CONTENT


def make_params(lab: Lab) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, spec in lab.params.items():
        if isinstance(spec, PortParam):
            out[name] = str(free_port(spec.min, spec.max))
        elif isinstance(spec, NameParam):
            out[name] = f"{spec.prefix}-{secrets.token_hex(2)}" if spec.random else spec.prefix
        elif isinstance(spec, ValueParam):
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
