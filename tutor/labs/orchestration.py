"""What a lab session does for Compose and Swarm labs: before the setup (Compose v2 present,
swarm mode on, said first), after a reset (swarm mode off again when the lab turned it on), and in
the lab's environment (`docker compose` under the lab's own DOCKER_CONFIG)."""

from __future__ import annotations

from typing import Any

from tutor.content.models.labs import Lab


def notice(client: Any, lab: Lab) -> str:
    """What the lab says before it starts about what it changes on the engine."""
    if not lab.needs.swarm:
        return ""
    from tutor.labs import swarm

    return swarm.notice(client, node=lab.needs.swarm_node)


def notice_before_start(session: Any, *, fresh: bool = False) -> str:
    """The notice for a session about to start (nothing when an attempt goes on)."""
    if not session.lab.needs.swarm or (session.attempt is not None and not fresh):
        return ""
    return notice(session.client, session.lab)


def before_setup(client: Any, lab: Lab) -> None:
    """Everything the lab needs, or a clear EnvironmentProblem (exit 3) with nothing changed."""
    if lab.needs.compose:
        from tutor.base import compose

        compose.require()
    if lab.needs.swarm:
        from tutor.labs import swarm

        swarm.ensure(client, lab.id, node=lab.needs.swarm_node)


def after_reset(client: Any, lab: Lab) -> str:
    """Turn swarm mode off again when this lab turned it on and nothing else needs it."""
    if not lab.needs.swarm:
        return ""
    from tutor.labs import swarm

    return swarm.release(client, lab.id)


def plan_swarm(client: Any, lab_id: str, plan: Any) -> None:
    """Swarm mode itself is on the reset plan when this lab turned it on and is its last user."""
    from tutor.labs import swarm
    from tutor.labs.sandbox import Resource

    current = swarm.state(client)
    if swarm.ours(current) and swarm.record().get("labs") == [lab_id]:
        plan.sure.append(Resource("swarm", "swarm mode", lab_id, "turned on by this lab; turned off again"))
