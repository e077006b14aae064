"""Turn pydantic validation errors into ContentErrors with a line, a field path and a fix."""

from __future__ import annotations

import types
import typing
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ValidationError

from tutor.base.errors import ContentError
from tutor.content.loading.yamlsource import locate
from tutor.content.suggest import did_you_mean

if TYPE_CHECKING:
    from tutor.content.loading.documents import Document

M = TypeVar("M", bound=BaseModel)

Loc = tuple[str | int, ...]


def format_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def data_path(data: Any, loc: Loc) -> tuple[Loc, bool]:
    """Drop the union tags pydantic puts in `loc`, keeping the keys that exist in the data.

    Returns the path and whether the last element was found in the data.
    """
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        last = i == len(loc) - 1
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif last:
            if isinstance(node, dict) and part in (node.get("type"), node.get("kind"), node.get("action")):
                return tuple(path), True  # the union tag of an entry whose whole content is at fault
            path.append(part)
            return tuple(path), False
        # else: a union tag or a validator name; not part of the document
    return tuple(path), True


def _unwrap(tp: Any) -> Any:
    while typing.get_origin(tp) is typing.Annotated:
        tp = typing.get_args(tp)[0]
    return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def _members(tp: Any) -> list[Any]:
    tp = _unwrap(tp)
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return [_unwrap(a) for a in typing.get_args(tp)]
    return [tp]


def _tag_of(model: type[BaseModel]) -> set[str]:
    tags: set[str] = set()
    for name in ("type", "kind"):
        field = model.model_fields.get(name)
        if field is not None and typing.get_origin(field.annotation) is typing.Literal:
            tags.update(str(a) for a in typing.get_args(field.annotation))
    return tags


def model_at(root: Any, loc: Loc) -> type[BaseModel] | None:
    """The model class whose field is named by the last element of `loc`."""
    tp: Any = root
    for part in loc[:-1]:
        tp = _step(tp, part)
        if tp is None:
            return None
    members = [m for m in _members(tp) if _is_model(m)]
    return members[0] if len(members) == 1 else None


def _step(tp: Any, part: str | int) -> Any:
    members = _members(tp)
    if len(members) > 1:
        for m in members:
            if _is_model(m) and str(part) in _tag_of(m):
                return m
        return None
    tp = members[0]
    if _is_model(tp):
        field = tp.model_fields.get(str(part))
        return field.annotation if field else None
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (list, tuple, set, frozenset) and isinstance(part, int) and args:
        return args[0]
    if origin is dict and args:
        return args[1]
    return None


_FRIENDLY = {
    "missing": "this required key is missing",
    "string_pattern_mismatch": "has a value that does not fit the expected format",
}


def content_errors(
    exc: ValidationError,
    *,
    file: Path,
    text: str,
    data: Any,
    root_type: Any,
    line_offset: int = 0,
    prefix: Loc = (),
) -> list[ContentError]:
    out: list[ContentError] = []
    for err in exc.errors(include_url=False):
        loc: Loc = tuple(err["loc"])
        kind = err["type"]
        path, found = data_path(data, loc)
        hint: str | None = None
        msg = err["msg"]
        if kind == "extra_forbidden":
            key = str(path[-1])
            model = model_at(root_type, loc)
            allowed = sorted(model.model_fields) if model else []
            msg = f"unknown key {key!r}"
            guess = did_you_mean(key, allowed)
            hint = f"{guess} " if guess else ""
            hint += f"Allowed keys here: {', '.join(allowed)}." if allowed else "Remove it."
            where = locate(text, (*prefix, *path), key=True)
        elif kind == "missing":
            key = str(path[-1])
            msg = f"the required key {key!r} is missing"
            hint = f"add `{key}:` to this entry"
            where = locate(text, (*prefix, *path[:-1]))
        elif kind == "union_tag_invalid":
            ctx = err.get("ctx", {})
            tag = str(ctx.get("tag", ""))
            expected = str(ctx.get("expected_tags", ""))
            names = [t.strip(" '") for t in expected.split(",")]
            msg = f"unknown {ctx.get('discriminator', 'type').strip(chr(39))} {tag!r}"
            guess = did_you_mean(tag, names)
            hint = (f"{guess} " if guess else "") + f"Use one of: {expected}."
            where = locate(text, (*prefix, *path))
            for disc in ("type", "kind"):
                probe = locate(text, (*prefix, *path, disc))
                if probe.found:
                    where = probe
                    path = (*path, disc)
                    break
        elif kind == "union_tag_not_found":
            disc = str(err.get("ctx", {}).get("discriminator", "type")).strip("'")
            msg = f"the key {disc!r} is missing, so the kind of entry is unknown"
            hint = f"add `{disc}:` to this entry"
            where = locate(text, (*prefix, *path))
            path = (*path, disc)
        elif kind == "lab_unsafe":
            hint = (
                "labs run on the learner's own engine: they may not reach the host, "
                "the Docker socket or other namespaces"
            )
            where = locate(text, (*prefix, *path)) if found else locate(text, (*prefix, *path[:-1]))
        else:
            msg = _FRIENDLY.get(kind, msg[0].lower() + msg[1:] if msg else kind)
            if kind == "string_pattern_mismatch":
                pattern = err.get("ctx", {}).get("pattern", "")
                msg = f"{err.get('input')!r} {msg}"
                hint = _pattern_hint(str(pattern))
            where = locate(text, (*prefix, *path)) if found else locate(text, (*prefix, *path[:-1]))
        out.append(
            ContentError(
                file,
                _label(data, path) + msg,
                line=where.line + line_offset,
                field=format_path(path),
                hint=hint,
            )
        )
    return out


def _label(data: Any, path: Loc) -> str:
    """'question ecs-012: ' for problems inside a quiz's question, so authors find it by id."""
    if len(path) >= 2 and path[0] == "questions" and isinstance(path[1], int):
        try:
            qid = data["questions"][path[1]].get("id")
        except (KeyError, IndexError, TypeError, AttributeError):
            return ""
        return f"question {qid}: " if qid else ""
    return ""


def _pattern_hint(pattern: str) -> str:
    if pattern.startswith("^[a-z0-9]"):
        return "ids use lower-case letters, digits, '.', '_' and '-', e.g. docker-first-container"
    if "https" in pattern:
        return "references are https:// links to the official documentation"
    return f"the value must match {pattern}"


def problem_errors(
    problems: Iterable[tuple[Loc, str, str | None]],
    *,
    file: Path,
    text: str,
    line_offset: int = 0,
    prefix: Loc = (),
    label: str = "",
) -> list[ContentError]:
    out = []
    for path, message, hint in problems:
        where = locate(text, (*prefix, *path))
        out.append(
            ContentError(
                file,
                f"{label}{message}",
                line=where.line + line_offset,
                field=format_path((*prefix, *path)),
                hint=hint,
            )
        )
    return out


def document_errors(exc: ValidationError, doc: Document, root_type: Any) -> list[ContentError]:
    """`content_errors` for a whole document validated as a `root_type`."""
    return content_errors(
        exc, file=doc.path, text=doc.text, data=doc.data, root_type=root_type, line_offset=doc.line_offset
    )


def validated(doc: Document, model: type[M], errors: list[ContentError]) -> M | None:
    """`doc` as a `model`; else None, with every problem added to `errors` at its file, line
    and field."""
    try:
        return model.model_validate(doc.data)
    except ValidationError as exc:
        errors.extend(document_errors(exc, doc, model))
        return None


def valid_rows(
    model: type[M], data: dict[str, Any], key: str, exc: ValidationError, loc: tuple[str, ...]
) -> tuple[M, list[int]] | None:
    """`data` as a `model` without the rows of its list `data[key]` that `exc` found broken (at
    `loc + (row, ...)`); with the file position of each row kept. None when something outside
    those rows is broken, or no row is left."""
    bad: set[int] = set()
    for err in exc.errors():
        at = err["loc"]
        if len(at) > len(loc) and at[: len(loc)] == loc and isinstance(at[len(loc)], int):
            bad.add(at[len(loc)])
        else:
            return None  # the file itself is broken, not just some rows
    rows = [i for i in range(len(data[key])) if i not in bad]
    if not rows:
        return None
    try:
        return model.model_validate({**data, key: [data[key][i] for i in rows]}), rows
    except ValidationError:
        return None
