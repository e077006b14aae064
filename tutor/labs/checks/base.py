"""The check registry: kind -> function. A check reads the engine and never changes it."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutor.base.containment import named_path
from tutor.base.labels import ATTEMPT_LABEL, STORE_LABEL

if TYPE_CHECKING:
    import docker


@dataclass
class CheckContext:
    """What a check may look at."""

    client: docker.DockerClient | None
    params: dict[str, str]
    workspace: Path
    lab_folder: Path | None
    attempt: str
    started_at: float = 0.0
    extras: dict[str, Any] = field(default_factory=dict)
    pack_root: Path | None = None  # the content folder the lab came from

    @property
    def engine(self) -> docker.DockerClient:
        """The Docker client, for the kinds of check that read the engine (they run with one)."""
        assert self.client is not None
        return self.client

    def workspace_file(self, rel: str) -> Path:
        """`rel` in the workspace, never through a link out of it (PathEscape, which fails the check)."""
        return named_path(self.workspace, self.workspace, rel, "your workspace")

    def pack_file(self, rel: str) -> Path:
        """`rel` in the lab's folder, never through a link out of its pack (PathEscape)."""
        assert self.lab_folder is not None
        return named_path(self.pack_root or self.lab_folder, self.lab_folder, rel)


@dataclass(frozen=True)
class Outcome:
    passed: bool
    reason: str  # in the learner's terms, about what they did
    hint: str = ""


def ok(reason: str) -> Outcome:
    return Outcome(True, reason)


def fail(reason: str, hint: str = "") -> Outcome:
    return Outcome(False, reason, hint)


def foreign(labels: dict[str, str] | None, ctx: CheckContext) -> str:
    """Why a resource found by name is not this learner's attempt, or "" when it may be.

    Labels say who made what the app made: a resource of another store is another learner's;
    one a lab set up in an earlier attempt is not this attempt's. What the learner made by hand
    carries no labels: its name (with the attempt's suffix, from the lab's name params) is what
    makes it theirs.
    """
    labels = labels or {}
    store = ctx.params.get("store", "")
    theirs = labels.get(STORE_LABEL, "")
    if theirs and store and theirs != store:
        return "it belongs to another learner on this Docker engine"
    attempt = labels.get(ATTEMPT_LABEL, "")
    if attempt and ctx.attempt and attempt != ctx.attempt:
        return "an earlier attempt at a lab made it"
    return ""


CheckFn = Callable[[Any, CheckContext], Outcome]
REGISTRY: dict[str, CheckFn] = {}


def check(kind: str) -> Callable[[CheckFn], CheckFn]:
    def register(fn: CheckFn) -> CheckFn:
        REGISTRY[kind] = fn
        return fn

    return register


def workspace_check(
    kind: str, missing: str = "there is no {path} in your workspace yet.", *, folders: bool = False
) -> Callable[[Callable[[Any, CheckContext, Path], Outcome]], CheckFn]:
    """`check(kind)` for a check of the file `spec.path` names in the workspace (or a folder, with
    `folders`): while there is none it fails with `missing`, else the check gets the path."""

    def register(fn: Callable[[Any, CheckContext, Path], Outcome]) -> CheckFn:
        @functools.wraps(fn)
        def run(spec: Any, ctx: CheckContext) -> Outcome:
            path = ctx.workspace_file(spec.path)
            if not (path.exists() if folders else path.is_file()):
                return fail(missing.format(path=spec.path, workspace=ctx.workspace), spec.hint)
            return fn(spec, ctx, path)

        return check(kind)(run)

    return register


def describe(spec: Any) -> str:
    """A short title for a check when the author gave none."""
    if getattr(spec, "title", ""):
        return spec.title
    kind = spec.kind
    name = getattr(spec, "name", None) or getattr(spec, "container", None) or getattr(spec, "path", None)
    if kind == "http":
        return f"http://127.0.0.1:{spec.port}{spec.path} answers {spec.status}"
    if kind == "aws":
        return f"{spec.service} {spec.operation}"
    if kind == "registry":
        return f"{spec.repository}:{spec.tag} is in the registry"
    return f"{kind} {name or ''}".strip()
