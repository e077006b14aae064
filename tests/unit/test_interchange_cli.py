"""`tutor quiz import/export` and `--junit`, end to end through the command line."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from junitparser import Failure, JUnitXml

from tutor.cli import main

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
GIFT = FIXTURES / "gift"
META = ["--domain", "dca:images", "--reference", "https://docs.docker.com/"]


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(list(args))
    out = capsys.readouterr()
    return rc, out.out, out.err


@pytest.fixture
def imported(tmp_path: Path, capsys) -> Path:
    out = tmp_path / "course"
    rc, stdout, err = run(capsys, "quiz", "import", str(GIFT / "constructs.gift"), "--out", str(out), *META)
    assert rc == 0, err
    assert "16 imported, 2 skipped" in stdout and "constructs.gift:87: info:" in stdout
    return out


def test_import_writes_quizzes_the_loader_accepts(imported: Path, capsys) -> None:
    assert sorted(p.name for p in (imported / "quizzes").iterdir()) == ["docker-basics.yaml", "volumes.yaml"]
    assert (imported / "lessons" / "topics.yaml").exists()  # the new topic 'imported'
    rc, out, _ = run(capsys, "validate", str(imported), "--with-builtin")
    assert rc == 0 and out.startswith("ok:"), out


def test_import_json_report_and_refusal_to_overwrite(imported: Path, capsys) -> None:
    args = ["quiz", "import", str(GIFT / "constructs.gift"), "--out", str(imported), *META, "--json"]
    rc, out, err = run(capsys, *args)
    assert rc == 2 and "already exists" in err and "--force" in err
    rc, out, _ = run(capsys, *args, "--force")
    report = json.loads(out)
    assert rc == 0 and report["ok"] and report["converted"] == 16 and report["skipped"] == 2
    assert {q["id"]: q["questions"] for q in report["quizzes"]} == {"docker-basics": 15, "volumes": 1}
    assert all({"file", "line", "level", "message", "question"} <= set(n) for n in report["notes"])


def test_import_asks_for_what_gift_cannot_say(tmp_path: Path, capsys) -> None:
    rc, _, err = run(capsys, "quiz", "import", str(GIFT / "constructs.gift"), "--out", str(tmp_path / "x"))
    assert rc == 2 and "carry no exam domain" in err and "--domain" in err
    assert not (tmp_path / "x").exists()


def test_malformed_gift_exits_2_with_every_line(tmp_path: Path, capsys) -> None:
    rc, _, err = run(
        capsys, "quiz", "import", str(GIFT / "malformed.gift"), "--out", str(tmp_path / "x"), *META
    )
    assert rc == 2
    for line in (4, 6, 8, 10, 12):
        assert f"malformed.gift:{line}: error:" in err
    assert "--skip-invalid" in err and not (tmp_path / "x").exists()
    rc, out, _ = run(
        capsys,
        "quiz",
        "import",
        str(GIFT / "malformed.gift"),
        "--out",
        str(tmp_path / "x"),
        *META,
        "--skip-invalid",
    )
    assert rc == 0 and "1 imported, 5 skipped" in out


@pytest.mark.parametrize("name", ["not_gift.txt", "quiz.yaml", "missing.gift"])
def test_not_gift_is_one_line_and_exit_2(name: str, tmp_path: Path, capsys) -> None:
    rc, _, err = run(capsys, "quiz", "import", str(GIFT / name), "--out", str(tmp_path / "x"), *META)
    lines = err.strip().splitlines()
    assert (
        rc == 2
        and lines[0].startswith("tutor: ")
        and len([x for x in lines if not x.startswith("  fix:")]) == 1
    )


def test_content_the_course_refuses_exits_4(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "two.gift"
    bad.write_text("::Two::Only two options {=yes ~no}\n\n::Bad domain::Fine {=a ~b ~c}\n")
    rc, _, err = run(capsys, "quiz", "import", str(bad), "--out", str(tmp_path / "x"), *META)
    assert rc == 4 and "two.gift:1: error: two: the course needs at least three options" in err
    rc, _, err = run(
        capsys,
        "quiz",
        "import",
        str(bad),
        "--out",
        str(tmp_path / "x"),
        "--skip-invalid",
        "--domain",
        "nope:1",
        "--reference",
        "https://docs.docker.com/",
    )
    assert rc == 4 and "no exam blueprint defines 'nope'" in err and not (tmp_path / "x" / "quizzes").exists()


@pytest.mark.parametrize("fmt", ["gift", "moodle-xml"])
def test_export_lists_what_it_leaves_out(fmt: str, tmp_path: Path, capsys) -> None:
    out = tmp_path / f"docker.{fmt}"
    rc, stdout, _ = run(
        capsys, "quiz", "export", "docker-practice", "--format", fmt, "--out", str(out), "--json"
    )
    data = json.loads(stdout)
    from tutor.content.loading.loader import load_course

    bank = load_course().quizzes["docker-practice"].questions
    out_types = {"ordering", "command"}
    left = sum(1 for q in bank if q.type in out_types)
    assert rc == 0 and len(data["written"]) == len(bank) - left and len(data["left_out"]) == left > 0
    assert {x["reason"] for x in data["left_out"]} == {
        "Moodle's GIFT and XML formats have no ordering question",
        "it is graded by parsing the command; an LMS short answer would accept only the exact text",
    }
    if fmt == "moodle-xml":
        assert ET.parse(out).getroot().tag == "quiz"
    rc, _, err = run(capsys, "quiz", "export", "docker-practis", "--out", str(out))
    assert rc == 2 and "docker-practice" in err  # an unknown id is a usage error


def test_headless_matching_numeric_and_junit_of_a_submitted_attempt(imported: Path, tmp_path, capsys) -> None:
    content = ["--content", "builtin", "--content", str(imported)]
    rc, out, _ = run(capsys, *content, "quiz", "start", "docker-basics", "--seed", "2", "--json")
    started = json.loads(out)
    attempt = str(started["attempt"])
    by_id = {q["id"]: q for q in started["questions"]}
    match = by_id["match-ports"]
    number = {a["text"]: a["number"] for a in match["answers"]}
    assert [i["text"] for i in match["items"]] and "8080" in number
    shorthand = f"a={number['80']},b={number['443']},c={number['8080']}"
    rc, out, _ = run(capsys, *content, "quiz", "answer", attempt, "match-ports", shorthand, "--json")
    graded = json.loads(out)
    assert (
        rc == 0 and graded["correct"] is False and graded["score"] == pytest.approx(2 / 3, abs=1e-4)
    )  # quiz is partial
    rc, out, _ = run(capsys, *content, "quiz", "answer", attempt, "pi", '{"text": "3,141"}', "--json")
    assert json.loads(out)["correct"] is True
    rc, out, _ = run(capsys, *content, "quiz", "answer", attempt, "kernel", '{"choice": "b"}', "--json")
    junit = tmp_path / "out" / "quiz.xml"
    rc, out, _ = run(capsys, *content, "quiz", "submit", attempt, "--junit", str(junit), "--json")
    assert rc == 0 and json.loads(out)["right"] == 1

    xml = JUnitXml.fromfile(str(junit))
    (suite,) = list(xml)
    assert suite.tests == 15 and suite.failures == 14 and suite.errors == 0
    cases = {c.name: c for c in suite}
    assert cases["pi"].is_passed and cases["pi"].classname == "docker-basics.numeric"
    (failure,) = cases["match-ports"].result
    assert isinstance(failure, Failure) and failure.message == "partly right (67%)"
    assert "HTTPS → 443" in failure.text
    assert cases["kernel"].result[0].message == "wrong"
    assert cases["tf"].result[0].message == "not answered"


def test_lab_check_junit_one_case_per_check(tmp_path: Path, capsys) -> None:
    content = ["--content", str(FIXTURES / "junit_lab")]
    rc, _, err = run(capsys, *content, "lab", "start", "notes-file", "--json")
    assert rc == 0, err
    report = tmp_path / "lab.xml"
    rc, _, _ = run(capsys, *content, "lab", "check", "notes-file", "--junit", str(report))
    assert rc == 1
    suite = next(iter(JUnitXml.fromfile(str(report))))
    assert (suite.tests, suite.failures) == (2, 2)
    first = next(iter(suite))
    assert first.classname == "notes-file.write" and first.name == "01 notes.txt says hello"
    assert "there is no file notes.txt" in first.result[0].message
    workspace = Path(
        json.loads(run(capsys, *content, "lab", "start", "notes-file", "--json")[1])["workspace"]
    )
    (workspace / "notes.txt").write_text("hello\n")
    rc, _, _ = run(capsys, *content, "lab", "check", "notes-file", "--junit", str(report))
    suite = next(iter(JUnitXml.fromfile(str(report))))
    assert rc == 0 and (suite.tests, suite.failures) == (2, 0) and all(c.is_passed for c in suite)
