"""Full-text search on a course ten times the size of the shipped one, against a plain
substring scan of the same documents, in the same run.

    python benchmarks/bench_search.py

Target: under 50 ms a query (the slowest query counts). It also prints how long building the
index takes; the app builds it in its loading worker, so no screen waits for it.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from tutor.content.loading.loader import load_course
from tutor.content.roots import resolve_roots
from tutor.content.search import Doc, SearchIndex, documents

SCALE = 10
QUERIES = [
    "docker",
    "container",
    "healthcheck",
    "docker run -p",
    "fargate spot",
    "lifecycle pol",
    "awsvpc",
    "task definition memory",
    "image layer cache",
    "elastic beanstalk",
    "eks node group",
    "ecr replication",
    "bind mount",
    "swarm",
    "secrets manager",
    "con",  # a three-letter prefix: the widest expansion searched
    "co",  # two letters: matched as a whole word
    "s",  # a one-letter word: matched whole
    "the",
    "no such thing here",
    "port 8080",
]


def scaled(docs: list[Doc]) -> list[Doc]:
    """`docs` SCALE times, each copy with its own ids and one word of its own per document."""
    out = []
    for k in range(SCALE):
        for i, d in enumerate(docs):
            out.append(replace(d, id=f"{d.id}-{k}", text=f"{d.text}\ncopy{k}word{i % 97}"))
    return out


def timed(fn, query: str, repeat: int = 5) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn(query)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TUTOR_HOME"] = str(Path(tmp) / "home")
        course = load_course(resolve_roots(None))
    base = documents(course)
    docs = scaled(base)
    t = time.perf_counter()
    index = SearchIndex.build(docs)
    build = time.perf_counter() - t
    print(
        f"course x{SCALE}: {len(docs)} documents ({len(course.lessons) * SCALE} lessons' sections, "
        f"{len(course.questions) * SCALE} questions, {len(course.labs) * SCALE} labs), "
        f"{len(index.vocabulary)} words"
    )
    print(f"index built in {build:.2f} s")
    ours = {q: timed(index.search, q) for q in QUERIES}
    scan = {q: timed(index.scan, q) for q in QUERIES}
    for q in QUERIES:
        print(f"  {q!r:<26} index {ours[q] * 1000:7.2f} ms   scan {scan[q] * 1000:7.2f} ms")
    med_ours, med_scan = statistics.median(ours.values()), statistics.median(scan.values())
    worst = max(ours.values())
    print(
        f"baseline substring scan: median {med_scan * 1000:.2f} ms, "
        f"slowest {max(scan.values()) * 1000:.2f} ms"
    )
    print(f"tutor search index:      median {med_ours * 1000:.2f} ms, slowest {worst * 1000:.2f} ms")
    print(f"ratio (median scan / median index): {med_scan / med_ours:.1f}x")
    print(f"target under 50 ms a query: {'met' if worst < 0.050 else 'MISSED'}")
    sys.exit(0 if worst < 0.050 else 1)


if __name__ == "__main__":
    main()
