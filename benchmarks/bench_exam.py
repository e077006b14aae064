"""Drawing a mock exam by domain weights (and, for the DCA, its 42 DOMC / 13 multiple-choice mix)
from a bank of 10,000 questions and grading a full answer sheet, beside the time to load that
bank, in the same run.

    python benchmarks/bench_exam.py

Target: draw + grade under 50 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_course import generate

from tutor.content.loading.loader import load_course
from tutor.quiz.drawing import draw_exam
from tutor.quiz.grading import grade


def perfect(q):  # type: ignore[no-untyped-def]
    return {
        "single": lambda: {"choice": q.answer},
        "multiple": lambda: {"choices": list(q.answer)},
        "true_false": lambda: {"value": q.answer},
        "domc": lambda: {"answers": [[o.id, o.id in q.correct_ids()] for o in q.options]},
        "ordering": lambda: {"order": [s.id for s in q.steps]},
        "command": lambda: {"text": q.example},
        "short": lambda: {"text": q.accept[0]},
    }[q.type]()


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TUTOR_HOME"] = str(Path(tmp) / "home")
        root = generate(Path(tmp) / "course", lessons=10, questions=10_000)
        t = time.perf_counter()
        course = load_course([root], cache=False)
        load_s = time.perf_counter() - t
        bank = list(course.questions.values())
        results = {}
        for exam_id in ("clf-c02", "dca"):
            exam = course.exams[exam_id]
            times = []
            for seed in range(20):
                t = time.perf_counter()
                drawn = draw_exam(exam, bank, seed)
                sheet = {qid: perfect(course.questions[qid]) for qid in drawn.question_ids}
                points = sum(grade(course.questions[q], r).score for q, r in sheet.items())
                times.append(time.perf_counter() - t)
                assert len(drawn.question_ids) == exam.questions and points == exam.questions
            results[exam_id] = times
    print(f"bank: {len(bank)} questions")
    print(f"load and validate the bank:            {load_s * 1000:.0f} ms")
    for exam_id, times in results.items():
        med = statistics.median(times)
        print(
            f"draw {exam_id:<7} + grade the sheet:      median {med * 1000:.1f} ms, "
            f"max {max(times) * 1000:.1f} ms, {med / load_s:.2%} of the load (target < 50 ms)"
        )


if __name__ == "__main__":
    main()
