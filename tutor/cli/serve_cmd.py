"""`tutor serve`: the app in a browser, on this machine only unless asked otherwise."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tutor.cli.args import arg, command, flag


def register(sub: Any) -> None:
    listen = (
        arg("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"),
        arg("--port", type=_port, default=8000, help="port (default: 8000; 0 picks a free one)"),
        flag(
            "--allow-remote",
            "allow a --host that other machines can reach (plain HTTP: only on a network you trust)",
        ),
    )
    command(
        sub,
        "serve",
        run,
        "open the app in a web browser (loopback only, behind a token)",
        *listen,
        description="Serve the whole app to a web browser. Each browser tab runs its own copy of the "
        "app with your course and progress. The URL printed carries a secret token; without it "
        "the server answers 403.",
    )


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is out of range (0-65535)")
    return value


def run(args: argparse.Namespace) -> int:
    from tutor.web.serve import ServeOptions, remote_warning, serve

    def announce(url: str, remote: bool) -> None:
        if remote:
            print(remote_warning(), file=sys.stderr, flush=True)
        print(f"Container Tutor is served at {url}", flush=True)
        print("Open that URL in a browser (it carries the access token). Ctrl+C stops.", flush=True)

    options = ServeOptions(
        host=args.host, port=args.port, allow_remote=args.allow_remote, content=getattr(args, "content", None)
    )
    serve(options, announce)
    return 0
