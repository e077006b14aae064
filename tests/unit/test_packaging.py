"""The wheel carries the course, so `tutor` works from any folder after `pip install .`."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_wheel_ships_the_course_and_runs_from_anywhere(tmp_path: Path) -> None:
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("container_tutor-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        zf.extractall(tmp_path / "site")
    assert "tutor/_course/lessons/topics.yaml" in names
    assert any(n.startswith("tutor/_course/quizzes/exams/") for n in names)
    assert "tutor/_course/labs/docker-first-container/lab.yaml" in names
    assert "tutor/_course/labs/_images/images.yaml" in names
    assert "tutor/tui/app.tcss" in names
    assert "tutor/web/templates/app_index.html" in names
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "TUTOR_HOME": str(tmp_path / "home")}
    env.pop("TUTOR_CONTENT", None)
    out = subprocess.run(
        [sys.executable, "-m", "tutor", "validate"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stdout + out.stderr
    assert str(tmp_path / "site" / "tutor" / "_course") in out.stdout
