"""The commands: `tutor export`, `tutor class status`, `tutor class report`, and their exit codes."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from classroom_kit import COURSE, PACK, Learner

from tutor.cli import main

CONTENT = ["--content", str(COURSE), "--content", str(PACK)]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_export_writes_a_file_and_says_what_it_is(
    live: Callable[[str], Learner], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live("alice")
    out = tmp_path / "mine.json"
    code, text, _ = run(capsys, *CONTENT, "export", "--out", str(out), "--learner", "Alice A.")
    assert code == 0
    assert f"wrote the results of Alice A. to {out}: 1 lab(s), 2 quiz and exam attempt(s)" in text
    assert "not proof against cheating" in text
    code, text, _ = run(capsys, *CONTENT, "export", "--out", str(out), "--json")
    summary = json.loads(text)
    assert code == 0 and summary["labs"] == 1 and summary["checksum"].startswith("sha256:")
    assert json.loads(out.read_text())["payload"]["learner"] == summary["learner"]


def test_export_names_the_learner_from_the_environment(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TUTOR_LEARNER", "Dana")
    code, text, _ = run(capsys, *CONTENT, "export", "--out", str(tmp_path / "d.json"), "--json")
    assert code == 0 and json.loads(text)["learner"] == "Dana"


def test_export_to_a_folder_that_does_not_exist(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *CONTENT, "export", "--out", str(tmp_path / "no" / "x.json"), "--learner", "x")
    assert code == 2 and "does not exist" in err


def test_class_status_headless(live: Callable[[str], Learner], capsys: pytest.CaptureFixture[str]) -> None:
    live("bob")
    code, text, _ = run(capsys, *CONTENT, "class", "status", "--json", "--as-of", "2027-03-20")
    data = json.loads(text)
    assert code == 0 and data["class"] == "Containers 101 <spring> & co"
    assert [(a["id"], a["state"], a["late"]) for a in data["assignments"]] == [
        ("first-files", "overdue", False),
        ("basics", "passed", True),
        ("mock", "overdue", False),
    ]
    assert data["counts"]["overdue"] == 2 and data["assignments"][0]["detail"] == "1/2 steps"
    code, text, _ = run(capsys, *CONTENT, "class", "status", "--as-of", "2027-02-27")
    lines = text.splitlines()
    assert code == 0 and lines[0] == "Containers 101 <spring> & co: 1 of 3 finished, 0 overdue"
    assert lines[1].split()[:4] == ["in", "progress", "lab", "first-files"] and "due in 2 days" in lines[1]


def test_class_commands_need_a_class_pack(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--content", str(COURSE), "class", "status")
    assert code == 2 and "no class pack is loaded" in err and "--content builtin --content CLASSDIR" in err


def test_a_class_pack_that_cannot_be_read(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "class.yaml").write_text("assignments:\n  - lab: first-files\n")
    code, _, err = run(capsys, "--content", str(COURSE), "--content", str(tmp_path), "class", "status")
    assert code == 4 and "class.yaml:1: name: the required key 'name' is missing" in err


def test_bad_as_of_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main([*CONTENT, "class", "status", "--as-of", "soon"])
    assert caught.value.code == 2 and "'soon' is not a date" in capsys.readouterr().err


def test_report_exit_codes_and_problems_on_stderr(
    class_exports: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(class_exports["alice"].parent)
    good = ["alice.json", "bob.json", "carol.json"]
    code, text, err = run(
        capsys, *CONTENT, "class", "report", *good, "--out", "r.html", "--as-of", "2027-03-20"
    )
    assert code == 0 and err == "" and text == "wrote r.html: 3 learner(s), 3 assignment(s)\n"
    assert Path("r.html").read_text().startswith("<!doctype html>")
    code, text, err = run(
        capsys, *CONTENT, "class", "report", *good, "tampered.json", "truncated.json", "--out", "r.md"
    )
    assert code == 1 and "2 problem(s) listed in it" in text
    assert err.splitlines()[0].startswith("tutor: tampered.json: its checksum does not match")
    assert err.splitlines()[1].startswith("tutor: truncated.json:")
    assert "## Problems (2)" in Path("r.md").read_text()


def test_report_format_from_the_suffix_or_the_option(
    class_exports: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(class_exports["alice"].parent)
    code, _, err = run(capsys, *CONTENT, "class", "report", "alice.json", "--out", "report.txt")
    assert code == 2 and "add --format csv|md|html" in err
    code, text, _ = run(capsys, *CONTENT, "class", "report", "alice.json", "--out", "-", "--format", "csv")
    assert code == 0 and text.startswith("table,name,as_of,content_id")
    code, text, _ = run(
        capsys, *CONTENT, "class", "report", "alice.json", "other-pack.json", "--out", "x.csv", "--json"
    )
    data = json.loads(text)
    assert code == 1 and data["learners"] == ["alice"] and data["format"] == "csv"
    assert data["problems"][0].startswith("other-pack.json: made with other content")


def test_report_needs_exports_and_an_out_file(capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["class", "report", "--out", "r.md"], ["class", "report", "a.json"]):
        with pytest.raises(SystemExit) as caught:
            main([*CONTENT, *argv])
        assert caught.value.code == 2
