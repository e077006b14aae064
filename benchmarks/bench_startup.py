"""Time to the first frame, and memory when idle on the home screen, of Container Tutor against a
minimal Textual app, each started in a real pseudo-terminal (80x24) in the same run.

    python benchmarks/bench_startup.py [runs]

The first frame is the moment the app's title reaches the terminal (both apps show it in their
Header, drawn with the rest of the first frame). "First run" is a brand-new TUTOR_HOME (no saved
outline, no parse cache); "later run" reuses one. Idle memory is the RSS of the process 4 s after
its first frame, when the course has loaded. Medians, ratios printed: the ratio of the medians,
and the median of each run's own ratio (the three of a run share the machine's state of the
moment, so that one is steadier on a machine whose speed drifts).

The tutor package is compiled to bytecode first, as an installed wheel is: with
PYTHONDONTWRITEBYTECODE set, every run would otherwise compile the app's source again while
Textual's own modules come compiled, a cost no installed app pays.

Targets (issue 12): first frame <= 1.2x the minimal app on a first run and on later runs;
idle RSS <= 1.5x.
"""

from __future__ import annotations

import compileall
import contextlib
import fcntl
import os
import pty
import select
import statistics
import struct
import sys
import tempfile
import termios
import time
from pathlib import Path

MINIMAL = """
from textual.app import App
from textual.widgets import Footer, Header, OptionList

class Minimal(App):
    TITLE = "Minimal Textual"

    def compose(self):
        yield Header()
        yield OptionList("Docker", "Amazon ECR", "Amazon ECS")
        yield Footer()

Minimal().run()
"""


def run_in_pty(argv: list[str], env: dict[str, str], marker: bytes, idle: float) -> tuple[float, int]:
    """Seconds from spawn to `marker` on the terminal, and the RSS (KiB) `idle` seconds later."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: a terminal of 80x24, then the app
        os.execve(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    started = time.perf_counter()
    seen = b""
    first = None
    deadline = started + 30
    while time.perf_counter() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.05)
        if ready:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen += chunk
            if first is None and marker in seen:
                first = time.perf_counter() - started
                settle = time.perf_counter() + idle
        if first is not None and time.perf_counter() >= settle:
            break
    rss = _rss_kib(pid)
    os.write(fd, b"\x11")  # ctrl+q
    _drain_and_reap(pid, fd)
    if first is None:
        raise RuntimeError(f"{argv} never showed {marker!r}: {seen[-400:]!r}")
    return first, rss


def _rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def _drain_and_reap(pid: int, fd: int) -> None:
    end = time.perf_counter() + 10
    while time.perf_counter() < end:
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if select.select([fd], [], [], 0.05)[0]:
            with contextlib.suppress(OSError):
                os.read(fd, 65536)
    else:
        os.kill(pid, 9)
        os.waitpid(pid, 0)
    os.close(fd)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "tutor", quiet=1)
    python = sys.executable
    tutor = [python, "-m", "tutor"]
    minimal = [python, "-c", MINIMAL]
    base = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "80", "LINES": "24"}
    times: dict[str, list[float]] = {"minimal": [], "first": [], "later": []}
    rss: dict[str, list[int]] = {"minimal": [], "later": []}
    with tempfile.TemporaryDirectory() as top:
        later_home = Path(top) / "later"
        env_later = {**base, "TUTOR_HOME": str(later_home)}
        run_in_pty(tutor, env_later, b"Container Tutor", 2.0)  # saves the outline and the parse cache
        for i in range(runs):  # interleaved, so all three see the same machine
            t, r = run_in_pty(minimal, base, b"Minimal Textual", 4.0)
            times["minimal"].append(t)
            rss["minimal"].append(r)
            fresh = {**base, "TUTOR_HOME": str(Path(top) / f"first-{i}")}
            times["first"].append(run_in_pty(tutor, fresh, b"Container Tutor", 0.0)[0])
            t, r = run_in_pty(tutor, env_later, b"Container Tutor", 4.0)
            times["later"].append(t)
            rss["later"].append(r)
    m, f, la = (statistics.median(times[k]) for k in ("minimal", "first", "later"))
    rm, rl = statistics.median(rss["minimal"]), statistics.median(rss["later"])
    print(f"runs: {runs} each, interleaved, in a pseudo-terminal of 80x24")
    print(f"first frame, minimal Textual app:  median {m * 1000:4.0f} ms")
    print(
        f"first frame, tutor, first run:     median {f * 1000:4.0f} ms  ratio {f / m:.2f}x (target <= 1.2x)"
    )
    print(
        f"first frame, tutor, later run:     median {la * 1000:4.0f} ms  ratio {la / m:.2f}x (target <= 1.2x)"
    )
    # Each run of the three shares the machine's state of the moment: the median of the ratios
    # within a run is steadier than the ratio of the medians when the machine's speed drifts.
    paired = {
        k: statistics.median(t / b for t, b in zip(times[k], times["minimal"], strict=True))
        for k in ("first", "later")
    }
    print(
        f"paired (median of each run's own ratio): first run {paired['first']:.2f}x, "
        f"later run {paired['later']:.2f}x"
    )
    print(f"idle RSS, minimal Textual app:     median {rm / 1024:5.1f} MB")
    print(
        f"idle RSS, tutor on its home screen: median {rl / 1024:5.1f} MB  "
        f"ratio {rl / rm:.2f}x (target <= 1.5x)"
    )


if __name__ == "__main__":
    main()
