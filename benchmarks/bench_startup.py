"""Cold start of Container Tutor to its first rendered home screen, against a minimal
Textual app started the same way (a fresh interpreter, headless, 80x24), in the same run.

    python benchmarks/bench_startup.py [runs]

Target: at most 1.3x the minimal app.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def once(which: str, env: dict[str, str], *extra: str) -> float:
    """Seconds from spawning the interpreter to the app's first painted screen."""
    spawned = time.time()
    out = subprocess.run(
        [sys.executable, str(HERE / "first_paint.py"), which, *extra],
        check=True,
        env=env,
        capture_output=True,
        text=True,
    ).stdout
    painted = float(next(line for line in out.splitlines() if line.startswith("painted")).split()[1])
    return painted - spawned


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "TUTOR_HOME": home}
        once("tutor", env, "--check")  # creates the store and the parse cache; checks the screen
        once("minimal", env)
        minimal, tutor, fresh = [], [], []
        cache = Path(home) / "cache"
        for _ in range(runs):  # interleaved, so all see the same machine
            minimal.append(once("minimal", env))
            tutor.append(once("tutor", env))
            shutil.rmtree(cache, ignore_errors=True)  # as on the first start, or after an edit
            fresh.append(once("tutor", env))
    m, t, f = (statistics.median(x) for x in (minimal, tutor, fresh))
    print(f"runs: {runs} each, interleaved")
    print(
        f"minimal Textual app to first paint:          median {m * 1000:.0f} ms "
        f"(min {min(minimal) * 1000:.0f})"
    )
    print(
        f"tutor home screen to first paint:            median {t * 1000:.0f} ms (min {min(tutor) * 1000:.0f})"
    )
    print(
        f"tutor, no saved outline (first run or edit): median {f * 1000:.0f} ms (min {min(fresh) * 1000:.0f})"
    )
    print(f"ratio tutor/minimal: {t / m:.2f}x (target <= 1.3x); without the saved outline {f / m:.2f}x")


if __name__ == "__main__":
    main()
