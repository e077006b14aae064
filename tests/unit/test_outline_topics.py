"""The topics a first run shows before the course loads: read without PyYAML when topics.yaml is in
its usual form, exactly as PyYAML reads it, and by PyYAML otherwise."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tutor.content.outline import placeholder, simple_topics
from tutor.content.roots import builtin_root


def test_the_course_topics_read_as_pyyaml_reads_them() -> None:
    text = (builtin_root() / "lessons" / "topics.yaml").read_text(encoding="utf-8")
    assert simple_topics(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "topics:\n- id: a\n  title: A\n",
        "# the topics\ntopics:\n\n  - id: a\n    title: Docker and more\n    order: 2\n"
        "  - id: b\n    order: -1\n",
        "topics:\n  -  id: a\n     title: A - B (c), d's!\n",
    ],
)
def test_the_usual_form_reads_as_pyyaml_reads_it(text: str) -> None:
    assert simple_topics(text) == yaml.safe_load(text)


@pytest.mark.parametrize(
    "text",
    [
        "topics:\n  - id: a\n    title: yes\n",  # a boolean to YAML
        "topics:\n  - id: a\n    order: 012\n",  # octal
        "topics:\n  - id: a\n    title: 'quoted'\n",
        "topics:\n  - id: a # a comment\n",
        "topics:\n  - id: a\n  title: B\n",  # not under the item
        "topics:\n  - id: a\n    title: x\n    more\n",  # a folded line
        "topics:\n  - id: a\n    title: a: b\n",
        "topics:\n  - id: a\n    id: b\n",
        "topics: []\n",
        "other: 1\n",
        "",
    ],
)
def test_anything_else_is_left_to_pyyaml(text: str) -> None:
    assert simple_topics(text) is None


def test_the_placeholder_shows_clean_titles_in_order(tmp_path: Path) -> None:
    (tmp_path / "lessons").mkdir()
    (tmp_path / "lessons" / "topics.yaml").write_text(
        'topics:\n  - id: b\n    title: "B \\e[31m"\n    order: 2\n  - id: a\n    title: A\n    order: 1\n'
    )
    outline = placeholder([tmp_path])  # PyYAML reads this one (a quoted title)
    assert [(t.id, t.title) for t in outline.topics] == [("a", "A"), ("b", "B \u241b[31m")]
