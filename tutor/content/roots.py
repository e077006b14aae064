"""Which content folders to load. Kept free of heavy imports: the app reads it at start-up."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tutor.base.errors import TutorError

BUILTIN = "builtin"
CONTENT_DIRS = ("lessons", "quizzes", "labs")
CLASS_FILE = "class.yaml"  # a class pack: assignments over the course it is layered on


def is_content_root(folder: Path) -> bool:
    """A course (lessons/, quizzes/ or labs/), a class pack (class.yaml), or both."""
    return any((folder / name).is_dir() for name in CONTENT_DIRS) or (folder / CLASS_FILE).is_file()


def builtin_root() -> Path:
    """The course that ships with the app: inside the wheel, or the repository root."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "_course"
    if packaged.is_dir():
        return packaged
    return here.parent


def resolve_roots(spec: Iterable[str] | None) -> list[Path]:
    """`--content`/`TUTOR_CONTENT` entries to folders; the word `builtin` is the shipped course."""
    items = [s for s in (spec or []) if s]
    if not items:
        env = os.environ.get("TUTOR_CONTENT", "")
        items = [s for s in env.split(os.pathsep) if s]
    if not items:
        return [builtin_root()]
    roots = [builtin_root() if s == BUILTIN else Path(s).expanduser().resolve() for s in items]
    for given, root in zip(items, roots, strict=True):
        if not root.is_dir():
            missing = f"the content folder {given} does not exist"
            raise TutorError(
                missing if not root.exists() else f"{given} is not a folder",
                hint="give a folder with lessons/, quizzes/ or labs/, or `builtin` (the shipped course)",
            )
        if not is_content_root(root):
            raise TutorError(
                f"{given} is not a content folder: it has no lessons/, quizzes/ or labs/ folder "
                f"and no {CLASS_FILE}",
                hint="see docs/authoring.md for the layout of a course",
            )
    return roots


def content_files(root: Path) -> list[Path]:
    """Every file under the root's content folders (and its class.yaml), in a stable order."""
    out: list[Path] = [root / CLASS_FILE] if (root / CLASS_FILE).is_file() else []
    for name in CONTENT_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames.sort()
            out.extend(Path(dirpath, f) for f in sorted(filenames))
    return out
