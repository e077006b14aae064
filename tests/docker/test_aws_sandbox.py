"""The AWS sandbox with the real engine: pushes to the local registry, aws checks, and proof
that no lab reaches anything but loopback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

from fakeaws import guarded_env, run_lab_test
from pydantic import TypeAdapter

from tutor.aws import emulator, registry
from tutor.content.models.lab_checks import Check
from tutor.labs.checks import REGISTRY, load_check_kinds
from tutor.labs.checks.base import CheckContext

load_check_kinds()
CHECK: TypeAdapter[Any] = TypeAdapter(Check)
AWS_LABS = [
    "ecr-create-repository",
    "ecr-push-and-run",
    "ecr-lifecycle-policy",
    "eks-cluster-and-manifests",
    "beanstalk-docker-bundle",
]


def run(spec: dict[str, Any], ctx: CheckContext) -> Any:
    parsed = CHECK.validate_python(spec)
    return REGISTRY[parsed.kind](parsed, ctx)


def test_docker_push_to_the_local_registry(docker_client: Any, base_images: None, tmp_path: Path) -> None:
    reg = registry.start(docker_client)
    try:
        name = f"{reg.address}/ci-push:1"
        docker_client.images.get("tutor-lab/web:1").tag(f"{reg.address}/ci-push", "1")
        pushed = subprocess.run(["docker", "push", name], capture_output=True, text=True, timeout=120)
        assert pushed.returncode == 0, pushed.stderr
        ctx = CheckContext(docker_client, {"registry": reg.address}, tmp_path, None, "t")
        good = run({"kind": "registry", "repository": "ci-push", "tag": "1", "digest_of_image": name}, ctx)
        assert good.passed, good.reason
        missing = run({"kind": "registry", "repository": "ci-push", "tag": "2"}, ctx)
        assert f"{reg.address}/ci-push has the tags 1, not 2" in missing.reason
        assert "has no repository nope" in run({"kind": "registry", "repository": "nope"}, ctx).reason
        assert registry.delete(reg.address, "ci-push", "1")
        assert not run({"kind": "registry", "repository": "ci-push", "tag": "1"}, ctx).passed
    finally:
        docker_client.images.remove(f"{reg.address}/ci-push:1", force=True)
        registry.stop(docker_client)


def test_aws_check_reasons(docker_client: Any, tmp_path: Path) -> None:
    state = emulator.start()
    try:
        ctx = CheckContext(None, {"aws_endpoint": state.endpoint}, tmp_path, None, "t")
        spec = {
            "kind": "aws",
            "service": "ecr",
            "operation": "describe_repositories",
            "query": "repositories[].repositoryName",
            "contains": "web",
        }
        assert 'which does not include "web"' in run(spec, ctx).reason
        emulator.client("ecr", state.endpoint).create_repository(repositoryName="web")
        assert run(spec, ctx).passed
        gone = run(
            {
                "kind": "aws",
                "service": "ecr",
                "operation": "describe_repositories",
                "params": {"repositoryNames": ["api"]},
            },
            ctx,
        )
        assert "says RepositoryNotFoundException" in gone.reason and "create it first" in gone.hint
        assert run(
            {
                "kind": "aws",
                "service": "ecr",
                "operation": "describe_repositories",
                "params": {"repositoryNames": ["api"]},
                "expect_error": "RepositoryNotFoundException",
            },
            ctx,
        ).passed
        wrong = run(
            {
                "kind": "aws",
                "service": "ecr",
                "operation": "describe_repositories",
                "query": "repositories[0].imageTagMutability",
                "equals": "IMMUTABLE",
            },
            ctx,
        )
        assert 'is "MUTABLE", not "IMMUTABLE"' in wrong.reason
    finally:
        emulator.stop()


def test_the_guard_catches_a_call_outside_loopback(tmp_path: Path) -> None:
    """The control for the test below: the guard really does see an outside call."""
    env, log = guarded_env(tmp_path)
    code = (
        "import urllib.request\ntry:\n"
        " urllib.request.urlopen('https://api.ecr.us-east-1.amazonaws.com', timeout=2)\n"
        "except Exception: pass"
    )
    subprocess.run([sys.executable, "-c", code], env=env, check=True, timeout=60)
    assert "api.ecr.us-east-1.amazonaws.com" in log.read_text()


def test_aws_labs_contact_nothing_outside_loopback(docker_client: Any, tmp_path: Path) -> None:
    env, log = guarded_env(tmp_path)
    # Tools that honour proxies would send outside traffic here, and be refused.
    env.update(
        {
            "HTTPS_PROXY": "http://127.0.0.1:9",
            "HTTP_PROXY": "http://127.0.0.1:9",
            "NO_PROXY": "127.0.0.1,localhost",
        }
    )
    run_lab_test(AWS_LABS, env)
    assert log.read_text() == "", log.read_text()
