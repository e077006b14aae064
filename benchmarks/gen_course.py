"""Generate a large synthetic course (for the loading and exam-drawing benchmarks)."""

from __future__ import annotations

import random
from pathlib import Path

import yaml

TOPICS = ["docker", "ecr", "ecs", "fargate", "eks", "beanstalk"]
DOMAINS = [
    "clf-c02:1",
    "clf-c02:2",
    "clf-c02:3",
    "clf-c02:4",
    "saa-c03:1",
    "saa-c03:2",
    "saa-c03:3",
    "saa-c03:4",
    "dva-c02:1",
    "dva-c02:2",
    "dva-c02:3",
    "dva-c02:4",
    "dca:orchestration",
    "dca:images",
    "dca:install",
    "dca:networking",
    "dca:security",
    "dca:storage",
]
REF = "https://docs.docker.com/get-started/docker-overview/"


def _options(n: int) -> list[dict[str, str]]:
    return [
        {"id": chr(97 + i), "text": f"Option {i} text", "why": f"Because option {i} is what it is."}
        for i in range(n)
    ]


def question(i: int, rng: random.Random) -> dict[str, object]:
    kind = ["single", "multiple", "true_false", "domc", "ordering", "command", "short"][i % 7]
    base: dict[str, object] = {
        "id": f"gen-q{i:05d}",
        "type": kind,
        "topic": TOPICS[i % len(TOPICS)],
        "domains": rng.sample(DOMAINS, 3),
        "difficulty": rng.choice(["easy", "medium", "hard"]),
        "prompt": f"Generated question number {i}: which statement about containers is right?",
        "explanation": "A generated explanation long enough to look like a real one, in a sentence or two.",
        "references": [REF],
    }
    if kind in ("single", "domc"):
        base |= {"options": _options(4), "answer": "b" if kind == "single" else ["b"]}
    elif kind == "multiple":
        base |= {"options": _options(5), "answer": ["a", "c"]}
    elif kind == "true_false":
        base |= {"answer": True, "why_true": "Right.", "why_false": "It is true."}
    elif kind == "ordering":
        base |= {"steps": [{"id": f"s{j}", "text": f"Step {j}", "why": "Order."} for j in range(4)]}
    elif kind == "command":
        base |= {
            "rule": {
                "program": "docker",
                "subcommand": ["run"],
                "options": [
                    {"names": ["-d", "--detach"]},
                    {"names": ["-p", "--publish"], "value": "8080:80"},
                ],
                "positionals": ["nginx"],
            },
            "example": "docker run -d -p 8080:80 nginx",
        }
    else:
        base |= {"accept": ["CMD", "the CMD instruction"]}
    return base


def generate(root: Path, lessons: int = 2000, questions: int = 10000, per_quiz: int = 100) -> Path:
    rng = random.Random(7)
    (root / "lessons").mkdir(parents=True, exist_ok=True)
    (root / "quizzes" / "exams").mkdir(parents=True, exist_ok=True)
    topics = {"topics": [{"id": t, "title": t.upper(), "order": i} for i, t in enumerate(TOPICS)]}
    (root / "lessons" / "topics.yaml").write_text(yaml.safe_dump(topics))
    body = "\n\n".join(["Some lesson text about containers and images. " * 8] * 10)
    for i in range(lessons):
        topic = TOPICS[i % len(TOPICS)]
        folder = root / "lessons" / topic
        folder.mkdir(exist_ok=True)
        meta = {
            "id": f"gen-lesson-{i:05d}",
            "title": f"Lesson {i}",
            "topic": topic,
            "order": i,
            "minutes": 10,
            "objectives": ["Learn a thing", "Learn another"],
            "references": [REF],
        }
        (folder / f"{i:05d}.md").write_text(f"---\n{yaml.safe_dump(meta)}---\n{body}\n")
    for q0 in range(0, questions, per_quiz):
        quiz = {
            "kind": "quiz",
            "id": f"gen-quiz-{q0 // per_quiz:04d}",
            "title": "Generated quiz",
            "topic": TOPICS[(q0 // per_quiz) % len(TOPICS)],
            "questions": [question(i, rng) for i in range(q0, min(q0 + per_quiz, questions))],
        }
        (root / "quizzes" / f"gen-{q0 // per_quiz:04d}.yaml").write_text(
            yaml.safe_dump(quiz, sort_keys=False)
        )
    builtin = Path(__file__).resolve().parent.parent / "quizzes" / "exams"
    for exam in builtin.glob("*.yaml"):
        (root / "quizzes" / "exams" / exam.name).write_text(exam.read_text())
    return root
