"""The emulator starts on demand, answers the real aws CLI, and stops cleanly."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tutor.aws import emulator as emu
from tutor.cli import main

AWS = str(Path(sys.executable).parent / "aws")


def aws_cli(
    endpoint: str, *args: str, extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(emu.sandbox_env(endpoint))
    env.update(extra_env or {})
    return subprocess.run([AWS, *args], capture_output=True, text=True, env=env, timeout=120)


def test_start_status_env_stop(tutor_home: Path, capsys: Any) -> None:
    state = emu.start()
    try:
        assert emu.status() == state and state.endpoint.startswith("http://127.0.0.1:")
        assert emu.start() == state  # kept while running, not started twice
        assert main(["aws", "env"]) == 0
        lines = capsys.readouterr().out
        assert f"export AWS_ENDPOINT_URL={state.endpoint}" in lines
        assert "export AWS_ACCESS_KEY_ID=testing" in lines
        unset = {
            name for line in lines.splitlines() if line.startswith("unset ") for name in line.split()[1:]
        }
        assert {"AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_CA_BUNDLE"} <= unset
        assert main(["aws", "status", "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["emulator"]["running"] is True
    finally:
        assert emu.stop() is True
    assert emu.status() is None
    assert main(["aws", "status"]) == 0
    assert "AWS emulator: stopped" in capsys.readouterr().out


def test_the_real_aws_cli_talks_to_the_emulator(emulator: Any) -> None:
    made = aws_cli(emulator.endpoint, "ecr", "create-repository", "--repository-name", "web")
    assert made.returncode == 0, made.stderr
    uri = json.loads(made.stdout)["repository"]["repositoryUri"]
    assert uri == "123456789012.dkr.ecr.us-east-1.amazonaws.com/web"
    listed = aws_cli(
        emulator.endpoint, "ecr", "describe-repositories", "--query", "repositories[].repositoryName"
    )
    assert json.loads(listed.stdout) == ["web"]


def test_real_credentials_in_the_environment_are_never_used(
    emulator: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    """A learner's profile and keys are set aside: labs run with the sandbox's settings only."""
    creds = tmp_path / "credentials"
    creds.write_text("[real]\naws_access_key_id = AKIAREALKEY\naws_secret_access_key = real\n")
    monkeypatch.setenv("AWS_PROFILE", "real")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAREALKEY")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(creds))
    from tutor.content.loading.loader import load_course
    from tutor.labs.engine import LabSession
    from tutor.progress import open_store

    env = LabSession(load_course(), open_store(), "ecr-create-repository").env()
    assert "AWS_PROFILE" not in env
    assert env["AWS_ACCESS_KEY_ID"] == "testing"
    assert env["AWS_SHARED_CREDENTIALS_FILE"] != str(creds)
    assert env["AWS_ENDPOINT_URL"] == emulator.endpoint
    who = subprocess.run(
        [AWS, "sts", "get-caller-identity"], capture_output=True, text=True, env=env, timeout=120
    )
    assert who.returncode == 0, who.stderr
    assert json.loads(who.stdout)["Account"] == "123456789012"
    client = emu.client("ecr", emulator.endpoint)
    assert client.meta.endpoint_url == emulator.endpoint
    assert client._request_signer._credentials.access_key == "testing"


def test_a_taken_port_is_a_clear_error(tutor_home: Path, monkeypatch: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        monkeypatch.setenv("TUTOR_AWS_PORT", str(port))
        with pytest.raises(emu.EmulatorError) as err:
            emu.start()
    assert f"port {port}" in err.value.message and "already taken" in err.value.message
    assert "TUTOR_AWS_PORT" in (err.value.hint or "")


def test_client_without_emulator_says_how_to_start_it(tutor_home: Path) -> None:
    with pytest.raises(emu.EmulatorError, match="not running") as err:
        emu.client("ecr")
    assert "tutor aws start" in (err.value.hint or "")
