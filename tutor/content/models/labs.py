"""Labs: YAML plus a folder of files, checked live against a real Docker engine.

    labs/<lab-id>/lab.yaml      the lab (this model)
    labs/<lab-id>/files/...     files its setup builds or copies
    labs/_images/images.yaml    the base images labs use, built offline when needed

Strings may hold `{{param}}` placeholders, filled per attempt from `params` (random free
ports, names) and from `workspace`, `lab` and `attempt`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from pydantic import (
    Field,
    field_validator,
)

from tutor.base.containment import PathEscape, lexical_problem, resolve_inside
from tutor.content.models.base import Id, References, Strict, Text
from tutor.content.models.lab_checks import Check, FileCheck
from tutor.content.models.lab_setup import BuildAction, Param, SetupAction, safe_workspace_path
from tutor.content.models.placeholders import BUILTIN_PARAMS, PLACEHOLDER, render, sample_params
from tutor.content.suggest import did_you_mean

__all__ = ["BUILTIN_PARAMS", "PLACEHOLDER", "Lab", "Step"]

Problem = tuple[tuple[str | int, ...], str, str | None]
PACK_FILES_FIX = "labs may only use files inside their pack: put the file itself in the lab's folder"

# -- steps and the lab -----------------------------------------------------------------


class Solution(Strict):
    commands: list[str] = Field(default_factory=list, description="Shell commands, run in the workspace.")
    files: dict[str, str] = Field(default_factory=dict, description="Files to write into the workspace.")
    note: str = ""

    @field_validator("files")
    @classmethod
    def _inside(cls, v: dict[str, str]) -> dict[str, str]:
        for path in v:
            safe_workspace_path(path, "solution file")
        return v


class Step(Strict):
    id: Id
    title: Text
    instructions: Text
    checks: Annotated[list[Check], Field(min_length=1)]
    hints: list[Text] = Field(default_factory=list)
    solution: Solution = Solution()
    needs: list[Id] = Field(default_factory=list, description="Steps that must pass first.")


class Needs(Strict):
    docker: bool = True
    images: list[str] = Field(default_factory=list, description="Base images from labs/_images.")
    aws: bool = False
    registry: bool = False
    ecs: bool = Field(False, description="the local ECS agent, which runs tasks and services")
    compose: bool = Field(False, description="Docker Compose v2 (`docker compose`)")
    swarm: bool = Field(
        False, description="swarm mode: turned on for the lab when it is off, and off again on reset"
    )
    swarm_node: bool = Field(
        False,
        description="the lab changes the node itself (labels, availability): it runs only where "
        "it turns swarm mode on itself, never on a swarm that was there before",
    )


class AwsCall(Strict):
    """An emulator call that undoes what the learner made (errors such as NotFound are fine)."""

    service: Text
    operation: Text
    params: dict[str, Any] = Field(default_factory=dict)


class Cleanup(Strict):
    """What the learner is asked to create, by name: reset removes it (after listing it)."""

    containers: list[str] = Field(default_factory=list)
    images: list[str] = Field(default_factory=list)
    volumes: list[str] = Field(default_factory=list)
    networks: list[str] = Field(default_factory=list)
    aws: list[AwsCall] = Field(default_factory=list)
    registry: list[str] = Field(
        default_factory=list, description="repository:tag pushed to the lab's registry"
    )
    ecs_tasks: bool = False
    compose: list[str] = Field(default_factory=list, description="Compose project names (all they made)")
    stacks: list[str] = Field(default_factory=list, description="Swarm stacks (their services, networks...)")
    services: list[str] = Field(default_factory=list, description="Swarm services")
    secrets: list[str] = Field(default_factory=list)
    configs: list[str] = Field(default_factory=list)


class Lab(Strict):
    id: Id
    title: Text
    topic: Id
    order: int = 0
    summary: str = ""
    minutes: int = Field(20, ge=1, le=480)
    objectives: Annotated[list[Text], Field(min_length=1)]
    references: References
    needs: Needs = Needs()
    params: dict[str, Param] = Field(default_factory=dict)
    setup: list[SetupAction] = Field(default_factory=list)
    steps: Annotated[list[Step], Field(min_length=1)]
    cleanup: Cleanup = Cleanup()
    folder: Path | None = Field(None, exclude=True)
    pack_root: Path | None = Field(None, exclude=True, description="The content folder it came from.")

    def step(self, step_id: str) -> Step:
        return next(s for s in self.steps if s.id == step_id)

    def problems(self) -> Iterator[Problem]:
        ids = [s.id for s in self.steps]
        seen: set[str] = set()
        for i, step in enumerate(self.steps):
            if step.id in seen:
                yield ("steps", i, "id"), f"step id {step.id!r} is used twice", "give each step its own id"
            seen.add(step.id)
            for j, need in enumerate(step.needs):
                if need not in ids:
                    yield (
                        ("steps", i, "needs", j),
                        f"step {step.id!r} needs step {need!r}, which does not exist",
                        did_you_mean(need, ids) or f"steps: {', '.join(ids)}",
                    )
                elif ids.index(need) >= i:
                    yield ("steps", i, "needs", j), f"step {need!r} must come before {step.id!r}", None
        for name in self.params:
            if name in BUILTIN_PARAMS:
                yield (
                    ("params", name),
                    f"{name!r} is a built-in parameter ({{{{{name}}}}} is filled by the app)",
                    "rename the parameter",
                )
        yield from self._needs_declared()
        known = set(self.params) | set(BUILTIN_PARAMS)
        for path, text in _strings(self.model_dump(by_alias=True, exclude={"folder", "pack_root"}), ()):
            for name in PLACEHOLDER.findall(text):
                if name not in known:
                    yield (
                        path,
                        f"unknown placeholder {{{{{name}}}}}",
                        did_you_mean(name, known)
                        or f"declare it under params (known: {', '.join(sorted(known))})",
                    )
        if self.folder is not None:
            yield from self._files_present()

    def _needs_declared(self) -> Iterator[Problem]:
        """What the setup uses must be in `needs`, so the lab says so before it starts."""
        ecr = [n for n, p in self.params.items() if getattr(p, "kind", "") == "ecr_registry"]
        if ecr and not (self.needs.aws and self.needs.registry):
            yield ("params", ecr[0]), "an ecr_registry parameter needs `aws: true` and `registry: true`", None
        if self.needs.swarm_node and not self.needs.swarm:
            yield ("needs", "swarm_node"), "swarm_node needs swarm: true", "add `swarm: true` under needs"
        for i, action in enumerate(self.setup):
            kind = getattr(action, "action", "")
            if kind == "compose" and not self.needs.compose:
                yield ("setup", i), "a compose setup needs `compose: true` under needs", None
            if kind == "stack" and not self.needs.swarm:
                yield ("setup", i), "a stack setup needs `swarm: true` under needs", None

    def _files_present(self) -> Iterator[Problem]:
        """Every path the lab names exists, and stays inside the pack once links are followed."""
        assert self.folder is not None
        for i, action in enumerate(self.setup):
            rel = getattr(action, "context", None) or getattr(action, "source", None)
            if rel:
                key = "context" if isinstance(action, BuildAction) else "source"
                yield from self._pack_path(rel, ("setup", i, key))
        for i, step in enumerate(self.steps):
            for j, check in enumerate(step.checks):
                if isinstance(check, FileCheck) and check.schema_file:
                    yield from self._pack_path(check.schema_file, ("steps", i, "checks", j, "schema_file"))

    def _pack_path(self, rel: str, loc: tuple[str | int, ...]) -> Iterator[Problem]:
        """The named path resolves inside the pack (the loader reports links out below it).

        A path with placeholders is checked as an attempt would fill it."""
        assert self.folder is not None
        if "{{" in rel:
            rel = render(rel, sample_params(self.id, self.params))
            if lexical_problem(rel):
                return  # reported by the validation of the filled-in lab
        target = self.folder / rel
        try:
            resolve_inside(self.pack_root or self.folder, target)
        except PathEscape as exc:
            yield loc, f"{rel!r} {exc.reason}", PACK_FILES_FIX
            return
        if not target.exists():
            yield loc, f"{rel!r} is not in the lab's folder", f"add {target}"


def _strings(value: Any, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, (*path, i))
