"""Loading and validating a course of 2,000 lessons and 10,000 questions, against a plain
`yaml.load(text, Loader=yaml.CSafeLoader)` of the same files, in the same run.

    python benchmarks/bench_load.py [repeats]

"Cold" is a load with no parse cache (every file read, parsed with the limits, validated and
cross-checked); on a machine with two cores or more a helper process parses files ahead of the
loader (content/loading/prefetch.py), and "cold, one process" is the same load without it.
"Warm" reuses the parse cache and still validates everything. The baseline
reads the same files (the front matter of each lesson) and only parses them. Both are timed
alike: the cyclic garbage collector off (as `load_course` runs), and what they built kept until
the clock stops (freeing it is not loading). Best and median of the repeats.

Targets (issue 12): cold under 0.8 s, and at most 1.5x the baseline.
"""

from __future__ import annotations

import gc
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from gen_course import generate

from tutor.content.loading import prefetch
from tutor.content.loading.loader import load_course
from tutor.content.loading.yamlsource import split_front_matter


def c_loader_parse(root: Path) -> list[Any]:
    """Every content file of `root` through PyYAML's libyaml loader, nothing more."""
    out = []
    for path in sorted(root.rglob("*")):
        if path.suffix == ".md":
            parts = split_front_matter(path.read_text(encoding="utf-8"))
            assert parts is not None
            out.append(yaml.load(parts[0], Loader=yaml.CSafeLoader))
        elif path.suffix == ".yaml":
            out.append(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader))
    return out


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float]:
    """Best and median seconds of `fn()`, each run with the collector off and its result kept."""
    times = []
    for _ in range(repeat):
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            kept = fn()
            times.append(time.perf_counter() - start)
        finally:
            gc.enable()
        del kept
    return min(times), statistics.median(times)


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TUTOR_HOME"] = str(Path(tmp) / "home")  # a parse cache of our own
        root = generate(Path(tmp) / "course")
        course = load_course([root])  # also fills the parse cache for the warm runs
        errors = [e for e in course.errors if not e.warning]
        assert not errors, errors[:3]
        assert len(course.lessons) == 2000 and len(course.questions) == 10000
        del course
        files = len(c_loader_parse(root))
        base_best, base_med = timed(lambda: c_loader_parse(root), repeat)
        cold_best, cold_med = timed(lambda: load_course([root], cache=False), repeat)
        helper_threshold, prefetch.MIN_BYTES = prefetch.MIN_BYTES, 1 << 62
        one_best, one_med = timed(lambda: load_course([root], cache=False), repeat)
        prefetch.MIN_BYTES = helper_threshold
        warm_best, warm_med = timed(lambda: load_course([root]), repeat)
    cores = prefetch.cores()
    print(f"course: 2000 lessons, 10000 questions ({files} files); best and median of {repeat}")
    print(f"cores available: {cores}")
    print(f"baseline yaml.load(CSafeLoader), parse only:    best {base_best:.3f} s, median {base_med:.3f} s")
    print(f"tutor load_course, cold (parse+validate+check): best {cold_best:.3f} s, median {cold_med:.3f} s")
    print(f"tutor load_course, cold, one process:          best {one_best:.3f} s, median {one_med:.3f} s")
    print(f"tutor load_course, warm (parse cache hit):      best {warm_best:.3f} s, median {warm_med:.3f} s")
    print(
        f"cold: {cold_best / base_best:.2f}x the baseline (target <= 1.5x), "
        f"under 0.8 s: {cold_best < 0.8} (median: {cold_med < 0.8}); "
        f"warm: {warm_best / base_best:.2f}x the baseline"
    )


if __name__ == "__main__":
    main()
