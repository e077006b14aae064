"""Whatever an export file holds, reading it and reporting on it ends in a report or a named
problem, never a traceback: random bytes, random JSON, and real exports with one value replaced
by anything and sealed again with a good checksum."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from classroom_kit import AS_OF, ROOTS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.classroom.export import ExportProblem, checksum, content_id, read_export
from tutor.classroom.report import build_report
from tutor.classroom.report_html import to_html
from tutor.classroom.report_text import to_csv, to_markdown
from tutor.content.class_outline import ClassOutline
from tutor.content.course import Course

FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=20,
)


def paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for k, v in value.items():
            yield from paths(v, (*here, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from paths(v, (*here, i))


@pytest.fixture
def real(make_export: Callable[..., Path]) -> dict[str, Any]:
    return json.loads(make_export("bob").read_text())


@FUZZ
@given(data=st.binary(max_size=200) | json_values.map(lambda v: json.dumps(v).encode()))
def test_anything_in_a_file_is_an_export_or_a_named_problem(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(data)
    try:
        read_export(path, "x.json")
    except ExportProblem as exc:
        assert str(exc).startswith("x.json")


@FUZZ
@given(pick=st.integers(min_value=0), value=json_values)
def test_a_resealed_export_with_any_value_anywhere(
    tmp_path: Path, course: Course, real: dict[str, Any], pick: int, value: Any
) -> None:
    doc = json.loads(json.dumps(real))
    where = list(paths(doc["payload"]))[1:]
    path = where[pick % len(where)]
    node = doc["payload"]
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    with contextlib.suppress(ValueError):  # NaN: no export can hold it, and reading says so
        doc["checksum"] = checksum(doc["payload"])
    file = tmp_path / "x.json"
    file.write_text(json.dumps(doc))
    klass = ClassOutline.from_course(course)
    assert klass is not None
    report = build_report(course, klass, content_id(ROOTS), [(file, "x.json")], AS_OF)
    for render in (to_csv, to_markdown, to_html):
        render(report)
    assert len(report.learners) + len(report.problems) == 1
