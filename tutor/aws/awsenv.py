"""The environment of anything that speaks AWS for a lab: the sandbox's settings, or nothing.

The AWS CLI and the SDKs read many variables besides keys and a region: a profile, config and
credentials files, endpoint URLs (AWS_ENDPOINT_URL and one per service, AWS_ENDPOINT_URL_ECR...),
AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (which would make them skip ours), a CA bundle, role and web
identity settings, container and instance metadata credentials, client-side monitoring, and
boto's own BOTO_CONFIG. Every one of them is dropped here (all of AWS_*, and BOTO_CONFIG), then
the sandbox sets its own: the emulator's endpoint, dummy keys, one region, and config and
credentials files of its own, so neither the learner's settings nor real AWS are ever reached.

Sources: https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html and
https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html (the variables botocore
and awscli read were checked against their sources as installed).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from tutor.base.paths import data_home

REGION = "us-east-1"
ACCOUNT = "123456789012"
DUMMY_KEY = "testing"
# Where AWS calls go when a lab has no emulator: nothing listens there, so they fail at once.
CLOSED_ENDPOINT = "http://127.0.0.1:1"
OTHER_VARS = ("BOTO_CONFIG",)  # boto's config file, read by botocore's credential chain
# Named so `tutor aws env` unsets them even when this process does not see them set.
KNOWN_VARS = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_CREDENTIAL_EXPIRATION",
    "AWS_CA_BUNDLE",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT",
    "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
    "AWS_DATA_PATH",
    "AWS_CSM_ENABLED",
    "AWS_CSM_HOST",
    "AWS_CSM_PORT",
    "AWS_CSM_CLIENT_ID",
    "AWS_DEFAULT_OUTPUT",
    "AWS_ACCOUNT_ID",
    "AWS_CREDENTIAL_FILE",
    "AWS_SDK_UA_APP_ID",
    "BOTO_CONFIG",
)


def is_aws_var(name: str) -> bool:
    return name.upper().startswith("AWS_") or name.upper() in OTHER_VARS


def scrub(environ: Mapping[str, str]) -> dict[str, str]:
    """A copy of `environ` without anything the AWS CLI or SDKs would read."""
    return {k: v for k, v in environ.items() if not is_aws_var(k)}


def sandbox_home() -> Path:
    return data_home() / "aws"


def write_files() -> tuple[Path, Path]:
    """The sandbox's own config and credentials files (the learner's ~/.aws is never read)."""
    home = sandbox_home()
    home.mkdir(parents=True, exist_ok=True)
    config, credentials = home / "config", home / "credentials"
    wanted = {
        config: f"[default]\nregion = {REGION}\noutput = json\n",
        credentials: f"[default]\naws_access_key_id = {DUMMY_KEY}\naws_secret_access_key = {DUMMY_KEY}\n",
    }
    for path, text in wanted.items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return config, credentials


def sandbox_env(endpoint: str) -> dict[str, str]:
    """What the sandbox sets: the emulator (or CLOSED_ENDPOINT), dummy keys, its own files."""
    config, credentials = write_files()
    return {
        "AWS_ENDPOINT_URL": endpoint,
        "AWS_ACCESS_KEY_ID": DUMMY_KEY,
        "AWS_SECRET_ACCESS_KEY": DUMMY_KEY,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_CONFIG_FILE": str(config),
        "AWS_SHARED_CREDENTIALS_FILE": str(credentials),
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_PAGER": "",
    }


def no_proxy(value: str) -> str:
    """NO_PROXY with loopback added: the emulator is never reached through a proxy."""
    items = [v.strip() for v in value.split(",") if v.strip()]
    return ",".join([*items, *[h for h in ("127.0.0.1", "localhost") if h not in items]])


def environment(endpoint: str, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with the sandbox in place of any AWS setting."""
    env = scrub(os.environ if base is None else base)
    env.update(sandbox_env(endpoint))
    env["NO_PROXY"] = env["no_proxy"] = no_proxy(env.get("NO_PROXY") or env.get("no_proxy") or "")
    return env


def shell_lines(endpoint: str, environ: Mapping[str, str] | None = None) -> str:
    """Lines for `eval "$(tutor aws env)"`: unset every AWS setting of the shell, then set ours.

    The shell's exported variables are this process's environment, so the ones it has set
    (AWS_ENDPOINT_URL_ECR and the like included) are known by name.
    """
    import shutil

    environ = os.environ if environ is None else environ
    ours = sandbox_env(endpoint)
    present = {k for k in environ if is_aws_var(k) and k.isidentifier()}
    gone = sorted((present | set(KNOWN_VARS)) - set(ours))
    lines = [f"unset {' '.join(gone[i : i + 8])}" for i in range(0, len(gone), 8)]
    lines += [f"export {k}={quote(v)}" for k, v in ours.items()]
    lines.append('export NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}" no_proxy="$NO_PROXY"')
    here = Path(sys.executable).parent
    if (here / "aws").exists() and shutil.which("aws") != str(here / "aws"):
        lines.append(f'export PATH={quote(str(here))}:"$PATH"  # the aws CLI installed with Container Tutor')
    lines.append("# Container Tutor: the aws CLI now talks to the local emulator only.")
    return "\n".join(lines)


def quote(value: str) -> str:
    if value == "":
        return "''"
    if all(c.isalnum() or c in "/:._-" for c in value):
        return value
    return "'" + value.replace("'", "'\\''") + "'"


def boto_client(service: str, endpoint: str, *, user_agent: str = "") -> Any:
    """A boto3 client for the emulator whatever this process's environment holds: the profile,
    config and credentials files, region and keys are the sandbox's, and no proxy is used."""
    import boto3
    import botocore.session
    from botocore.config import Config

    config, credentials = write_files()
    core = botocore.session.Session()
    for name, value in (
        ("profile", "default"),
        ("config_file", str(config)),
        ("credentials_file", str(credentials)),
        ("region", REGION),
    ):
        core.set_config_variable(name, value)
    session = boto3.session.Session(
        aws_access_key_id=DUMMY_KEY,
        aws_secret_access_key=DUMMY_KEY,
        region_name=REGION,
        botocore_session=core,
    )
    return session.client(
        service,
        endpoint_url=endpoint,
        config=Config(
            connect_timeout=3,
            read_timeout=30,
            retries={"max_attempts": 1},
            proxies={},
            user_agent_extra=user_agent or None,
        ),
    )
