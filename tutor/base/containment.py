"""The one containment check: every path a content pack names, every file it ships and every
file written for it stays inside its folder (the pack, or the lab's workspace).

Modelled on PEP 706's `tarfile.data_filter`: resolve the path (following every link), check
that it is inside, and copy without ever following a link out. A pack is untrusted input;
a link in it to /etc/shadow, a folder link to /etc, `../../x` or a FIFO named like a lesson
must be refused with a clear error, never followed.
"""

from __future__ import annotations

import os
import shutil
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath


class PathEscape(ValueError):
    """A path that leads outside the folder it must stay in."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path} {reason}")
        self.path = Path(path)
        self.reason = reason


def lexical_problem(value: str) -> str | None:
    """Why a relative path written in a pack cannot stay inside its folder, or None.

    The written form only: absolute paths, `..`, NUL. Links are for `resolve_inside`.
    """
    if not value:
        return "is empty"
    if "\x00" in value:
        return "holds a NUL character"
    path = PurePosixPath(value)
    if path.is_absolute():
        return "is absolute; write it relative to the folder"
    if ".." in path.parts:
        return "climbs out with '..'"
    return None


def _real(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a link loop (RuntimeError before Python 3.13)
        raise PathEscape(path, "is a link that loops back on itself") from None


def resolve_inside(root: Path, path: Path, what: str = "the pack") -> Path:
    """`path` with every link followed; PathEscape when that leaves `root` (which is resolved too).

    The path need not exist: the part that exists is resolved, the rest is taken as written.
    """
    real_root = _real(root)
    real = _real(path)
    if not real.is_relative_to(real_root):
        raise PathEscape(path, f"leads outside {what}, to {real}")
    return real


def named_path(root: Path, base: Path, value: str, what: str = "the pack") -> Path:
    """A path a pack writes (relative to `base`) checked as written and after links, under `root`."""
    problem = lexical_problem(value)
    if problem:
        raise PathEscape(value, problem)
    return resolve_inside(root, base / value, what)


_WORKSPACE = "the folder it is written to"
_NOT_PLAIN = "is not a regular file or folder (a device, a pipe or a socket)"


@dataclass(frozen=True)
class Escape:
    """An entry of a pack that must not be read: a link leading out, or not a plain file."""

    path: Path
    reason: str


@dataclass
class Scan:
    files: list[Path] = field(default_factory=list)  # regular files, as named inside the pack
    escapes: list[Escape] = field(default_factory=list)


def scan(root: Path, top: Path) -> Scan:
    """Every file under `top` (a folder inside `root`), in a stable top-down order, and every entry
    that leaves `root` or is not a regular file or folder. Links inside `root` are followed
    (each real folder once); links leading out are listed as escapes and not followed."""
    out = Scan()
    real_root = _real(root)
    seen: set[tuple[int, int]] = set()
    if top.is_symlink() and not _link_ok(top, real_root, out):
        return out
    stack = [top]
    while stack:
        folder = stack.pop()
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen:
                continue
            seen.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue  # missing or unreadable: the loader says so when it needs the folder
        subfolders = []
        for entry in entries:
            path = Path(entry.path)
            if entry.is_symlink() and not _link_ok(path, real_root, out):
                continue
            try:
                if entry.is_dir():
                    subfolders.append(path)
                elif entry.is_file():
                    out.files.append(path)
                else:
                    out.escapes.append(Escape(path, _NOT_PLAIN))
            except OSError:
                continue
        stack.extend(reversed(subfolders))
    return out


def _link_ok(path: Path, real_root: Path, out: Scan) -> bool:
    try:
        real = _real(path)
    except PathEscape as exc:
        out.escapes.append(Escape(path, exc.reason))
        return False
    if not real.is_relative_to(real_root):
        out.escapes.append(Escape(path, f"is a link to {real}, outside the pack"))
        return False
    return True


def escapes(root: Path, top: Path) -> list[Escape]:
    """The entries at or under `top` that leave `root` or are not plain files and folders."""
    if top.is_dir():
        return scan(root, top).escapes
    found = Scan()
    if top.is_symlink() and not _link_ok(top, _real(root), found):
        return found.escapes
    if top.exists() and not top.is_file():
        found.escapes.append(Escape(top, _NOT_PLAIN))
    return found.escapes


def _target(root: Path, target: Path) -> Path:
    """A file to (re)write inside `root`: its folder stays inside, and a link in its place is removed."""
    resolve_inside(root, target.parent, _WORKSPACE)
    target.parent.mkdir(parents=True, exist_ok=True)
    resolve_inside(root, target.parent, _WORKSPACE)  # again: nothing may have swapped a link in meanwhile
    if target.is_symlink():
        target.unlink()
    elif target.is_dir():
        raise PathEscape(target, "is a folder, not a file")
    return target


def write_inside(root: Path, rel: str, content: str) -> Path:
    """Write `content` to `root/rel`, never through a link that leads out of `root`."""
    problem = lexical_problem(rel)
    if problem:
        raise PathEscape(rel, problem)
    target = _target(root, root / rel)
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(target, flags, 0o644)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(content)
    return target


def copy_inside(source: Path, target: Path, *, source_root: Path, target_root: Path) -> None:
    """Copy a file or folder of `source_root` to `target` inside `target_root`.

    Links inside `source_root` are copied as what they point at; a link that leads out, or
    anything that is not a plain file or folder, stops the copy with PathEscape before a byte
    of it is read. Nothing is written through a link that leads out of `target_root`.
    """
    real = resolve_inside(source_root, source)
    if real.is_dir():
        bad = escapes(source_root, source)
        if bad:
            raise PathEscape(bad[0].path, bad[0].reason)
        _copy_tree(source_root, real, target, target_root, set())
    elif real.is_file():
        _copy_file(real, _target(target_root, target))
    else:
        raise PathEscape(source, _NOT_PLAIN)


def _copy_tree(source_root: Path, folder: Path, target: Path, target_root: Path, seen: set[Path]) -> None:
    if folder in seen:
        return
    seen.add(folder)
    resolve_inside(target_root, target, _WORKSPACE)
    target.mkdir(parents=True, exist_ok=True)
    resolve_inside(target_root, target, _WORKSPACE)
    for entry in sorted(folder.iterdir()):
        real = resolve_inside(source_root, entry)
        mode = real.stat().st_mode
        if stat.S_ISDIR(mode):
            _copy_tree(source_root, real, target / entry.name, target_root, seen)
        elif stat.S_ISREG(mode):
            _copy_file(real, _target(target_root, target / entry.name))
        else:
            raise PathEscape(entry, _NOT_PLAIN)


def _copy_file(real: Path, target: Path) -> None:
    shutil.copyfile(real, target, follow_symlinks=False)
    shutil.copymode(real, target, follow_symlinks=False)
