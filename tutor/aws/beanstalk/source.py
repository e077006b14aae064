"""A source bundle as Beanstalk gets it: a .zip, or (like `eb deploy` and `eb local run`) a folder
that would be zipped. Paths are POSIX and relative to the bundle's root."""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from tutor.base.errors import TutorError
from tutor.base.limits import MAX_FILE_BYTES, LimitExceeded, read_bytes

UNPACK_LIMIT = 2 * 1024 * 1024 * 1024  # what a zip may unpack to before `eb run` extracts it
SKIPPED_DIRS = {".git", ".elasticbeanstalk", "__pycache__", "node_modules"}


class BundleError(TutorError):
    pass


@dataclass
class BundleSource:
    path: Path
    is_zip: bool
    names: list[str] = field(default_factory=list)  # files only
    executable: set[str] = field(default_factory=set)
    size: int = 0
    unpacked: int = 0  # a zip's files once extracted (a zip bomb shows here)

    @property
    def root(self) -> set[str]:
        return {n for n in self.names if "/" not in n}

    def read(self, name: str) -> bytes:
        """One file, read no further than the size limit (a zip bomb stops there).

        Raises BundleError with the file named when it is larger than any Docker file would be.
        """
        try:
            if not self.is_zip:
                return read_bytes(self.path / name)
            with zipfile.ZipFile(self.path) as zf, zf.open(name) as f:
                data = f.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                raise BundleError(
                    f"{name} in the bundle unpacks to more than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                    hint="a Dockerfile or Dockerrun.aws.json is a few KB",
                )
            return data
        except LimitExceeded as exc:
            raise BundleError(f"{name} in the bundle: {exc.message}", hint=exc.hint) from None

    def text(self, name: str) -> str:
        return self.read(name).decode("utf-8", "replace")

    def copy_to(self, target: Path) -> None:
        """The bundle's files in `target` (a zip is extracted with Python's safe member names)."""
        if self.is_zip:
            if self.unpacked > UNPACK_LIMIT:
                raise BundleError(
                    f"{self.path.name} unpacks to {self.unpacked / 1e6:.0f} MB; it is not extracted",
                    hint="a source bundle holds your app's files, not gigabytes",
                )
            with zipfile.ZipFile(self.path) as zf:
                for name in self.names:
                    dest = (target / name).resolve()
                    if not dest.is_relative_to(target.resolve()):
                        continue  # a member that would land outside: never extracted
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    dest.write_bytes(zf.read(name))
                    if name in self.executable:
                        dest.chmod(0o755)
        else:
            shutil.copytree(
                self.path,
                target,
                dirs_exist_ok=True,
                symlinks=False,
                ignore=shutil.ignore_patterns(*SKIPPED_DIRS),
            )


def open_bundle(path: Path) -> BundleSource:
    """Read a bundle's file list; BundleError when it is neither a folder nor a zip."""
    if path.is_dir():
        src = BundleSource(path, is_zip=False)
        for f in sorted(path.rglob("*")):
            rel = f.relative_to(path)
            if any(part in SKIPPED_DIRS for part in rel.parts) or not f.is_file() or f.is_symlink():
                continue
            name = PurePosixPath(*rel.parts).as_posix()
            src.names.append(name)
            src.size += f.stat().st_size
            if f.stat().st_mode & 0o111:
                src.executable.add(name)
        return src
    if not path.exists():
        raise BundleError(
            f"{path} does not exist", hint="give a source bundle: a folder with your Dockerfile, or its .zip"
        )
    try:
        with zipfile.ZipFile(path) as zf:
            src = BundleSource(path, is_zip=True, size=path.stat().st_size)
            for info in zf.infolist():
                if info.is_dir():
                    continue
                src.names.append(info.filename)
                src.unpacked += info.file_size
                if (info.external_attr >> 16) & 0o111:
                    src.executable.add(info.filename)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise BundleError(
            f"{path.name} is not a zip file; a Beanstalk source bundle is a .zip (or a folder to zip)"
        ) from None
    return src
