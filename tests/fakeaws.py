"""A learner's own AWS settings, as tests set them up: every variable the AWS CLI and SDKs
read, a ~/.aws with a region, keys and an endpoint, and a trap server that records any request
that reaches the endpoint they name."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

# What a learner's shell may hold: each would send the aws CLI elsewhere, or use their keys.
USER_AWS = {
    "AWS_PROFILE": "real",
    "AWS_DEFAULT_PROFILE": "real",
    "AWS_ACCESS_KEY_ID": "AKIAREALKEY",
    "AWS_SECRET_ACCESS_KEY": "realsecret",
    "AWS_SESSION_TOKEN": "token",
    "AWS_REGION": "eu-west-3",
    "AWS_DEFAULT_REGION": "eu-west-3",
    "AWS_ENDPOINT_URL": "http://127.0.0.1:9",
    "AWS_ENDPOINT_URL_ECR": "http://127.0.0.1:9",
    "AWS_ENDPOINT_URL_EKS": "http://127.0.0.1:9",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true",
    "AWS_CA_BUNDLE": "/nonexistent/ca.pem",
    "AWS_ROLE_ARN": "arn:aws:iam::111111111111:role/real",
    "AWS_WEB_IDENTITY_TOKEN_FILE": "/nonexistent/token",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://169.254.170.2/creds",
    "AWS_CONFIG_FILE": "/home/learner/.aws/config",
    "AWS_SHARED_CREDENTIALS_FILE": "/home/learner/.aws/credentials",
    "AWS_USE_FIPS_ENDPOINT": "true",
    "AWS_CSM_ENABLED": "true",
    "BOTO_CONFIG": "/home/learner/.boto",
}


class Trap(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_POST(self) -> None:
        Trap.hits.append(self.path)
        self.send_response(500)
        self.end_headers()

    do_GET = do_POST

    def log_message(self, *args: Any) -> None:
        pass


def fake_home(tmp_path: Path, trap: str) -> Path:
    """A learner's ~/.aws with a region, keys and an endpoint: the trap."""
    home = tmp_path / "home"
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "config").write_text(
        f"[default]\nregion = eu-west-3\nendpoint_url = {trap}\n[profile real]\nregion = eu-west-3\n"
    )
    keys = "aws_access_key_id = AKIAREAL\naws_secret_access_key = x\n"
    (home / ".aws" / "credentials").write_text(f"[default]\n{keys}[real]\n{keys}")
    return home


GUARD = Path(__file__).resolve().parent / "docker" / "netguard"


def guarded_env(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """This environment with the network guard in every Python process it starts, and the log
    where the guard writes each call that leaves loopback (empty when none did)."""
    log = tmp_path / "net.log"
    log.touch()
    return {**os.environ, "PYTHONPATH": str(GUARD), "TUTOR_NETLOG": str(log)}, log


def run_lab_test(labs: list[str], env: dict[str, str]) -> None:
    """`tutor lab test LABS` in `env`: every lab passes; the sandbox it started stops after."""
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "tutor", "lab", "test", *labs, "--json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=900,
        )
        reports = json.loads(proc.stdout or "[]")
        assert proc.returncode == 0, proc.stderr or {r["lab"]: r["log"] for r in reports if not r["ok"]}
    finally:
        subprocess.run(
            [sys.executable, "-m", "tutor", "aws", "stop"], env=env, timeout=60, capture_output=True
        )
