"""Checks on orchestrated apps: Compose projects (seen through their labels) and Swarm services,
tasks, secrets, configs and the node, read through the Swarm API."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from tutor.content.models.base import Strict, Text
from tutor.content.models.lab_check_base import CheckBase


class ComposeCheck(CheckBase):
    """The containers of one Compose project (label com.docker.compose.project), or of one of its
    services (com.docker.compose.service)."""

    kind: Literal["compose"]
    project: Text
    service: str | None = None
    exists: bool = Field(True, description="any container of the project (or service) exists")
    running: int | None = Field(None, description="how many of its containers must be running")
    healthy: bool | None = Field(None, description="every running container of it is healthy")
    image: str | None = None
    env: dict[str, str] = Field(default_factory=dict, description="value, or * for any")
    ports: dict[str, str] = Field(default_factory=dict, description="container port -> host port")
    networks: list[str] = Field(default_factory=list, description="engine names, e.g. {{project}}_back")
    volumes: list[str] = Field(default_factory=list, description="named volumes mounted (engine names)")

    @model_validator(mode="after")
    def _needs_service(self) -> ComposeCheck:
        if not self.service and (self.env or self.ports or self.networks or self.volumes or self.image):
            raise ValueError("env, ports, networks, volumes and image are checked on one `service`")
        return self


class Published(Strict):
    target: int
    published: int | str | None = None
    mode: Literal["ingress", "host"] | str | None = None


class ServiceCheck(CheckBase):
    """A Swarm service (a stack's services are named STACK_SERVICE) and its tasks."""

    kind: Literal["service"]
    name: Text
    exists: bool = True
    mode: Literal["replicated", "global"] | None = None
    replicas: int | None = Field(None, description="the desired number of replicas")
    running: int | None = Field(None, description="how many of its tasks run now")
    pending: int | None = Field(None, description="how many of its tasks wait for a node")
    image: str | None = None
    update_parallelism: int | None = None
    update_delay: str | None = Field(None, description="e.g. 5s, 1m")
    update_failure_action: Literal["pause", "continue", "rollback"] | None = None
    update_order: Literal["stop-first", "start-first"] | None = None
    update_state: str | None = Field(
        None, description="UpdateStatus.State: updating, completed, rollback_completed, ..."
    )
    secrets: list[str] = Field(default_factory=list)
    configs: list[str] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list)
    published: list[Published] = Field(default_factory=list)
    constraints: list[str] = Field(default_factory=list, description="placement constraints it has")
    labels: dict[str, str] = Field(default_factory=dict)
    env: dict[str, str] = Field(default_factory=dict)


class SwarmCheck(CheckBase):
    """The engine's swarm mode and its (single) node."""

    kind: Literal["swarm"]
    active: bool = True
    node_labels: dict[str, str] = Field(default_factory=dict, description="value, or * for any")
    no_node_labels: list[str] = Field(default_factory=list, description="labels the node must not have")
    availability: Literal["active", "pause", "drain"] | None = None


class SwarmObjectCheck(CheckBase):
    """A Swarm secret or config, by name."""

    kind: Literal["secret", "config"]
    name: Text
    exists: bool = True
    labels: dict[str, str] = Field(default_factory=dict)
    data_contains: str = Field("", description="configs only: the engine never returns a secret's data")

    @model_validator(mode="after")
    def _readable(self) -> SwarmObjectCheck:
        if self.kind == "secret" and self.data_contains:
            raise ValueError("a secret's data cannot be read back; check it from inside a task instead")
        return self
