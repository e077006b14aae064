"""The instructor's report: golden files in three formats from fixture exports, and the exports
it must leave out (tampered, another pack, malformed, not an export, a learner twice).

Set UPDATE_GOLDEN=1 to write the golden files again after a deliberate change; review the diff.
"""

from __future__ import annotations

import html.parser
import os
import re
from pathlib import Path

import pytest
from classroom_kit import AS_OF, ROOTS

from tutor.classroom.export import content_id
from tutor.classroom.report import Report, build_report
from tutor.classroom.report_html import to_html
from tutor.classroom.report_text import to_csv, to_markdown
from tutor.classroom.text import clean
from tutor.content.class_outline import ClassOutline
from tutor.content.course import Course

GOLDEN = Path(__file__).resolve().parent / "golden"
RENDER = {"csv": to_csv, "md": to_markdown, "html": to_html}


def report_of(course: Course, exports: dict[str, Path], names: list[str]) -> Report:
    os.chdir(exports["alice"].parent)  # the report names files as they were given
    klass = ClassOutline.from_course(course)
    assert klass is not None
    files = [(Path(exports[n].name), exports[n].name) for n in names]
    return build_report(course, klass, content_id(ROOTS), files, AS_OF)


ALL = ["alice", "bob", "carol", "other", "tampered", "truncated", "stranger"]


@pytest.mark.parametrize("fmt", ["csv", "md", "html"])
def test_report_matches_its_golden_file(
    fmt: str, course: Course, class_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(".")
    text = RENDER[fmt](report_of(course, class_exports, ALL))
    golden = GOLDEN / f"report.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")


def test_the_report_knows_who_did_what(
    course: Course, class_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(".")
    report = report_of(course, class_exports, ALL)
    states = {row.name: [(s.state, s.late) for s in row.statuses] for row in report.learners}
    assert states == {
        "alice": [("done", False), ("passed", False), ("passed", False)],
        "bob": [("overdue", False), ("passed", True), ("overdue", False)],
        "carol": [("overdue", False), ("overdue", False), ("overdue", False)],
    }
    bob = next(r for r in report.learners if r.name == "bob")
    assert [round(s.score or 0) for s in bob.statuses] == [50, 83, 0]
    notes, config = report.steps
    assert (notes.reached, notes.passed, notes.stuck, notes.median_seconds) == (2, 2, 0, 750)
    assert (config.reached, config.passed, config.stuck, config.solutions) == (2, 1, 1, 1)
    assert notes.hints == 2 and config.hint_learners == 1
    cq6 = next(q for q in report.questions if q.id == "cq6" and q.assignment.kind == "quiz")
    assert (cq6.learners, cq6.first_correct, cq6.answers, cq6.correct) == (2, 1, 3, 1)


def test_every_bad_export_is_named_and_the_rest_is_reported(
    course: Course, class_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(".")
    report = report_of(course, class_exports, ALL)
    problems = [str(p) for p in report.problems]
    assert len(problems) == 4 and [r.name for r in report.learners] == ["alice", "bob", "carol"]
    assert problems[0].startswith("other-pack.json: made with other content (id ")
    assert "it was made with course + other-pack, this report with course + pack" in problems[0]
    assert problems[1].startswith("tampered.json: its checksum does not match its contents")
    assert re.match(r"truncated\.json:\d+: is not valid JSON", problems[2])
    assert problems[3].startswith("not-an-export.json: is not a Container Tutor results file")


def test_a_learner_exported_twice_counts_once_the_newer_file(
    course: Course, class_exports: dict[str, Path], make_export, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(".")
    later = make_export("alice", out=class_exports["alice"].parent / "alice-again.json")
    class_exports["again"] = later
    report = report_of(course, class_exports, ["alice", "again"])
    assert [r.file for r in report.learners] == ["alice-again.json"]
    assert [str(p) for p in report.problems] == [
        "alice.json: alice is also in alice-again.json, exported later; this file is left out"
    ]


def test_an_assignment_naming_nothing_is_listed_and_left_out(
    tmp_path: Path, class_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tutor.content.loading.loader import load_course

    pack = tmp_path / "pack-with-a-typo"
    pack.mkdir()
    source = (ROOTS[1] / "class.yaml").read_text().replace("lab: first-files", "lab: first-filez")
    (pack / "class.yaml").write_text(source)
    course = load_course([ROOTS[0], pack], cache=False)
    klass = ClassOutline.from_course(course)
    assert klass is not None
    monkeypatch.chdir(class_exports["alice"].parent)
    report = build_report(course, klass, content_id([ROOTS[0], pack]), [], AS_OF)
    (problem,) = report.problems
    assert problem.file.endswith("class.yaml") and problem.line == 5
    assert problem.message == "assignments[0].lab: unknown lab 'first-filez'"
    assert problem.hint == "did you mean 'first-files'?"
    assert [a.id for a in report.klass.assignments] == ["basics", "mock"]
    assert "class.yaml:5: assignments\\[0\\].lab: unknown lab 'first-filez'" in to_markdown(report)


class _Tags(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs.extend(attrs)


def test_the_html_report_is_self_contained_and_escapes_pack_text(
    course: Course, class_exports: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(".")
    page = to_html(report_of(course, class_exports, ALL))
    parser = _Tags()
    parser.feed(page)
    assert not {"script", "img", "link", "iframe", "object", "embed"} & set(parser.tags)
    assert not [a for a in parser.attrs if a[0] in ("src", "href", "action")]
    assert "url(" not in page and "@import" not in page and "http://" not in page and "https://" not in page
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "Containers 101 &lt;spring&gt; &amp; co" in page and "<spring>" not in page
    assert 'class="bar"' in page  # the charts are there


def test_pack_and_learner_text_is_cleaned_for_every_format() -> None:
    assert clean("a\x1b[31mred\x1b[0m\nline\u202eevil") == "a[31mred[0m lineevil"
    assert len(clean("x" * 500, 50)) == 50
    from tutor.classroom.report_text import _cell, md

    assert _cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and _cell("-1") == "'-1" and _cell(5) == 5
    assert md("a | b <script>") == "a \\| b \\<script\\>"
