"""Reading labs: every `labs/<id>/lab.yaml` of a content root."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tutor.base.errors import ContentError
from tutor.content.course import Course, Source
from tutor.content.loading.documents import Document
from tutor.content.loading.located import content_errors, problem_errors
from tutor.content.models.lab_isolation import fixed_names
from tutor.content.models.labs import Lab


def load_labs(course: Course, folder: Path, read: Callable[[Path], Document | None]) -> None:
    """Every `labs/<id>/lab.yaml` of a content root (folders starting with _ hold shared files)."""
    if not folder.is_dir():
        return
    for lab_dir in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(("_", "."))):
        path = lab_dir / "lab.yaml"
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
            lab = Lab.model_validate({**doc.data, "folder": lab_dir})
        except ValidationError as exc:
            course.errors.extend(content_errors(exc, file=path, text=doc.text, data=doc.data, root_type=Lab))
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
        for warning in problem_errors(list(fixed_names(lab)), file=path, text=doc.text):
            warning.warning = True  # packs keep working; learners sharing an engine would collide
            course.errors.append(warning)
        course.labs[lab.id] = lab
        course.sources[("lab", lab.id)] = Source(path)
