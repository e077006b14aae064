"""Labs: YAML plus a folder of files, checked live against a real Docker engine.

    labs/<lab-id>/lab.yaml      the lab (this model)
    labs/<lab-id>/files/...     files its setup builds or copies
    labs/_images/images.yaml    the base images labs use, built offline when needed

Strings may hold `{{param}}` placeholders, filled per attempt from `params` (random free
ports, names) and from `workspace`, `lab` and `attempt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from tutor.content.models.base import Id, References, Strict, Text
from tutor.content.suggest import did_you_mean

PLACEHOLDER = re.compile(r"{{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*}}")
BUILTIN_PARAMS = ("workspace", "lab", "attempt", "aws_endpoint", "registry")
Problem = tuple[tuple[str | int, ...], str, str | None]

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


Param = Annotated[PortParam | NameParam | ValueParam, Field(discriminator="kind")]

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
    return AfterValidator(lambda value: _safe_workspace_path(value, what))


WorkspaceFile = Annotated[str, StringConstraints(min_length=1), _inside("workspace file")]
"""A path inside the learner's workspace (no absolute paths, no `..`)."""
LabFolderPath = Annotated[str, StringConstraints(min_length=1), _inside("lab folder")]


def _safe_workspace_path(value: str, what: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "docker.sock" in value:
        raise PydanticCustomError(
            "lab_unsafe",
            "labs may only use paths inside the lab's workspace, not '{value}' ({what})",
            {"value": value, "what": what},
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

    @model_validator(mode="before")
    @classmethod
    def _refuse_unsafe(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, what in _FORBIDDEN_RUN_KEYS.items():
                if key in data:
                    raise PydanticCustomError(
                        "lab_unsafe", "labs cannot ask for {what} ({key})", {"what": what, "key": key}
                    )
            if data.get("network") == "host":
                raise PydanticCustomError("lab_unsafe", "labs cannot use host networking", {})
        return data

    @field_validator("volumes")
    @classmethod
    def _safe_volumes(cls, v: dict[str, str]) -> dict[str, str]:
        for source in v:
            if "/" in source or source.startswith("."):
                _safe_workspace_path(source, "bind mount")
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


SetupAction = Annotated[
    BuildAction | RunAction | WriteAction | CopyAction | VolumeAction | NetworkAction,
    Field(discriminator="action"),
]

# -- checks ------------------------------------------------------------------------------


class CheckBase(Strict):
    title: str = Field("", description="What the check looks at, as the learner reads it.")
    hint: str = Field("", description="A nudge shown while this check fails.")


class MountSpec(Strict):
    destination: Text
    volume: str | None = None
    bind: bool | None = None
    read_only: bool | None = None


class ContainerCheck(CheckBase):
    kind: Literal["container"]
    name: str | None = None
    label: str | None = Field(None, description="key=value; matches any container with it")
    exists: bool = True
    running: bool | None = None
    oom_killed: bool | None = None
    status: str | None = None
    exit_code: int | None = None
    image: str | None = None
    restart: str | None = None
    restart_count_at_least: int | None = None
    health: Literal["healthy", "unhealthy", "starting"] | None = None
    ports: dict[str, str] = Field(default_factory=dict, description="container port -> host port")
    env: dict[str, str] = Field(default_factory=dict, description="value, or * for any")
    mounts: list[MountSpec] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list)
    user: str | None = None
    non_root: bool | None = None
    memory: str | None = Field(None, description="e.g. 64m, 1g")
    cpus: float | None = None
    labels: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _target(self) -> ContainerCheck:
        if not self.name and not self.label:
            raise ValueError("a container check needs `name` or `label`")
        return self


class ImageCheck(CheckBase):
    kind: Literal["image"]
    name: Text = Field(description="repository:tag")
    exists: bool = True
    max_size_mb: float | None = None
    max_layers: int | None = None
    non_root: bool | None = None
    exposes: list[str] = Field(default_factory=list)
    env: dict[str, str] = Field(default_factory=dict)
    entrypoint: list[str] | None = None
    cmd: list[str] | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    files_present: list[str] = Field(default_factory=list)
    files_absent: list[str] = Field(default_factory=list)


class VolumeFile(Strict):
    path: Text
    contains: str = ""


class VolumeCheck(CheckBase):
    kind: Literal["volume"]
    name: Text
    exists: bool = True
    driver: str | None = None
    used_by: list[str] = Field(default_factory=list)
    file: VolumeFile | None = None


class NetworkCheck(CheckBase):
    kind: Literal["network"]
    name: Text
    exists: bool = True
    driver: str | None = None
    containers: list[str] = Field(default_factory=list)


class HttpCheck(CheckBase):
    kind: Literal["http"]
    port: str = Field(description="Host port on 127.0.0.1 (usually a {{param}}).")
    path: str = "/"
    status: int = 200
    contains: str = ""
    timeout: float = Field(3.0, gt=0, le=30)


class ExecCheck(CheckBase):
    kind: Literal["exec"]
    container: Text
    command: list[str] | str
    exit_code: int = 0
    output_contains: str = ""
    timeout: float = Field(5.0, gt=0, le=60)


class LogsCheck(CheckBase):
    kind: Literal["logs"]
    container: Text
    contains: Text
    tail: int = Field(500, gt=0)


class FileCheck(CheckBase):
    kind: Literal["file"]
    path: WorkspaceFile
    format: Literal["text", "json", "yaml"] = "text"
    contains: str = ""
    schema_: dict[str, Any] | None = Field(None, alias="schema")
    schema_file: str | None = Field(None, description="A JSON schema in the lab's folder.")


class AwsCheck(CheckBase):
    """Call an operation on the local AWS emulator and test the answer with JMESPath."""

    kind: Literal["aws"]
    service: Text
    operation: Text = Field(description="boto3 method name, e.g. describe_repositories")
    params: dict[str, Any] = Field(default_factory=dict)
    query: str = Field("@", description="JMESPath over the response")
    equals: Any = None
    contains: Any = None
    exists: bool | None = None
    expect_error: str | None = Field(None, description="An error code the call must fail with.")


class RegistryCheck(CheckBase):
    """A repository:tag is in the lab's local registry (optionally with a digest)."""

    kind: Literal["registry"]
    repository: Text
    tag: Text = "latest"
    exists: bool = True
    digest_of_image: str | None = Field(None, description="The pushed digest must match this local image.")


class ManifestCheck(CheckBase):
    """Kubernetes manifests in the workspace, validated against the Kubernetes schemas."""

    kind: Literal["k8s"]
    path: WorkspaceFile
    kubernetes_version: str = "1.30"
    deployment: str | None = None
    replicas: int | None = None
    container_port: int | None = None
    service: str | None = None
    service_type: str | None = None
    service_port: int | None = None
    requests: bool | None = Field(None, description="every container sets CPU and memory requests")


class BundleCheck(CheckBase):
    """An Elastic Beanstalk source bundle in the workspace, checked as Beanstalk would."""

    kind: Literal["bundle"]
    path: WorkspaceFile
    port: int | None = None


class Serves(Strict):
    port: int
    path: str = "/"
    contains: str = ""


class TaskCheck(CheckBase):
    """Local ECS tasks run by `tutor ecs` (one family, or one service's tasks)."""

    kind: Literal["ecs"]
    family: str | None = None
    service: str | None = Field(None, description="cluster/service")
    status: str = "RUNNING"
    count: int | None = Field(None, description="how many tasks must be in that status")
    healthy: bool | None = None
    revision: int | None = Field(None, description="every task runs this revision")
    containers_running: list[str] = Field(default_factory=list)
    started_after: dict[str, str] = Field(
        default_factory=dict, description="container -> container it waited for (dependsOn HEALTHY)"
    )
    serves: Serves | None = None
    replaced_at_least: int | None = Field(
        None, description="the service has replaced this many stopped tasks"
    )
    event_contains: str = ""

    @model_validator(mode="after")
    def _target(self) -> TaskCheck:
        if not self.family and not self.service:
            raise ValueError("an ecs check needs `family` or `service`")
        return self


class TaskDefinitionCheck(CheckBase):
    """A task definition file in the workspace, validated as ECS would."""

    kind: Literal["taskdef"]
    path: WorkspaceFile
    fargate: bool | None = None


Check = Annotated[
    ContainerCheck
    | ImageCheck
    | VolumeCheck
    | NetworkCheck
    | HttpCheck
    | ExecCheck
    | LogsCheck
    | FileCheck
    | AwsCheck
    | RegistryCheck
    | ManifestCheck
    | BundleCheck
    | TaskCheck
    | TaskDefinitionCheck,
    Field(discriminator="kind"),
]
CHECK_KINDS = (
    "container",
    "image",
    "volume",
    "network",
    "http",
    "exec",
    "logs",
    "file",
    "aws",
    "registry",
    "k8s",
    "ecs",
)

# -- steps and the lab -----------------------------------------------------------------


class Solution(Strict):
    commands: list[str] = Field(default_factory=list, description="Shell commands, run in the workspace.")
    files: dict[str, str] = Field(default_factory=dict, description="Files to write into the workspace.")
    note: str = ""

    @field_validator("files")
    @classmethod
    def _inside(cls, v: dict[str, str]) -> dict[str, str]:
        for path in v:
            _safe_workspace_path(path, "solution file")
        return v


class Step(Strict):
    id: Id
    title: Text
    instructions: Text
    checks: Annotated[list[Check], Field(min_length=1)]
    hints: list[Text] = Field(default_factory=list)
    solution: Solution = Solution()
    needs: list[Id] = Field(default_factory=list, description="Steps that must pass first.")


class Needs(Strict):
    docker: bool = True
    images: list[str] = Field(default_factory=list, description="Base images from labs/_images.")
    aws: bool = False
    registry: bool = False
    ecs: bool = Field(False, description="the local ECS agent, which runs tasks and services")


class AwsCall(Strict):
    """An emulator call that undoes what the learner made (errors such as NotFound are fine)."""

    service: Text
    operation: Text
    params: dict[str, Any] = Field(default_factory=dict)


class Cleanup(Strict):
    """What the learner is asked to create, by name: reset removes it (after listing it)."""

    containers: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    volumes: list[str] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list)
    aws: list[AwsCall] = Field(default_factory=list)
    registry: list[str] = Field(
        default_factory=list, description="repository:tag pushed to the lab's registry"
    )
    ecs_tasks: bool = False


class Lab(Strict):
    id: Id
    title: Text
    topic: Id
    order: int = 0
    summary: str = ""
    minutes: int = Field(20, ge=1, le=480)
    objectives: Annotated[list[Text], Field(min_length=1)]
    references: References
    needs: Needs = Needs()
    params: dict[str, Param] = Field(default_factory=dict)
    setup: list[SetupAction] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]
    cleanup: Cleanup = Cleanup()
    folder: Path | None = Field(None, exclude=True)

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def problems(self) -> Iterator[Problem]:
        ids = [s.id for s in self.steps]
        seen: set[str] = set()
        for i, step in enumerate(self.steps):
            if step.id in seen:
                yield ("steps", i, "id"), f"step id {step.id!r} is used twice", "give each step its own id"
            seen.add(step.id)
            for j, need in enumerate(step.needs):
                if need not in ids:
                    yield (
                        ("steps", i, "needs", j),
                        f"step {step.id!r} needs step {need!r}, which does not exist",
                        did_you_mean(need, ids) or f"steps: {', '.join(ids)}",
                    )
                elif ids.index(need) >= i:
                    yield ("steps", i, "needs", j), f"step {need!r} must come before {step.id!r}", None
        known = set(self.params) | set(BUILTIN_PARAMS)
        for path, text in _strings(self.model_dump(by_alias=True, exclude={"folder"}), ()):
            for name in PLACEHOLDER.findall(text):
                if name not in known:
                    yield (
                        path,
                        f"unknown placeholder {{{{{name}}}}}",
                        did_you_mean(name, known)
                        or f"declare it under params (known: {', '.join(sorted(known))})",
                    )
        if self.folder is not None:
            yield from self._files_present()

    def _files_present(self) -> Iterator[Problem]:
        assert self.folder is not None
        for i, action in enumerate(self.setup):
            rel = getattr(action, "context", None) or getattr(action, "source", None)
            if rel and not (self.folder / rel).exists():
                key = "context" if isinstance(action, BuildAction) else "source"
                yield ("setup", i, key), f"{rel!r} is not in the lab's folder", f"add {self.folder / rel}"
        for i, step in enumerate(self.steps):
            for j, check in enumerate(step.checks):
                if (
                    isinstance(check, FileCheck)
                    and check.schema_file
                    and not (self.folder / check.schema_file).exists()
                ):
                    yield (
                        ("steps", i, "checks", j, "schema_file"),
                        f"schema file {check.schema_file!r} is not in the lab's folder",
                        None,
                    )


def _strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))
