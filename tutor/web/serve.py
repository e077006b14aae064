"""`tutor serve`: the whole app in a browser, through textual-serve, behind a token.

textual-serve runs one app subprocess per browser session and relays the Textual web
driver's protocol over a websocket; its page, script and font ship in the package. Around it:

- every URL lives under `/<token>/` (page, websocket, static files); anything else gets 403;
- the page is our own template: the font comes from textual-serve's static folder, not a
  font CDN, and a Content-Security-Policy keeps the browser from fetching anything elsewhere;
- the websocket also wants an Origin of this server (no cross-site websocket hijacking);
- sockets are bound here, so a busy port or a bad host is a one-line error, not a traceback.

This module may import textual-serve (aiohttp, jinja2, rich) but never Textual itself: the
app runs in the subprocess.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import ipaddress
import logging
import re
import secrets
import shlex
import shutil
import signal
import socket
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tutor.base.errors import TutorError

TEMPLATES = Path(__file__).resolve().parent / "templates"
TITLE = "Container Tutor"
WILDCARDS = ("0.0.0.0", "::")
HOSTNAME = re.compile(r"(?=.{1,253}\.?$)(?!-)[A-Za-z0-9-]{1,63}(?<!-)(\.(?!-)[A-Za-z0-9-]{1,63}(?<!-))*\.?")


class ServeUsageError(TutorError):
    """The command line asks for something that cannot be served (a bad host, a remote bind)."""

    exit_code = 2


class ServeEnvironmentError(TutorError):
    """The machine refuses (the port is taken, the address is not this machine's)."""

    exit_code = 3


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8000
    allow_remote: bool = False
    content: Sequence[str] | None = None
    home: Path | None = None
    token: str = field(default_factory=lambda: secrets.token_urlsafe(32))


# -- the app subprocess ------------------------------------------------------------------
def app_command(
    content: Sequence[str] | None, home: Path, python: str = sys.executable, setpriv: str | None = None
) -> str:
    """The shell line textual-serve runs per session: this `tutor`, same course, same home.

    `exec` makes the app the shell's own process, so ending the session ends the app. Where
    util-linux's setpriv is at hand, the app also gets SIGTERM when the server dies without
    ending its sessions (SIGKILL, a crash); elsewhere such an app is left to stop by hand.
    """
    setpriv = setpriv if setpriv is not None else shutil.which("setpriv")
    argv = ["exec", *([setpriv, "--pdeathsig", "TERM"] if setpriv else [])]
    argv += ["env", f"TUTOR_HOME={home}", python, "-m", "tutor"]
    for item in content or ():
        argv += ["--content", item if item == "builtin" else str(Path(item).expanduser().resolve())]
    return shlex.join(argv)


# -- hosts and sockets -------------------------------------------------------------------
def resolve_host(host: str, port: int) -> list[tuple[int, str]]:
    """(family, address) pairs the host names; a name that resolves to nothing is a usage error."""
    if not _looks_like_host(host):  # refused before any name lookup
        raise ServeUsageError(
            f"{host!r} is not a host name or an IP address", hint="e.g. --host 127.0.0.1 (the default)"
        )
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as exc:
        raise ServeUsageError(
            f"cannot serve on host {host!r}: {getattr(exc, 'strerror', None) or exc}",
            hint="use an address of this machine, e.g. --host 127.0.0.1 (the default)",
        ) from None
    seen: list[tuple[int, str]] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family in (socket.AF_INET, socket.AF_INET6) and (family, sockaddr[0]) not in seen:
            seen.append((family, str(sockaddr[0])))
    if not seen:
        raise ServeUsageError(f"host {host!r} has no IPv4 or IPv6 address", hint="try --host 127.0.0.1")
    return seen


def _looks_like_host(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return bool(HOSTNAME.fullmatch(host))


def is_loopback(address: str) -> bool:
    try:
        return ipaddress.ip_address(address.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


def check_reach(host: str, addresses: list[tuple[int, str]], allow_remote: bool) -> bool:
    """True when the bind reaches beyond this machine; refuses that without --allow-remote."""
    remote = [addr for _family, addr in addresses if not is_loopback(addr)]
    if remote and not allow_remote:
        raise ServeUsageError(
            f"host {host!r} ({', '.join(remote)}) is reachable from other machines",
            hint="serve on 127.0.0.1 (the default), or add --allow-remote if you mean it",
        )
    return bool(remote)


def bind_sockets(addresses: list[tuple[int, str]], port: int) -> list[socket.socket]:
    """Listening sockets on every address, all on one port (port 0: the first free one)."""
    socks: list[socket.socket] = []
    try:
        for family, address in addresses:
            sock = socket.socket(family, socket.SOCK_STREAM)
            socks.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind((address, port))
            port = sock.getsockname()[1]
            sock.listen(128)
            sock.setblocking(False)
    except OSError as exc:
        for sock in socks:
            sock.close()
        raise _bind_error(exc, port) from None
    return socks


def _bind_error(exc: OSError, port: int) -> TutorError:
    if exc.errno == errno.EADDRINUSE:
        return ServeEnvironmentError(
            f"port {port} is already in use", hint="pick another with --port N, or --port 0 for any free one"
        )
    if exc.errno == errno.EACCES:
        return ServeEnvironmentError(
            f"not allowed to listen on port {port}", hint="ports below 1024 need root; use --port 8000"
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return ServeUsageError(
            "that address is not one of this machine's", hint="use --host 127.0.0.1 (the default)"
        )
    return ServeEnvironmentError(f"cannot listen: {exc.strerror or exc}")


def url_host(host: str, address: str) -> str:
    """The host part of the URL to print: the name given, an IPv6 literal in brackets."""
    if host in WILDCARDS:
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return host or address


# -- the web application -----------------------------------------------------------------
def build_app(command: str, token: str) -> object:
    """The aiohttp application: textual-serve's websocket and assets under `/<token>/`."""
    import jinja2
    from aiohttp import web
    from textual_serve.server import Server

    prefix = f"/{token}"
    pages = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    server = Server(command, title=TITLE)
    sessions: set[asyncio.Task[object]] = set()

    @web.middleware
    async def guard(request: web.Request, handler: Callable[..., object]) -> web.StreamResponse:
        first = request.path.lstrip("/").partition("/")[0]
        if not secrets.compare_digest(first.encode(), token.encode()):
            raise web.HTTPForbidden(text="403: this address needs the token `tutor serve` printed\n")
        return await handler(request)  # type: ignore[misc,no-any-return]

    async def page(request: web.Request) -> web.Response:
        nonce = secrets.token_urlsafe(16)
        scheme = "wss" if request.secure else "ws"
        html = pages.get_template("app_index.html").render(
            title=TITLE,
            static_url=f"{prefix}/static/",
            websocket_url=f"{scheme}://{request.host}{prefix}/ws",
            font_size=_font_size(request.query.get("fontsize")),
            nonce=nonce,
        )
        response = web.Response(text=html, content_type="text/html")
        response.headers["Content-Security-Policy"] = _policy(nonce, f"{scheme}://{request.host}")
        response.headers["Cache-Control"] = "no-store"
        return response

    async def websocket(request: web.Request) -> web.StreamResponse:
        origin = request.headers.get("Origin")
        if origin is not None and origin not in (f"http://{request.host}", f"https://{request.host}"):
            raise web.HTTPForbidden(text="403: websocket from another origin\n")
        task = asyncio.current_task()
        assert task is not None
        sessions.add(task)
        try:
            return await server.handle_websocket(request)
        finally:
            sessions.discard(task)

    async def redirect(request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{prefix}/")

    async def end_sessions(app: web.Application) -> None:
        # Cancelling a session makes textual-serve tell its app to quit and wait for it.
        for task in list(sessions):
            task.cancel()
        if sessions:
            await asyncio.wait(list(sessions), timeout=10)

    app = web.Application(middlewares=[guard])
    app.add_routes(
        [
            web.get(prefix, redirect),
            web.get(f"{prefix}/", page),
            web.get(f"{prefix}/ws", websocket),
            web.static(f"{prefix}/static", server.statics_path, show_index=False),
        ]
    )
    app.on_response_prepare.append(_harden)
    app.on_shutdown.append(end_sessions)
    return app


def _font_size(value: str | None) -> int:
    try:
        return max(8, min(48, int(value or 16)))
    except ValueError:
        return 16


def _policy(nonce: str, websocket_origin: str) -> str:
    """Only this server: scripts, styles, the font and the websocket. Nothing to fetch elsewhere."""
    return "; ".join(
        [
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",  # xterm.js sizes its rows with inline styles
            "font-src 'self'",
            "img-src 'self' data:",
            f"connect-src 'self' {websocket_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    )


async def _harden(request: object, response: object) -> None:
    """Headers on every response, refusals included: the token never leaves in a Referer."""
    headers = response.headers  # type: ignore[attr-defined]
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")


# -- running -----------------------------------------------------------------------------
def prepare(options: ServeOptions) -> tuple[list[socket.socket], str, bool]:
    """Check the host, bind the sockets: (sockets, url, remote). Raises TutorError."""
    if not 0 <= options.port <= 65535:
        raise ServeUsageError(f"port {options.port} is out of range", hint="use a port from 1 to 65535")
    addresses = resolve_host(options.host, options.port)
    remote = check_reach(options.host, addresses, options.allow_remote)
    socks = bind_sockets(addresses, options.port)
    port = socks[0].getsockname()[1]
    url = f"http://{url_host(options.host, addresses[0][1])}:{port}/{options.token}/"
    return socks, url, remote


def serve(options: ServeOptions, announce: Callable[[str, bool], None]) -> None:
    """Bind, announce the URL, serve until SIGINT/SIGTERM, then end every session."""
    from tutor.base.paths import data_home

    socks, url, remote = prepare(options)
    home = (options.home or data_home()).expanduser().resolve()
    command = app_command(options.content, home)
    logging.basicConfig(level=logging.WARNING, format="tutor serve: %(message)s", stream=sys.stderr)
    try:
        asyncio.run(_run(build_app(command, options.token), socks, lambda: announce(url, remote)))
    finally:
        for sock in socks:
            sock.close()


async def _run(app: object, socks: list[socket.socket], ready: Callable[[], None]) -> None:
    from aiohttp import web

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    runner = web.AppRunner(app, handle_signals=False, access_log=None)  # type: ignore[arg-type]
    await runner.setup()
    try:
        for sock in socks:
            await web.SockSite(runner, sock, shutdown_timeout=5).start()
        ready()
        await stop.wait()
    finally:
        await runner.cleanup()


def remote_warning() -> str:
    return (
        "warning: serving beyond this machine. Anyone who can reach it and has the URL can use the app "
        "as you, including the lab commands on your Docker engine; the connection is plain HTTP, so "
        "anyone who can watch the network can read the token. Use it only on a network you trust."
    )
