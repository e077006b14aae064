"""The smallest valid lab, for tests of lab models and rules: one step with the given checks."""

from __future__ import annotations

from typing import Any

from tutor.content.models.labs import Lab


def minimal_lab(checks: list[dict[str, Any]], **extra: Any) -> Lab:
    base: dict[str, Any] = {
        "id": "l",
        "title": "L",
        "topic": "docker",
        "objectives": ["o"],
        "references": ["https://docs.docker.com/"],
        "steps": [{"id": "s", "title": "S", "instructions": "i", "checks": checks}],
    }
    return Lab.model_validate({**base, **extra})
