"""The core never imports Textual: each module is imported alone in a fresh interpreter."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import tutor

UI_MODULES = ("tutor.tui", "tutor.cli.tui_cmd")


def core_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(tutor.__path__, prefix="tutor."):
        if info.name.startswith(UI_MODULES) or info.name == "tutor.__main__":
            continue
        names.append(info.name)
    return sorted(names)


def test_there_are_core_modules_to_check() -> None:
    mods = core_modules()
    assert "tutor.content.loading.loader" in mods
    assert "tutor.progress.store" in mods
    assert "tutor.cli" in mods


@pytest.mark.parametrize("module", core_modules())
def test_core_module_does_not_import_textual(module: str) -> None:
    code = (
        f"import sys, {module}\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(','.join(bad))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"{module} pulls in Textual: {out.stdout.strip()}"


def test_the_check_would_catch_textual() -> None:
    code = "import sys, tutor.tui.app; print('textual' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"


def test_cli_start_up_keeps_heavy_imports_out() -> None:
    code = (
        "import sys, tutor.cli\n"
        "print(','.join(m for m in ('docker', 'boto3', 'botocore', 'textual', 'moto') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
