"""`tutor serve` without a browser: the token on every path, the page's own assets, bad input."""

from __future__ import annotations

import re
import shlex
import socket
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import aiohttp
import pytest

from tutor.web import serve

if TYPE_CHECKING:
    from tests.web.conftest import Served


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutor", "serve", *args], capture_output=True, text=True, timeout=60
    )


# -- pieces --------------------------------------------------------------------------------
def test_the_app_command_keeps_the_course_and_the_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    line = serve.app_command(["builtin", "mine"], Path("/data/home"), python="/py", setpriv="")
    assert shlex.split(line) == [
        "exec", "env", "TUTOR_HOME=/data/home", "/py", "-m", "tutor",
        "--content", "builtin", "--content", str(tmp_path / "mine"),
    ]  # fmt: skip
    line = serve.app_command(None, Path("/h"), python="/py", setpriv="/usr/bin/setpriv")
    assert shlex.split(line)[:4] == ["exec", "/usr/bin/setpriv", "--pdeathsig", "TERM"]
    assert "--content" not in line  # TUTOR_CONTENT, if set, reaches the app through the environment


def test_a_path_with_spaces_stays_one_argument() -> None:
    line = serve.app_command(["/a b/c"], Path("/h o/me"), python="/py", setpriv="")
    assert shlex.split(line)[2] == "TUTOR_HOME=/h o/me"
    assert shlex.split(line)[-1] == "/a b/c"


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_no_flag(host: str) -> None:
    try:
        addresses = serve.resolve_host(host, 0)
    except serve.ServeUsageError:
        pytest.skip(f"{host} does not resolve on this machine")
    assert serve.check_reach(host, addresses, allow_remote=False) is False


def test_any_other_interface_needs_allow_remote() -> None:
    addresses = serve.resolve_host("0.0.0.0", 0)
    with pytest.raises(serve.ServeUsageError) as caught:
        serve.check_reach("0.0.0.0", addresses, allow_remote=False)
    assert caught.value.exit_code == 2 and "--allow-remote" in str(caught.value)
    assert serve.check_reach("0.0.0.0", addresses, allow_remote=True) is True


def test_the_remote_warning_is_printed(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import tutor.web.serve as web_serve
    from tutor.cli import main

    monkeypatch.setattr(web_serve, "serve", lambda options, announce: announce("http://host:1/t/", True))
    assert main(["serve", "--host", "0.0.0.0", "--allow-remote"]) == 0
    out = capsys.readouterr()
    assert "http://host:1/t/" in out.out
    assert out.err.startswith("warning: serving beyond this machine")


def test_the_url_brackets_ipv6() -> None:
    assert serve.url_host("::1", "::1") == "[::1]"
    assert serve.url_host("localhost", "127.0.0.1") == "localhost"


# -- bad input: one line and a fix, the documented exit code, no traceback ---------------------
@pytest.mark.parametrize(
    ("args", "code", "text"),
    [
        (["--host", "0.0.0.0"], 2, "reachable from other machines"),
        (["--host", "bad host!"], 2, "not a host name"),
        (["--port", "70000"], 2, "out of range"),
        (["--port", "http"], 2, "not a port number"),
    ],
)
def test_bad_input(args: list[str], code: int, text: str) -> None:
    out = run_cli(*args)
    assert out.returncode == code, out.stderr
    assert text in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) <= 2 or out.stderr.startswith("usage:")


def test_a_port_in_use_is_an_environment_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        out = run_cli("--port", str(port))
    assert out.returncode == 3
    assert out.stderr.splitlines()[0] == f"tutor: port {port} is already in use"
    assert "--port 0" in out.stderr and "Traceback" not in out.stderr


# -- the running server --------------------------------------------------------------------
async def test_every_path_without_the_token_is_refused(served: Served) -> None:
    wrong = "x" * len(served.token)
    async with aiohttp.ClientSession() as http:
        refused = ["/", "/ws", f"/{wrong}/", f"/{wrong}/ws", f"/{wrong}/static/js/textual.js"]
        refused += ["/static/js/textual.js", f"/{served.token[:-1]}/", "/download/x", "/favicon.ico"]
        for path in refused:
            async with http.get(served.origin + path, allow_redirects=False) as response:
                assert response.status == 403, path
                assert response.headers["Referrer-Policy"] == "no-referrer"
        async with http.get(served.origin + f"/{served.token}", allow_redirects=False) as response:
            assert response.status == 302 and response.headers["Location"] == f"/{served.token}/"
        async with http.get(served.url + "static/", allow_redirects=False) as response:
            assert response.status in (403, 404)  # no listing of the package's files
        async with http.get(served.url + "static/js/textual.js") as response:
            assert response.status == 200


async def test_the_websocket_wants_the_token_and_this_origin(served: Served) -> None:
    ws = "ws://" + served.origin.split("://", 1)[1]
    async with aiohttp.ClientSession() as http:
        for url, origin in [
            (f"{ws}/ws", served.origin),
            (f"{ws}/{'y' * len(served.token)}/ws", served.origin),
            (f"{ws}/{served.token}/ws", "http://evil.example"),
        ]:
            with pytest.raises(aiohttp.WSServerHandshakeError) as caught:
                await http.ws_connect(url, origin=origin)
            assert caught.value.status == 403, url
        # The right token and origin get a session (the check can pass).
        async with http.ws_connect(
            f"{ws}/{served.token}/ws?width=80&height=24", origin=served.origin
        ) as sock:
            await sock.send_json(["ping", "1"])
            reply = await sock.receive_json(timeout=60)
            assert reply == ["pong", "1"]


def test_the_page_names_no_address_but_this_server(served: Served) -> None:
    import urllib.request

    with urllib.request.urlopen(served.url, timeout=30) as response:
        html = response.read().decode()
        policy = response.headers["Content-Security-Policy"]
    urls = re.findall(r"[a-zA-Z][a-zA-Z0-9+.-]*://[^\s\"'<>)]+", html)
    assert urls == [f"ws://127.0.0.1:{served.origin.rsplit(':', 1)[1]}/{served.token}/ws"]
    assert not re.search(r"""(?:src|href)\s*=\s*["']//|url\(\s*["']?//|@import""", html)
    assert "googleapis" not in html and "fonts.g" not in html
    assert re.search(r"""@font-face\s*{[^}]*Roboto Mono[^}]*static/fonts/RobotoMono""", html)
    assert "default-src 'none'" in policy and "font-src 'self'" in policy
    assert served.token not in policy


def test_the_font_is_served_from_the_package(served: Served) -> None:
    import urllib.request

    with urllib.request.urlopen(
        served.url + "static/fonts/RobotoMono-VariableFont_wght.ttf", timeout=30
    ) as r:
        assert r.read(4) in (b"\x00\x01\x00\x00", b"true")  # a TrueType file
