"""Size limits hold for every field of every file: alias bombs, huge strings and files, deep nesting
(YAML and JSON) end in a located, one-line error, in bounded memory and time."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from security.packs import Pack, lab_data
from tutor.aws.beanstalk import check_bundle
from tutor.base.limits import MAX_DEPTH, MAX_FILE_BYTES, MAX_STRING_CHARS, LimitExceeded, load_json
from tutor.cli import main
from tutor.content.loading.loader import load_course

MEMORY = 1536 * 1024 * 1024  # address space for a `tutor validate` of a hostile pack


def bomb(levels: int = 9) -> list[str]:
    """A billion laughs: 9 ** levels strings from a few lines of YAML (a mapping's entries)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, levels):
        refs = ", ".join([f"*l{i - 1}"] * 9)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return lines


def inject(path: Path, marker: str, lines: list[str]) -> None:
    """Replace the line holding `marker` with `lines`, at its indentation."""
    out = []
    for line in path.read_text().splitlines():
        if marker in line:
            indent = line[: len(line) - len(line.lstrip())]
            out.extend(indent + x for x in lines)
        else:
            out.append(line)
    path.write_text("\n".join(out) + "\n")


def bounded_validate(root: Path) -> subprocess.CompletedProcess[str]:
    """`tutor validate ROOT` in a child limited in memory, so a blow-up fails the test, not the machine."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))

    code = "import sys; from tutor.cli import main; sys.exit(main(['validate', sys.argv[1]]))"
    try:
        return subprocess.run(
            [sys.executable, "-c", code, str(root)],
            capture_output=True,
            text=True,
            timeout=300,
            preexec_fn=limit,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("validate did not finish: the input is not bounded")


def test_an_alias_bomb_in_a_checks_free_form_params_is_refused(pack: Pack) -> None:
    steps = lab_data()["steps"]
    steps[0]["checks"] = [{"kind": "aws", "service": "ecr", "operation": "x", "params": {"BOMB": 1}}]
    pack.write_lab(steps=steps)
    inject(pack.lab_yaml, "BOMB: 1", bomb())
    out = bounded_validate(pack.root)
    assert out.returncode == 4, out.stderr[-2000:]
    assert "lab.yaml:" in out.stdout and "aliases" in out.stdout
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "where", ["lessons/pk/01-lesson.md", "quizzes/pk.yaml", "lessons/topics.yaml", "lab"]
)
def test_an_alias_bomb_in_any_file_is_refused_at_its_line(pack: Pack, where: str) -> None:
    path = pack.lab_yaml if where == "lab" else pack.path(where)
    text = path.read_text()
    if path.suffix == ".md":  # in the front matter
        path.write_text(text.replace("questions:", "extra:\n  BOMB\nquestions:"))
    else:
        path.write_text(text + "extra:\n  BOMB\n")
    inject(path, "BOMB", bomb())
    errors = [e for e in load_course([pack.root], cache=False).errors if e.file == path]
    assert len(errors) == 1 and "aliases" in errors[0].message, errors
    assert errors[0].line and errors[0].line > 1 and errors[0].hint


def test_a_few_aliases_are_still_fine(pack: Pack) -> None:
    text = pack.lab_yaml.read_text()
    text = text.replace("objectives:\n- Copy a file", "objectives:\n- &o Copy a file\n- *o")
    pack.lab_yaml.write_text(text)
    assert not load_course([pack.root], cache=False).errors


def test_a_ten_megabyte_string_is_refused(pack: Pack) -> None:
    path = pack.path("quizzes/pk.yaml")
    path.write_text(path.read_text() + "description: " + "x" * (10 * 1024 * 1024) + "\n")
    [err] = [e for e in load_course([pack.root], cache=False).errors if e.file == path]
    assert err.file == path and "MB" in err.message and err.hint


def test_a_long_string_in_a_small_file_is_refused_at_its_line(pack: Pack) -> None:
    path = pack.path("quizzes/pk.yaml")
    lines = path.read_text().splitlines()
    path.write_text("\n".join(lines) + "\ndescription: " + "x" * (MAX_STRING_CHARS + 1) + "\n")
    [err] = [e for e in load_course([pack.root], cache=False).errors if e.file == path]
    assert err.line == len(lines) + 1 and "longer than" in err.message


def test_a_big_lesson_is_refused(pack: Pack) -> None:
    path = pack.path("lessons/pk/01-lesson.md")
    path.write_text(path.read_text() + ("word " * 200 + "\n") * (MAX_FILE_BYTES // 1000))
    errors = load_course([pack.root], cache=False).errors
    assert any(e.file == path and "at most 2.0 MB" in e.message for e in errors), errors


@pytest.mark.parametrize("style", ["flow", "block"])
def test_deep_yaml_is_refused_at_its_line(pack: Pack, style: str) -> None:
    path = pack.path("quizzes/pk.yaml")
    head = path.read_text()
    depth = 900
    if style == "flow":
        deep = "description: " + "[" * depth + "]" * depth + "\n"
    else:
        deep = "".join("  " * i + f"k{i}:\n" for i in range(depth)) + "  " * depth + "x: 1\n"
    path.write_text(head + deep)
    [err] = [e for e in load_course([pack.root], cache=False).errors if e.file == path]
    assert err.file == path and "nested more than" in err.message and err.line


def deep_json(depth: int = 5000) -> str:
    return '{"family": "web", "containerDefinitions": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize("command", ["validate", "explain"])
def test_a_deep_task_definition_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    path = tmp_path / "deep.json"
    path.write_text(deep_json())
    assert main(["ecs", command, str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}:1:" in err and f"more than {MAX_DEPTH} levels" in err


def test_a_deep_quiz_answer_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["quiz", "start", "docker-practice", "--seed", "1", "--json"]) == 0
    started = json.loads(capsys.readouterr().out)
    question = started["questions"][0]["id"]
    deep = "[" * 5000 + "]" * 5000
    assert main(["quiz", "answer", str(started["attempt"]), question, deep]) == 2
    assert "nested more than" in capsys.readouterr().err


def test_load_json_limits() -> None:
    assert load_json('{"a": [1, 2, {"b": "c"}]}') == {"a": [1, 2, {"b": "c"}]}
    assert load_json('["[[[[", "{{{{"]') == ["[[[[", "{{{{"]  # brackets in strings do not count
    for text in (
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        '"' + "x" * (MAX_STRING_CHARS + 1) + '"',
    ):
        with pytest.raises(LimitExceeded):
            load_json(text)
    with pytest.raises(LimitExceeded) as caught:
        load_json("{\n" + '"a":\n' * 1 + "[" * 100 + "]" * 100 + "}")
    assert caught.value.line == 3


def test_a_beanstalk_bundle_stays_within_the_limits(tmp_path: Path) -> None:
    deep = tmp_path / "deep.zip"
    with zipfile.ZipFile(deep, "w") as zf:
        nested = "[" * 5000 + "]" * 5000
        zf.writestr("Dockerrun.aws.json", '{"AWSEBDockerrunVersion": "1", "x": ' + nested + "}")
    report = check_bundle(deep)
    assert not report.ok and "nested more than" in report.problems[0]
    big = tmp_path / "big.zip"
    with zipfile.ZipFile(big, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("Dockerfile", "#" * (MAX_FILE_BYTES + 10))  # a few KB zipped
    report = check_bundle(big)
    assert not report.ok and "unpacks to more than" in report.problems[0]


def test_a_yaml_file_check_stays_within_the_limits(tmp_path: Path) -> None:
    from tutor.content.models.lab_checks import FileCheck
    from tutor.labs.checks.base import CheckContext
    from tutor.labs.checks.local_checks import file_check

    (tmp_path / "a.yaml").write_text("x:\n" + "".join(f"  {line}\n" for line in bomb()))
    spec = FileCheck(kind="file", path="a.yaml", format="yaml")
    ctx = CheckContext(client=None, params={}, workspace=tmp_path, lab_folder=None, attempt="t")
    outcome = file_check(spec, ctx)
    assert not outcome.passed and "aliases" in outcome.reason
    (tmp_path / "a.json").write_text(json.dumps({"a": 1}) + "\n")
    ok = file_check(FileCheck(kind="file", path="a.json", format="json"), ctx)
    assert ok.passed
