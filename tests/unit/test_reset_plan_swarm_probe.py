"""Planning a reset asks the engine whether it is in a swarm once, however many Swarm groups a
lab declares (each `docker info` is a round trip to the engine)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tutor.labs.sandbox import plan_reset


class _Lister:
    def __init__(self, items: list[Any] | None = None) -> None:
        self.items = items or []

    def list(self, **_kw: Any) -> list[Any]:
        return list(self.items)

    def get(self, name: str) -> Any:
        raise AssertionError(f"no lookup by name expected ({name})")


class _Engine:
    """Only what planning reads: list calls and `info`, counted."""

    def __init__(self, in_swarm: bool) -> None:
        self.info_calls = 0
        self.in_swarm = in_swarm
        self.containers = self.networks = self.volumes = self.images = _Lister()
        svc = SimpleNamespace(name="web", id="s1", attrs={"CreatedAt": "2999-01-01T00:00:00Z"})
        self.services = _Lister([svc])
        self.secrets = self.configs = _Lister()

    def info(self) -> dict[str, Any]:
        self.info_calls += 1
        return {"Swarm": {"LocalNodeState": "active" if self.in_swarm else "inactive"}}


DECLARED = {"services": ["web"], "secrets": ["s"], "configs": ["c"], "stacks": ["st1", "st2"]}


def test_a_swarm_lab_asks_the_engine_once() -> None:
    engine = _Engine(in_swarm=True)
    plan = plan_reset(engine, "lab", DECLARED, started_at=1.0, store="x")
    assert engine.info_calls == 1
    assert [(r.kind, r.name) for r in plan.sure] == [("service", "web")]  # the probe's answer is used


def test_outside_a_swarm_nothing_of_swarm_is_planned_and_the_engine_is_asked_once() -> None:
    engine = _Engine(in_swarm=False)
    plan = plan_reset(engine, "lab", DECLARED, started_at=1.0, store="x")
    assert engine.info_calls == 1
    assert plan.sure == [] and plan.unsure == []


def test_a_lab_without_swarm_groups_never_asks() -> None:
    engine = _Engine(in_swarm=True)
    plan_reset(engine, "lab", {"containers": []}, store="x", include_labelled=False)
    assert engine.info_calls == 0
