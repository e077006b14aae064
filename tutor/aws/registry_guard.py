"""The guard of the local registry: holds its lock, runs the docker-registry program as a child
(or watches the registry:2 container), notes pushes and pulls as use of the sandbox, and stops
the registry when the sandbox has been idle for TUTOR_IDLE_MINUTES or on SIGTERM.

    python -m tutor.aws.registry_guard --port P (--program PATH --config FILE | --container NAME)
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import subprocess
import sys
import threading
import time
from typing import IO, Any

from tutor.aws import background
from tutor.aws.awsenv import sandbox_home

NAME = "registry"
TICK = 2.0


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when the guard dies, even by SIGKILL."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _pipe(stream: IO[bytes], log: IO[bytes], use: background.UseNotes) -> None:
    for line in iter(stream.readline, b""):
        log.write(line)
        log.flush()
        if b"GET " in line or b"PUT " in line or b"HEAD " in line or b"POST " in line or b"PATCH " in line:
            use()


def _idle(started: float, stopping: threading.Event) -> bool:
    if background.should_stop(started):
        print("stopping: idle for too long", flush=True)
        stopping.set()
    return stopping.is_set()


def _run_program(
    program: str, config: str, use: background.UseNotes, stopping: threading.Event, started: float
) -> int:
    home = sandbox_home() / "registry"
    with (home / "registry.log").open("ab") as log:
        child = subprocess.Popen(
            [program, "serve", config],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent,  # no other thread runs yet in the guard
        )
        background.write_state(NAME, **_state(), children=[child.pid])
        assert child.stdout is not None
        threading.Thread(target=_pipe, args=(child.stdout, log, use), daemon=True).start()
        while not _idle(started, stopping) and child.poll() is None:
            stopping.wait(TICK)
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(5)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(5)
        return 0 if stopping.is_set() else 1


def _run_container(name: str, use: background.UseNotes, stopping: threading.Event, started: float) -> int:
    import docker

    client = docker.from_env(timeout=10)
    background.write_state(NAME, **_state())
    since = int(time.time())
    try:
        while not _idle(started, stopping):
            stopping.wait(TICK * 5)
            try:
                container = client.containers.get(name)
                if container.status != "running":
                    return 1
                now = int(time.time())
                if container.logs(since=since, until=now).strip():
                    use()
                since = now
            except Exception:  # the engine hiccuped, or the container went
                return 1
        return 0
    finally:
        with contextlib.suppress(Exception):
            client.containers.get(name).remove(force=True)


_ARGS: dict[str, Any] = {}


def _state() -> dict[str, Any]:
    return {
        "port": _ARGS["port"],
        "kind": "container" if _ARGS["container"] else "program",
        "address": f"127.0.0.1:{_ARGS['port']}",
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--program")
    parser.add_argument("--config")
    parser.add_argument("--container")
    args = parser.parse_args(argv)
    _ARGS.update(vars(args))
    if background.hold(NAME) is None:
        print("another registry runs for this TUTOR_HOME; leaving", flush=True)
        sys.exit(0)
    started = time.time()
    stopping = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopping.set())
    signal.signal(signal.SIGINT, lambda *_: stopping.set())
    use = background.UseNotes()
    if args.container:
        code = _run_container(args.container, use, stopping, started)
    else:
        code = _run_program(args.program, args.config, use, stopping, started)
    sys.exit(code)


if __name__ == "__main__":
    main()
