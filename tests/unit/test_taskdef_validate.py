"""The task definition validator: real examples from the AWS docs pass; every rule bites."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tutor.aws.ecs.fidelity import explain
from tutor.aws.ecs.taskdef import FARGATE_SIZES, validate

EXAMPLES = Path(__file__).resolve().parent.parent / "fixtures" / "taskdefs"


def example(name: str) -> dict[str, Any]:
    data = json.loads((EXAMPLES / name).read_text())
    data.pop("_source", None)
    return data


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_documented_examples_are_valid(name: str) -> None:
    problems = validate(example(name))
    assert problems == [], [str(p) for p in problems]


def rules(td: dict[str, Any], **kw: Any) -> dict[str, str]:
    return {p.path: f"{p.rule}: {p.message}" for p in validate(td, **kw)}


def test_api_shape_errors_name_the_field() -> None:
    td = example("fargate-webserver.json")
    td["containerDefinitions"][0]["imagee"] = td["containerDefinitions"][0].pop("image")
    td["containerDefinitions"][0]["cpu"] = "99"
    found = rules(td)
    assert "did you mean 'image'" in found["containerDefinitions[0].imagee"]
    assert "the API wants int" in found["containerDefinitions[0].cpu"]
    assert found["containerDefinitions[0].image"].startswith("image:")


def test_fargate_rules() -> None:
    td = example("wordpress-links.json")
    found = rules(td, fargate=True)
    assert found["networkMode"].startswith("fargate-awsvpc: Fargate needs networkMode awsvpc, not bridge")
    assert "Fargate needs task-level cpu and memory" in found["cpu"]
    td = example("fargate-webserver.json")
    td["memory"] = "4096"
    assert "with cpu 256 Fargate takes memory 512 to 2048 MiB" in rules(td)["memory"]
    td["cpu"], td["memory"] = "300", "1024"
    assert "300 is not a Fargate CPU size" in rules(td)["cpu"]
    td = example("fargate-webserver.json")
    td["containerDefinitions"][0]["portMappings"][0]["hostPort"] = 8080
    td["containerDefinitions"][0]["privileged"] = True
    found = rules(td)
    assert "awsvpc-ports" in found["containerDefinitions[0].portMappings[0].hostPort"]
    assert "fargate-no-host" in found["containerDefinitions[0].privileged"]


def test_fargate_sizes_table() -> None:
    assert FARGATE_SIZES[256] == [512, 1024, 2048]
    assert FARGATE_SIZES[4096][0] == 8192 and FARGATE_SIZES[4096][-1] == 30720
    assert FARGATE_SIZES[16384][-1] == 122880 and FARGATE_SIZES[16384][1] - FARGATE_SIZES[16384][0] == 8192


def test_essential_dependson_and_memory_rules() -> None:
    td = example("container-dependency.json")
    td["containerDefinitions"][0]["essential"] = False
    assert "at least one container must be essential" in rules(td)["containerDefinitions"]
    td = example("container-dependency.json")
    td["containerDefinitions"][1]["essential"] = True
    assert "must have essential: false" in rules(td)["containerDefinitions[0].dependsOn[0].condition"]
    td = example("container-dependency.json")
    td["containerDefinitions"][0]["dependsOn"][0]["condition"] = "HEALTHY"
    assert (
        "HEALTHY needs a healthCheck on container_name"
        in rules(td)["containerDefinitions[0].dependsOn[0].condition"]
    )
    td["containerDefinitions"][0]["dependsOn"][0]["containerName"] = "nope"
    assert (
        "there is no container named 'nope'"
        in rules(td)["containerDefinitions[0].dependsOn[0].containerName"]
    )
    td = example("wordpress-links.json")
    del td["containerDefinitions"][1]["memory"]
    assert "every container needs memory or memoryReservation" in rules(td)["containerDefinitions[1].memory"]


def test_depends_on_cycle() -> None:
    td = example("wordpress-links.json")
    td["containerDefinitions"][0]["dependsOn"] = [{"containerName": "mysql", "condition": "START"}]
    td["containerDefinitions"][1]["dependsOn"] = [{"containerName": "wordpress", "condition": "START"}]
    assert "goes round in a circle: wordpress → mysql → wordpress" in rules(td)["containerDefinitions"]


def test_output_only_fields_are_named() -> None:
    td = example("fargate-webserver.json") | {"revision": 3, "status": "ACTIVE"}
    found = rules(td)
    assert "set by ECS; remove it" in found["revision"] and "status" in found


def test_fidelity_report() -> None:
    report = explain(example("ec2-bridge-dynamic-ports.json"))
    simulated = dict(report["simulated"])
    ignored = dict(report["ignored"])
    assert "containerDefinitions.memoryReservation" in simulated
    assert "no Secrets Manager" in ignored["containerDefinitions.secrets"]
    assert "no IAM locally" in ignored["taskRoleArn"]
    td = example("fargate-webserver.json")
    td["containerDefinitions"][0]["privileged"] = True
    assert dict(explain(td)["refused"]) == {
        "containerDefinitions.privileged": "privileged containers reach beyond the sandbox"
    }
