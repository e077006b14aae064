"""Hostile content packs, built inside each test (nothing hostile ships with the repository).

`Pack` writes a small, valid pack into tmp_path: one topic, one lesson, one quiz, one lab.
Each test then breaks it in one way and looks at what the app does with it.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tutor.base.text import CONTROL

LESSON = """\
---
id: pk-lesson
title: {title}
topic: pk
order: 1
minutes: 5
objectives: [{objective}]
references: ["https://docs.docker.com/get-started/"]
questions: [pk-q1]
---
{body}
"""


def lab_data(**over: object) -> dict[str, object]:
    data: dict[str, object] = {
        "id": "pk-lab",
        "title": "A pack lab",
        "topic": "pk",
        "objectives": ["Copy a file"],
        "references": ["https://docs.docker.com/get-started/"],
        "needs": {"docker": False},
        "steps": [
            {
                "id": "one",
                "title": "Write a file",
                "instructions": "Write notes.txt.",
                "checks": [{"kind": "file", "path": "notes.txt"}],
                "solution": {"commands": ["echo hi > notes.txt"]},
            }
        ],
    }
    data.update(over)
    return data


def question(**over: object) -> dict[str, object]:
    q: dict[str, object] = {
        "id": "pk-q1",
        "type": "single",
        "topic": "pk",
        "domains": ["dca:images"],
        "prompt": "Which one?",
        "explanation": "Because.",
        "references": ["https://docs.docker.com/get-started/"],
        "options": [
            {"id": "a", "text": "This one", "why": "Right."},
            {"id": "b", "text": "That one", "why": "Wrong."},
            {"id": "c", "text": "No one", "why": "Wrong."},
        ],
        "answer": "a",
    }
    q.update(over)
    return q


class Pack:
    """A content pack in a folder; `write_*` replace its parts."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.write_topics()
        self.write_lesson()
        self.write_quiz()
        self.write_lab()

    def path(self, rel: str) -> Path:
        return self.root / rel

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_yaml(self, rel: str, data: object) -> Path:
        return self.write(rel, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))

    def write_topics(self, title: str = "Pack topic") -> Path:
        return self.write_yaml("lessons/topics.yaml", {"topics": [{"id": "pk", "title": title}]})

    def write_lesson(
        self, title: str = "A pack lesson", body: str = "Hello.", objective: str = "Learn"
    ) -> Path:
        return self.write(
            "lessons/pk/01-lesson.md",
            LESSON.format(title=yaml_inline(title), objective=yaml_inline(objective), body=body),
        )

    def write_quiz(self, *questions: dict[str, object], title: str = "Pack quiz") -> Path:
        data = {"kind": "quiz", "id": "pk-quiz", "title": title, "topic": "pk"}
        data["questions"] = list(questions) or [question()]
        return self.write_yaml("quizzes/pk.yaml", data)

    def write_lab(self, **over: object) -> Path:
        return self.write_yaml("labs/pk-lab/lab.yaml", lab_data(**over))

    @property
    def lab_yaml(self) -> Path:
        return self.root / "labs" / "pk-lab" / "lab.yaml"


def yaml_inline(text: str) -> str:
    """A double-quoted YAML scalar (escapes such as \\e stay escapes)."""
    return '"' + text.replace('"', '\\"') + '"'


def raw_controls(text: str) -> list[str]:
    """The control characters (but newline and tab) left in `text`: none may reach a terminal."""
    return sorted({repr(m.group()) for m in CONTROL.finditer(text)})
