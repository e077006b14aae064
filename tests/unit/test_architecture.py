"""The house stays easy to change: layers point down, no circles, no module too big to read."""

from __future__ import annotations

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
