"""Checks that need no engine: an HTTP answer on 127.0.0.1, a file in the workspace."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from tutor.base.limits import LimitExceeded, load_json, read_bytes
from tutor.content.loading.yamlsource import YamlSyntaxError, parse
from tutor.content.models.lab_checks import FileCheck, HttpCheck
from tutor.labs.checks.base import CheckContext, Outcome, check, fail, ok, workspace_check


@check("http")
def http_check(spec: HttpCheck, ctx: CheckContext) -> Outcome:
    url = f"http://127.0.0.1:{spec.port}{spec.path}"
    try:
        with urllib.request.urlopen(url, timeout=spec.timeout) as resp:
            status, body = resp.status, resp.read(200_000).decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        status, body = exc.code, exc.read(20_000).decode("utf-8", "replace")
    except (urllib.error.URLError, OSError, TimeoutError) as exc:
        reason = getattr(exc, "reason", exc)
        return fail(
            f"nothing answers at {url} ({reason}).",
            spec.hint
            or f"is a container publishing host port {spec.port}? `docker ps` shows the PORTS column",
        )
    if status != spec.status:
        return fail(f"{url} answers {status}, not {spec.status}.", spec.hint)
    if spec.contains and spec.contains not in body:
        return fail(f"{url} answers, but the page does not say {spec.contains!r}.", spec.hint)
    return ok(f"{url} answers {status}.")


@workspace_check("file", "there is no file {path} in your workspace ({workspace}).")
def file_check(spec: FileCheck, ctx: CheckContext, path: Path) -> Outcome:
    try:
        text = read_bytes(path).decode("utf-8", errors="replace")
    except LimitExceeded as exc:
        return fail(f"{spec.path}: {exc.message}.", exc.hint or spec.hint)
    data: Any = text
    if spec.format in ("json", "yaml"):
        try:
            data = load_json(text) if spec.format == "json" else parse(text)
        except (json.JSONDecodeError, LimitExceeded, YamlSyntaxError) as exc:
            line = getattr(exc, "lineno", None) or getattr(exc, "line", None)
            where = f"line {line}" if line else "it"
            return fail(f"{spec.path} is not valid {spec.format.upper()} ({where}: {exc}).", spec.hint)
    schema = spec.schema_
    if schema is None and spec.schema_file and ctx.lab_folder is not None:
        schema = load_json(read_bytes(ctx.pack_file(spec.schema_file)))
    if schema is not None:
        import jsonschema

        try:
            jsonschema.Draft202012Validator.check_schema(schema)
        except jsonschema.SchemaError as exc:
            return fail(f"the lab's schema for {spec.path} is broken ({exc.message}).", "tell its author")
        validator = jsonschema.Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
        if errors:
            err = errors[0]
            where = "/".join(map(str, err.absolute_path)) or "the top level"
            return fail(f"{spec.path}: at {where}, {err.message}.", spec.hint)
    if spec.contains and spec.contains not in text:
        return fail(f"{spec.path} does not contain {spec.contains!r}.", spec.hint)
    return ok(f"{spec.path} is as it should be.")
