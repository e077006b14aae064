"""`tutor export`'s file: what it holds, its checksum, its content id, and reading it back."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from classroom_kit import AS_OF, COURSE, PACK, ROOTS, Learner

from tutor.classroom.export import ExportProblem, checksum, content_id, read_export
from tutor.classroom.records import from_store
from tutor.classroom.status import evaluate
from tutor.content.class_outline import ClassOutline
from tutor.content.course import Course


def test_the_export_holds_labs_with_their_checks_and_attempts_with_their_questions(
    make_export: Callable[..., Path],
) -> None:
    doc = json.loads(make_export("bob").read_text())
    assert (doc["format"], doc["version"]) == ("container-tutor-results", 1)
    assert "not proof against cheating" in doc["about"]
    payload = doc["payload"]
    assert payload["learner"] == "bob" and payload["class"] == "Containers 101 <spring> & co"
    assert [r["name"] for r in payload["content"]["roots"]] == ["course", "pack"]
    (lab,) = payload["labs"]
    assert (lab["id"], lab["title"], lab["done"], lab["attempt"]["id"]) == (
        "first-files",
        "Write two files",
        False,
        "b1",
    )
    notes, config = lab["steps"]
    assert (notes["checks"], notes["failed_checks"], notes["hints_seen"], notes["passed"]) == (4, 3, 2, True)
    assert notes["results"] == [
        {
            "kind": "file",
            "title": "notes check",
            "passed": True,
            "reason": "notes check: yes",
            "seconds": 0.01,
        }
    ]
    assert notes["passed_at"] == "2027-02-26T20:21:00+00:00"
    assert (config["passed"], config["solution_seen"], config["results"][0]["passed"]) == (False, True, False)
    first, second, exam = payload["attempts"]
    assert (first["quiz"], first["mode"], first["points"], first["total"]) == ("basics", "practice", 3.0, 6)
    assert second["percent"] == 83.3 and second["finished_at"] == "2027-03-09T08:03:00+00:00"
    assert [q["correct"] for q in first["questions"]].count(True) == 3
    assert (exam["mode"], exam["finished_at"], len(exam["questions"])) == ("exam", None, 4)
    assert [q["score"] is None for q in exam["questions"]] == [False, False, True, True]
    assert doc["checksum"] == checksum(payload)


def test_the_checksum_ignores_layout_and_catches_edits(
    make_export: Callable[..., Path], tmp_path: Path
) -> None:
    path = make_export("alice")
    doc = json.loads(path.read_text())
    relaid = tmp_path / "relaid.json"
    relaid.write_text(json.dumps(doc, indent=None, sort_keys=True))
    assert read_export(relaid).learner == "alice"
    doc["payload"]["labs"][0]["steps"][0]["checks"] = 1
    edited = tmp_path / "edited.json"
    edited.write_text(json.dumps(doc, indent=2))
    with pytest.raises(ExportProblem, match="checksum does not match"):
        read_export(edited)


def test_a_well_sealed_but_malformed_file_says_where(
    make_export: Callable[..., Path], tmp_path: Path
) -> None:
    doc = json.loads(make_export("alice").read_text())
    doc["payload"]["labs"][0]["steps"][1]["checks"] = "three"
    doc["checksum"] = checksum(doc["payload"])
    path = tmp_path / "odd.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(ExportProblem) as caught:
        read_export(path, "odd.json")
    assert str(caught.value).startswith(
        "odd.json: is malformed at payload.labs[0].steps[1].checks: expected a number, found str"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b'{"format": ', "is not valid JSON"),
        (b"\xff\xfe\x00binary", "is not a text file, so not an export"),
        (b"[1, 2]", "is not a Container Tutor results file"),
        (b'{"format": "container-tutor-results", "version": 9}', "was written by a newer Container Tutor"),
        (
            b'{"format": "container-tutor-results", "version": 1, "payload": {}}',
            "its checksum does not match",
        ),
    ],
)
def test_files_that_are_not_exports(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(ExportProblem, match=re.escape(message)) as caught:
        read_export(path, "x.json")
    assert caught.value.file == "x.json"


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(ExportProblem, match="no such file"):
        read_export(tmp_path / "nope.json")
    with pytest.raises(ExportProblem, match="is a folder"):
        read_export(tmp_path)


def test_the_content_id_follows_the_files_not_where_they_are(tmp_path: Path) -> None:
    here = content_id(ROOTS)
    copy = tmp_path / "elsewhere" / "course"
    shutil.copytree(COURSE, copy)
    assert content_id([copy, PACK])["id"] == here["id"]
    quiz = copy / "quizzes" / "basics.yaml"
    quiz.write_bytes(quiz.read_bytes().replace(b"\n", b"\r\n"))  # a checkout on Windows
    assert content_id([copy, PACK])["id"] == here["id"]
    quiz.write_text(quiz.read_text().replace("Class question 1?", "Class question one?"))
    changed = content_id([copy, PACK])
    assert changed["id"] != here["id"]
    assert [r["id"] == o["id"] for r, o in zip(changed["roots"], here["roots"], strict=True)] == [False, True]
    assert content_id([PACK, COURSE])["id"] != here["id"]  # the order of layers matters


def test_the_status_from_an_export_is_the_status_from_the_store(
    course: Course, live: Callable[[str], Learner], tmp_path: Path
) -> None:
    from tutor.classroom.export import build_export, write_export

    klass = ClassOutline.from_course(course)
    assert klass is not None
    learner = live("bob")
    labs = {a.id: a.steps for a in klass.assignments if a.kind == "lab"}
    direct = evaluate(klass, from_store(learner.store, labs=labs), AS_OF)
    path = tmp_path / "bob.json"
    write_export(build_export(course, ROOTS, learner.store, "bob"), path)
    again = evaluate(klass, read_export(path).records, AS_OF)
    assert [(s.state, s.late, s.score, s.seconds) for s in direct] == [
        (s.state, s.late, s.score, s.seconds) for s in again
    ]


def test_a_completed_lab_stays_completed_after_a_reset(
    course: Course, live: Callable[[str], Learner], tmp_path: Path
) -> None:
    klass = ClassOutline.from_course(course)
    assert klass is not None
    learner = live("alice")
    learner.labs.forget("first-files")  # what `tutor lab reset` does
    learner.labs.start("first-files", "a2", {})  # and a new attempt, under way
    records = from_store(learner.store, labs={"first-files": ["notes", "config"]})
    lab = records.labs["first-files"]
    assert lab.done and lab.steps_attempt == "a1" and lab.attempt == "a2"
    assert [s.hints_seen for s in lab.steps] == [None, None]  # the reset forgot them
    assert evaluate(klass, records, AS_OF)[0].state == "done"
