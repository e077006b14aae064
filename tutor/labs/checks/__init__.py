"""Check kinds, registered by name. Importing the modules fills the registry."""

import contextlib

from tutor.labs.checks.base import REGISTRY, CheckContext, Outcome, describe


def load_check_kinds() -> None:
    from tutor.labs.checks import (  # noqa: F401
        compose_checks,
        container_checks,
        docker_checks,
        ecs_checks,
        local_checks,
        swarm_checks,
    )

    with contextlib.suppress(ImportError):  # the AWS checks come with the AWS sandbox
        from tutor.labs.checks import aws_checks  # noqa: F401


__all__ = ["REGISTRY", "CheckContext", "Outcome", "describe", "load_check_kinds"]
