"""Loading and validating a course of 2,000 lessons and 10,000 questions,
against plain `yaml.safe_load` of the same files, in the same run.

    python benchmarks/bench_load.py

Target: at most 2x the plain parse, and under 1 s.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_course import generate

from tutor.content.loading.loader import load_course
from tutor.content.loading.yamlsource import split_front_matter


def plain_parse(root: Path) -> int:
    n = 0
    for path in sorted(root.rglob("*")):
        if path.suffix == ".md":
            parts = split_front_matter(path.read_text(encoding="utf-8"))
            assert parts is not None
            yaml.safe_load(parts[0])
            n += 1
        elif path.suffix == ".yaml":
            yaml.safe_load(path.read_text(encoding="utf-8"))
            n += 1
    return n


def plain_parse_c(root: Path) -> None:
    for path in sorted(root.rglob("*")):
        if path.suffix == ".md":
            parts = split_front_matter(path.read_text(encoding="utf-8"))
            assert parts is not None
            yaml.load(parts[0], Loader=yaml.CSafeLoader)
        elif path.suffix == ".yaml":
            yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def best_of(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TUTOR_HOME"] = str(Path(tmp) / "home")  # a cache of our own
        root = generate(Path(tmp) / "course")
        course = load_course([root])
        errors = [e for e in course.errors if not e.warning]
        assert not errors, errors[:3]
        assert len(course.lessons) == 2000 and len(course.questions) == 10000
        plain_min, plain_med = best_of(lambda: plain_parse(root), 3)
        cplain_min, _ = best_of(lambda: plain_parse_c(root), 3)
        cold_min, cold_med = best_of(lambda: load_course([root], cache=False), 3)
        load_course([root])  # fills the parse cache
        warm_min, warm_med = best_of(lambda: load_course([root]), 3)
        print("course: 2000 lessons, 10000 questions")
        print(
            f"baseline yaml.safe_load (pure-Python loader):   best {plain_min:.3f} s, "
            f"median {plain_med:.3f} s"
        )
        print(f"reference yaml.load(CSafeLoader) (libyaml):     best {cplain_min:.3f} s")
        print(
            f"tutor load_course, cold (parse+validate+check): best {cold_min:.3f} s, median {cold_med:.3f} s"
        )
        print(
            f"tutor load_course, warm (parse cache hit):      best {warm_min:.3f} s, median {warm_med:.3f} s"
        )
        print(
            f"ratio cold/baseline: {cold_min / plain_min:.2f}x, warm/baseline: {warm_min / plain_min:.2f}x "
            f"(target <= 2x); cold under 1 s: {cold_min < 1.0}; warm under 1 s: {warm_min < 1.0}"
        )


if __name__ == "__main__":
    main()
