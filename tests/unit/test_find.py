"""Finding things: lesson sections, the full-text index, notes, bookmarks and settings headless."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.content.search import Doc, SearchIndex, words
from tutor.content.sections import slugify, split_sections
from tutor.progress import open_store
from tutor.progress.migrations import MIGRATIONS
from tutor.progress.settings import SETTINGS, SettingError, Settings

COURSE = Path(__file__).resolve().parent.parent / "fixtures" / "course"


def run(capsys, *args: str) -> tuple[int, str, str]:
    rc = main(["--content", str(COURSE), *args])
    out = capsys.readouterr()
    return rc, out.out, out.err


# -- sections -----------------------------------------------------------------------------
def test_sections_by_heading_skip_code_and_number_repeats() -> None:
    md = (
        "# Title\nintro\n## Run `docker ps`\nx\n```bash\n# not a heading\n```\n"
        "## Run `docker ps`\ny\n### **Bold** [link](http://e)\n"
    )
    found = split_sections(md)
    assert [s.slug for s in found] == ["title", "run-docker-ps", "run-docker-ps-1", "bold-link"]
    assert found[1].title == "Run docker ps" and "# not a heading" in found[1].text
    assert split_sections("no heading at all")[0].slug == "start"


@given(st.text(max_size=60))
def test_a_slug_is_always_a_plain_name(title: str) -> None:
    slug = slugify(title)
    assert slug and "#" not in slug and " " not in slug and "\n" not in slug


# -- the index ----------------------------------------------------------------------------
def test_search_finds_sections_questions_and_labs_ranked() -> None:
    docs = [
        Doc(
            "lesson", "l1", "volumes", "Storage › Volumes", "Named volumes keep data after a container goes."
        ),
        Doc("question", "q1", "", "Which keeps data?", "A named volume keeps data."),
        Doc("lab", "lab1", "", "Volumes lab", "Create a volume called data."),
        Doc("lesson", "l2", "", "Networking", "Bridge networks connect containers."),
    ]
    index = SearchIndex.build(docs)
    assert [h.doc.id for h in index.search("volume")] == ["lab1", "l1", "q1"]  # title words weigh more
    assert [h.doc.id for h in index.search("named vol")] == ["l1", "q1"]  # every word; the last a prefix
    assert index.search("named vol ") == []  # a finished word must match whole
    assert index.search("") == [] and index.search("zzz") == []
    assert docs[0].target == ("lesson", "l1#volumes") and docs[1].target == ("questions", "q1")
    assert "volume" in index.search("volume")[0].snippet.lower()


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "al", "ga"]), min_size=1, max_size=3))
def test_search_agrees_with_the_plain_scan_on_whole_words(query: list[str]) -> None:
    docs = [
        Doc("question", f"q{i}", "", f"t{i}", text)
        for i, text in enumerate(["alpha beta", "beta gamma", "gamma delta alpha", "delta", "alphabet"])
    ]
    index = SearchIndex.build(docs)
    text = " ".join(query) + " "  # finished words: whole-word matching
    found = {h.doc.id for h in index.search(text, limit=50)}
    expected = {d.id for d in docs if set(words(text)) <= set(words(f"{d.title} {d.text}"))}
    assert found == expected


def test_search_on_the_shipped_course_headless(capsys) -> None:
    rc = main(["search", "fargate", "spot", "--json", "--limit", "5"])
    data = json.loads(capsys.readouterr().out)
    assert rc == 0 and 0 < len(data["results"]) <= 5
    assert any(r["kind"] == "lesson" and r["section"] == "fargate-spot" for r in data["results"])
    assert main(["search", "qqqzzzxxx"]) == 0 and "nothing found" in capsys.readouterr().out


def test_fixture_course_index_covers_lessons_and_questions() -> None:
    course = load_course([COURSE])
    index = SearchIndex.for_course(course)
    kinds = {d.kind for d in index.docs}
    assert {"lesson", "question"} <= kinds
    assert index.search("kernel")


# -- notes and bookmarks ------------------------------------------------------------------
def test_notes_and_bookmarks_headless(capsys) -> None:
    rc, out, _ = run(capsys, "note", "add", "fx-containers", "my", "first", "note", "--json")
    made = json.loads(out)
    assert rc == 0 and made["lesson_id"] == "fx-containers" and made["text"] == "my first note"
    rc, out, err = run(capsys, "note", "add", "fx-containers#nope", "x")
    assert rc == 2 and "no section 'nope'" in err
    rc, _, err = run(capsys, "note", "add", "fx-container", "x")
    assert rc == 2 and "did you mean 'fx-containers'" in err
    listed = json.loads(run(capsys, "note", "list", "--json")[1])["notes"]
    assert [n["text"] for n in listed] == ["my first note"]
    assert run(capsys, "note", "remove", str(made["id"]))[0] == 0
    assert run(capsys, "note", "remove", str(made["id"]))[0] == 2
    section = made["section"]
    assert run(capsys, "bookmark", "add", f"fx-containers#{section}")[0] == 0
    marks = json.loads(run(capsys, "bookmark", "list", "--json")[1])["bookmarks"]
    assert [(b["lesson_id"], b["section"]) for b in marks] == [("fx-containers", section)]
    assert run(capsys, "bookmark", "remove", f"fx-containers#{section}")[0] == 0
    rc, _, err = run(capsys, "bookmark", "remove", f"fx-containers#{section}")
    assert rc == 2 and "not bookmarked" in err


# -- settings -----------------------------------------------------------------------------
def test_settings_are_checked_kept_and_reset(capsys) -> None:
    assert run(capsys, "settings", "set", "new_per_day", "7")[0] == 0
    listed = json.loads(run(capsys, "settings", "--json")[1])["settings"]
    row = next(r for r in listed if r["key"] == "new_per_day")
    assert row["value"] == 7 and row["changed"] is True and row["default"] == 20
    for bad, message in [
        (["set", "new_per_day", "lots"], "must be a whole number"),
        (["set", "desired_retention", "0.99"], "between 0.7 and 0.97"),
        (["set", "theme", "neon-pink"], "no theme"),
        (["set", "new_per_dya", "3"], "did you mean 'new_per_day'"),
        (["get"], "usage"),
    ]:
        rc, _, err = run(capsys, "settings", *bad)
        assert rc == 2 and message in err, (bad, err)
    assert run(capsys, "settings", "set", "theme", "nord")[0] == 0
    assert json.loads(run(capsys, "settings", "get", "theme", "--json")[1])["value"] == "nord"
    assert json.loads(run(capsys, "settings", "reset", "new_per_day", "--json")[1])["value"] == 20


@given(st.sampled_from(sorted(SETTINGS)), st.text(max_size=12))
def test_any_text_is_a_value_or_a_setting_error(key: str, raw: str) -> None:
    spec = SETTINGS[key]
    try:
        value = spec.parse(raw)
    except SettingError:
        return
    assert isinstance(value, spec.kind)


def test_a_bad_stored_value_reads_as_the_default_and_the_place_is_kept() -> None:
    store = open_store()
    settings = Settings(store)
    with store.transaction() as db:
        db.execute("INSERT INTO settings (key, value, updated_at) VALUES ('new_per_day', '\"x\"', 0)")
    assert settings.get("new_per_day") == 20
    settings.set_place("lesson", "fx-images", "layers")
    assert Settings(open_store()).place() == {"kind": "lesson", "id": "fx-images", "section": "layers"}


def test_the_study_migration_keeps_old_answers_rated(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old"
    path.mkdir()
    db = sqlite3.connect(path / "progress.db")
    for version, script in enumerate(MIGRATIONS[:4], 1):
        db.executescript(script)
        db.execute(f"PRAGMA user_version = {version}")
    db.execute(
        "INSERT INTO attempts (quiz_id, mode, seed, question_ids, started_at) "
        "VALUES ('q', 'practice', 1, '[]', 0)"
    )
    db.execute(
        "INSERT INTO answers (attempt_id, question_id, response, score, answered_at) "
        "VALUES (1, 'a', '{}', 1, 0)"
    )
    db.commit()
    db.close()
    store = open_store(path)
    assert store.schema_version() == len(MIGRATIONS)
    assert store.query("SELECT rating FROM answers")[0][0] == 0  # not waiting for a rating


@pytest.mark.parametrize("bad", ["", "   "])
def test_an_empty_note_is_refused(capsys, bad: str) -> None:
    rc, _, err = run(capsys, "note", "add", "fx-containers", bad)
    assert rc == 2 and "empty" in err


# -- references as links -----------------------------------------------------------------
@pytest.mark.parametrize(
    ("url", "linked"),
    [
        ("https://docs.docker.com/engine/storage/volumes/", True),
        ("http://example.com/a?b=c#d", True),
        ("javascript:alert(1)", False),
        ("file:///etc/passwd", False),
        ("https://docs.docker.com/\x1b]8;;https://evil.example\x1b\\", False),
        ("https://exa mple.com/", False),
        ("https:///no-host", False),
        ("https://docs.docker.com/" + "a" * 3000, False),
    ],
)
def test_only_plain_web_urls_become_terminal_links(url: str, linked: bool) -> None:
    from tutor.content.links import safe_url
    from tutor.tui.widgets.question import reference_line

    assert (safe_url(url) == url) is linked
    line = reference_line("Docs", url)
    links = {span.style.link for span in line.spans if hasattr(span.style, "link") and span.style.link}
    assert links == ({url} if linked else set())
    if not linked:
        assert "not a web link" in line.plain and "\x1b" not in line.plain
