"""Bad input in the AWS sandbox gets a clear message saying what to do."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from pydantic import TypeAdapter

from tutor.aws.beanstalk import check_bundle
from tutor.content.models.lab_checks import Check
from tutor.labs.checks import REGISTRY, load_check_kinds
from tutor.labs.checks.base import CheckContext

load_check_kinds()
CHECK: TypeAdapter[Any] = TypeAdapter(Check)
LABS = Path(__file__).resolve().parents[2] / "labs"


def run(spec: dict[str, Any], workspace: Path, **params: str) -> Any:
    parsed = CHECK.validate_python(spec)
    ctx = CheckContext(
        client=None, params=params, workspace=workspace, lab_folder=LABS / "ecr-lifecycle-policy", attempt="t"
    )
    return REGISTRY[parsed.kind](parsed, ctx)


def make_zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, content in files.items():
            zf.writestr(name, content)
    return path


DOCKERFILE = 'FROM tutor-lab/busybox:1\nCOPY www /www\nEXPOSE 8080\nCMD ["httpd", "-f", "-p", "8080"]\n'


def test_bundle_with_the_dockerfile_in_a_subfolder(tmp_path: Path) -> None:
    report = check_bundle(
        make_zip(tmp_path / "shop.zip", {"shop/Dockerfile": DOCKERFILE, "shop/www/index.html": "x"})
    )
    assert not report.ok
    assert "is in shop/, not at the root of the zip" in report.problems[0]
    assert "cd shop && zip -r ../shop.zip ." in report.problems[0]


@pytest.mark.parametrize(
    ("files", "problem"),
    [
        ({"index.html": "x"}, "no Dockerfile, Dockerrun.aws.json or docker-compose.yml at its root"),
        ({"Dockerfile": "FROM x\n"}, "has no EXPOSE"),
        ({"Dockerfile": "FROM x\nEXPOSE 80 443\n"}, "exposes 2 ports (80, 443); expose exactly one"),
        ({"Dockerrun.aws.json": "{nope"}, "not valid JSON"),
        (
            {"Dockerrun.aws.json": json.dumps({"AWSEBDockerrunVersion": "1", "Image": {}})},
            "'Name' is a required property",
        ),
        (
            {"Dockerrun.aws.json": json.dumps({"AWSEBDockerrunVersion": "1", "Image": {"Name": "web:1"}})},
            "needs Ports",
        ),
    ],
)
def test_bundle_problems(tmp_path: Path, files: dict[str, str], problem: str) -> None:
    report = check_bundle(make_zip(tmp_path / "b.zip", files))
    assert not report.ok and any(problem in p for p in report.problems), report.problems


def test_valid_bundles(tmp_path: Path) -> None:
    report = check_bundle(make_zip(tmp_path / "a.zip", {"Dockerfile": DOCKERFILE, "www/index.html": "x"}))
    assert report.ok and report.kind == "dockerfile" and report.port == 8080
    run_v1 = {
        "AWSEBDockerrunVersion": "1",
        "Image": {"Name": "tutor-lab/web:1"},
        "Ports": [{"ContainerPort": "80"}],
    }
    report = check_bundle(make_zip(tmp_path / "b.zip", {"Dockerrun.aws.json": json.dumps(run_v1)}))
    assert (
        report.ok and report.kind == "dockerrun" and report.port == 80 and report.image == "tutor-lab/web:1"
    )
    (tmp_path / "c.zip").write_text("not a zip")
    assert "is not a zip file" in check_bundle(tmp_path / "c.zip").problems[0]


def test_malformed_lifecycle_policy(tmp_path: Path) -> None:
    spec = {
        "kind": "file",
        "path": "lifecycle.json",
        "format": "json",
        "schema_file": "lifecycle-policy.schema.json",
    }
    (tmp_path / "lifecycle.json").write_text(
        '{"rules": [{"rulePriority": 1, "selection": {"tagStatus": "untagged"'
    )
    assert "is not valid JSON" in run(spec, tmp_path).reason
    bad = {
        "rules": [
            {
                "rulePriority": 1,
                "selection": {"tagStatus": "untagged", "countType": "sinceImagePushed", "countNumber": 14},
                "action": {"type": "expire"},
            }
        ]
    }
    (tmp_path / "lifecycle.json").write_text(json.dumps(bad))
    r = run(spec, tmp_path)
    assert not r.passed and "'countUnit' is a required property" in r.reason
    bad["rules"][0]["selection"]["countUnit"] = "days"
    bad["rules"][0]["selection"]["tagStatus"] = "old"
    (tmp_path / "lifecycle.json").write_text(json.dumps(bad))
    assert "'old' is not one of ['tagged', 'untagged', 'any']" in run(spec, tmp_path).reason
    bad["rules"][0]["selection"]["tagStatus"] = "untagged"
    (tmp_path / "lifecycle.json").write_text(json.dumps(bad))
    assert run(spec, tmp_path).passed


MANIFEST = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: tutor-lab/web:1
          ports: [{containerPort: 80}]
          resources: {requests: {cpu: 100m, memory: 64Mi}}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
"""
K8S = {
    "kind": "k8s",
    "path": "app.yaml",
    "deployment": "web",
    "replicas": 3,
    "container_port": 80,
    "requests": True,
    "service": "web",
    "service_type": "LoadBalancer",
    "service_port": 80,
}


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            ("selector: {app: web}", "selector: {app: webb}"),
            "the Service's selector {'app': 'webb'} matches no Pod (web: {'app': 'web'})",
        ),
        (("replicas: 3", 'replicas: "3"'), "at spec.replicas, '3' is not of type 'integer'"),
        (("replicas: 3", "replicas: 2"), "asks for 2 replicas, not 3"),
        (("targetPort: 80", "targetPort: 8080"), "targetPort 8080, but the Pods listen on [80]"),
        (
            ("resources: {requests: {cpu: 100m, memory: 64Mi}}", "resources: {requests: {cpu: 100m}}"),
            "sets no memory request",
        ),
        (("matchLabels: {app: web}", "matchLabels: {app: api}"), "does not match its Pod template labels"),
        (("type: LoadBalancer", "type: NodePort"), "of type NodePort, not LoadBalancer"),
        (
            ("image: tutor-lab/web:1", "image: tutor-lab/web:1\n          imagePullPolice: Always"),
            "imagePullPolice",
        ),
    ],
)
def test_manifest_problems_are_explained(tmp_path: Path, change: tuple[str, str], reason: str) -> None:
    (tmp_path / "app.yaml").write_text(MANIFEST.replace(*change))
    r = run(K8S, tmp_path)
    assert not r.passed and reason in r.reason, r.reason


def test_valid_manifest_passes(tmp_path: Path) -> None:
    (tmp_path / "app.yaml").write_text(MANIFEST)
    r = run(K8S, tmp_path)
    assert r.passed, r.reason


def test_missing_registry_program_is_a_clear_error(tutor_home: Path, monkeypatch: Any) -> None:
    from tutor.aws import registry

    monkeypatch.setattr(registry.shutil, "which", lambda _name: None)
    with pytest.raises(registry.RegistryError) as err:
        registry._program_args(5999)
    assert "docker-registry program is not installed" in err.value.message
    assert "apt-get install docker-registry" in (err.value.hint or "")
