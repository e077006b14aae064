"""What a lab step checks: one model per check kind, a discriminated union on `kind`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from tutor.content.models.base import Strict, Text
from tutor.content.models.lab_check_base import CheckBase
from tutor.content.models.lab_checks_orch import (
    ComposeCheck,
    ServiceCheck,
    SwarmCheck,
    SwarmObjectCheck,
)
from tutor.content.models.lab_setup import LabFolderPath, WorkspaceFile

__all__ = ["CheckBase", "ComposeCheck", "ServiceCheck", "SwarmCheck", "SwarmObjectCheck"]


class MountSpec(Strict):
    destination: Text
    volume: str | None = None
    bind: bool | None = None
    read_only: bool | None = None


class ContainerCheck(CheckBase):
    target_fields = ("name", "label")
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


class EngineObjectCheck(CheckBase):
    """A volume or network, by name: there (or gone, with `exists: false`), with its driver."""

    name: Text
    exists: bool = True
    driver: str | None = None


class VolumeCheck(EngineObjectCheck):
    kind: Literal["volume"]
    used_by: list[str] = Field(default_factory=list)
    file: VolumeFile | None = None


class NetworkCheck(EngineObjectCheck):
    kind: Literal["network"]
    containers: list[str] = Field(default_factory=list)


class HttpCheck(CheckBase):
    kind: Literal["http"]
    port: str = Field(description="Host port on 127.0.0.1 (usually a {{param}}).")
    path: str = "/"
    status: int = 200
    contains: str = ""
    timeout: float = Field(3.0, gt=0, le=30)


class InContainer(CheckBase):
    """What a container of the learner's does: a command run in it, what it logs."""

    container: Text


class ExecCheck(InContainer):
    kind: Literal["exec"]
    command: list[str] | str
    exit_code: int = 0
    output_contains: str = ""
    timeout: float = Field(5.0, gt=0, le=60)


class LogsCheck(InContainer):
    kind: Literal["logs"]
    contains: Text
    tail: int = Field(500, gt=0)


class FileCheck(CheckBase):
    kind: Literal["file"]
    path: WorkspaceFile
    format: Literal["text", "json", "yaml"] = "text"
    contains: str = ""
    schema_: dict[str, Any] | None = Field(None, alias="schema")
    schema_file: LabFolderPath | None = Field(None, description="A JSON schema in the lab's folder.")


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
    deployment: str | None = Field(None, description="a Deployment the manifests must hold")
    replicas: int | None = Field(None, description="the deployment's replicas (with `deployment`)")
    container_port: int | None = Field(None, description="a containerPort of the deployment's containers")
    service: str | None = Field(None, description="a Service the manifests must hold, selecting pods")
    service_type: str | None = Field(None, description="the service's type (default ClusterIP)")
    service_port: int | None = Field(None, description="a port the service listens on")
    requests: bool | None = Field(
        None, description="every container of the deployment sets CPU and memory requests"
    )


class BundleCheck(CheckBase):
    """An Elastic Beanstalk source bundle in the workspace, checked as Beanstalk would."""

    kind: Literal["bundle"]
    path: WorkspaceFile = Field(description="a .zip, or a folder")
    port: int | None = Field(None, description="the container port web traffic reaches")
    bundle_kind: Literal["dockerfile", "dockerrun", "compose", "dockerrun-v2"] | None = None
    env: dict[str, str] = Field(
        default_factory=dict, description="environment properties its .ebextensions set (value, or *)"
    )


class Serves(Strict):
    port: int
    path: str = "/"
    contains: str = ""


class TaskCheck(CheckBase):
    """Local ECS tasks run by `tutor ecs` (one family, or one service's tasks)."""

    target_fields = ("family", "service")
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
    | TaskDefinitionCheck
    | ComposeCheck
    | ServiceCheck
    | SwarmCheck
    | SwarmObjectCheck,
    Field(discriminator="kind"),
]
