"""What a bundle asks of Beanstalk besides its containers: configuration files (.ebextensions/*.config)
and platform hooks and files (.platform/). Each is listed with what `tutor eb run` does with it
locally and what only happens on AWS, on the environment's instances.

Sources: "Advanced environment customization with configuration files (.ebextensions)"
(https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/ebextensions.html) and "Extending Elastic
Beanstalk Linux platforms" (https://docs.aws.amazon.com/elasticbeanstalk/latest/dg/platforms-linux-extend.html).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from tutor.aws.beanstalk.source import BundleSource
from tutor.content.loading.yamlsource import YamlSyntaxError, parse

ENV_NAMESPACE = "aws:elasticbeanstalk:application:environment"
HOOK_STAGES = {
    "hooks/prebuild": "after the bundle is extracted, before the image is built or pulled",
    "hooks/predeploy": "after the build, before the app starts",
    "hooks/postdeploy": "after the app has started",
    "confighooks/prebuild": "on a configuration change, before the build step",
    "confighooks/predeploy": "on a configuration change, before the app restarts",
    "confighooks/postdeploy": "on a configuration change, after the app restarts",
}
CONFIG_KEYS = {
    "packages": "installs OS packages on the instance",
    "groups": "creates Linux groups on the instance",
    "users": "creates Linux users on the instance",
    "sources": "downloads and unpacks archives on the instance",
    "files": "writes files on the instance",
    "commands": "runs commands on the instance before the app is set up",
    "services": "starts or stops services on the instance",
    "container_commands": "runs commands in the staging folder before the app is deployed",
    "Resources": "adds AWS resources (CloudFormation) to the environment",
    "Outputs": "CloudFormation outputs",
}


@dataclass
class Extensions:
    env: dict[str, str] = field(default_factory=dict)  # environment properties, from option_settings
    local: list[str] = field(default_factory=list)  # what `tutor eb run` uses
    aws_only: list[str] = field(default_factory=list)  # what only happens on AWS
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def read_extensions(src: BundleSource) -> Extensions:
    ext = Extensions()
    for name in sorted(src.names):
        path = PurePosixPath(name)
        if path.parts[0] == ".ebextensions":
            _config_file(src, name, ext)
        elif path.parts[0] == ".platform":
            _platform_file(src, name, ext)
    return ext


def _config_file(src: BundleSource, name: str, ext: Extensions) -> None:
    if len(PurePosixPath(name).parts) != 2:
        ext.warnings.append(
            f"{name}: Beanstalk reads only files directly in .ebextensions/, not in subfolders"
        )
        return
    if not name.endswith(".config"):
        ext.warnings.append(f"{name}: ignored by Beanstalk, which reads .ebextensions/*.config files only")
        return
    try:
        data = parse(src.text(name)) or {}
    except YamlSyntaxError as exc:
        where = f" (line {exc.line})" if exc.line else ""
        ext.problems.append(f"{name} is not valid YAML or JSON{where}: Beanstalk would reject the deployment")
        return
    if not isinstance(data, dict):
        ext.problems.append(f"{name} must be a mapping of keys such as option_settings, packages, files")
        return
    for key, value in data.items():
        if key == "option_settings":
            _options(name, value, ext)
        elif key in CONFIG_KEYS:
            ext.aws_only.append(f"{name}: {key}, {CONFIG_KEYS[key]}")
        else:
            ext.warnings.append(f"{name}: {key!r} is not a configuration file key Beanstalk knows")


def _options(name: str, value: Any, ext: Extensions) -> None:
    """option_settings as a mapping (namespace -> {option: value}) or a list of entries."""
    entries: list[tuple[str, str, Any]] = []
    if isinstance(value, dict):
        for ns, opts in value.items():
            for opt, v in (opts or {}).items() if isinstance(opts, dict) else []:
                entries.append((str(ns), str(opt), v))
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and "option_name" in item:
                ns = str(item.get("namespace", ENV_NAMESPACE))
                entries.append((ns, str(item["option_name"]), item.get("value")))
    other: dict[str, list[str]] = {}
    for ns, opt, v in entries:
        if ns == ENV_NAMESPACE:
            ext.env[opt] = "" if v is None else str(v)
        else:
            other.setdefault(ns, []).append(opt)
    if any(ns == ENV_NAMESPACE for ns, _, _ in entries):
        names = ", ".join(sorted(o for ns, o, _ in entries if ns == ENV_NAMESPACE))
        ext.local.append(f"{name}: environment properties {names} (passed to the containers here too)")
    for ns, opts in other.items():
        ext.aws_only.append(
            f"{name}: option settings {ns} ({', '.join(opts)}), applied to the AWS environment"
        )


def _platform_file(src: BundleSource, name: str, ext: Extensions) -> None:
    parts = PurePosixPath(name).parts
    stage = "/".join(parts[1:3])
    if stage in HOOK_STAGES:
        ext.aws_only.append(f"{name}: a platform hook, run on the instance {HOOK_STAGES[stage]}")
        if name not in src.executable:
            ext.warnings.append(f"{name} is not executable: hooks need it (`chmod +x {name}` before zipping)")
    elif len(parts) > 1 and parts[1] == "nginx":
        ext.aws_only.append(
            f"{name}: NGINX proxy configuration on the instance (with Docker Compose Beanstalk runs no "
            "proxy: it expects yours as a container)"
        )
    else:
        ext.aws_only.append(f"{name}: a platform file, used on the instance")


def env_pairs(items: list[str]) -> dict[str, str]:
    """`KEY=VALUE` arguments (as `eb setenv` takes them)."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key:
            from tutor.aws.beanstalk.source import BundleError

            raise BundleError(f"--env {item!r} is not KEY=VALUE", hint="e.g. --env GREETING=hello")
        out[key] = value
    return out


def dotenv(env: dict[str, str]) -> str:
    """The .env file Beanstalk generates for a Docker Compose app from its environment properties."""
    return "".join(f"{k}={v}\n" for k, v in env.items())
