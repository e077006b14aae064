"""class.yaml: the model, its loading over a course, and what `tutor validate` says about it."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.cli import main
from tutor.content.class_outline import ClassOutline, deadline, due_text
from tutor.content.loading.loader import load_course
from tutor.content.outline import Outline
from tutor.content.roots import resolve_roots

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "classroom"
COURSE = FIXTURES / "course"
PACK = FIXTURES / "pack"
ROOT = Path(__file__).resolve().parents[2]


def pack(tmp_path: Path, text: str, name: str = "pack") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "class.yaml").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


def problems(folder: Path) -> list[tuple[int | None, str, str]]:
    course = load_course([COURSE, folder], cache=False)
    return [(e.line, e.message, e.hint or "") for e in course.errors if not e.warning]


def test_the_fixture_pack_loads_over_its_course() -> None:
    course = load_course([COURSE, PACK], cache=False)
    assert course.errors == []
    klass = ClassOutline.from_course(course)
    assert klass is not None and klass.name == "Containers 101 <spring> & co"
    lab, quiz, exam = klass.assignments
    assert (lab.kind, lab.id, lab.title, lab.steps, lab.pass_mark) == (
        "lab",
        "first-files",
        "Write two files",
        ("notes", "config"),
        None,
    )
    assert (quiz.kind, quiz.pass_mark, quiz.due) == ("quiz", 80, "2027-03-08T18:00:00")
    assert (exam.kind, exam.pass_mark, exam.due) == ("exam", None, "2027-03-15T17:00:00+00:00")
    assert lab.notes == "Take your time."


def test_the_class_pass_mark_is_the_default_of_quizzes(tmp_path: Path) -> None:
    folder = pack(tmp_path, "name: C\npass_mark: 55\nassignments:\n  - quiz: basics\n")
    klass = ClassOutline.from_course(load_course([COURSE, folder], cache=False))
    assert klass is not None and klass.assignments[0].pass_mark == 55


def test_an_unknown_lab_is_an_error_at_its_line_with_a_guess(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        """
        name: Broken class
        assignments:
          - quiz: basics
          - lab: first-file
            due: 2027-03-01
        """,
    )
    assert problems(folder) == [(4, "unknown lab 'first-file'", "did you mean 'first-files'?")]
    course = load_course([COURSE, folder], cache=False)
    err = course.errors[0]
    assert err.file == folder / "class.yaml" and err.field == "assignments[1].lab"
    assert str(err).startswith(f"{folder / 'class.yaml'}:4: assignments[1].lab: unknown lab")
    klass = ClassOutline.from_course(course)  # the rest of the pack still works
    assert klass is not None and [a.id for a in klass.assignments] == ["basics"]


def test_a_quiz_that_is_an_exam_and_the_other_way_round(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        """
        name: C
        assignments:
          - quiz: mock
          - exam: basics
        """,
    )
    assert problems(folder) == [
        (3, "'mock' is an exam, not a quiz", "write `exam: mock`"),
        (
            4,
            "'basics' is a quiz, not an exam",
            "write `quiz: basics` (add `timed: true` to count only timed attempts)",
        ),
    ]


def test_rules_the_schema_cannot_say(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        """
        name: C
        assignments:
          - due: 2027-03-01
          - lab: first-files
            quiz: basics
          - lab: first-files
            pass_mark: 50
          - exam: mock
            timed: true
          - exam: mock
        """,
    )
    found = problems(folder)
    assert [(line, msg) for line, msg, _ in found] == [
        (3, "the assignment names no lab, quiz or exam"),
        (5, "one assignment names a lab and a quiz"),
        (7, "a lab has no pass mark: it is done when every step passes"),
        (9, "`timed` is for quizzes (an exam is always timed)"),
        (10, "exam 'mock' is assigned twice (also entry 4)"),
    ]


def test_schema_errors_keep_the_other_assignments_checked(tmp_path: Path) -> None:
    folder = pack(
        tmp_path,
        """
        name: C
        assignments:
          - labs: first-files
          - quiz: basics
            due: next friday
          - lab: nothing-like-it
          - quiz: basics
            pass_mark: 120
        """,
    )
    found = problems(folder)
    assert found[0] == (3, "unknown key 'labs'", found[0][2])
    assert "did you mean 'lab'?" in found[0][2]
    assert found[1][0] == 5 and found[1][1].startswith("'next friday' is not a due date: write 2027-03-01")
    assert found[2][0] == 8 and "less than or equal to 100" in found[2][1]
    assert found[3] == (6, "unknown lab 'nothing-like-it'", "`tutor list` shows the course's labs")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("assignments:\n  - lab: first-files\n", 1, "the required key 'name' is missing"),
        ("name: C\nassignments: []\n", 2, "list should have at least 1 item after validation, not 0"),
        ("name: C\nassignments:\n  - lab: first-files\nduedate: 2027-01-01\n", 4, "unknown key 'duedate'"),
        ("name: C\nassignments: [\n", 3, "YAML syntax error"),
    ],
)
def test_a_broken_pack_says_where(tmp_path: Path, text: str, line: int, message: str) -> None:
    folder = pack(tmp_path, text)
    found = problems(folder)
    assert found and found[0][0] == line and found[0][1].startswith(message), found


def test_a_class_pack_folder_is_a_content_root(tmp_path: Path) -> None:
    assert resolve_roots([str(COURSE), str(PACK)]) == [COURSE, PACK]
    assert load_course([COURSE, PACK], cache=False).klass is not None


def test_a_second_class_pack_replaces_the_first_with_a_warning(tmp_path: Path) -> None:
    other = pack(tmp_path, "name: Other class\nassignments:\n  - quiz: basics\n")
    course = load_course([COURSE, PACK, other], cache=False)
    assert course.klass is not None and course.klass.name == "Other class"
    (warning,) = course.errors
    assert warning.warning and "replaces the one in" in warning.message


def test_due_dates_mean_the_end_of_the_day_in_local_time() -> None:
    end = dt.datetime(2027, 3, 1, 23, 59, 59, 999999).timestamp()
    assert deadline("2027-03-01") == end
    assert deadline("2027-03-08T18:00:00") == dt.datetime(2027, 3, 8, 18).timestamp()
    assert deadline("2027-03-15T17:00:00+00:00") == dt.datetime(2027, 3, 15, 17, tzinfo=dt.UTC).timestamp()
    assert deadline("") is None
    assert due_text("2027-03-15T17:00:00+00:00") == "2027-03-15 17:00 UTC"
    assert due_text("2027-03-15T17:00:00+01:00") == "2027-03-15 17:00 +01:00"
    assert due_text("2027-03-08T18:00:00") == "2027-03-08 18:00"


def test_the_outline_keeps_the_class_for_the_home_screen() -> None:
    from tutor.content.catalog import Catalog

    course = load_course([COURSE, PACK], cache=False)
    outline = Outline.from_catalog(Catalog.build(course), course, "stamp")
    again = Outline.from_json(outline.to_json())
    assert again is not None and again.klass == outline.klass and again.klass is not None


def test_validate_checks_a_class_pack_over_the_builtin_course(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "docs" / "examples" / "class-pack"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["counts"]["assignments"] == 4
    assert data["notes"] == ["a class pack alone: checked on top of the built-in course (as --with-builtin)"]


def test_validate_fails_on_an_unknown_assignment(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = pack(tmp_path, "name: C\nassignments:\n  - lab: docker-first-containr\n")
    assert main(["validate", str(folder)]) == 4
    out = capsys.readouterr().out
    assert "class.yaml:3: assignments[0].lab: unknown lab 'docker-first-containr'" in out
    assert "did you mean 'docker-first-container'?" in out


_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
_values = st.recursive(
    _scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner, max_size=3),
    max_leaves=15,
)
_entries = st.fixed_dictionaries(
    {},
    optional={
        k: _scalars | st.sampled_from(["first-files", "basics", "mock"]) for k in ("lab", "quiz", "exam")
    }
    | {
        "due": _scalars | st.sampled_from(["2027-03-01", "2027-03-01 18:00", "2027-13-45"]),
        "pass_mark": _scalars,
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    top=st.fixed_dictionaries(
        {}, optional={"name": _scalars, "notes": _scalars, "pass_mark": _scalars, "x": _values}
    ),
    rows=st.lists(_entries | _values, max_size=4) | _values,
)
def test_any_class_yaml_loads_or_is_reported_never_raises(tmp_path: Path, top: dict, rows: object) -> None:
    folder = tmp_path / "fuzz"
    folder.mkdir(exist_ok=True)
    (folder / "class.yaml").write_text(json.dumps({**top, "assignments": rows}), encoding="utf-8")
    course = load_course([COURSE, folder], cache=False)
    klass = ClassOutline.from_course(course)
    assert course.klass is not None or any(e.file.name == "class.yaml" for e in course.errors)
    if klass is not None:
        assert all(a.kind in ("lab", "quiz", "exam") for a in klass.assignments)
