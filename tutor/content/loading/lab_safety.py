"""What a lab will really do, checked before it runs: its parameters filled in, its files in the pack.

A `value` parameter could carry what the lab may not write itself (`host` as a network, the
Docker socket as a volume, `../..` as a file) past a validation that only saw `{{name}}`; and a
folder the lab copies could hold a link out of the pack. Both are reported at the line that
names them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from tutor.base.errors import ContentError
from tutor.content.loading.documents import Document
from tutor.content.loading.located import content_errors, data_path, format_path, problem_errors
from tutor.content.models.labs import PACK_FILES_FIX, Lab
from tutor.content.models.placeholders import has_placeholder, placeholders_in, render, sample_params

Loc = tuple[str | int, ...]


def _runs(lab: Lab, data: dict[str, Any]) -> Iterator[tuple[Loc, BaseModel, Any]]:
    """What runs or is read on the learner's machine: setup actions, checks, solutions; with the
    YAML data of each (to skip, cheaply, those without a placeholder)."""

    def at(*path: str | int) -> Any:
        node: Any = data
        for part in path:
            try:
                node = node[part]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    for i, action in enumerate(lab.setup):
        yield ("setup", i), action, at("setup", i)
    for i, step in enumerate(lab.steps):
        for j, check in enumerate(step.checks):
            yield ("steps", i, "checks", j), check, at("steps", i, "checks", j)
        yield ("steps", i, "solution"), step.solution, at("steps", i, "solution")


def filled_errors(lab: Lab, doc: Document) -> list[ContentError]:
    """Each setup action, check and solution validated again with its placeholders filled in
    with values like an attempt's (`value` parameters exactly as written)."""
    values: dict[str, str] | None = None
    out: list[ContentError] = []
    for prefix, item, written in _runs(lab, doc.data):
        if not has_placeholder(written):
            continue
        values = values or sample_params(lab.id, lab.params)
        raw = item.model_dump(by_alias=True, exclude_unset=True)
        filled = render(raw, values)
        try:
            type(item).model_validate(filled)
        except ValidationError as exc:
            found = content_errors(
                exc, file=doc.path, text=doc.text, data=filled, root_type=type(item), prefix=prefix
            )
            for err, detail in zip(found, exc.errors(include_url=False), strict=True):
                inner, _ = data_path(filled, tuple(detail["loc"]))
                names = placeholders_in(_at(raw, inner))
                where = ", ".join(f"{{{{{n}}}}} = {values.get(n, '?')!r}" for n in names)
                out.append(
                    ContentError(
                        doc.path,
                        f"once its parameters are filled in ({where or 'as an attempt would'}): "
                        f"{err.message}",
                        line=err.line,
                        field=format_path((*prefix, *inner)),
                        hint="a parameter may not carry what the lab may not write itself; "
                        + (err.hint or "write a safe value"),
                    )
                )
    return out


def _at(data: Any, path: Loc) -> Any:
    """The value at `path`, or the deepest one found (a key may have been a placeholder)."""
    for part in path:
        if (isinstance(data, dict) and part in data) or (
            isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data)
        ):
            data = data[part]
        else:
            break
    return data


def linked_out_errors(lab: Lab, blocked: dict[Path, str], doc: Document) -> list[ContentError]:
    """A folder the lab builds or copies holds an entry the scan refused (a link out, a FIFO).

    The named path itself is the model's to report (`Lab.problems`); this names what is below it.
    """
    if lab.folder is None or not blocked:
        return []
    named: list[tuple[Loc, str]] = []
    for i, action in enumerate(lab.setup):
        for key in ("context", "source"):
            rel = getattr(action, key, None)
            if rel:
                named.append((("setup", i, key), rel))
    problems = []
    for loc, rel in named:
        target = lab.folder / rel
        below = sorted(b for b in blocked if b != target and b.is_relative_to(target))
        if below:
            shown = below[0].relative_to(lab.folder)
            message = f"{rel!r} holds {str(shown)!r}, which {blocked[below[0]]}"
            problems.append((loc, message, PACK_FILES_FIX))
    return problem_errors(problems, file=doc.path, text=doc.text) if problems else []
