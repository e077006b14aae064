"""Running a lab: start (base images, setup), check a step (results streamed, each with a
timeout), hints and solutions, reset. The TUI and the CLI both drive this class."""

from __future__ import annotations

import re
import secrets
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor.base.containment import PathEscape
from tutor.base.errors import EngineUnavailable, EnvironmentProblem, TutorError
from tutor.base.ports import release_ports
from tutor.base.record import Record
from tutor.base.text import clean
from tutor.content.course import Course
from tutor.content.models.labs import Lab, Step
from tutor.labs import orchestration
from tutor.labs import params as lab_params
from tutor.labs import solution as solutions
from tutor.labs.checks import REGISTRY, describe, load_check_kinds
from tutor.labs.checks.base import CheckContext, Outcome
from tutor.labs.cleanup import declared_names, lab_reset_plan, undo_aws, undo_pushes, undo_tasks
from tutor.labs.environment import lab_env, start_sandbox
from tutor.labs.isolation import new_params
from tutor.labs.params import UnsafeFill, fill, port_owner
from tutor.labs.sandbox import ResetPlan, apply_reset, labels, plan_reset, workspace
from tutor.labs.setup import apply_setup
from tutor.progress.identity import remember
from tutor.progress.labs import LabAttempt, LabRecords
from tutor.progress.store import ProgressStore

CHECK_TIMEOUT = 10.0


class LabError(TutorError):
    pass


@dataclass(frozen=True)
class CheckResult(Record):
    index: int
    kind: str
    title: str
    passed: bool
    reason: str
    hint: str
    seconds: float


@dataclass(frozen=True)
class StepStatus:
    step: Step
    passed: bool
    ready: bool  # its `needs` have passed


class LabSession:
    """One learner's attempt at one lab."""

    def __init__(
        self,
        course: Course,
        store: ProgressStore,
        lab_id: str,
        *,
        client: Any | None = None,
        timeout: float = CHECK_TIMEOUT,
    ) -> None:
        if lab_id not in course.labs:
            from tutor.content.suggest import did_you_mean

            raise LabError(
                f"no lab {lab_id!r}", hint=did_you_mean(lab_id, course.labs) or "run `tutor lab list`"
            )
        self.course = course
        self.lab: Lab = course.labs[lab_id]
        self.store = store
        self.records = LabRecords(store)
        self.store_id = remember(store)  # on everything this learner's labs make on the engine
        self.timeout = timeout
        self._client = client
        self._sandbox_addresses: dict[str, str] | None = None
        self._pool = ThreadPoolExecutor(max_workers=4, thread_name_prefix="lab-check")
        self.swarm_note = ""  # what the last reset did about swarm mode
        load_check_kinds()

    # -- the engine ---------------------------------------------------------------------
    @property
    def client(self) -> Any:
        if self._client is None:
            from tutor.base.dockerhost import connect

            self._client = connect(timeout=self.timeout)
        return self._client

    @property
    def attempt(self) -> LabAttempt | None:
        return self.records.attempt(self.lab.id)

    @property
    def workspace(self) -> Path:
        return workspace(self.lab.id)

    def params(self) -> dict[str, str]:
        attempt = self.attempt
        base = {
            "workspace": str(self.workspace),
            "lab": self.lab.id,
            "attempt": attempt.attempt_id if attempt else "",
            "store": self.store_id,
            "suffix": "",
            **self._addresses(),
        }
        if attempt is None:
            return base
        # An attempt begun before the lab named something per learner keeps the plain name; the
        # built-in names win over a lab's parameters (none may point `aws_endpoint` at real AWS),
        # but for the attempt's own name suffix.
        older = lab_params.defaults(self.lab, attempt.params)
        return {**older, **attempt.params, **base, "suffix": attempt.params.get("suffix", "")}

    def _addresses(self) -> dict[str, str]:
        """Where the emulator and the registry answer: asked once per session, not per render
        (rendering happens on the UI thread)."""
        if self._sandbox_addresses is None:
            from tutor.labs.environment import sandbox_addresses

            self._sandbox_addresses = sandbox_addresses(self.lab)
        return self._sandbox_addresses

    def sandbox(self) -> None:
        """Start what the lab needs besides the engine and is not running (see start_sandbox)."""
        start_sandbox(self.lab, lambda: self.client)
        self._sandbox_addresses = None  # they may have (re)started on new ports

    def env(self) -> dict[str, str]:
        """The environment for commands of this lab (solutions, `lab test`, the lab terminal):
        the sandbox, or an EnvironmentProblem; never the learner's own AWS settings; with
        `docker compose` (v2) linked under the lab's DOCKER_CONFIG."""
        return lab_env(self.lab, self.workspace)

    def render(self, value: Any) -> Any:
        return lab_params.render(value, self.params())

    # -- starting --------------------------------------------------------------------
    def start(self, *, fresh: bool = False, roots: list[Path] | None = None) -> LabAttempt:
        """Prepare base images, run the setup, and record the attempt (an existing one is kept,
        and what it needs of the sandbox is started again if it stopped)."""
        existing = self.attempt
        if existing is not None and not fresh:
            self.sandbox()
            return existing
        # Whatever carries this lab's label and this store's is ours (an earlier attempt).
        self._remove_labelled()
        release_ports(port_owner(self.store_id, self.lab.id))
        if self.lab.needs.images:
            self.prepare_images(roots)
        self.sandbox()
        orchestration.before_setup(self.client, self.lab)  # Compose v2, swarm mode: or exit 3
        client = self.client if self.lab.needs.docker else None
        attempt = self.records.start(
            self.lab.id, secrets.token_hex(4), new_params(self.lab, client, self.store_id)
        )
        self.workspace.mkdir(parents=True, exist_ok=True)
        try:
            tags = labels(self.lab.id, attempt.attempt_id, self.store_id)
            for action in self.lab.setup:
                apply_setup(self.client, self.lab, fill(action, self.params()), tags, self.workspace)
        except Exception as exc:
            self._remove_labelled()
            self.records.forget(self.lab.id)
            self.swarm_note = orchestration.after_reset(self.client, self.lab)
            release_ports(port_owner(self.store_id, self.lab.id))
            if isinstance(exc, TutorError):
                raise
            taken = re.search(r'name "/?([^"]+)" is already in use', str(exc))
            if taken:
                raise LabError(
                    f"the lab needs to create a container named {taken.group(1)}, and one of yours "
                    "already has that name",
                    hint=f"rename yours (`docker rename {taken.group(1)} my-{taken.group(1)}`) or remove it; "
                    "the lab never removes what is not its own",
                ) from None
            raise LabError(f"setting up {self.lab.title} failed: {_short(exc)}") from exc
        return attempt

    def _remove_labelled(self) -> None:
        """Remove only what carries this lab's and this store's labels (nothing matched by name)."""
        if not self.lab.needs.docker:
            return  # a lab without the engine made nothing there (and must work without one)
        apply_reset(self.client, plan_reset(self.client, self.lab.id, store=self.store_id))

    def prepare_images(self, roots: list[Path] | None = None) -> list[Any]:
        from tutor.labs.images import prepare

        return prepare(self.client, self.lab.needs.images, roots or self.course.roots)

    # -- checking ----------------------------------------------------------------------
    def context(self) -> CheckContext:
        attempt = self.attempt
        return CheckContext(
            client=self._client_or_none(),
            params=self.params(),
            workspace=self.workspace,
            lab_folder=self.lab.folder,
            pack_root=self.lab.pack_root,
            attempt=attempt.attempt_id if attempt else "",
            started_at=attempt.started_at if attempt else 0.0,
        )

    def note_use(self) -> None:
        """The learner is at work on this lab (a screen or terminal open): the sandbox's
        services do not count this time as idle."""
        from tutor.labs.environment import note_use

        note_use(self.lab)

    def _ensure_sandbox(self) -> None:
        """Before checks: what the lab needs of the sandbox runs (it stops itself when idle)."""
        from tutor.labs.environment import missing_services

        if missing_services(self.lab):
            self.sandbox()

    def _client_or_none(self) -> Any:
        if not self.lab.needs.docker:
            return self._client
        return self.client

    def check_step(self, step_id: str, *, record: bool = True) -> Iterator[CheckResult]:
        """Run the step's checks one by one, yielding each result as soon as it is known."""
        step = self.lab.step(step_id)
        try:
            self._ensure_sandbox()
            ctx = self.context()
        except (EngineUnavailable, EnvironmentProblem) as exc:
            for i, spec in enumerate(step.checks):
                yield CheckResult(
                    i, spec.kind, self.render(describe(spec)), False, exc.message, exc.hint or "", 0.0
                )
            return
        results: list[CheckResult] = []
        for i, raw in enumerate(step.checks):
            result = self._run_check(i, raw, ctx)
            results.append(result)
            yield result
        if record:
            passed = all(r.passed for r in results)
            self.records.record_check(self.lab.id, step.id, passed, [r.to_dict() for r in results])
            if passed and self.lab.id and self.passed_steps() >= {s.id for s in self.lab.steps}:
                self.records.complete(self.lab.id)

    def _run_check(self, index: int, raw: Any, ctx: CheckContext) -> CheckResult:
        t0 = time.monotonic()
        try:
            spec = fill(raw, ctx.params)
        except UnsafeFill as exc:
            return _result(index, raw, Outcome(False, exc.message, exc.hint or ""), t0)
        fn = REGISTRY.get(spec.kind)
        if fn is None:
            unknown = Outcome(False, f"this app cannot run {spec.kind} checks", "update container-tutor")
            return _result(index, spec, unknown, t0)
        try:
            outcome = self._pool.submit(fn, spec, ctx).result(timeout=self.timeout)
        except FutureTimeout:
            outcome = Outcome(
                False,
                f"the check got no answer within {self.timeout:g} s; the Docker engine may be busy or hung",
                "check `docker info`; restart the engine if it does not answer",
            )
        except EngineUnavailable as exc:
            outcome = Outcome(False, exc.message, exc.hint or "")
        except PathEscape as exc:  # a link in the workspace (made by a container, say) leading out
            outcome = Outcome(False, f"{exc}: the check does not follow it", "keep your files in it")
        except Exception as exc:  # a failing engine call is a failed check, never a crash
            outcome = Outcome(False, f"the check could not run: {_short(exc)}", "")
        return _result(index, spec, outcome, t0)

    def run_step(self, step_id: str, *, record: bool = True) -> list[CheckResult]:
        return list(self.check_step(step_id, record=record))

    def passed_steps(self) -> set[str]:
        return self.records.passed_steps(self.lab.id)

    def statuses(self) -> list[StepStatus]:
        done = self.passed_steps()
        return [StepStatus(s, s.id in done, all(n in done for n in s.needs)) for s in self.lab.steps]

    def current_step(self) -> Step:
        for status in self.statuses():
            if not status.passed:
                return status.step
        return self.lab.steps[-1]

    # -- help -------------------------------------------------------------------------
    def next_hint(self, step_id: str) -> tuple[str | None, int, int]:
        """The next hint not yet seen: (text or None when all are shown, number, total)."""
        step = self.lab.step(step_id)
        seen = self.records.hints_seen(self.lab.id, step_id)
        if seen >= len(step.hints):
            return None, seen, len(step.hints)
        self.records.note_help(self.lab.id, step_id, hints=seen + 1)
        return self.render(step.hints[seen]), seen + 1, len(step.hints)

    def hints_shown(self, step_id: str) -> list[str]:
        step = self.lab.step(step_id)
        return [self.render(h) for h in step.hints[: self.records.hints_seen(self.lab.id, step_id)]]

    def solution(self, step_id: str, *, note: bool = True) -> dict[str, Any]:
        step = self.lab.step(step_id)
        if note:
            self.records.note_help(self.lab.id, step_id, solution=True)
        return self.render(step.solution.model_dump())

    def apply_solution(self, step_id: str, *, timeout: float = 180.0) -> None:
        """Write the solution's files and run its commands in the workspace (for `lab test`), in
        the lab's environment: the sandbox, or nothing runs at all."""
        env = self.env()
        solutions.apply(self.solution(step_id, note=False), self.workspace, env, timeout)

    # -- reset -----------------------------------------------------------------------
    def declared(self, step_id: str | None = None) -> dict[str, list[str]]:
        """What the learner is asked to create, by name, with this attempt's parameters."""
        return declared_names(self.lab, self.render, step_id)

    def reset_plan(self, step_id: str | None = None) -> ResetPlan:
        """A lab: what is labelled with it plus what it asks for by name. A step: only the
        latter, for the names that step uses (the lab's own setup stays)."""
        attempt = self.attempt
        return lab_reset_plan(
            self.client,
            self.lab,
            self.declared(step_id),
            started=attempt.started_at if attempt else 0.0,
            store=self.store_id,
            whole_lab=step_id is None,
            registry=self._addresses().get("registry") or "",
            params=self.params(),
        )

    def reset(
        self, *, step_id: str | None = None, include_unsure: bool = False, plan: ResetPlan | None = None
    ) -> list[Any]:
        plan = plan or self.reset_plan(step_id)
        if step_id is None and self.lab.cleanup.aws:
            # first: a service left in the emulator would start its tasks again
            undo_aws(self.lab, self.params())
        removed = apply_reset(self.client, plan, include_unsure=include_unsure)
        if step_id is None and self.lab.cleanup.registry:
            undo_pushes(self.lab, self.render)
        if step_id is None and self.lab.cleanup.ecs_tasks:
            undo_tasks(self.client, self.lab, self.params())
        if step_id is None:
            self.swarm_note = orchestration.after_reset(self.client, self.lab)
            self.records.forget(self.lab.id)
            release_ports(port_owner(self.store_id, self.lab.id))
            shutil.rmtree(self.workspace, ignore_errors=True)
        else:
            self.records.forget(self.lab.id, step_id)
        return removed

    def close(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)


def _result(index: int, spec: Any, outcome: Outcome, t0: float) -> CheckResult:
    """A check's result, sanitised: reasons quote what engines and containers said."""
    hint = outcome.hint or (spec.hint if not outcome.passed else "")
    return CheckResult(
        index,
        spec.kind,
        clean(describe(spec)),
        outcome.passed,
        clean(outcome.reason),
        clean(hint),
        time.monotonic() - t0,
    )


def _short(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__).splitlines()[0][:200]
