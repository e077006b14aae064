"""The lab terminal: keystroke-to-screen latency through the widget beside the same keystroke
echoed by the same shell on a bare pty (no widget, no app), and the idle CPU of an open lab
screen with its shell beside the home screen's, all in one run.

    python benchmarks/bench_terminal.py

Targets: median keystroke-to-screen latency under 30 ms; an idle lab screen with a terminal
under 2 % of one core. The lab part needs a Docker engine (it is skipped, and says so, without).
"""

from __future__ import annotations

import asyncio
import os
import select
import shutil
import statistics
import tempfile
import time
from typing import Any

SAMPLES = 60
IDLE_SECONDS = 10.0


def shell() -> tuple[list[str], dict[str, str]]:
    bash = shutil.which("bash") or "/bin/sh"
    env = {
        "PATH": os.environ.get("PATH", os.defpath),
        "HOME": tempfile.gettempdir(),
        "TERM": "xterm-256color",
    }
    env["PS1"] = "$ "
    return [bash, "--norc", "--noprofile", "-i"], env


def bare_pty_latency() -> list[float]:
    """Write a key to the shell's pty, wait for its echo: what any terminal must wait for."""
    from tutor.tui.widgets.terminal_pty import PtyProcess

    argv, env = shell()
    proc = PtyProcess(argv, env, None, 24, 80)
    time.sleep(0.5)
    proc.read()
    times = []
    for i in range(SAMPLES):
        key = b"abcdefghij"[i % 10 : i % 10 + 1]
        t0 = time.perf_counter()
        proc.write(key)
        while True:
            select.select([proc.fd], [], [], 1.0)
            data = proc.read()
            if data is None or key in data:
                break
        times.append(time.perf_counter() - t0)
        if i % 20 == 19:
            proc.write(b"\x15")  # ctrl+u: clear the line
            time.sleep(0.05)
            proc.read()
    proc.close()
    return times


async def widget_latency() -> list[float]:
    """Press a key in a Textual app holding the widget; stop the clock when the widget draws
    the line that shows it (render_line, as the compositor asks for it)."""
    from textual.app import App, ComposeResult

    from tutor.tui.widgets.terminal import Terminal

    drawn: list[tuple[float, str]] = []

    class Probe(Terminal):
        def render_line(self, y: int) -> Any:
            strip = super().render_line(y)
            if y == self.screen_model.cursor.y:
                drawn.append((time.perf_counter(), strip.text))
            return strip

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield Probe()

    argv, env = shell()
    app = Bench()
    times = []
    async with app.run_test(size=(80, 24)) as pilot:
        term = app.query_one(Probe)
        term.start(argv, env)
        term.focus()
        await pilot.pause(0.5)
        typed = "$ "
        for i in range(SAMPLES):
            key = "abcdefghij"[i % 10]
            typed += key
            drawn.clear()
            t0 = time.perf_counter()
            await pilot.press(key)
            deadline = t0 + 2
            while not any(typed in text for _, text in drawn) and time.perf_counter() < deadline:
                await asyncio.sleep(0.0005)
            hit = next((t for t, text in drawn if typed in text), None)
            if hit is not None:
                times.append(hit - t0)
            if i % 20 == 19:
                await pilot.press("ctrl+u")
                await pilot.pause(0.05)
                typed = "$ "
        term.stop()
    return times


async def widget_throughput(lines: int = 100_000) -> tuple[float, float]:
    """Seconds for `seq 1 N` to reach the screen through the widget, and through a bare pty
    (read and thrown away): the cost of emulating the terminal."""
    from textual.app import App, ComposeResult

    from tutor.tui.widgets.terminal import Terminal
    from tutor.tui.widgets.terminal_pty import PtyProcess

    argv, env = shell()
    command = f"seq 1 {lines}; echo done-$((40+2))\r".encode()
    proc = PtyProcess(argv, env, None, 24, 80)
    time.sleep(0.5)
    proc.read()
    t0 = time.perf_counter()
    proc.write(command)
    seen = b""
    while b"done-42" not in seen:
        select.select([proc.fd], [], [], 1.0)
        seen = (seen + (proc.read() or b""))[-64:]
    bare = time.perf_counter() - t0
    proc.close()

    class Bench(App[None]):
        def compose(self) -> ComposeResult:
            yield Terminal()

    app = Bench()
    async with app.run_test(size=(80, 24)) as pilot:
        term = app.query_one(Terminal)
        term.start(argv, env)
        await pilot.pause(0.5)
        t0 = time.perf_counter()
        term.write(command)
        while not any(line.startswith("done-42") for line in term.screen_text()):
            await asyncio.sleep(0.005)
        through = time.perf_counter() - t0
        term.stop()
    return bare, through


async def idle_cpu(open_lab: bool) -> float | None:
    """CPU seconds per second of the app (all its threads) sitting idle for IDLE_SECONDS, on the
    home screen or on a lab screen with its shell at the prompt."""
    from tutor.tui.app import make_app
    from tutor.tui.screens.lab import LabScreen
    from tutor.tui.widgets.terminal import Terminal

    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause(0.5)
        while not app.loaded:
            await pilot.pause(0.1)
        if open_lab:
            app.open_item("lab", "docker-first-container")
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, LabScreen)
            deadline = time.monotonic() + 120
            term = screen.query_one(Terminal)
            while not (term.running and "(docker-first-container)" in "".join(term.screen_text())):
                if screen.problem or time.monotonic() > deadline:
                    print(f"  lab did not open: {screen.problem}")
                    return None
                await pilot.pause(0.1)
        await pilot.pause(1.0)  # let start-up settle
        c0, t0 = time.process_time(), time.perf_counter()
        await asyncio.sleep(IDLE_SECONDS)
        used = (time.process_time() - c0) / (time.perf_counter() - t0)
        screen = app.screen
        if open_lab and isinstance(screen, LabScreen) and screen.session is not None:
            session = screen.session
            port = session.params()["port"]
            await pilot.press(*f"docker run -d --name web -p {port}:80 tutor-lab/web:1")
            t0 = time.perf_counter()
            await pilot.press("enter")
            while "run" not in session.passed_steps() and time.perf_counter() - t0 < 30:
                await asyncio.sleep(0.01)
            print(
                f"Enter on `docker run ...` -> step passed (run, check, drawn): "
                f"{time.perf_counter() - t0:.2f} s; target < 1 s"
            )
            session.reset()
    return used


def ms(values: list[float]) -> str:
    p90 = sorted(values)[int(len(values) * 0.9)]
    return f"median {statistics.median(values) * 1000:6.2f} ms, p90 {p90 * 1000:6.2f} ms"


def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        bare = bare_pty_latency()
        through = asyncio.run(widget_latency())
        print(f"keystroke -> echo, bare pty (baseline):     {ms(bare)}  ({len(bare)} keys)")
        print(f"keystroke -> screen, through the widget:    {ms(through)}  ({len(through)} keys)")
        print(
            f"widget overhead: {(statistics.median(through) - statistics.median(bare)) * 1000:.2f} ms "
            f"(ratio {statistics.median(through) / statistics.median(bare):.1f}x); target: median < 30 ms"
        )
        bare_s, widget_s = asyncio.run(widget_throughput())
        print(f"seq 1 100000 (~590 kB) to the screen, bare pty: {bare_s:.2f} s; through the widget: ", end="")
        print(f"{widget_s:.2f} s ({widget_s / bare_s:.1f}x)")

        from tutor.base.dockerhost import connect
        from tutor.base.errors import EngineUnavailable

        home_cpu = asyncio.run(idle_cpu(False))
        print(f"idle CPU, home screen (baseline):            {home_cpu * 100:5.2f} % of one core")
        try:
            connect(timeout=3).close()
        except EngineUnavailable as exc:
            print(f"idle CPU, lab screen with a terminal:        skipped ({exc.message})")
            return
        lab_cpu = asyncio.run(idle_cpu(True))
        if lab_cpu is not None:
            print(f"idle CPU, lab screen with a terminal:        {lab_cpu * 100:5.2f} % of one core", end="")
            print("; target < 2 %")


if __name__ == "__main__":
    main()
