"""The lab shell's environment and hook files, the commands a step shows, and the terminal's
pure parts (keys, OSC 133 marks, colours), without a pty or an app."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tutor.labs import shellenv, snippets
from tutor.tui.widgets.terminal_keys import key_bytes
from tutor.tui.widgets.terminal_screen import Osc133Filter, TermScreen, pyte_color


def _build(tmp_path: Path, shell: str, **env: str) -> shellenv.ShellLaunch:
    base = {"PATH": os.environ.get("PATH", os.defpath), "HOME": str(tmp_path), "SHELL": shell, **env}
    return shellenv.build(
        base,
        lab_id="demo",
        workspace=tmp_path / "ws",
        params={"port": "8123", "path": "/evil", "ld-preload": "x", "name": "web\x1b[2J"},
        attempt="a1",
        term="xterm-256color",
        root=tmp_path / "rc",
    )


def test_choose_shell_prefers_the_users_own(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    assert bash
    assert shellenv.choose_shell({"SHELL": bash, "PATH": os.defpath})[:2] == (bash, "bash")
    fish = tmp_path / "fish"
    fish.write_text("#!/bin/sh\n")
    fish.chmod(0o755)
    path, kind, note = shellenv.choose_shell({"SHELL": str(fish), "PATH": os.environ["PATH"]})
    assert kind == "bash" and "fish" in note  # a shell we cannot hook: bash, and we say so
    path, kind, _ = shellenv.choose_shell({"SHELL": "", "PATH": "/nonexistent"})
    assert (path, kind) == ("/bin/sh", "sh")


def test_bash_launch(tmp_path: Path) -> None:
    bash = shutil.which("bash")
    assert bash
    launch = _build(tmp_path, bash, COLUMNS="80", TEXTUAL_DRIVER="x")
    assert launch.argv == [bash, "--rcfile", str(tmp_path / "rc" / "bashrc"), "-i"]
    env = launch.env
    assert env["PORT"] == "8123" and env["NAME"] == "web[2J"  # control characters removed
    tools = tmp_path / "rc" / "bin"
    assert env["PATH"] == f"{tools}{os.pathsep}{os.environ.get('PATH', os.defpath)}"  # not the lab's /evil
    assert env["TUTOR_LAB_BIN"] == str(tools) and (tools / "tutor").exists()
    assert "LD_PRELOAD" not in env
    assert env["TUTOR_LAB"] == "demo" and env["TUTOR_LAB_WORKSPACE"] == str(tmp_path / "ws")
    assert env["TERM"] == "xterm-256color"
    assert "COLUMNS" not in env and "TEXTUAL_DRIVER" not in env
    assert env.get("DOCKER_HOST", "").startswith("unix://")
    assert launch.exported == {"PORT": "8123", "NAME": "web[2J"}


def test_sh_and_zsh_launches(tmp_path: Path) -> None:
    sh = _build(tmp_path, "/bin/sh", ENV="/home/me/.shrc")
    assert sh.kind == "sh" and sh.env["ENV"] == str(tmp_path / "rc" / "shrc")
    assert sh.env["TUTOR_USER_ENV"] == "/home/me/.shrc"
    zsh_path = tmp_path / "zsh"
    zsh_path.write_text("#!/bin/sh\n")
    zsh_path.chmod(0o755)
    zsh = _build(tmp_path, str(zsh_path), ZDOTDIR="/home/me/.config/zsh")
    assert zsh.kind == "zsh" and zsh.env["ZDOTDIR"] == str(tmp_path / "rc" / "zsh")
    assert zsh.env["TUTOR_USER_ZDOTDIR"] == "/home/me/.config/zsh"
    assert "precmd_functions=(__tutor_osc133" in (tmp_path / "rc" / "zsh" / ".zshrc").read_text()


@pytest.mark.parametrize("shell", ["bash", "dash"])
def test_the_hook_reports_each_exit_status(tmp_path: Path, shell: str) -> None:
    path = shutil.which(shell)
    if path is None:
        pytest.skip(f"{shell} is not installed")
    launch = _build(tmp_path, path)
    out = subprocess.run(
        launch.argv,
        input="true\n(exit 4)\necho $PORT\nexit 0\n",
        env=launch.env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=20,
    )
    marks = Osc133Filter()
    _, codes = marks.feed((out.stdout + out.stderr).encode())
    assert codes[-3:] == [0, 4, 0]
    assert "8123" in out.stdout


def test_osc133_marks_are_taken_out_even_when_split() -> None:
    f = Osc133Filter()
    clean, codes = f.feed(b"hello\x1b]133;D;")
    assert clean == b"hello" and codes == []
    clean, codes = f.feed(b"7\x07$ \x1b]133;A\x1b\\x")
    assert clean == b"$ x" and codes == [7]
    clean, codes = f.feed(b"\x1b]")  # could be the start of a mark: held
    assert clean == b""
    clean, codes = f.feed(b"0;title\x07")  # it was a title: passed on whole
    assert clean == b"\x1b]0;title\x07" and codes == []


def test_keys() -> None:
    assert key_bytes("enter", "\r") == b"\r"
    assert key_bytes("a", "a") == b"a"
    assert key_bytes("ctrl+c", "\x03") == b"\x03"
    assert key_bytes("ctrl+d", None) == b"\x04"
    assert key_bytes("backspace", "\x7f") == b"\x7f"
    assert key_bytes("up", None) == b"\x1b[A"
    assert key_bytes("up", None, app_cursor=True) == b"\x1bOA"
    assert key_bytes("ctrl+left", None) == b"\x1b[1;5D"
    assert key_bytes("shift+end", None) == b"\x1b[1;2F"
    assert key_bytes("pageup", None) == b"\x1b[5~"
    assert key_bytes("f1", None) == b"\x1bOP" and key_bytes("f12", None) == b"\x1b[24~"
    assert key_bytes("alt+x", "x") == b"\x1bx"
    assert key_bytes("alt+backspace", None) == b"\x1b\x7f"
    assert key_bytes("é", "é") == "é".encode()
    assert key_bytes("tab", "\t") == b"\t" and key_bytes("shift+tab", None) == b"\x1b[Z"


def test_colours() -> None:
    assert pyte_color("default") is None
    assert pyte_color("red").number == 1  # type: ignore[union-attr]
    assert pyte_color("brightblue").number == 12  # type: ignore[union-attr]
    assert pyte_color("ff8000").triplet.hex == "#ff8000"  # type: ignore[union-attr]


def test_resize_keeps_the_cursor_line_and_sends_the_top_to_history() -> None:
    screen = TermScreen(20, 10)
    for i in range(9):
        screen.draw(f"line {i}")
        screen.carriage_return()
        screen.linefeed()
    screen.draw("$ ")
    screen.resize(5, 20)
    assert screen.display[-1].startswith("$ ") and screen.cursor.y == 4
    assert len(screen.history.top) == 5


def test_snippets() -> None:
    md = "Run:\n\n```bash\ndocker run -d \\\n  --name web x\n```\n\nthen\n\n```console\n$ docker ps\n```\n"
    assert snippets.commands(md) == ["docker run -d \\\n  --name web x", "docker ps"]
    joined = snippets.one_line("docker run -d \\\n  --name web x\necho hi")
    assert joined == "docker run -d --name web x ; echo hi"
    only_files = "```dockerfile\nFROM x\n```"
    assert snippets.commands(only_files) == ["FROM x"]
    assert snippets.commands("```bash\necho \x1b[31mred\x03\n```") == ["echo [31mred"]
    assert snippets.commands("no code") == []
