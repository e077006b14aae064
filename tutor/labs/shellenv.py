"""The shell a lab terminal (or `tutor lab shell`) runs: the learner's own shell, their own rc
file, the lab's environment, and a hook that says when each command finished.

The hook is FinalTerm's semantic-prompt mark: at every prompt after the first, the shell prints
`ESC ] 133 ; D ; <exit status> BEL`. A terminal that knows it (the app's, iTerm2, WezTerm, kitty,
VS Code) learns that a command finished and how; any other terminal ignores the sequence.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tutor.base.paths import data_home

OSC133_DONE = "\\033]133;D;%s\\007"  # printf format, exit status as %s

# Shell families and what we know how to hook.
POSIX_SHELLS = {"sh", "dash", "ash", "ksh", "mksh", "busybox"}
TOOLS = ("aws", "aws_completer", "tutor")

# Names a lab parameter may never set: they would change how the shell itself behaves.
PROTECTED = re.compile(
    r"^(PATH|HOME|SHELL|TERM|COLORTERM|USER|LOGNAME|PWD|OLDPWD|ENV|BASH_ENV|ZDOTDIR|IFS|CDPATH|"
    r"PS[0-4]|PROMPT_COMMAND|HIST.*|LANG|LC_.*|LD_.*|DYLD_.*|PYTHON.*|DOCKER_.*|AWS_.*|TUTOR_.*|"
    r"SSH_.*|DISPLAY|TMPDIR|MAIL)$"
)
# Variables of the app's own terminal that would lie to programs in the lab terminal.
NOT_INHERITED = ("COLUMNS", "LINES", "TERM_PROGRAM", "TERM_PROGRAM_VERSION", "TEXTUAL", "VTE_VERSION")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")

BASHRC = f"""\
# Written by Container Tutor for lab shells; rewritten on every start.
if [ -f "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
[ -n "$TUTOR_LAB_BIN" ] && PATH="$TUTOR_LAB_BIN:$PATH"
__tutor_osc133() {{
  local s=$?
  if [ -n "${{__tutor_started-}}" ]; then printf '{OSC133_DONE}' "$s"; fi
  __tutor_started=1
  return $s
}}
PROMPT_COMMAND="__tutor_osc133${{PROMPT_COMMAND:+;$PROMPT_COMMAND}}"
PS1="($TUTOR_LAB) $PS1"
cd "$TUTOR_LAB_WORKSPACE" 2>/dev/null || true
"""

ZSHENV = """\
# Written by Container Tutor: the learner's own .zshenv, read from their own ZDOTDIR.
__tutor_zdotdir="$ZDOTDIR"
ZDOTDIR="${TUTOR_USER_ZDOTDIR:-$HOME}"
[ -f "$ZDOTDIR/.zshenv" ] && . "$ZDOTDIR/.zshenv"
ZDOTDIR="$__tutor_zdotdir"
"""

ZSHRC = f"""\
# Written by Container Tutor for lab shells; rewritten on every start.
ZDOTDIR="${{TUTOR_USER_ZDOTDIR:-$HOME}}"
[ -f "$ZDOTDIR/.zshrc" ] && . "$ZDOTDIR/.zshrc"
[ -n "$TUTOR_LAB_BIN" ] && PATH="$TUTOR_LAB_BIN:$PATH"
__tutor_osc133() {{
  local s=$?
  if [[ -n "${{__tutor_started-}}" ]]; then printf '{OSC133_DONE}' "$s"; fi
  __tutor_started=1
  return $s
}}
precmd_functions=(__tutor_osc133 $precmd_functions)
PS1="($TUTOR_LAB) $PS1"
cd "$TUTOR_LAB_WORKSPACE" 2>/dev/null || true
"""

# POSIX sh has no prompt hook, but it expands parameters in PS1 at each prompt: `$?` there is
# the status of the command that just finished.
SHRC = """\
# Written by Container Tutor for lab shells; rewritten on every start.
if [ -n "$TUTOR_USER_ENV" ] && [ -r "$TUTOR_USER_ENV" ]; then . "$TUTOR_USER_ENV"; fi
[ -n "$TUTOR_LAB_BIN" ] && PATH="$TUTOR_LAB_BIN:$PATH"
PS1="$(printf '\\033]133;D;')"'$?'"$(printf '\\007')($TUTOR_LAB) ${PS1:-\\$ }"
cd "$TUTOR_LAB_WORKSPACE" 2>/dev/null || true
"""


@dataclass(frozen=True)
class ShellLaunch:
    """How to start a lab shell: the command, its environment and folder."""

    argv: list[str]
    env: dict[str, str]
    cwd: str
    kind: str  # bash, zsh or sh: how the hook was installed
    note: str = ""  # why the learner's own shell was not used, when it was not
    exported: dict[str, str] = field(default_factory=dict)  # the lab's variables, for display


def choose_shell(env: Mapping[str, str]) -> tuple[str, str, str]:
    """(path, kind, note): $SHELL when it is a shell we can hook, else bash, else sh."""
    wanted = env.get("SHELL", "")
    note = ""
    if wanted and os.access(wanted, os.X_OK):
        kind = _kind(wanted)
        if kind:
            return wanted, kind, ""
        note = f"your shell {Path(wanted).name} cannot report finished commands yet; using "
    for name, kind in (("bash", "bash"), ("sh", "sh")):
        found = shutil.which(name, path=env.get("PATH") or os.defpath)
        if found:
            return found, kind, (note + name if note else "")
    return "/bin/sh", "sh", (note + "sh" if note else "")


def _kind(path: str) -> str:
    name = Path(path).name
    if name == "bash":
        return "bash"
    if name == "zsh":
        return "zsh"
    if name in POSIX_SHELLS:
        return "sh"
    return ""


def tools_dir(root: Path) -> Path | None:
    """A folder with only the app's own `aws` and `tutor` (links into the app's environment),
    put first on the lab shell's PATH, also after the learner's rc file: the AWS labs are
    written for that aws CLI. The app's python and pip stay out of the learner's way."""
    source = Path(sys.executable).parent
    target = root / "bin"
    target.mkdir(parents=True, exist_ok=True)
    found = False
    for name in TOOLS:
        tool, link = source / name, target / name
        if not tool.exists():
            continue
        found = True
        if link.is_symlink() and os.readlink(link) == str(tool):
            continue
        link.unlink(missing_ok=True)
        try:
            link.symlink_to(tool)
        except OSError:
            return None
    return target if found else None


def rc_dir() -> Path:
    return data_home() / "shell"


def write_rc_files(root: Path | None = None) -> Path:
    """Write the hook files (the same for every lab: the lab comes from the environment)."""
    root = root or rc_dir()
    (root / "zsh").mkdir(parents=True, exist_ok=True)
    for rel, text in (("bashrc", BASHRC), ("shrc", SHRC), ("zsh/.zshrc", ZSHRC), ("zsh/.zshenv", ZSHENV)):
        target = root / rel
        if not target.exists() or target.read_text(encoding="utf-8") != text:
            tmp = target.with_suffix(".tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
    return root


def param_vars(params: Mapping[str, str]) -> dict[str, str]:
    """A lab's parameters as environment variables: `port` -> PORT. Names that would change how
    the shell behaves (PATH, HOME, LD_*, ...) are never set from a lab."""
    out: dict[str, str] = {}
    for name, value in params.items():
        var = re.sub(r"[^A-Za-z0-9_]", "_", name).upper()
        if not var or var[0].isdigit() or PROTECTED.match(var):
            continue
        out[var] = _CONTROL.sub("", str(value))
    return out


def docker_host_default() -> str | None:
    """Where the Docker SDK (and so the app's checks) goes when DOCKER_HOST is unset."""
    if os.name != "posix":
        return None
    from docker.constants import DEFAULT_UNIX_SOCKET

    return DEFAULT_UNIX_SOCKET.replace("http+unix://", "unix://")


def build(
    base_env: Mapping[str, str],
    *,
    lab_id: str,
    workspace: Path,
    params: Mapping[str, str],
    attempt: str = "",
    term: str | None = None,
    root: Path | None = None,
) -> ShellLaunch:
    """The argv and environment of a lab shell. `base_env` is the lab's environment (the sandbox
    variables, DOCKER_CONFIG, PATH with the app's own tools); `term` sets TERM (the app's
    terminal emulates xterm-256color; `tutor lab shell` keeps the user's)."""
    root = write_rc_files(root)
    shell, kind, note = choose_shell(base_env)
    env = {k: v for k, v in base_env.items() if k not in NOT_INHERITED and not k.startswith("TEXTUAL")}
    exported = param_vars(params)
    env.update(exported)
    env.update(
        {
            "TUTOR_LAB": lab_id,
            "TUTOR_LAB_WORKSPACE": str(workspace),
            "TUTOR_LAB_ATTEMPT": attempt,
            "SHELL": shell,
        }
    )
    path = env.get("PATH", os.defpath).split(os.pathsep)
    if path and path[0] == str(Path(sys.executable).parent):
        del path[0]  # what LabSession.env() put first for solution commands: our tools instead
    tools = tools_dir(root)
    if tools is not None:
        env["TUTOR_LAB_BIN"] = str(tools)
        path.insert(0, str(tools))
    env["PATH"] = os.pathsep.join(path)
    host = docker_host_default()
    if "DOCKER_HOST" not in env and host:
        env["DOCKER_HOST"] = host  # the docker CLI talks to the engine the checks look at
    if term:
        env["TERM"] = term
        env["COLORTERM"] = "truecolor"
    if kind == "bash":
        argv = [shell, "--rcfile", str(root / "bashrc"), "-i"]
    elif kind == "zsh":
        if "ZDOTDIR" in env:
            env["TUTOR_USER_ZDOTDIR"] = env["ZDOTDIR"]
        env["ZDOTDIR"] = str(root / "zsh")
        argv = [shell, "-i"]
    else:
        if env.get("ENV"):
            env["TUTOR_USER_ENV"] = env["ENV"]
        env["ENV"] = str(root / "shrc")
        argv = [shell, "-i"]
    return ShellLaunch(argv, env, str(workspace), kind, note, exported)


def for_session(session: Any, *, term: str | None = None) -> ShellLaunch:
    """The shell for a started lab session (tutor.labs.engine.LabSession): its environment,
    workspace and parameters. Blocking (it asks the AWS emulator where it listens)."""
    attempt = session.attempt
    params = attempt.params if attempt else {}
    session.workspace.mkdir(parents=True, exist_ok=True)
    return build(
        session.env(),
        lab_id=session.lab.id,
        workspace=session.workspace,
        params=params,
        attempt=attempt.attempt_id if attempt else "",
        term=term,
    )
