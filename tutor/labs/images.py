"""Offline base images: a local image, else a pull when a registry answers, else a build from
the host's static busybox, else a clear message on how to get one."""

from __future__ import annotations

import hashlib
import os
import shutil
import struct
import tempfile
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tutor.base.containment import PathEscape, escapes, named_path
from tutor.base.errors import ContentInvalid, TutorError
from tutor.base.limits import read_text
from tutor.content.loading.yamlsource import YamlSyntaxError, parse
from tutor.content.models.images import IMAGES_FILE, BaseImage, ImagesFile
from tutor.labs.sandbox import IMAGE_LABEL

DIGEST_LABEL = "tutor.image.digest"
_OWN_FILES = "a pack may only use its own files: put them in the pack instead of links"

PULL_TIMEOUT = 60.0
BUSYBOX_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
RUN mkdir -p /tmp /etc /root /home /usr/local/bin && chmod 1777 /tmp \\
 && echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd \\
 && echo 'nobody:x:65534:65534:nobody:/home:/bin/false' >> /etc/passwd \\
 && echo 'root:x:0:' > /etc/group && echo 'nogroup:x:65534:' >> /etc/group
ENV PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin
CMD ["sh"]
"""


class ImageUnavailable(TutorError):
    pass


@dataclass(frozen=True)
class Prepared:
    name: str
    how: str  # present | pulled | built | failed
    detail: str = ""


def load_definitions(roots: Iterable[Path]) -> dict[str, tuple[BaseImage, Path]]:
    """Base image definitions from every content root's labs/_images/images.yaml (later wins)."""
    found: dict[str, tuple[BaseImage, Path]] = {}
    for root in roots:
        path = root / IMAGES_FILE
        if not path.exists():
            continue
        try:
            data = ImagesFile.model_validate(parse(read_text(named_path(root, root, IMAGES_FILE))))
        except PathEscape as exc:
            raise ContentInvalid(f"{path} is refused: {exc}", hint=_OWN_FILES) from None
        except YamlSyntaxError as exc:
            raise ContentInvalid(f"{path}:{exc.line or 1}: {exc}", hint=exc.hint) from None
        except (ValidationError, ValueError, OSError) as exc:  # LimitExceeded is a ValueError
            raise ContentInvalid(f"{path}: {exc}") from None
        for image in data.images:
            if image.context:
                _inside_pack(root, path, image.context)
            found[image.name] = (image, path.parent)
    return found


def _inside_pack(root: Path, path: Path, context: str) -> None:
    """A build context is a folder of the pack, and nothing in it leads out (containment)."""
    try:
        folder = named_path(root, path.parent, context)
        bad = escapes(root, path.parent / context)
        if bad:
            raise PathEscape(bad[0].path, bad[0].reason)
    except PathEscape as exc:
        raise ContentInvalid(
            f"{path}: the build context {context!r} is refused: {exc}",
            hint=_OWN_FILES,
        ) from None
    if not folder.is_dir():
        raise ContentInvalid(f"{path}: the build context {context!r} is not a folder of the pack")


def is_static_elf(path: Path) -> bool:
    """True for an ELF executable with no program interpreter (a static binary)."""
    try:
        with path.open("rb") as f:
            head = f.read(64)
            if head[:4] != b"\x7fELF":
                return False
            is64 = head[4] == 2
            endian = "<" if head[5] == 1 else ">"
            if is64:
                phoff, phentsize, phnum = (
                    struct.unpack_from(endian + "Q", head, 32)[0],
                    *struct.unpack_from(endian + "HH", head, 54),
                )
            else:
                phoff, phentsize, phnum = (
                    struct.unpack_from(endian + "I", head, 28)[0],
                    *struct.unpack_from(endian + "HH", head, 42),
                )
            for i in range(phnum):
                f.seek(phoff + i * phentsize)
                (ptype,) = struct.unpack(endian + "I", f.read(4))
                if ptype == 3:  # PT_INTERP: dynamically linked
                    return False
            return True
    except OSError:
        return False


def find_static_busybox() -> Path | None:
    candidates = [
        os.environ.get("TUTOR_BUSYBOX", ""),
        "/bin/busybox",
        "/usr/bin/busybox",
        shutil.which("busybox") or "",
    ]
    for c in candidates:
        if c and Path(c).is_file() and is_static_elf(Path(c)):
            return Path(c)
    return None


def context_digest(folder: Path | None, extra: str = "") -> str:
    """A digest of a build context, kept as a label so a changed definition is rebuilt."""
    h = hashlib.sha256(extra.encode())
    if folder is not None:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _current(client: Any, name: str, digest: str | None) -> bool:
    """The image exists, and (when we built it) from the current definition."""
    from docker.errors import ImageNotFound

    try:
        image = client.images.get(name)
    except ImageNotFound:
        return False
    built = (image.labels or {}).get(DIGEST_LABEL)
    return digest is None or built is None or built == digest


def _try_pull(client: Any, source: str, name: str) -> str | None:
    """Pull `source` and tag it `name`; None on success, else why not."""
    repo, _, tag = source.rpartition(":") if ":" in source.rsplit("/", 1)[-1] else (source, "", "latest")
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        image = pool.submit(client.images.pull, repo, tag=tag or "latest").result(timeout=PULL_TIMEOUT)
    except Exception as exc:  # no registry, DNS, timeout...
        return str(exc).splitlines()[0][:160]
    finally:
        pool.shutdown(wait=False)
    target_repo, _, target_tag = name.rpartition(":")
    image.tag(target_repo, target_tag)
    return None


def _build(client: Any, context: Path, name: str, digest: str) -> None:
    from docker.errors import BuildError

    try:
        client.images.build(
            path=str(context),
            tag=name,
            rm=True,
            forcerm=True,
            labels={IMAGE_LABEL: "base", DIGEST_LABEL: digest},
        )
    except BuildError as exc:
        log = "".join(str(x.get("stream", "")) for x in exc.build_log)[-400:]
        raise ImageUnavailable(f"building {name} failed: {exc.msg}\n{log}") from None


def definition_digest(name: str, defs: dict[str, tuple[BaseImage, Path]]) -> str | None:
    """Changes when the image's definition, or that of an image it is built FROM, changes."""
    if name not in defs:
        return None
    spec, folder = defs[name]
    if spec.busybox:
        return context_digest(None, BUSYBOX_DOCKERFILE)
    if not spec.context:
        return None
    parents = ""
    for line in (folder / spec.context / "Dockerfile").read_text(encoding="utf-8").splitlines():
        if line.strip().upper().startswith("FROM ") and line.split()[1] in defs:
            parents += definition_digest(line.split()[1], defs) or ""
    return context_digest(folder / spec.context, parents)


def prepare_image(
    client: Any, name: str, defs: dict[str, tuple[BaseImage, Path]], *, allow_pull: bool = True
) -> Prepared:
    digest = definition_digest(name, defs)
    if _current(client, name, digest):
        return Prepared(name, "present")
    if name not in defs:
        raise ImageUnavailable(
            f"the image {name} is not on this machine and no lab defines how to make it",
            hint=f"pull or build it yourself (`docker pull {name}`)",
        )
    spec, folder = defs[name]
    why_not_pulled = ""
    if spec.pull and allow_pull:
        problem = _try_pull(client, spec.pull, name)
        if problem is None:
            return Prepared(name, "pulled", spec.pull)
        why_not_pulled = problem
    if spec.busybox:
        busybox = find_static_busybox()
        if busybox is None:
            raise ImageUnavailable(
                f"cannot make {name}: no registry answered"
                + (f" ({why_not_pulled})" if why_not_pulled else "")
                + " and there is no static busybox on this machine",
                hint="install one (`sudo apt-get install busybox-static`), or connect to a registry "
                f"and run `docker pull {spec.pull or name}`",
            )
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copy2(busybox, Path(tmp) / "busybox")
            (Path(tmp) / "Dockerfile").write_text(BUSYBOX_DOCKERFILE)
            _build(client, Path(tmp), name, digest or "")
        return Prepared(name, "built", f"from {busybox}")
    if spec.context:
        dockerfile = (folder / spec.context / "Dockerfile").read_text(encoding="utf-8")
        for line in dockerfile.splitlines():  # build what it starts FROM first
            if line.strip().upper().startswith("FROM "):
                parent = line.split()[1]
                if parent != "scratch" and parent in defs:
                    prepare_image(client, parent, defs, allow_pull=allow_pull)
        _build(client, folder / spec.context, name, digest or "")
        return Prepared(name, "built", f"from {spec.context}")
    raise ImageUnavailable(f"cannot make {name}: {why_not_pulled or 'no way to build it is defined'}")


def prepare(
    client: Any, names: Iterable[str], roots: Iterable[Path], *, allow_pull: bool = True
) -> list[Prepared]:
    defs = load_definitions(roots)
    return [prepare_image(client, n, defs, allow_pull=allow_pull) for n in dict.fromkeys(names)]
