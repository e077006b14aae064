"""Reading labs: every `labs/<id>/lab.yaml` of a content root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tutor.base.containment import PathEscape, resolve_inside
from tutor.base.errors import ContentError
from tutor.content.course import Course, Source
from tutor.content.loading.documents import Document
from tutor.content.loading.lab_safety import filled_errors, linked_out_errors
from tutor.content.loading.located import document_errors, problem_errors, validated
from tutor.content.models.images import IMAGES_FILE, ImagesFile
from tutor.content.models.lab_isolation import fixed_names
from tutor.content.models.labs import PACK_FILES_FIX, Lab


def load_labs(
    course: Course, root: Path, read: Callable[[Path], Document | None], blocked: dict[Path, str]
) -> None:
    """Every `labs/<id>/lab.yaml` of a content root (folders starting with _ hold shared files).

    `blocked` holds the entries that lead out of the pack (already reported): never read.
    """
    folder = root / "labs"
    if folder in blocked or not folder.is_dir():
        return
    for lab_dir in sorted(
        p for p in folder.iterdir() if p not in blocked and p.is_dir() and not p.name.startswith(("_", "."))
    ):
        path = lab_dir / "lab.yaml"
        if path in blocked:
            continue
        if not path.exists():
            course.errors.append(
                ContentError(
                    lab_dir,
                    "this lab folder has no lab.yaml",
                    hint="add lab.yaml, or rename the folder to start with _",
                )
            )
            continue
        doc = read(path)
        if doc is None:
            continue
        try:
            lab = Lab.model_validate({**doc.data, "folder": lab_dir, "pack_root": root})
        except ValidationError as exc:
            course.errors.extend(document_errors(exc, doc, Lab))
            continue
        if lab.id != lab_dir.name:
            course.errors.extend(
                problem_errors(
                    [
                        (
                            ("id",),
                            f"the lab id {lab.id!r} differs from its folder name {lab_dir.name!r}",
                            "rename one",
                        )
                    ],
                    file=path,
                    text=doc.text,
                )
            )
        if lab.id in course.labs:
            course.errors.extend(
                problem_errors(
                    [(("id",), f"lab id {lab.id!r} is used twice", None)], file=path, text=doc.text
                )
            )
            continue
        problems = list(lab.problems())
        if problems:
            course.errors.extend(problem_errors(problems, file=path, text=doc.text))
        course.errors.extend(filled_errors(lab, doc))  # doc.text is read only for a problem
        course.errors.extend(linked_out_errors(lab, blocked, doc))
        for warning in problem_errors(list(fixed_names(lab)), file=path, text=doc.text):
            warning.warning = True  # packs keep working; learners sharing an engine would collide
            course.errors.append(warning)
        course.labs[lab.id] = lab
        course.sources[("lab", lab.id)] = Source(path)


def check_images(
    course: Course, root: Path, read: Callable[[Path], Document | None], blocked: dict[Path, str]
) -> None:
    """`labs/_images/images.yaml`, validated like a lab: its build contexts stay inside the pack."""
    path = root / IMAGES_FILE
    if path in blocked or not path.exists():
        return
    doc = read(path)
    if doc is None:
        return
    images = validated(doc, ImagesFile, course.errors)
    if images is None:
        return
    problems: list[tuple[tuple[str | int, ...], str, str | None]] = []
    for i, image in enumerate(images.images):
        if not image.context:
            continue
        loc: tuple[str | int, ...] = ("images", i, "context")
        target = path.parent / image.context
        try:
            resolve_inside(root, target)
        except PathEscape as exc:
            problems.append((loc, f"{image.context!r} {exc.reason}", PACK_FILES_FIX))
            continue
        below = sorted(b for b in blocked if b.is_relative_to(target))
        if not target.is_dir():
            problems.append((loc, f"{image.context!r} is not a folder beside images.yaml", f"add {target}"))
        elif below:
            shown = below[0].relative_to(path.parent)
            problems.append(
                (loc, f"{image.context!r} holds {str(shown)!r}, which {blocked[below[0]]}", PACK_FILES_FIX)
            )
    if problems:
        course.errors.extend(problem_errors(problems, file=path, text=doc.text))
