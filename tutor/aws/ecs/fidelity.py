"""Which task definition fields run locally, which are accepted but ignored, which are refused."""

from __future__ import annotations

from typing import Any

SIMULATED = {
    "family": "names the task's containers (ecs-FAMILY-REVISION-NAME-ID)",
    "networkMode": "awsvpc: one network namespace per task (a pause container, like the ECS agent's); "
    "bridge: a network per task where containers find each other by name",
    "cpu": "task cpu: a CPU cap on each container (Docker has no shared cap for a group)",
    "memory": "task memory: a hard limit on each container without its own",
    "containerDefinitions.name": "the container's name in the task",
    "containerDefinitions.image": "the image, which must be on this machine",
    "containerDefinitions.command": "the container's command",
    "containerDefinitions.entryPoint": "the container's entrypoint",
    "containerDefinitions.environment": "environment variables",
    "containerDefinitions.portMappings": "awsvpc: ports on the task's own IP "
    "(--publish maps one to the host); "
    "bridge: published on 127.0.0.1 (hostPort 0 or none: a free port)",
    "containerDefinitions.cpu": "CPU shares (--cpu-shares), as ECS does on EC2",
    "containerDefinitions.memory": "a hard memory limit (--memory)",
    "containerDefinitions.memoryReservation": "a soft memory limit (--memory-reservation)",
    "containerDefinitions.healthCheck": "a Docker health check; task health as ECS reports it",
    "containerDefinitions.essential": "when an essential container stops, the agent stops the whole task",
    "containerDefinitions.dependsOn": "start order: START, COMPLETE, SUCCESS and HEALTHY are waited for",
    "containerDefinitions.stopTimeout": "seconds between SIGTERM and SIGKILL on stop",
    "containerDefinitions.user": "the user the process runs as",
    "containerDefinitions.workingDirectory": "the working directory",
    "containerDefinitions.dockerLabels": "container labels",
    "containerDefinitions.startTimeout": "how long dependsOn waits before giving up",
}
IGNORED = {
    "taskRoleArn": "no IAM locally: the containers get no AWS credentials",
    "executionRoleArn": "no image pulls from ECR and no log shipping locally",
    "requiresCompatibilities": "checked by validation; locally every task runs on Docker",
    "runtimePlatform": "runs on this machine's CPU architecture",
    "ephemeralStorage": "containers use the engine's storage",
    "placementConstraints": "one machine: nothing to place",
    "containerDefinitions.logConfiguration": "logs stay in Docker (`tutor ecs logs`)",
    "containerDefinitions.secrets": "no Secrets Manager or Parameter Store locally: not injected",
    "containerDefinitions.repositoryCredentials": "no registry credentials are used",
    "containerDefinitions.links": "bridge mode already resolves container names",
    "containerDefinitions.mountPoints": "not mounted locally",
    "volumes": "not created locally",
    "containerDefinitions.ulimits": "not applied",
    "containerDefinitions.resourceRequirements": "GPUs are not available",
    "tags": "kept by the emulator only",
}
REFUSED = {
    "networkMode=host": "host networking reaches beyond the sandbox",
    "containerDefinitions.privileged": "privileged containers reach beyond the sandbox",
    "containerDefinitions.linuxParameters": "devices and kernel capabilities reach beyond the sandbox",
    "pidMode=host": "the host's processes are not the lab's",
    "ipcMode=host": "the host's IPC is not the lab's",
}


def fields_used(td: dict[str, Any]) -> set[str]:
    """The fields set in a task definition; parts of the wrong shape (which validation reports)
    are passed over."""
    if not isinstance(td, dict):
        return set()
    used = {str(k) for k, v in td.items() if v not in (None, [], {}) and k != "containerDefinitions"}
    containers = td.get("containerDefinitions")
    for c in containers if isinstance(containers, list) else []:
        if not isinstance(c, dict):
            continue
        used |= {f"containerDefinitions.{k}" for k, v in c.items() if v not in (None, [], {})}
        if not c.get("privileged"):
            used.discard("containerDefinitions.privileged")
        lp = c.get("linuxParameters")
        lp = lp if isinstance(lp, dict) else {}
        caps = lp.get("capabilities")
        if not (lp.get("devices") or (caps.get("add") if isinstance(caps, dict) else None)):
            used.discard("containerDefinitions.linuxParameters")
    if td.get("networkMode") == "host":
        used.add("networkMode=host")
    for key in ("pidMode", "ipcMode"):
        if td.get(key) == "host":
            used.add(f"{key}=host")
    return used


def explain(td: dict[str, Any]) -> dict[str, list[tuple[str, str]]]:
    """For the fields this task definition uses: simulated, accepted but ignored, refused."""
    used = fields_used(td)
    refused = [(k, v) for k, v in REFUSED.items() if k in used]
    refused_names = {k.split("=")[0] for k, _ in refused}
    return {
        "simulated": [(k, v) for k, v in SIMULATED.items() if k in used and k not in refused_names],
        "ignored": [(k, v) for k, v in IGNORED.items() if k in used],
        "refused": refused,
        "unknown": sorted(
            u
            for u in used
            if u not in SIMULATED
            and u not in IGNORED
            and u.split("=")[0] not in refused_names
            and u not in REFUSED
        ),
    }
