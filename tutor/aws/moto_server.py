"""moto's server, as the sandbox runs it:

- one per TUTOR_HOME: it holds the emulator's lock for its whole life, and exits if another has it;
- a cheap health path (/_tutor/health: its pid and TUTOR_HOME), answered before moto sees it;
- it stops by itself after TUTOR_IDLE_MINUTES without a request from the learner (the ECS
  agent's own calls do not count);
- what the ECS labs need and moto leaves out: a service's deploymentConfiguration is kept and
  returned, as ECS does (moto drops it).

    python -m tutor.aws.moto_server -H 127.0.0.1 -p PORT
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

DEFAULT_DEPLOYMENT = {"minimumHealthyPercent": 100, "maximumPercent": 200}
NAME = "emulator"


def patch_ecs() -> None:
    from moto.ecs import responses

    cls = responses.EC2ContainerServiceResponse
    create, update = cls.create_service, cls.update_service

    def create_service(self: Any) -> Any:
        conf = self._get_param("deploymentConfiguration") or {}
        result = create(self)
        result.result["service"].deployment_configuration = {**DEFAULT_DEPLOYMENT, **conf}
        return result

    def update_service(self: Any) -> Any:
        conf = self._get_param("deploymentConfiguration")
        name = str(self._get_param("service")).rsplit("/", 1)[-1]
        before = next(
            (s for s in self.ecs_backend.services.values() if s.name == name),
            None,
        )
        current = dict(getattr(before, "deployment_configuration", None) or DEFAULT_DEPLOYMENT)
        result = update(self)
        result.result["service"].deployment_configuration = {**current, **(conf or {})}
        return result

    cls.create_service = create_service  # type: ignore[method-assign]
    cls.update_service = update_service  # type: ignore[method-assign]


class Sandboxed:
    """WSGI wrapper: the health path, and a note of the learner's use."""

    def __init__(self, app: Callable[..., Iterable[bytes]], home: str) -> None:
        self.app = app
        self.home = home
        from tutor.aws.background import UseNotes

        self.note_use = UseNotes()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        from tutor.aws import background

        if environ.get("PATH_INFO") == "/_tutor/health":
            body = json.dumps({"pid": os.getpid(), "home": self.home}).encode()
            start_response(
                "200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))]
            )
            return [body]
        agent = background.AGENT_USER_AGENT in environ.get("HTTP_USER_AGENT", "")
        if not agent:
            self.note_use()
        return self.app(environ, start_response)


def watch_idle(started_at: float) -> None:
    """Stop this process (as `tutor aws stop` would) once it has been idle too long."""
    from tutor.aws import background

    while True:
        time.sleep(max(1.0, min(30.0, background.idle_limit() / 20 or 30.0)))
        if background.should_stop(started_at):
            print("stopping: idle for too long", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
            return


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    args = parser.parse_args(argv)

    from tutor.aws import background
    from tutor.base.paths import data_home

    if background.hold(NAME) is None:
        print("another emulator runs for this TUTOR_HOME; leaving", flush=True)
        sys.exit(0)
    started = time.time()
    background.write_state(NAME, port=args.port, address=f"http://127.0.0.1:{args.port}")
    os.environ.setdefault("MOTO_PORT", str(args.port))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    patch_ecs()
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    app = DomainDispatcherApplication(create_backend_app)
    threading.Thread(target=watch_idle, args=(started,), daemon=True).start()
    run_simple(
        args.host,
        args.port,
        Sandboxed(app, str(data_home().resolve())),
        threaded=True,
        request_handler=MotoRequestHandler,
    )


if __name__ == "__main__":
    main()
