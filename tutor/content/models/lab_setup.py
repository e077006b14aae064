"""Lab parameters and setup actions, and the rule that keeps every lab path inside its lab."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tutor.base.containment import lexical_problem
from tutor.content.models.base import Id, Strict, Text

# -- parameters -----------------------------------------------------------------------


class PortParam(Strict):
    """A free TCP port on 127.0.0.1, picked per attempt."""

    kind: Literal["port"]
    min: int = Field(8000, ge=1024, le=65535)
    max: int = Field(8999, ge=1024, le=65535)


class NameParam(Strict):
    """A name with a random suffix per attempt (e.g. web-k3x9), or the prefix alone."""

    kind: Literal["name"]
    prefix: Id
    random: bool = False


class ValueParam(Strict):
    kind: Literal["value"]
    value: str


class PublishModeParam(Strict):
    """How a Swarm service publishes a port here: `ingress` (the routing mesh) where the kernel has
    IPVS, else `host` (the mesh's published ports answer nothing without it)."""

    kind: Literal["publish_mode"]


class EcrRegistryParam(Strict):
    """The address of the lab's registry as Amazon ECR answers pushes: a push to a repository not
    created in the emulator is refused with ECR's error (needs aws and registry)."""

    kind: Literal["ecr_registry"]


Param = Annotated[
    PortParam | NameParam | ValueParam | PublishModeParam | EcrRegistryParam, Field(discriminator="kind")
]

# -- setup actions ---------------------------------------------------------------------

_FORBIDDEN_RUN_KEYS = {
    "privileged": "privileged containers",
    "cap_add": "extra kernel capabilities",
    "devices": "host devices",
    "pid": "the host's process namespace",
    "ipc": "the host's IPC namespace",
    "security_opt": "security options",
    "network_mode": "another network mode",
    "userns": "the host's user namespace",
}


def _inside(what: str) -> AfterValidator:
    return AfterValidator(lambda value: safe_workspace_path(value, what))


WorkspaceFile = Annotated[str, StringConstraints(min_length=1), _inside("workspace file")]
"""A path inside the learner's workspace (no absolute paths, no `..`)."""
LabFolderPath = Annotated[str, StringConstraints(min_length=1), _inside("lab folder")]


def safe_workspace_path(value: str, what: str) -> str:
    """The written form of a lab path (links are checked where the path is used: containment)."""
    problem = lexical_problem(value) or ("names the Docker socket" if "docker.sock" in value else None)
    if problem:
        place = "lab's folder" if what == "lab folder" else "lab's workspace"
        raise PydanticCustomError(
            "lab_unsafe",
            "labs may only use paths inside the {place}, not '{value}' ({what}: it {problem})",
            {"place": place, "value": value, "what": what, "problem": problem},
        )
    return value


class BuildAction(Strict):
    """Build an image from a folder of the lab (labelled with the lab)."""

    action: Literal["build"]
    image: Text
    context: LabFolderPath = Field(description="A folder inside the lab's folder.")


class RunAction(Strict):
    """Start a container (labelled with the lab), e.g. a broken one to troubleshoot."""

    action: Literal["run"]
    name: Text
    image: Text
    command: list[str] | str | None = None
    entrypoint: list[str] | str | None = None
    env: dict[str, str] = Field(default_factory=dict)
    ports: dict[str, str] = Field(default_factory=dict, description="container port -> host port")
    volumes: dict[str, str] = Field(
        default_factory=dict, description="named volume or ./workspace path -> path in the container"
    )
    network: str | None = None
    restart: Literal["no", "always", "unless-stopped", "on-failure"] = "no"
    user: str | None = None
    memory: str | None = Field(None, description="a memory limit (e.g. 32m), swap included")

    @model_validator(mode="before")
    @classmethod
    def _refuse_unsafe(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, what in _FORBIDDEN_RUN_KEYS.items():
                if key in data:
                    raise PydanticCustomError(
                        "lab_unsafe", "labs cannot ask for {what} ({key})", {"what": what, "key": key}
                    )
        return data

    @field_validator("network")
    @classmethod
    def _no_host_network(cls, v: str | None) -> str | None:
        word = (v or "").strip().lower()
        if word == "host":
            raise PydanticCustomError("lab_unsafe", "labs cannot use host networking", {})
        if word.startswith("container:"):
            raise PydanticCustomError(
                "lab_unsafe", "labs cannot join another container's network ({value})", {"value": v}
            )
        return v

    @field_validator("volumes")
    @classmethod
    def _safe_volumes(cls, v: dict[str, str]) -> dict[str, str]:
        for source in v:
            if "/" in source or source.startswith("."):
                safe_workspace_path(source, "bind mount")
        return v


class WriteAction(Strict):
    """Write a file into the learner's workspace."""

    action: Literal["write"]
    path: WorkspaceFile
    content: str


class CopyAction(Strict):
    """Copy a file or folder of the lab into the learner's workspace."""

    action: Literal["copy"]
    source: LabFolderPath = Field(description="Inside the lab's folder.")
    to: WorkspaceFile = Field(".", description="Inside the workspace.")


class VolumeAction(Strict):
    action: Literal["volume"]
    name: Text


class NetworkAction(Strict):
    action: Literal["network"]
    name: Text


class ComposeAction(Strict):
    """`docker compose -p PROJECT -f FILE up -d` on a Compose file already in the workspace (copy it
    there first). The file is checked first: no privileged services, host namespaces or mounts
    from outside the workspace."""

    action: Literal["compose"]
    project: Text
    file: WorkspaceFile
    profiles: list[str] = Field(default_factory=list)
    allow_failure: bool = Field(
        False, description="a broken project is the point (troubleshooting): a failing `up` is the symptom"
    )


class StackAction(Strict):
    """`docker stack deploy -c FILE NAME` on a Compose file in the workspace (needs swarm mode)."""

    action: Literal["stack"]
    name: Text
    file: WorkspaceFile


SetupAction = Annotated[
    BuildAction
    | RunAction
    | WriteAction
    | CopyAction
    | VolumeAction
    | NetworkAction
    | ComposeAction
    | StackAction,
    Field(discriminator="action"),
]
