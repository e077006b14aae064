"""Checks against the local AWS sandbox: an API answer (JMESPath), a pushed image, manifests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jmespath

from tutor.base.limits import LimitExceeded, load_json, read_text
from tutor.content.loading.yamlsource import YamlSyntaxError, parse_all
from tutor.content.models.lab_checks import AwsCheck, BundleCheck, ManifestCheck, RegistryCheck
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, ok, workspace_check

ERROR_HINTS = {
    "RepositoryNotFoundException": "create it first (`aws ecr create-repository ...`)",
    "ResourceNotFoundException": "check the name; `aws ... list-...` shows what exists",
    "ClusterNotFoundException": "create the cluster first",
}


def _parse_embedded(value: Any) -> Any:
    """Fields such as lifecyclePolicyText hold JSON as a string; parse them so queries can look in."""
    if isinstance(value, dict):
        return {k: _parse_embedded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_parse_embedded(v) for v in value]
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return load_json(value)
        except ValueError:  # not JSON, or past the limits
            return value
    return value


def _shown(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


@check("aws")
def aws_check(spec: AwsCheck, ctx: CheckContext) -> Outcome:
    from botocore.exceptions import BotoCoreError, ClientError

    from tutor.aws.emulator import client

    endpoint = ctx.params.get("aws_endpoint") or None
    try:
        api = client(spec.service, endpoint)
        response = getattr(api, spec.operation)(**spec.params)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code", "Error")
        if spec.expect_error:
            if code == spec.expect_error:
                return ok(f"{spec.operation} is refused with {code}, as it should be.")
            return fail(f"{spec.operation} failed with {code}, not {spec.expect_error}.", spec.hint)
        message = exc.response.get("Error", {}).get("Message", "")
        return fail(f"{spec.operation} says {code}: {message}", spec.hint or ERROR_HINTS.get(code, ""))
    except (BotoCoreError, OSError) as exc:
        return fail(f"the AWS emulator did not answer ({exc}).", "start it with `tutor aws start`")
    except AttributeError:
        return fail(f"{spec.service} has no operation {spec.operation}.", "fix the lab: a boto3 method name")
    if spec.expect_error:
        return fail(
            f"{spec.operation} succeeded, but it should be refused with {spec.expect_error}.", spec.hint
        )
    data = _parse_embedded({k: v for k, v in response.items() if k != "ResponseMetadata"})
    found = jmespath.search(spec.query, data)
    where = f"{spec.operation} → {spec.query}"
    if spec.exists is not None:
        present = found not in (None, [], {}, "")
        if present != spec.exists:
            return fail(
                f"{where} is {'empty' if not present else _shown(found)}"
                + ("" if present else "; nothing matches yet."),
                spec.hint,
            )
    if spec.equals is not None and found != spec.equals:
        return fail(f"{where} is {_shown(found)}, not {_shown(spec.equals)}.", spec.hint)
    if spec.contains is not None:
        haystack = found if isinstance(found, list | str) else [] if found is None else [found]
        if spec.contains not in haystack:
            return fail(
                f"{where} is {_shown(found)}, which does not include {_shown(spec.contains)}.", spec.hint
            )
    return ok(f"{where} is {_shown(found)}.")


@check("registry")
def registry_check(spec: RegistryCheck, ctx: CheckContext) -> Outcome:
    from tutor.aws import registry

    address = ctx.params.get("registry") or ""
    if not address:
        return fail("the lab's registry is not running.", "start the lab again (`tutor lab start ...`)")
    try:
        tags = registry.tags(address, spec.repository)
    except OSError as exc:
        return fail(f"the registry at {address} did not answer ({exc}).", "restart the lab")
    present = tags is not None and spec.tag in tags
    if not spec.exists:
        return (
            ok(f"{spec.repository}:{spec.tag} is not in the registry.")
            if not present
            else fail(f"{spec.repository}:{spec.tag} is still in the registry.", spec.hint)
        )
    if tags is None:
        return fail(
            f"the registry {address} has no repository {spec.repository} yet.",
            spec.hint or f"tag your image as {address}/{spec.repository}:{spec.tag} and `docker push` it",
        )
    if not present:
        return fail(
            f"{address}/{spec.repository} has the tags {', '.join(tags) or 'none'}, not {spec.tag}.",
            spec.hint or f"`docker push {address}/{spec.repository}:{spec.tag}`",
        )
    if spec.digest_of_image and ctx.client is not None:
        remote = registry.digest(address, spec.repository, spec.tag)
        try:
            local = ctx.client.images.get(spec.digest_of_image)
        except Exception:
            return fail(f"there is no local image {spec.digest_of_image} to compare with.", spec.hint)
        digests = {d.split("@", 1)[1] for d in local.attrs.get("RepoDigests") or [] if "@" in d}
        if remote not in digests:
            return fail(
                f"{spec.repository}:{spec.tag} in the registry ({(remote or '?')[:19]}) is not the image "
                f"{spec.digest_of_image}.",
                spec.hint or "tag the right image and push it again",
            )
    return ok(f"{address}/{spec.repository}:{spec.tag} is in the registry.")


def _labels(obj: dict[str, Any], *path: str) -> dict[str, str]:
    for key in path:
        obj = (obj or {}).get(key) or {}
    return {str(k): str(v) for k, v in (obj or {}).items()}


@workspace_check("k8s", "there is no file {path} in your workspace.")
def k8s_check(spec: ManifestCheck, ctx: CheckContext, path: Path) -> Outcome:
    import kubernetes_validate

    try:
        docs = [d for d in parse_all(read_text(path)) if d]
    except (YamlSyntaxError, LimitExceeded, UnicodeDecodeError) as exc:
        return fail(f"{spec.path} is not valid YAML ({exc}).", spec.hint)
    if not docs:
        return fail(f"{spec.path} is empty.", spec.hint)
    version = (
        spec.kubernetes_version if spec.kubernetes_version.count(".") == 2 else f"{spec.kubernetes_version}.0"
    )
    for doc in docs:
        if not isinstance(doc, dict) or "kind" not in doc:
            return fail(f"{spec.path} has a document without `kind`.", spec.hint)
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            where = ".".join(str(p) for p in exc.path) or "the top level"
            name = doc.get("metadata", {}).get("name", "?")
            return fail(
                f"the {doc['kind']} {name} is not valid Kubernetes {spec.kubernetes_version}: "
                f"at {where}, {exc.message}.",
                spec.hint,
            )
        except (kubernetes_validate.SchemaNotFoundError, kubernetes_validate.InvalidSchemaError) as exc:
            return fail(
                f"the {doc.get('kind')} has no schema for {doc.get('apiVersion')} ({exc}).", spec.hint
            )
    deployments = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Deployment"}
    services = {d["metadata"]["name"]: d for d in docs if d.get("kind") == "Service"}
    dep = None
    if spec.deployment:
        dep = deployments.get(spec.deployment)
        if dep is None:
            return fail(
                f"{spec.path} has no Deployment named {spec.deployment} "
                f"(it has {', '.join(deployments) or 'none'}).",
                spec.hint,
            )
        selector = _labels(dep, "spec", "selector", "matchLabels")
        template = _labels(dep, "spec", "template", "metadata", "labels")
        if not selector.items() <= template.items():
            return fail(
                f"the Deployment's selector {selector} does not match its Pod template labels {template}.",
                spec.hint or "the selector must match the template's labels",
            )
        if spec.replicas is not None and dep["spec"].get("replicas", 1) != spec.replicas:
            return fail(
                f"the Deployment asks for {dep['spec'].get('replicas', 1)} replicas, not {spec.replicas}.",
                spec.hint,
            )
        containers = dep["spec"]["template"]["spec"].get("containers", [])
        if spec.container_port is not None:
            ports = [p.get("containerPort") for c in containers for p in c.get("ports") or []]
            if spec.container_port not in ports:
                return fail(
                    f"no container of the Deployment declares containerPort {spec.container_port} "
                    f"(it has {ports or 'none'}).",
                    spec.hint,
                )
        if spec.requests:
            for c in containers:
                requests = (c.get("resources") or {}).get("requests") or {}
                missing = [k for k in ("cpu", "memory") if k not in requests]
                if missing:
                    return fail(
                        f"the container {c.get('name')} sets no {' or '.join(missing)} request.",
                        spec.hint or "add resources.requests.cpu and .memory",
                    )
    if spec.service:
        svc = services.get(spec.service)
        if svc is None:
            return fail(
                f"{spec.path} has no Service named {spec.service} (it has {', '.join(services) or 'none'}).",
                spec.hint,
            )
        if spec.service_type and svc["spec"].get("type", "ClusterIP") != spec.service_type:
            return fail(
                f"the Service is of type {svc['spec'].get('type', 'ClusterIP')}, not {spec.service_type}.",
                spec.hint,
            )
        ports = svc["spec"].get("ports") or []
        if spec.service_port is not None and spec.service_port not in [p.get("port") for p in ports]:
            return fail(f"the Service does not listen on port {spec.service_port}.", spec.hint)
        selector = {str(k): str(v) for k, v in (svc["spec"].get("selector") or {}).items()}
        pods = [
            (name, _labels(d, "spec", "template", "metadata", "labels")) for name, d in deployments.items()
        ]
        matched = [name for name, labels in pods if selector and selector.items() <= labels.items()]
        if not matched:
            shown = "; ".join(f"{n}: {lbl}" for n, lbl in pods) or "no Deployment"
            return fail(
                f"the Service's selector {selector or '{}'} matches no Pod ({shown}), "
                "so it would send traffic nowhere.",
                spec.hint or "make spec.selector equal the Pod template's labels",
            )
        if dep is not None:
            container_ports = {
                p.get("containerPort")
                for c in dep["spec"]["template"]["spec"]["containers"]
                for p in c.get("ports") or []
            }
            for p in ports:
                target = p.get("targetPort", p.get("port"))
                if isinstance(target, int) and target not in container_ports:
                    return fail(
                        f"the Service sends port {p.get('port')} to targetPort {target}, "
                        f"but the Pods listen on {sorted(container_ports)}.",
                        spec.hint,
                    )
    return ok(f"{spec.path} is valid and consistent.")


@workspace_check("bundle", folders=True)
def bundle_check(spec: BundleCheck, ctx: CheckContext, path: Path) -> Outcome:
    from tutor.aws.beanstalk import check_bundle

    report = check_bundle(path)
    if not report.ok:
        return fail(f"{spec.path}: {report.problems[0]}", spec.hint)
    if spec.bundle_kind and report.kind != spec.bundle_kind:
        return fail(
            f"{spec.path} is a {report.kind or 'bundle'} bundle, not a {spec.bundle_kind} one.", spec.hint
        )
    if spec.port is not None and report.port != spec.port:
        return fail(f"{spec.path} sends traffic to port {report.port}, not {spec.port}.", spec.hint)
    for key, value in spec.env.items():
        if key not in report.env or (value != "*" and report.env[key] != value):
            got = f"{key}={report.env[key]!r}" if key in report.env else f"no {key}"
            return fail(
                f"{spec.path} sets {got} in .ebextensions, not {key}={value!r}.",
                spec.hint or "option_settings, namespace aws:elasticbeanstalk:application:environment",
            )
    return ok(f"{spec.path} is a valid {report.kind} source bundle (port {report.port}).")
