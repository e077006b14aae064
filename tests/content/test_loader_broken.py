"""One folder per broken case: each problem names the file, the line and the field,
and the rest of the course still loads."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tutor.content.loading.loader import load_course

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"
CASES = sorted(p.name for p in BROKEN.iterdir() if p.is_dir())


def test_there_are_broken_cases() -> None:
    assert len(CASES) >= 12


@pytest.mark.parametrize("case", CASES)
def test_broken_case_is_reported_where_it_is(case: str) -> None:
    root = BROKEN / case
    expect = yaml.safe_load((root / "expect.yaml").read_text())
    course = load_course([root])
    problems = [e for e in course.errors if not e.warning]
    for want in expect["errors"]:
        file = root / want["file"]
        hits = [e for e in problems if e.file == file and want["contains"] in str(e)]
        assert hits, f"no problem containing {want['contains']!r} in {want['file']}; got:\n" + "\n".join(
            map(str, problems)
        )
        err = hits[0]
        assert err.line == want["line"], str(err)
        assert err.field == want["field"], str(err)
        # The message printed to the author carries all three.
        text = str(err)
        assert want["file"] in text.replace("\\", "/")
        if want["line"]:
            assert f":{want['line']}:" in text
    assert len(problems) == len(expect["errors"]), "\n".join(map(str, problems))
    counts = {
        "lessons": len(course.lessons),
        "questions": len(course.questions),
        "exams": len(course.exams),
    }
    for key, n in expect.get("loaded", {}).items():
        assert counts[key] == n, f"{key}: {counts}"


def test_fix_hint_is_given_for_misspelt_key() -> None:
    course = load_course([BROKEN / "unknown_key"])
    err = next(e for e in course.errors if e.field == "refrences")
    assert err.hint and "references" in err.hint


def test_a_folder_without_content_is_reported(tmp_path: Path) -> None:
    course = load_course([tmp_path])
    assert len(course.errors) == 1
    assert "no lessons/, quizzes/ or labs/" in course.errors[0].message


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    course = load_course([tmp_path / "nope"])
    assert "not found" in course.errors[0].message


def test_a_large_file_with_many_problems_is_composed_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each problem is located in the node tree; composing the file again for every one of
    them made a broken 2,000-question file take minutes to report."""
    import tutor.content.loading.yamlsource as yamlsource

    (tmp_path / "quizzes").mkdir()
    rows = "".join(f"  - {{id: q{n}, type: single, stem: 'Old key {n}'}}\n" for n in range(500))
    (tmp_path / "quizzes" / "old.yaml").write_text(f"kind: quiz\nid: old\ntitle: Old\nquestions:\n{rows}")
    calls = []
    real = yamlsource.yaml.compose
    monkeypatch.setattr(yamlsource.yaml, "compose", lambda *a, **k: calls.append(1) or real(*a, **k))
    course = load_course([tmp_path], cache=False)
    stems = [e for e in course.errors if e.field and e.field.endswith(".stem")]
    assert len(stems) == 500 and stems[-1].line == 504
    assert len(calls) == 1
