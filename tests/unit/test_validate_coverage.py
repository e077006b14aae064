"""`tutor validate --strict` and `--coverage`: exit codes, located findings, the coverage JSON, objectives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.content.coverage import TARGET_RATIO, blueprint_types
from tutor.content.loading.loader import load_course
from tutor.content.roots import builtin_root

DCA_MIX = {"domc": 42, "single": 13}  # the DCA blueprint's type_mix

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

BAD_QUIZ = """\
kind: quiz
id: lint-quiz
title: Lint fixture
topic: docker
questions:
  - id: lint-q1
    type: single
    topic: docker
    domains: ["dca:images"]
    prompt: Which of these is not a Docker volume driver?
    explanation: Because.
    references: ["https://docs.docker.com/"]
    options:
      - {id: a, text: "The local driver, which ships with every Docker Engine install", why: Right.}
      - {id: b, text: NFS, why: No.}
      - {id: c, text: All of the above, why: No.}
    answer: a
"""


def test_the_shipped_course_passes_strict(capsys: pytest.CaptureFixture[str]) -> None:
    """CI runs this: the item-writing lint and freshness hold for every shipped question and lesson."""
    rc = main(["validate", "--strict", str(builtin_root())])
    out = capsys.readouterr().out
    assert rc == 0, out[-3000:]
    assert out.splitlines()[-1].startswith("ok:")


def test_strict_turns_lint_warnings_into_exit_4_with_file_line_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "exam_course", course)
    (course / "quizzes" / "lint.yaml").write_text(BAD_QUIZ, encoding="utf-8")
    assert main(["validate", str(course)]) == 0  # warnings only
    out = capsys.readouterr().out
    assert "lint.yaml:10: warning: questions[0].prompt: question lint-q1:" in out
    assert "[negative-stem]" in out and "fix: write it in capitals" in out
    assert "lint.yaml:14: warning: questions[0].options[0].text:" in out and "[option-length]" in out
    assert "lint.yaml:16: warning: questions[0].options[2].text:" in out and "[catch-all-option]" in out

    assert main(["validate", "--strict", "--json", str(course)]) == 4
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["strict"] is True
    found = {p["message"].rsplit("[", 1)[-1].rstrip("]") for p in data["problems"]}
    assert found == {"negative-stem", "option-length", "giveaway", "catch-all-option"}
    assert all(p["severity"] == "warning" and p["line"] and p["hint"] for p in data["problems"])


def test_coverage_json_shape_and_depth_of_the_shipped_bank(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--coverage", "--json", str(builtin_root())]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"ok", "target_ratio", "uncovered_objectives", "exams"}
    assert data["target_ratio"] == TARGET_RATIO
    exams = {x["exam"]: x for x in data["exams"]}
    assert set(exams) == {"clf-c02", "saa-c03", "dva-c02", "dca"}
    for exam in exams.values():
        assert {"title", "questions", "types", "domains", "type_mix", "objectives", "uncovered", "ok"} <= set(
            exam
        )
        assert sum(d["draws"] for d in exam["domains"]) == exam["questions"]
        for dom in exam["domains"]:
            assert set(dom) == {"domain", "name", "eligible", "draws", "by_type", "ratio", "ok"}
            assert set(dom["by_type"]) <= set(exam["types"])
            # issue 16: three mocks in a row rarely repeat a question
            assert dom["ratio"] >= TARGET_RATIO, (exam["exam"], dom)
        assert exam["objectives"], exam["exam"]
        for obj in exam["objectives"]:
            assert set(obj) == {"id", "domain", "text", "lessons", "questions"}
    assert exams["clf-c02"]["types"] == ["single", "multiple"]
    assert exams["dca"]["types"] == ["domc", "single"]
    assert {t["type"]: t["draws"] for t in exams["dca"]["type_mix"]} == DCA_MIX
    assert data["ok"] is True
    assert data["uncovered_objectives"] == sum(len(x["uncovered"]) for x in data["exams"])


def test_coverage_table_in_text(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--coverage", str(builtin_root())]) == 0
    out = capsys.readouterr().out
    assert "saa-c03:1" in out and "per mock" in out and "objectives:" in out
    assert out.splitlines()[-1].startswith("ok: every domain holds 3x")


def test_coverage_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """Below target is a report, and a failure only with --strict; invalid content always fails."""
    mini = str(FIXTURES / "exam_course")
    assert main(["validate", "--coverage", mini]) == 0
    assert "below target: NOT every domain" in capsys.readouterr().out
    assert main(["validate", "--coverage", "--strict", mini]) == 4
    assert main(["validate", "--coverage", str(FIXTURES / "broken" / "unknown_ids")]) == 4
    assert "content error(s)" in capsys.readouterr().out


def test_blueprint_types_read_from_the_blueprint() -> None:
    exams = load_course().exams
    assert blueprint_types(exams["saa-c03"]) == (("single", "multiple"), {})
    assert blueprint_types(exams["dca"]) == (("domc", "single"), {"domc": 42, "single": 13})


OBJECTIVES = """\
kind: objectives
exam: mini
title: Mini objectives
references: ["https://docs.docker.com/"]
objectives:
  - id: mini.images.tag
    domain: "dca:images"
    text: Tag an image.
    source: https://docs.docker.com/
    questions: [docker-x01, docker-x99]
  - id: mini.images.none
    domain: "dca:storage"
    text: Nothing teaches this.
    source: https://docs.docker.com/
    lessons: [no-such-lesson]
  - id: mini.images.tag
    domain: "dca:images"
    text: The same id again.
    source: https://docs.docker.com/
"""


def objectives_course(tmp_path: Path, text: str, name: str = "mini.yaml") -> Path:
    course = tmp_path / "course"
    shutil.copytree(FIXTURES / "exam_course", course, dirs_exist_ok=True)
    folder = course / "quizzes" / "exams" / "objectives"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return course


def test_objectives_ids_are_checked_with_lines(tmp_path: Path) -> None:
    course = load_course([objectives_course(tmp_path, OBJECTIVES)], cache=False)
    errors = {(e.line, e.field, e.message) for e in course.errors if not e.warning}
    assert (10, "objectives[0].questions[1]", "mini.images.tag: unknown question 'docker-x99'") in errors
    assert (12, "objectives[1].domain", "mini.images.none: mini has no domain 'dca:storage'") in errors
    assert (15, "objectives[1].lessons[0]", "mini.images.none: unknown lesson 'no-such-lesson'") in errors
    assert (16, "objectives[2].id", "objective id 'mini.images.tag' is used twice") in errors
    assert len(course.objectives["mini"].objectives) == 3


def test_objectives_for_an_unknown_exam_and_a_malformed_file(tmp_path: Path) -> None:
    wrong_exam = OBJECTIVES.replace("exam: mini", "exam: nope").replace("mini.", "nope.")
    course = load_course([objectives_course(tmp_path, wrong_exam)], cache=False)
    assert any("unknown exam 'nope'" in e.message and e.line == 2 for e in course.errors)
    bad = "kind: objectives\nexam: mini\ntitle: T\nreferences: [https://docs.docker.com/]\nobjectives: []\n"
    course = load_course([objectives_course(tmp_path, bad, "empty.yaml")], cache=False)
    assert any(e.field == "objectives" and e.file.name == "empty.yaml" for e in course.errors)


def test_coverage_lists_the_objectives_nothing_covers(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = OBJECTIVES.split('  - id: mini.images.tag\n    domain: "dca:images"\n    text: The same')[0]
    good = good.replace(", docker-x99", "").replace('"dca:storage"', '"dca:orchestration"')
    good = good.replace("    lessons: [no-such-lesson]\n", "")
    course = objectives_course(tmp_path, good)
    assert main(["validate", str(course)]) == 0
    capsys.readouterr()
    assert main(["validate", "--coverage", "--json", str(course)]) == 0
    mini = json.loads(capsys.readouterr().out)["exams"][0]
    assert mini["exam"] == "mini" and mini["uncovered"] == ["mini.images.none"]
    assert main(["validate", "--coverage", str(course)]) == 0
    out = capsys.readouterr().out
    assert "objectives: 1 of 2 covered" in out and "not covered: mini.images.none" in out
