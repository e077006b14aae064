"""The sandbox's environment sets or unsets everything the AWS CLI and SDKs read (no engine, no
emulator: a fake endpoint and a trap server stand in)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fakeaws import USER_AWS, Trap, fake_home

from tutor.aws import awsenv


def test_scrub_removes_every_aws_setting() -> None:
    env = awsenv.scrub({**USER_AWS, "PATH": "/bin", "HOME": "/home/x", "aws_profile": "lower"})
    assert env == {"PATH": "/bin", "HOME": "/home/x"}


def test_environment_is_the_sandbox_and_only_it(tutor_home: Path) -> None:
    env = awsenv.environment("http://127.0.0.1:45000", {**USER_AWS, "PATH": "/bin", "NO_PROXY": "corp"})
    aws = {k: v for k, v in env.items() if k.startswith("AWS_") or k == "BOTO_CONFIG"}
    assert aws == awsenv.sandbox_env("http://127.0.0.1:45000")
    assert env["AWS_CONFIG_FILE"].startswith(str(tutor_home))
    assert "region = us-east-1" in Path(env["AWS_CONFIG_FILE"]).read_text()
    assert "aws_access_key_id = testing" in Path(env["AWS_SHARED_CREDENTIALS_FILE"]).read_text()
    assert env["NO_PROXY"].split(",") == ["corp", "127.0.0.1", "localhost"]


def test_shell_lines_unset_what_the_shell_has(tutor_home: Path, tmp_path: Path) -> None:
    """eval "$(tutor aws env)" in a real shell that holds every user setting leaves only ours."""
    lines = awsenv.shell_lines("http://127.0.0.1:45000", USER_AWS)
    script = tmp_path / "env.sh"
    script.write_text(lines)
    out = subprocess.run(
        ["bash", "-c", f'eval "$(cat {script})" && env'],
        env={**USER_AWS, "PATH": os.environ["PATH"]},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    seen = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    aws = {k: v for k, v in seen.items() if k.startswith("AWS_") or k == "BOTO_CONFIG"}
    assert aws == awsenv.sandbox_env("http://127.0.0.1:45000")
    assert "127.0.0.1" in seen["NO_PROXY"].split(",")


def test_known_names_match_what_botocore_reads() -> None:
    """Every AWS_* name botocore and awscli read (their sources, as installed) is dropped by
    the prefix rule; the explicit list covers the ones that change where requests go."""
    import re

    import awscli
    import botocore

    names: set[str] = set()
    for package in (botocore, awscli):
        for path in Path(package.__file__).parent.rglob("*.py"):
            text = path.read_text(errors="replace")
            names |= set(re.findall(r"['\"](AWS_[A-Z0-9_]+|BOTO_CONFIG)['\"]", text))
    assert {"AWS_ENDPOINT_URL", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "AWS_CA_BUNDLE"} <= names
    assert all(awsenv.is_aws_var(n) for n in names)
    assert set(awsenv.KNOWN_VARS) - names == set(), set(awsenv.KNOWN_VARS) - names


def test_boto_clients_ignore_the_learners_settings(
    tutor_home: Path, monkeypatch: Any, trap: str, tmp_path: Path
) -> None:
    """A profile that does not exist, per-service endpoints, a CA bundle and a proxy: the
    client still talks to the given endpoint with the sandbox's keys and region."""
    monkeypatch.setenv("HOME", str(fake_home(tmp_path, trap)))
    for key, value in {**USER_AWS, "AWS_ENDPOINT_URL_ECR": trap, "HTTP_PROXY": trap}.items():
        monkeypatch.setenv(key, value)
    monkeypatch.delenv("AWS_CONFIG_FILE")
    monkeypatch.delenv("AWS_SHARED_CREDENTIALS_FILE")
    client = awsenv.boto_client("ecr", "http://127.0.0.1:1")
    assert client.meta.endpoint_url == "http://127.0.0.1:1"
    assert client.meta.region_name == "us-east-1"
    creds = client._request_signer._credentials
    assert (creds.access_key, creds.token) == ("testing", None)
    from botocore.exceptions import EndpointConnectionError

    with pytest.raises(EndpointConnectionError, match=r"127\.0\.0\.1:1"):
        client.describe_repositories()
    assert Trap.hits == []


def test_aws_cli_in_the_lab_environment_never_reads_home(tutor_home: Path, trap: str, tmp_path: Path) -> None:
    """The real aws CLI, with the learner's ~/.aws pointing at the trap: nothing reaches it."""
    home = fake_home(tmp_path, trap)
    base = {**USER_AWS, "AWS_ENDPOINT_URL_ECR": trap, "HOME": str(home), "PATH": os.environ["PATH"]}
    env = awsenv.environment(awsenv.CLOSED_ENDPOINT, base)
    aws = str(Path(sys.executable).parent / "aws")
    out = subprocess.run(
        [aws, "ecr", "describe-repositories", "--cli-connect-timeout", "2"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode != 0
    assert "127.0.0.1:1" in out.stderr, out.stderr
    assert Trap.hits == []
