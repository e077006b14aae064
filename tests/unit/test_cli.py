"""The command line: validate, list, lesson, doctor; exit codes and JSON."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tutor.cli import main

BROKEN = Path(__file__).resolve().parent.parent / "fixtures" / "broken"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tutor", *args], capture_output=True, text=True, timeout=120)


def test_validate_a_good_folder_exits_0(fixture_course: Path, capsys) -> None:
    assert main(["validate", str(fixture_course)]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1].startswith("ok")


def test_validate_prints_every_problem_and_exits_4(capsys) -> None:
    rc = main(["validate", str(BROKEN / "unknown_ids")])
    out = capsys.readouterr().out
    assert rc == 4  # content invalid
    assert "refs.md:4: topic:" in out
    assert "refs.md:9: questions[0]:" in out
    assert "refs.md:10: labs[0]:" in out
    assert "3 error(s)" in out


def test_validate_prints_twenty_problems_a_file_unless_all(tmp_path: Path, capsys) -> None:
    """A file written with the wrong keys has a problem per question: the first 20 and a count."""
    import yaml

    (tmp_path / "quizzes").mkdir()
    questions = [{"idd": f"q{i}", "prompt": "x"} for i in range(30)]
    quiz = {"kind": "quiz", "id": "big", "title": "Big", "topic": "docker", "questions": questions}
    (tmp_path / "quizzes" / "big.yaml").write_text(yaml.safe_dump(quiz))
    assert main(["validate", "--with-builtin", str(tmp_path)]) == 4
    out = capsys.readouterr().out
    assert out.count("big.yaml:") == 21 and "big.yaml: 10 more problem(s) in this file" in out
    assert "30 error(s)" in out.splitlines()[-1]
    assert main(["validate", "--with-builtin", "--all", str(tmp_path)]) == 4
    out = capsys.readouterr().out
    assert out.count("big.yaml:") == 30 and "more problem(s)" not in out


def test_validate_json(capsys) -> None:
    rc = main(["validate", "--json", str(BROKEN / "unknown_key")])
    data = json.loads(capsys.readouterr().out)
    assert rc == 4 and data["ok"] is False
    fields = {p["field"] for p in data["problems"] if p["severity"] == "error"}
    assert fields == {"refrences", "references"}
    assert all(p["line"] for p in data["problems"])


def test_lesson_done_shows_in_list(fixture_course: Path, capsys) -> None:
    assert main(["--content", str(fixture_course), "lesson", "done", "fx-images"]) == 0
    capsys.readouterr()
    assert main(["--content", str(fixture_course), "list", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    docker = next(t for t in data["topics"] if t["id"] == "docker")
    done = {x["id"]: x["done"] for x in docker["lessons"]}
    assert done == {"fx-containers": False, "fx-images": True}


def test_unknown_lesson_suggests_a_name(fixture_course: Path, capsys) -> None:
    rc = main(["--content", str(fixture_course), "lesson", "show", "fx-imagse"])
    err = capsys.readouterr().err
    assert rc == 2  # usage: no such lesson
    assert "no lesson 'fx-imagse'" in err and "did you mean 'fx-images'" in err


def test_lesson_show_renders_front_matter_sections(fixture_course: Path, capsys) -> None:
    assert main(["--content", str(fixture_course), "lesson", "show", "fx-containers"]) == 0
    out = capsys.readouterr().out
    assert "## Check your understanding" in out
    assert "What does a container share with its host?" in out
    assert "## References" in out


def test_content_env_var_selects_the_course(fixture_course: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("TUTOR_CONTENT", str(fixture_course))
    assert main(["lesson", "list", "--json"]) == 0
    ids = [x["id"] for x in json.loads(capsys.readouterr().out)]
    assert ids == ["fx-containers", "fx-images", "fx-tasks"]


def test_python_dash_m_and_doctor_json(fixture_course: Path) -> None:
    proc = run("--content", str(fixture_course), "doctor", "--json")
    data = json.loads(proc.stdout)
    names = [c["name"] for c in data["checks"]]
    assert names[:4] == ["python", "content", "progress", "docker"]
    assert names[4:8] == ["busybox", "aws", "registry", "compose"]
    engine_ok = data["checks"][3]["level"] == "ok"
    assert names[8:] == (["swarm", "ipvs"] if engine_ok else [])  # asked of the engine only when it answers
    assert proc.returncode == (0 if data["ok"] else 1)
    content = data["checks"][1]
    assert content["level"] == "ok" and "3 lessons" in content["detail"]


def test_doctor_fails_on_broken_content() -> None:
    proc = run("--content", str(BROKEN / "unknown_ids"), "doctor")
    assert proc.returncode == 4
    assert "✘ content" in proc.stdout and "tutor validate" in proc.stdout


def test_doctor_explains_a_missing_engine(monkeypatch, capsys) -> None:
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    from tutor.base import dockerhost

    status = dockerhost.status(timeout=2)
    assert not status.ok
    assert "does not answer" in status.error
    assert status.hint


def test_an_instructor_pack_layers_on_top(fixture_course: Path, tmp_path: Path, capsys) -> None:
    pack = tmp_path / "pack"
    (pack / "lessons" / "extra").mkdir(parents=True)
    (pack / "lessons" / "topics.yaml").write_text("topics:\n  - {id: extra, title: Class extras, order: 9}\n")
    (pack / "lessons" / "extra" / "images.md").write_text(
        "---\nid: fx-images\ntitle: Images, our way\ntopic: docker\norder: 2\nminutes: 3\n"
        "objectives: [Ours]\nreferences: ['https://docs.docker.com/']\n---\nOur own text.\n"
    )
    (pack / "lessons" / "extra" / "welcome.md").write_text(
        "---\nid: class-welcome\ntitle: Welcome to the class\ntopic: extra\norder: 1\nminutes: 2\n"
        "objectives: [Meet]\nreferences: ['https://docs.docker.com/']\n---\nHello class.\n"
    )
    assert main(["--content", str(fixture_course), "--content", str(pack), "list", "--json"]) == 0
    topics = {t["id"]: t for t in json.loads(capsys.readouterr().out)["topics"]}
    assert list(topics) == ["docker", "ecs", "extra"]
    titles = {x["id"]: x["title"] for x in topics["docker"]["lessons"]}
    assert titles["fx-images"] == "Images, our way"  # replaced by id
    assert [x["id"] for x in topics["extra"]["lessons"]] == ["class-welcome"]
    assert main(["validate", "--json", str(pack)]) == 4  # alone, it names a topic it does not define
    assert main(["validate", str(fixture_course), str(pack)]) == 0


def test_lab_show_before_the_lab_is_started(capsys) -> None:
    assert main(["lab", "show", "docker-named-volume", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["started"] is False and data["resources"] is None
    assert [s["status"] for s in data["steps"]][:2] == ["ready", "waiting"]
    assert data["steps"][1]["commands"][0].startswith(
        "docker run --name {{writer}}"
    )  # named per attempt, once started
    assert main(["lab", "show", "docker-named-volume"]) == 0
    assert "not started" in capsys.readouterr().out


def test_lab_shell_of_an_unknown_lab_is_a_one_line_error() -> None:
    out = run("lab", "shell", "docker-frist-container")
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "docker-first-container" in out.stderr  # did you mean


def test_an_engine_that_times_out_mid_command_is_exit_3_not_a_bug(monkeypatch, capsys) -> None:
    """The engine answered the ping, then a later call timed out (seen on a loaded machine)."""
    import argparse

    import requests

    from tutor import cli

    def slow(args: argparse.Namespace) -> int:
        raise requests.exceptions.ReadTimeout("UnixHTTPConnectionPool(host='localhost'): Read timed out.")

    parser = cli.build_parser()
    monkeypatch.setattr(parser, "parse_args", lambda argv: argparse.Namespace(command="lab", func=slow))
    monkeypatch.setattr(cli, "build_parser", lambda: parser)
    assert cli.main(["lab", "list"]) == 3
    err = capsys.readouterr().err
    assert "Docker engine did not answer" in err and "internal error" not in err


def test_the_app_alone_skips_the_command_tables() -> None:
    from tutor.cli import _app_only

    assert _app_only([]).content is None
    assert _app_only(["--content", "a", "--content=b"]).content == ["a", "b"]
    for words in (["list"], ["--content"], ["--content", "a", "quiz", "x"], ["--version"], ["--help"]):
        assert _app_only(words) is None  # the full parser handles (or refuses) these
