"""The house stays easy to change: layers point down, no circles, no module too big to read."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def test_import_contracts_hold() -> None:
    """The import-linter contracts in pyproject.toml: layers, no Textual in the core, no circles."""
    lint = Path(sys.executable).with_name("lint-imports")
    out = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    assert "0 broken" in out.stdout


def test_no_module_over_the_limit() -> None:
    big = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "tutor").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not big, f"split these along a seam a reader would name: {big}"


def test_the_first_frame_does_not_wait_for_the_models() -> None:
    """The command line and the app's home screen start without pydantic, YAML or the docker SDK:
    the course (and its models) load when something needs them (issue 12's start-up target)."""
    code = (
        "import sys, tutor.cli; tutor.cli.build_parser(); import tutor.tui.app; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml', 'docker', 'boto3'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_a_first_run_draws_its_first_frame_without_yaml_or_argparse(tmp_path: Path) -> None:
    """`tutor` alone on a fresh TUTOR_HOME: the topics come from topics.yaml without PyYAML, and the
    command tables (argparse) are never built."""
    code = (
        "import sys; from tutor.cli import _app_only; _app_only([]); from tutor.tui.app import make_app; "
        "app = make_app(); assert app.outline.topics, 'no topics'; "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'pydantic', 'yaml', 'docker', 'argparse'}))"
    )
    env = {**os.environ, "TUTOR_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
