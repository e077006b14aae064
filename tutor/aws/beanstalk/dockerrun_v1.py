"""Dockerrun.aws.json version 1: one container for the Docker platform, without Compose."""

from __future__ import annotations

from typing import Any

DOCKERRUN_V1_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["AWSEBDockerrunVersion"],
    "properties": {
        "AWSEBDockerrunVersion": {"enum": ["1", 1]},
        "Image": {
            "type": "object",
            "required": ["Name"],
            "properties": {"Name": {"type": "string", "minLength": 1}, "Update": {"enum": ["true", "false"]}},
        },
        "Ports": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["ContainerPort"],
                "properties": {
                    "ContainerPort": {"type": ["string", "integer"], "pattern": "^[0-9]+$"},
                    "HostPort": {"type": ["string", "integer"]},
                },
            },
        },
        "Volumes": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["HostDirectory", "ContainerDirectory"],
                "properties": {"HostDirectory": {"type": "string"}, "ContainerDirectory": {"type": "string"}},
            },
        },
        "Logging": {"type": "string"},
        "Authentication": {"type": "object"},
        "Entrypoint": {"type": "string"},
        "Command": {"type": "string"},
    },
}


def check_v1(data: dict[str, Any], report: Any, *, has_dockerfile: bool) -> None:
    """Validate a v1 file into `report` (a BundleReport): its image, its port."""
    import jsonschema

    errors = sorted(
        jsonschema.Draft202012Validator(DOCKERRUN_V1_SCHEMA).iter_errors(data), key=lambda e: list(e.path)
    )
    if errors:
        e = errors[0]
        where = "/".join(map(str, e.path)) or "the top level"
        report.problems.append(f"Dockerrun.aws.json: at {where}, {e.message}")
        return
    if not has_dockerfile:
        if "Image" not in data:
            report.problems.append("Dockerrun.aws.json needs Image.Name when there is no Dockerfile")
            return
        report.kind = "dockerrun"
        report.image = data["Image"]["Name"]
        if "Ports" not in data:
            report.problems.append(
                "Dockerrun.aws.json needs Ports with the ContainerPort your app listens on"
            )
            return
    elif "Image" in data:
        report.notes.append("the Dockerfile is built; Image in Dockerrun.aws.json is not used")
    ports = data.get("Ports") or []
    if ports:
        first = int(ports[0]["ContainerPort"])
        if len(ports) > 1:
            report.notes.append(f"Beanstalk sends traffic to the first ContainerPort only ({first})")
        if report.port is not None and report.port != first:
            report.problems.append(
                f"the Dockerfile exposes {report.port} but Dockerrun.aws.json says {first}"
            )
        report.port = first
    report.notes.append(f"Dockerrun.aws.json v1 is valid (port {report.port})")
