"""Property-based fuzzing of every CLI input given as JSON: whatever the JSON, the command answers
with a documented exit code and never with a traceback or an internal error (exit 70)."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.base.errors import Exit
from tutor.cli import main

EXAM_COURSE = str(Path(__file__).resolve().parent.parent / "fixtures" / "exam_course")
DOCUMENTED = {int(code) for code in Exit} - {Exit.INTERNAL}

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=30)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=25,
)
# Shapes near the real ones, so the fuzzing reaches past the first type check.
answers = st.fixed_dictionaries(
    {},
    optional={
        "choice": scalars,
        "choices": st.lists(scalars, max_size=5) | scalars,
        "value": scalars,
        "answers": st.lists(st.lists(scalars, max_size=3), max_size=5) | scalars,
        "order": st.lists(scalars, max_size=6),
        "text": scalars,
        "matches": st.dictionaries(st.text(max_size=5), scalars, max_size=4) | scalars,
    },
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _deep(n: int) -> str:
    return "[" * n + "]" * n


def _rc(capsys: pytest.CaptureFixture[str], argv: list[str]) -> int:
    try:
        rc = main(argv)
    except SystemExit as exc:  # argparse's usage errors (e.g. an answer that looks like an option)
        rc = int(exc.code or 0)
    err = capsys.readouterr().err
    assert "Traceback" not in err, err
    return rc


@pytest.fixture
def attempt() -> tuple[str, list[str]]:
    """One practice attempt on the fixture course (in the test's own TUTOR_HOME), shared by the
    examples of a test (each answer is graded)."""
    out = io.StringIO()
    import contextlib

    with contextlib.redirect_stdout(out):
        assert main(["--content", EXAM_COURSE, "quiz", "start", "docker-quiz", "--seed", "1", "--json"]) == 0
    data = json.loads(out.getvalue())
    return str(data["attempt"]), [q["id"] for q in data["questions"]]


@FUZZ
@given(value=json_values | answers, index=st.integers(min_value=0, max_value=7))
def test_quiz_answers(capsys, attempt, value, index) -> None:
    attempt_id, questions = attempt
    raw = json.dumps(value)
    rc = _rc(capsys, ["--content", EXAM_COURSE, "quiz", "answer", attempt_id, questions[index], raw])
    assert rc in DOCUMENTED


@FUZZ
@given(text=st.text(max_size=60))
def test_quiz_answers_that_are_not_json(capsys, attempt, text) -> None:
    attempt_id, questions = attempt
    assert (
        _rc(capsys, ["--content", EXAM_COURSE, "quiz", "answer", attempt_id, questions[0], text])
        in DOCUMENTED
    )


@pytest.mark.parametrize("depth", [50, 1_000, 100_000])
def test_deeply_nested_answers_and_task_definitions(capsys, attempt, tmp_path: Path, depth: int) -> None:
    attempt_id, questions = attempt
    rc = _rc(capsys, ["--content", EXAM_COURSE, "quiz", "answer", attempt_id, questions[0], _deep(depth)])
    assert rc in DOCUMENTED
    taskdef = tmp_path / "td.json"
    taskdef.write_text('{"containerDefinitions": ' + _deep(depth) + "}")
    for command in ("validate", "explain"):
        assert _rc(capsys, ["ecs", command, str(taskdef)]) in DOCUMENTED


@FUZZ
@given(value=json_values)
def test_task_definitions(capsys, tmp_path_factory, value) -> None:
    path = tmp_path_factory.mktemp("td") / "taskdef.json"
    path.write_text(json.dumps(value))
    for command in ("validate", "explain"):
        assert _rc(capsys, ["ecs", command, str(path)]) in DOCUMENTED


@FUZZ
@given(
    value=json_values
    | st.fixed_dictionaries(
        {"AWSEBDockerrunVersion": scalars},
        optional={"Image": json_values, "Ports": json_values, "Volumes": json_values, "Logging": scalars},
    )
)
def test_beanstalk_bundles(capsys, tmp_path_factory, value) -> None:
    bundle = tmp_path_factory.mktemp("eb") / "bundle.zip"
    with zipfile.ZipFile(bundle, "w") as zf:
        zf.writestr("Dockerrun.aws.json", json.dumps(value))
    assert _rc(capsys, ["eb", "check", str(bundle)]) in DOCUMENTED
