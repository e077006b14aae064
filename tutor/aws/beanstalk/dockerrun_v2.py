"""Dockerrun.aws.json version 2: the ECS-managed Docker platform's file. It is valid, but for another
platform branch than the Docker one `tutor eb run` emulates; this says which, and drafts the
docker-compose.yml that moves the app to the Docker platform.

Facts from "Preparing your Docker image for deployment to Elastic Beanstalk"
(https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html):
the Docker AL2 and AL2023 platforms read Dockerrun.aws.json v3 (with Docker Compose) and v1
(without); "ECS running on Amazon Linux 2" and "ECS running on AL2023" read v2.
"""

from __future__ import annotations

from typing import Any

import yaml

DOC = "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/single-container-docker-configuration.html"
ECS_DOC = "https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/create_deploy_docker_ecs.html"


def explain() -> list[str]:
    return [
        "Dockerrun.aws.json version 2 describes containers for the ECS-managed Docker platform: deploy "
        "it to an environment on the *ECS running on 64bit Amazon Linux 2023* platform branch "
        "(or *ECS running on 64bit Amazon Linux 2*), where it is valid as it is",
        "the *Docker running on 64bit Amazon Linux 2023* branch reads docker-compose.yml instead (or "
        "Dockerrun.aws.json v1 for one container); to move there, describe the same containers as "
        "Compose services: a draft follows",
        f"see {DOC} and {ECS_DOC}",
    ]


def to_compose(data: dict[str, Any]) -> str:
    """A docker-compose.yml draft from a v2 file's containerDefinitions and volumes."""
    host_paths = {
        v.get("name"): (v.get("host") or {}).get("sourcePath")
        for v in data.get("volumes") or []
        if isinstance(v, dict)
    }
    services: dict[str, Any] = {}
    for c in data.get("containerDefinitions") or []:
        if not isinstance(c, dict) or not c.get("name"):
            continue
        svc: dict[str, Any] = {"image": c.get("image", "")}
        ports = [
            f"{p['hostPort']}:{p['containerPort']}" if p.get("hostPort") else str(p.get("containerPort"))
            for p in c.get("portMappings") or []
            if isinstance(p, dict) and p.get("containerPort")
        ]
        if ports:
            svc["ports"] = ports
        env = {
            e["name"]: str(e.get("value", ""))
            for e in c.get("environment") or []
            if isinstance(e, dict) and "name" in e
        }
        if env:
            svc["environment"] = env
        for key, target in (
            ("command", "command"),
            ("entryPoint", "entrypoint"),
            ("workingDirectory", "working_dir"),
        ):
            if c.get(key):
                svc[target] = c[key]
        links = [str(x).split(":")[0] for x in c.get("links") or []]
        if links:
            svc["depends_on"] = links  # one Compose network: services find each other by name
        mounts = []
        for m in c.get("mountPoints") or []:
            if isinstance(m, dict) and m.get("sourceVolume") and m.get("containerPath"):
                source = host_paths.get(m["sourceVolume"]) or m["sourceVolume"]
                mounts.append(f"{source}:{m['containerPath']}" + (":ro" if m.get("readOnly") else ""))
        if mounts:
            svc["volumes"] = mounts
        if c.get("memory"):
            svc["mem_limit"] = f"{c['memory']}m"
        if c.get("essential") is False:
            svc["restart"] = "no"
        services[c["name"]] = svc
    named = {n: {} for n, path in host_paths.items() if not path and n}
    doc: dict[str, Any] = {"services": services}
    if named:
        doc["volumes"] = named
    header = "# A draft from Dockerrun.aws.json v2: check ports (Beanstalk sends traffic to host port 80)\n"
    return header + yaml.safe_dump(doc, sort_keys=False)
