"""Which content folders to load. Kept free of heavy imports: the app reads it at start-up."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from tutor.base.errors import TutorError

BUILTIN = "builtin"
CONTENT_DIRS = ("lessons", "quizzes", "labs")


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
        if not any((root / name).is_dir() for name in CONTENT_DIRS):
            raise TutorError(
                f"{given} is not a content folder: it has no lessons/, quizzes/ or labs/ folder",
                hint="see docs/authoring.md for the layout of a course",
            )
    return roots


def content_files(root: Path) -> list[Path]:
    """Every file under the root's content folders, in a stable order."""
    out: list[Path] = []
    for name in CONTENT_DIRS:
        for dirpath, dirnames, filenames in os.walk(root / name):
            dirnames.sort()
            out.extend(Path(dirpath, f) for f in sorted(filenames))
    return out
