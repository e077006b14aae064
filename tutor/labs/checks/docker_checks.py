"""Checks on images, volumes, networks, exec and logs, read through the docker SDK (containers:
container_checks).

Every reason speaks of what the learner did ("a container named web is running, but port 80
is not published to the host"), and the hint says what to try next.
"""

from __future__ import annotations

import io
import tarfile
import time
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any

from tutor.base.labels import STORE_LABEL
from tutor.content.models.lab_checks import (
    EngineObjectCheck,
    ExecCheck,
    ImageCheck,
    LogsCheck,
    NetworkCheck,
    VolumeCheck,
)
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, foreign, ok
from tutor.labs.sandbox import CHECK_LABEL, HELPER_IMAGE

UNITS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_memory(text: str) -> int:
    text = text.strip().lower().removesuffix("b") or "0"
    unit = text[-1] if text[-1] in UNITS else "b"
    number = text[:-1] if text[-1] in UNITS else text
    return int(float(number) * UNITS[unit])


def human_bytes(n: int) -> str:
    for unit, size in (("g", 1024**3), ("m", 1024**2), ("k", 1024)):
        if n >= size and n % size == 0:
            return f"{n // size}{unit}"
    return f"{n}b"


def port_key(port: str) -> str:
    return port if "/" in port else f"{port}/tcp"


def env_dict(config_env: list[str] | None) -> dict[str, str]:
    out = {}
    for item in config_env or []:
        key, _, value = item.partition("=")
        out[key] = value
    return out


def docker_errors() -> tuple[type[BaseException], ...]:
    from docker.errors import NotFound

    return (NotFound,)


_READ_LIMIT = 1_000_000  # bytes of a file in a container or volume that a check looks at


def _labels_of(obj: Any) -> dict[str, str]:
    attrs = getattr(obj, "attrs", {}) or {}
    return attrs.get("Labels") or (attrs.get("Config") or {}).get("Labels") or {}


def get_own(get: Any, name: str, ctx: CheckContext) -> tuple[Any, str]:
    """A named object when it may be this learner's: (obj, "") or (None, why not / "")."""
    try:
        obj = get(name)
    except docker_errors():
        return None, ""
    why = foreign(_labels_of(obj), ctx)
    return (None, why) if why else (obj, "")


def own_container(name: str, ctx: CheckContext) -> tuple[Any, str]:
    """The learner's container of that name: (container, "") or (None, the reason there is none)."""
    c, why = get_own(ctx.engine.containers.get, name, ctx)
    if c is None:
        return None, f"no container named {name} exists yet" + (f" ({why})" if why else "")
    return c, ""


def _read_file_from(
    ctx: CheckContext, image: str, path: str, volumes: dict[str, dict[str, str]] | None = None
) -> bytes | None:
    """Read one file through a container that is created but never started, then removed."""
    client = ctx.engine
    labels = {CHECK_LABEL: "1", STORE_LABEL: ctx.params.get("store", "")}
    helper = client.containers.create(
        image, command=["true"], labels=labels, volumes=volumes or {}, network_disabled=True
    )
    try:
        stream, _stat = helper.get_archive(path)
        data = bytearray()
        for chunk in stream:  # kept up to the limit; the rest is drained (the connection is reused)
            if len(data) <= _READ_LIMIT + 1024:
                data += chunk
    except docker_errors():
        return None
    finally:
        helper.remove(force=True)
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        member = tar.next()
        if member is None or not member.isfile():
            return b"" if member is not None else None
        extracted = tar.extractfile(member)
        return extracted.read(_READ_LIMIT) if extracted else b""


@check("image")
def image_check(spec: ImageCheck, ctx: CheckContext) -> Outcome:
    client = ctx.engine
    image, why = get_own(client.images.get, spec.name, ctx)
    if image is None:
        if not spec.exists:
            return ok(f"there is no image {spec.name} of yours.")
        return fail(
            f"there is no image tagged {spec.name} yet" + (f" ({why})." if why else "."),
            spec.hint or f"build it with `docker build -t {spec.name} .`",
        )
    if not spec.exists:
        return fail(
            f"the image {spec.name} still exists.", spec.hint or f"remove it with `docker rmi {spec.name}`"
        )
    attrs = image.attrs
    config = attrs.get("Config") or {}
    size_mb = attrs.get("Size", 0) / 1e6
    if spec.max_size_mb is not None and size_mb > spec.max_size_mb:
        return fail(
            f"{spec.name} is {size_mb:.1f} MB; it should be at most {spec.max_size_mb:g} MB.",
            spec.hint or "leave the build tools behind: copy only what runs into the final stage",
        )
    layers = len((attrs.get("RootFS") or {}).get("Layers") or [])
    if spec.max_layers is not None and layers > spec.max_layers:
        return fail(
            f"{spec.name} has {layers} layers; it should have at most {spec.max_layers}.",
            spec.hint or "combine RUN steps, or build in stages",
        )
    user = config.get("User") or ""
    if spec.non_root and user in ("", "root", "0", "0:0"):
        return fail(
            f"{spec.name} runs as root (no USER set).", spec.hint or "add a USER instruction, e.g. USER 1000"
        )
    exposed = {p.split("/")[0] for p in (config.get("ExposedPorts") or {})}
    for port in spec.exposes:
        if port.split("/")[0] not in exposed:
            shown = ", ".join(sorted(exposed)) or "no port"
            return fail(f"{spec.name} exposes {shown}, not {port}.", spec.hint or f"add `EXPOSE {port}`")
    env = env_dict(config.get("Env"))
    for key, value in spec.env.items():
        if key not in env or (value != "*" and env[key] != value):
            return fail(f"{spec.name} does not set {key}={value}.", spec.hint or f"add `ENV {key}={value}`")
    if spec.entrypoint is not None and (config.get("Entrypoint") or []) != spec.entrypoint:
        return fail(
            f"{spec.name} has the entrypoint {config.get('Entrypoint')}, not {spec.entrypoint}.", spec.hint
        )
    if spec.cmd is not None and (config.get("Cmd") or []) != spec.cmd:
        return fail(
            f"{spec.name} has the command {config.get('Cmd')}, not {spec.cmd}.",
            spec.hint or f"use the exec form: CMD {list(spec.cmd)}".replace("'", '"'),
        )
    labels = config.get("Labels") or {}
    for key, value in spec.labels.items():
        if labels.get(key) != value:
            return fail(
                f"{spec.name} does not carry the label {key}={value}.",
                spec.hint or f'add `LABEL {key}="{value}"`',
            )
    for path in spec.files_present:
        if _read_file_from(ctx, spec.name, path) is None:
            return fail(f"{spec.name} has no file {path}.", spec.hint)
    for path in spec.files_absent:
        if _read_file_from(ctx, spec.name, path) is not None:
            return fail(f"{spec.name} still contains {path}.", spec.hint or "keep it out of the final stage")
    return ok(f"{spec.name} is built as it should be.")


def _existing(what: str, spec: EngineObjectCheck, ctx: CheckContext) -> tuple[Any, Outcome | None]:
    """Look a named volume or network up; the outcome is already decided when it should (not) exist."""
    obj, why = get_own(getattr(ctx.engine, f"{what}s").get, spec.name, ctx)
    if obj is None:
        if not spec.exists:
            return None, ok(f"there is no {what} {spec.name} of yours.")
        extra = f" ({why})" if why else ""
        create = f"create it with `docker {what} create {spec.name}`"
        return None, fail(f"there is no {what} named {spec.name} yet{extra}.", spec.hint or create)
    if not spec.exists:
        return obj, fail(f"the {what} {spec.name} still exists.", spec.hint)
    return obj, None


@check("volume")
def volume_check(spec: VolumeCheck, ctx: CheckContext) -> Outcome:
    volume, decided = _existing("volume", spec, ctx)
    if decided is not None:
        return decided
    driver = volume.attrs.get("Driver")
    if spec.driver and driver != spec.driver:
        return fail(f"the volume {spec.name} uses the {driver} driver, not {spec.driver}.", spec.hint)
    users = {c.name for c in ctx.engine.containers.list(all=True, filters={"volume": spec.name})}
    for name in spec.used_by:
        if name not in users:
            shown = ", ".join(sorted(users)) or "no container"
            return fail(
                f"the volume {spec.name} is used by {shown}, not by {name}.",
                spec.hint or f"mount it with `-v {spec.name}:/path` when you run {name}",
            )
    if spec.file is not None:
        content = _read_file_from(
            ctx, HELPER_IMAGE, f"/v/{spec.file.path.lstrip('/')}", {spec.name: {"bind": "/v", "mode": "ro"}}
        )
        if content is None:
            return fail(f"the volume {spec.name} has no file {spec.file.path}.", spec.hint)
        text = content.decode("utf-8", "replace")
        if spec.file.contains and spec.file.contains not in text:
            return fail(
                f"{spec.file.path} in the volume {spec.name} does not contain {spec.file.contains!r}.",
                spec.hint,
            )
    return ok(f"the volume {spec.name} is as it should be.")


@check("network")
def network_check(spec: NetworkCheck, ctx: CheckContext) -> Outcome:
    network, decided = _existing("network", spec, ctx)
    if decided is not None:
        return decided
    attrs = network.attrs
    if spec.driver and attrs.get("Driver") != spec.driver:
        return fail(
            f"the network {spec.name} uses the {attrs.get('Driver')} driver, not {spec.driver}.", spec.hint
        )
    members = {c.get("Name") for c in (attrs.get("Containers") or {}).values()}
    for name in spec.containers:
        if name not in members:
            shown = ", ".join(sorted(m for m in members if m)) or "no running container"
            return fail(
                f"{name} is not on the network {spec.name} (it has {shown}).",
                spec.hint or f"run {name} with `--network {spec.name}`",
            )
    return ok(f"the network {spec.name} is as it should be.")


def _with_timeout(fn: Any, timeout: float) -> Any:
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        return pool.submit(fn).result(timeout=timeout)
    finally:
        pool.shutdown(wait=False)


@check("exec")
def exec_check(spec: ExecCheck, ctx: CheckContext) -> Outcome:
    c, missing = own_container(spec.container, ctx)
    if c is None:
        return fail(f"{missing}.", spec.hint)
    if c.status != "running":
        return fail(
            f"{spec.container} is {c.status}; a command can only run in a running container.", spec.hint
        )
    started = time.monotonic()
    try:
        result = _with_timeout(lambda: c.exec_run(spec.command, demux=False), spec.timeout)
    except FutureTimeout:
        return fail(f"the command in {spec.container} did not finish within {spec.timeout:g} s.", spec.hint)
    output = (result.output or b"").decode("utf-8", "replace").strip()
    shown = output[-200:] or "nothing"
    cmd = spec.command if isinstance(spec.command, str) else " ".join(spec.command)
    if result.exit_code != spec.exit_code:
        return fail(
            f"`{cmd}` in {spec.container} exited with {result.exit_code} and printed: {shown}", spec.hint
        )
    if spec.output_contains and spec.output_contains not in output:
        return fail(
            f"`{cmd}` in {spec.container} printed {shown!r}, not {spec.output_contains!r}.", spec.hint
        )
    return ok(f"`{cmd}` in {spec.container} works ({time.monotonic() - started:.1f} s).")


@check("logs")
def logs_check(spec: LogsCheck, ctx: CheckContext) -> Outcome:
    c, missing = own_container(spec.container, ctx)
    if c is None:
        return fail(f"{missing}.", spec.hint)
    logs = c.logs(tail=spec.tail).decode("utf-8", "replace")
    if spec.contains not in logs:
        last = logs.strip().splitlines()[-1:] or ["nothing"]
        return fail(
            f"the logs of {spec.container} do not say {spec.contains!r} (last line: {last[0][:120]}).",
            spec.hint,
        )
    return ok(f"the logs of {spec.container} say {spec.contains!r}.")
