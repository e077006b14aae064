"""JUnit XML for autograders: one testcase per lab check or per quiz question.

The layout CI servers and graders read (the JUnit/Surefire schema):

    <testsuites name tests failures errors skipped time>
      <testsuite name tests failures errors skipped time timestamp>
        <testcase classname name time>
          <failure message="why" type="...">details</failure>
        </testcase>
      </testsuite>
    </testsuites>
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _x(text: str) -> str:
    return _NOT_XML.sub("", text)


@dataclass(frozen=True)
class Case:
    classname: str
    name: str
    seconds: float = 0.0
    failure: str | None = None  # the reason, when it failed
    details: str = ""  # longer text under the failure (hint, right answer)
    kind: str = "failure"


def junit_xml(suite: str, cases: Iterable[Case], *, timestamp: datetime | None = None) -> str:
    cases = list(cases)
    failures = sum(1 for c in cases if c.failure is not None)
    total_time = f"{sum(c.seconds for c in cases):.3f}"
    counts = {"tests": str(len(cases)), "failures": str(failures), "errors": "0", "skipped": "0"}
    root = ET.Element("testsuites", {"name": _x(suite), **counts, "time": total_time})
    when = (timestamp or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
    el = ET.SubElement(
        root, "testsuite", {"name": _x(suite), **counts, "time": total_time, "timestamp": when}
    )
    for c in cases:
        tc = ET.SubElement(
            el, "testcase", {"classname": _x(c.classname), "name": _x(c.name), "time": f"{c.seconds:.3f}"}
        )
        if c.failure is not None:
            f = ET.SubElement(tc, "failure", {"message": _x(c.failure), "type": c.kind})
            f.text = _x(c.details or c.failure)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def write_junit(path: str | Path, suite: str, cases: Iterable[Case]) -> Path:
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(junit_xml(suite, cases), encoding="utf-8")
    return out


def lab_cases(lab_id: str, steps: list[dict[str, Any]], render: Callable[[str], str] = str) -> list[Case]:
    """From `tutor lab check --json`'s steps: one case per check, named by its title."""
    cases = []
    for step in steps:
        for check in step["checks"]:
            failed = not check["passed"]
            hint = f"\nhint: {render(check['hint'])}" if check.get("hint") else ""
            cases.append(
                Case(
                    f"{lab_id}.{step['step']}",
                    f"{check['index'] + 1:02d} {render(check['title'])}",
                    float(check.get("seconds") or 0.0),
                    render(check["reason"]) if failed else None,
                    (render(check["reason"]) + hint) if failed else "",
                    "check",
                )
            )
    return cases


def quiz_cases(quiz: str, questions: list[Any], grades: dict[str, Any]) -> list[Case]:
    """One case per question of an attempt; `grades` maps a question id to its Grade (absent:
    not answered). A wrong, partly right or unanswered question is a failure."""
    cases = []
    for q in questions:
        g = grades.get(q.id)
        if g is None:
            failure, details = "not answered", ""
        elif g.correct:
            failure, details = None, ""
        else:
            failure = f"partly right ({g.score:.0%})" if g.score > 0 else "wrong"
            if g.reason:
                failure += f": {g.reason}"
            details = f"{failure}\nright answer: {g.right_answer}" if g.right_answer else failure
        cases.append(Case(f"{quiz}.{q.type}", q.id, 0.0, failure, details, "answer"))
    return cases
