"""`tutor lab test` runs a pack's solution commands on the host only with consent: it lists them,
and without `--yes` and without a terminal to ask in, it refuses (exit 2) and runs nothing.
The shipped course's labs run as before."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path
from typing import Any

import pytest

from security.packs import Pack, lab_data
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.content.roots import builtin_root
from tutor.labs.author_test import commands_needing_consent
from tutor.labs.sandbox import workspace


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def no_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))


def test_without_consent_nothing_runs(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_terminal(monkeypatch)
    assert main(["--content", str(pack.root), "lab", "test", "pk-lab"]) == 2
    err = capsys.readouterr().err
    assert "nothing was run" in err and "echo hi > notes.txt" in err and "--yes" in err
    assert str(pack.root) in err  # where the commands come from
    assert not workspace("pk-lab").exists()


def test_without_consent_json_lists_the_commands(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    no_terminal(monkeypatch)
    assert main(["--content", str(pack.root), "lab", "test", "pk-lab", "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["needs_consent"] is True
    assert data["commands"] == [{"lab": "pk-lab", "step": "one", "command": "echo hi > notes.txt"}]


def test_a_no_at_the_prompt_runs_nothing(
    pack: Pack, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "stdin", Terminal("n\n"))
    assert main(["--content", str(pack.root), "lab", "test", "pk-lab"]) == 2
    out = capsys.readouterr().out
    assert "echo hi > notes.txt" in out and "Run these commands" in out
    assert not workspace("pk-lab").exists()


def test_the_shipped_course_needs_no_consent_but_a_pack_over_it_does(pack: Pack) -> None:
    course = load_course([builtin_root()])
    assert commands_needing_consent(course, sorted(course.labs)) == {}
    shipped_id = next(
        lab_id for lab_id, lab in course.labs.items() if any(s.solution.commands for s in lab.steps)
    )
    pack.write_lab(**{**lab_data(), "id": shipped_id})
    pack.lab_yaml.parent.rename(pack.lab_yaml.parent.with_name(shipped_id))
    layered = load_course([builtin_root(), pack.root])
    assert shipped_id in commands_needing_consent(layered, [shipped_id])


def test_a_lab_without_commands_needs_no_consent(pack: Pack) -> None:
    steps: list[Any] = lab_data()["steps"]  # type: ignore[assignment]
    steps[0]["solution"] = {"files": {"notes.txt": "hi\n"}}
    pack.write_lab(steps=steps)
    assert commands_needing_consent(load_course([pack.root]), ["pk-lab"]) == {}


@pytest.mark.docker
def test_with_yes_the_commands_run_in_the_workspace(
    pack: Pack, docker_client: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    where = tmp_path / "where.txt"
    monkeypatch.setenv("WHERE", str(where))
    steps: list[Any] = lab_data()["steps"]  # type: ignore[assignment]
    steps[0]["solution"] = {"commands": ['echo hi > notes.txt && pwd > "$WHERE"']}
    pack.write_lab(steps=steps)
    no_terminal(monkeypatch)
    assert main(["--content", str(pack.root), "lab", "test", "pk-lab", "--yes"]) == 0
    assert where.read_text().strip() == str(workspace("pk-lab"))
