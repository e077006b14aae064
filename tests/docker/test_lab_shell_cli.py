"""`tutor lab shell` and `tutor lab show` on the real engine: the same environment as the app's
terminal, the shell's exit code, and what the lab owns."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest

from tutor.cli import main


def tutor(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SHELL": "/bin/bash"}
    return subprocess.run(
        [sys.executable, "-m", "tutor", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
    )


def test_lab_shell_runs_in_the_lab_and_returns_the_exit_code(
    docker_client: Any, base_images: None, capsys: Any
) -> None:
    lab = "docker-first-container"
    try:
        # the lab's names are this learner's (web-3f9a): the shell has them as variables
        script = 'echo "port=$PORT ws=$PWD"; docker run -d --name $WEB -p $PORT:80 tutor-lab/web:1; exit 7\n'
        out = tutor("lab", "shell", lab, stdin=script)
        assert out.returncode == 7, out.stderr[-2000:]
        assert "Leave with `exit` or ctrl+d" in out.stderr
        assert main(["lab", "show", lab, "--json"]) == 0
        data = json.loads(capsys.readouterr().out)
        port = data["params"]["port"]
        assert f"port={port} ws={data['workspace']}" in out.stdout
        assert data["variables"]["PORT"] == port
        web = data["params"]["web"]
        assert web.startswith("web-")
        assert [r["name"] for r in data["resources"]] == [web]  # made during the attempt: the lab's
        assert data["steps"][0]["status"] == "current"
        assert main(["lab", "check", lab, "--step", "run"]) == 0
        capsys.readouterr()
        assert main(["lab", "show", lab]) == 0
        text = capsys.readouterr().out
        assert "✔ 1. Start the web server  [passed]" in text and f"container {web}" in text
    finally:
        main(["lab", "reset", lab, "--yes"])


@pytest.fixture(autouse=True)
def _clean_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """The learner's shell sources ~/.bashrc: give it an empty home, so a slow or hanging rc file
    on the test machine (a stale pyenv lock, say) cannot stall the terminal."""
    monkeypatch.setenv("HOME", str(tmp_path_factory.mktemp("home")))
