"""A front for the local registry that answers pushes as Amazon ECR does: a push to a repository
that was not created first is refused with ECR's own error (`name unknown: The repository with
name 'x' does not exist in the registry with id '...'`), and a tag pushed again into an
IMMUTABLE repository is refused too. Everything else passes through to the registry.

The plain registry accepts any name, which would teach the wrong lesson. The gate runs as its own
small process (labs' pushes come from the learner's shell, after `tutor lab start` has exited),
and stops by itself once the emulator or the registry it fronts has gone.

    python -m tutor.aws.ecr_gate PORT UPSTREAM_PORT EMULATOR_ENDPOINT
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ACCOUNT = "123456789012"  # moto's account id
PUSH = re.compile(r"^/v2/(?P<name>.+?)/(?:blobs/uploads/|manifests/(?P<ref>[^/]+))")
HOP = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization"}


def _state_file() -> Path:
    from tutor.aws.emulator import aws_home

    return aws_home() / "ecr-gate.json"


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1) as r:
            return r.status == 200
    except OSError:
        return False


def status() -> str | None:
    """The gate's address (127.0.0.1:PORT) when it answers."""
    try:
        port = int(json.loads(_state_file().read_text())["port"])
    except (OSError, ValueError, KeyError):
        return None
    return f"127.0.0.1:{port}" if _answers(port) else None


def start(upstream: str, endpoint: str) -> str:
    """Start the gate in front of `upstream` (the registry's address); returns its address. Of
    two starts at once one spawns it and the other finds it running."""
    from tutor.aws import background
    from tutor.base.errors import EnvironmentProblem
    from tutor.base.ports import free_port

    def spawn() -> str:
        port = free_port(47000, 47999)
        log = _state_file().with_name("ecr-gate.log")
        argv = ["tutor.aws.ecr_gate", str(port), upstream.rsplit(":", 1)[1], endpoint]
        proc = background.launch(argv, log)
        if background.await_ready(proc, lambda: _answers(port) or None, 15) is None:
            raise EnvironmentProblem(f"the ECR gate did not start:\n{background.log_tail(log)}")
        _state_file().write_text(json.dumps({"port": port, "pid": proc.pid}))
        return f"127.0.0.1:{port}"

    return background.start_once("ecr-gate", status, spawn)


def stop() -> bool:
    import signal

    try:
        pid = int(json.loads(_state_file().read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    _state_file().unlink(missing_ok=True)
    return True


# -- the gate process ---------------------------------------------------------------------


def _repository(ecr: Any, name: str) -> dict[str, object] | None:
    try:
        return ecr.describe_repositories(repositoryNames=[name])["repositories"][0]
    except Exception:
        return None


def _tag_exists(upstream: int, name: str, tag: str) -> bool:
    req = urllib.request.Request(f"http://127.0.0.1:{upstream}/v2/{name}/manifests/{tag}", method="HEAD")
    req.add_header("Accept", "application/vnd.docker.distribution.manifest.v2+json")
    try:
        with urllib.request.urlopen(req, timeout=5):
            return True
    except OSError:
        return False


def handler(upstream: int, endpoint: str) -> type[BaseHTTPRequestHandler]:
    from tutor.aws import emulator

    ecr = emulator.client("ecr", endpoint)  # one client for every push (boto3 clients are thread-safe)

    class Gate(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: object) -> None:  # quiet
            return

        def _refuse(self, status: int, code: str, message: str) -> None:
            body = json.dumps({"errors": [{"code": code, "message": message, "detail": None}]}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Docker-Distribution-Api-Version", "registry/2.0")
            self.end_headers()
            self.wfile.write(body)

        def _body(self) -> bytes:
            if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                out = bytearray()
                while True:
                    size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                    if size == 0:
                        self.rfile.readline()
                        return bytes(out)
                    out += self.rfile.read(size)
                    self.rfile.readline()
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def _gate(self) -> bool:
            m = PUSH.match(self.path.split("?")[0])
            if self.command not in ("POST", "PUT") or m is None:
                return True
            name = m.group("name")
            repo = _repository(ecr, name)
            if repo is None:
                self._refuse(
                    404,
                    "NAME_UNKNOWN",
                    f"The repository with name '{name}' does not exist in the registry with id '{ACCOUNT}'",
                )
                return False
            tag = m.group("ref")
            if (
                self.command == "PUT"
                and tag
                and not tag.startswith("sha256:")
                and repo.get("imageTagMutability") == "IMMUTABLE"
                and _tag_exists(upstream, name, tag)
            ):
                self._refuse(
                    400,
                    "TAG_INVALID",
                    f"The image tag '{tag}' already exists in the '{name}' repository and cannot be "
                    "overwritten because the repository is immutable.",
                )
                return False
            return True

        def _forward(self) -> None:
            body = self._body()
            if not self._gate():
                return
            conn = http.client.HTTPConnection("127.0.0.1", upstream, timeout=120)
            headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
            if body or self.command in ("POST", "PUT", "PATCH"):
                headers["Content-Length"] = str(len(body))
            conn.request(self.command, self.path, body=body or None, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
            self.send_response(resp.status, resp.reason)
            for k, v in resp.getheaders():
                if k.lower() in HOP or (k.lower() == "content-length" and self.command != "HEAD"):
                    continue
                if k.lower() == "location":
                    v = v.replace(f"127.0.0.1:{upstream}", self.headers.get("Host", ""))
                self.send_header(k, v)
            if self.command != "HEAD":
                self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)
            conn.close()

        do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _forward

    return Gate


def _watch(server: ThreadingHTTPServer) -> None:
    """Stop once the registry or the emulator has gone. Their locks tell, not a request: a
    request would count as use of the sandbox, and keep it from ever stopping when idle."""
    from tutor.aws import background

    while True:
        time.sleep(5)
        if not (background.running("registry") and background.running("emulator")):
            server.shutdown()
            return


def main(argv: list[str]) -> None:
    port, upstream, endpoint = int(argv[0]), int(argv[1]), argv[2]
    server = ThreadingHTTPServer(("127.0.0.1", port), handler(upstream, endpoint))
    threading.Thread(target=_watch, args=(server,), daemon=True).start()
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
