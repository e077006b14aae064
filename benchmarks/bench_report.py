"""Time `tutor class report` over many learners' exports, against reading the same files with
`json.loads` alone (the floor), measured in the same run.

    python benchmarks/bench_report.py [learners]

The class is docs/examples/class-pack over the built-in course (two labs, the 232-question
Docker practice quiz, the DCA mock exam); each synthetic learner has the labs' check runs and
two to four attempts. Prints the size of the exports, the time to read and verify them, to
build the report, and to render each format, with ratios to the floor.
"""

from __future__ import annotations

import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tutor.classroom.export import ABOUT, FORMAT, VERSION, checksum, content_id, read_export  # noqa: E402
from tutor.classroom.payload import iso, records_to_json  # noqa: E402
from tutor.classroom.records import (  # noqa: E402
    AttemptRecord,
    Completion,
    LabRecord,
    LearnerRecords,
    QuestionRecord,
    StepRecord,
)
from tutor.classroom.report import build_report  # noqa: E402
from tutor.classroom.report_html import to_html  # noqa: E402
from tutor.classroom.report_text import to_csv, to_markdown  # noqa: E402
from tutor.content.class_outline import ClassOutline  # noqa: E402
from tutor.content.loading.loader import load_course  # noqa: E402
from tutor.content.roots import builtin_root  # noqa: E402

T0 = 1_800_000_000.0


def learner(rng: random.Random, course, klass: ClassOutline) -> LearnerRecords:  # type: ignore[no-untyped-def]
    labs = {}
    for a in klass.assignments:
        if a.kind != "lab":
            continue
        t = T0 + rng.uniform(0, 5e5)
        steps = []
        for step in a.steps:
            checks = rng.randint(1, 30)
            t += rng.uniform(60, 1800)
            steps.append(StepRecord(step, t, t - 600, t, checks, checks - 1, rng.randint(0, 3), False, []))
        done = [Completion("x", T0, t)] if rng.random() < 0.7 else []
        labs[a.id] = LabRecord(a.id, done, "x", T0, "x", T0, steps)
    attempts = []
    quiz = course.quizzes["docker-practice"].questions
    bank = list(course.questions)
    for i in range(rng.randint(2, 4)):
        exam = i % 2 == 1
        ids = rng.sample(bank, 55) if exam else [q.id for q in quiz]
        qs = [QuestionRecord(q, float(rng.random() < 0.7), T0 + i * 1e4 + j) for j, q in enumerate(ids)]
        points = sum(q.score or 0 for q in qs)
        attempts.append(
            AttemptRecord(
                i,
                "dca" if exam else "docker-practice",
                "exam" if exam else "practice",
                T0 + i * 1e4,
                T0 + i * 1e4 + 3000,
                3000.0,
                points,
                len(qs),
                round(100 * points / len(qs)) if exam else None,
                points / len(qs) >= 0.65 if exam else None,
                qs,
            )
        )
    return LearnerRecords(labs, attempts)


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    roots = [builtin_root(), ROOT / "docs" / "examples" / "class-pack"]
    course = load_course(roots)
    klass = ClassOutline.from_course(course)
    assert klass is not None
    t = time.perf_counter()
    content = content_id(roots)
    hashing = time.perf_counter() - t
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for i in range(n):
            payload = {
                "learner": f"learner {i:03d}",
                "exported_at": iso(T0 + 1e6),
                "app_version": "bench",
                "content": content,
                "class": klass.name,
                **records_to_json(learner(rng, course, klass)),
            }
            doc = {"format": FORMAT, "version": VERSION, "about": ABOUT, "payload": payload}
            doc["checksum"] = checksum(payload)
            path = Path(folder) / f"l{i:03d}.json"
            path.write_text(json.dumps(doc, indent=2))
            files.append((path, path.name))
        size = sum(p.stat().st_size for p, _ in files)

        t = time.perf_counter()
        for p, _ in files:
            json.loads(p.read_text())
        floor = time.perf_counter() - t
        t = time.perf_counter()
        for p, name in files:
            read_export(p, name)
        verify = time.perf_counter() - t
        t = time.perf_counter()
        report = build_report(course, klass, content, files, T0 + 2e6)
        build = time.perf_counter() - t
        renders = {}
        for name, render in (("csv", to_csv), ("md", to_markdown), ("html", to_html)):
            t = time.perf_counter()
            text = render(report)
            renders[name] = (time.perf_counter() - t, len(text))
    assert not report.problems, report.problems[:3]
    print(f"{n} exports, {size / 2**20:.1f} MB; content id over the built-in course: {hashing * 1000:.0f} ms")
    print(f"json.loads of every file (floor):   {floor * 1000:6.0f} ms")
    print(f"read and verify (checksum, shape):  {verify * 1000:6.0f} ms  ratio {verify / floor:.1f}x")
    print(f"build the report (read included):   {build * 1000:6.0f} ms  ratio {build / floor:.1f}x")
    for name, (seconds, length) in renders.items():
        print(f"render {name:<4}                         {seconds * 1000:6.0f} ms  ({length / 1024:.0f} KB)")


if __name__ == "__main__":
    main()
