"""The report as CSV (tables a spreadsheet filters) and as Markdown (to read or paste)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable

from tutor.classroom.report import LearnerRow, QuestionStat, Report, Stat, StepStat, by_assignment
from tutor.classroom.status import DONE, IN_PROGRESS, NOT_STARTED, OVERDUE, PASSED, AssignmentStatus, duration
from tutor.classroom.text import clean
from tutor.content.class_outline import AssignmentOutline

SHOWN = (DONE, PASSED, IN_PROGRESS, NOT_STARTED, OVERDUE)  # the order of columns and bars


def stamp(t: float) -> str:
    return dt.datetime.fromtimestamp(t, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")


def state_label(s: AssignmentStatus) -> str:
    return f"{s.state} (late)" if s.late else s.state


def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0f}%"


def share(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


def assignment_counts(report: Report, a: AssignmentOutline) -> dict[str, int]:
    counts = dict.fromkeys(SHOWN, 0)
    for row in report.learners:
        for s in row.statuses:
            if s.assignment.key == a.key:
                counts[s.state] += 1
    return counts


# -- CSV -------------------------------------------------------------------------------------

STATUS_COLUMNS = "learner kind assignment title due state late score_percent time_s attempts detail".split()
QUESTION_COLUMNS = (
    "assignment question prompt learners first_try_correct first_try_percent answers correct_percent".split()
)
STEP_COLUMNS = "lab step title reached passed stuck median_time_s hints hint_learners solutions".split()
STEP_COLUMNS.append("median_failed_checks")


def _cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str):
        value = clean(value, 500)
        if value[:1] in ("=", "+", "-", "@"):
            return "'" + value
    return value


def to_csv(report: Report) -> str:
    """One table after another, a blank line between; each row's first cell names its table."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")

    def table(name: str, header: list[str], rows: Iterable[list[object]]) -> None:
        w.writerow(["table", *header])
        for row in rows:
            w.writerow([name, *(_cell(v) for v in row)])
        out.write("\n")

    table(
        "class",
        ["name", "as_of", "content_id", "learners", "assignments", "problems"],
        [
            [
                report.klass.name,
                stamp(report.as_of),
                report.content_id,
                len(report.learners),
                len(report.klass.assignments),
                len(report.problems),
            ]
        ],
    )
    table(
        "status",
        STATUS_COLUMNS,
        (
            [
                row.name,
                s.assignment.kind,
                s.assignment.id,
                s.assignment.title,
                s.assignment.due,
                s.state,
                "yes" if s.late else "",
                "" if s.score is None else round(s.score, 1),
                "" if s.seconds is None else round(s.seconds),
                s.attempts,
                s.detail,
            ]
            for row in report.learners
            for s in row.statuses
        ),
    )
    table(
        "questions",
        QUESTION_COLUMNS,
        (
            [
                q.assignment.key,
                q.id,
                q.prompt,
                q.learners,
                q.first_correct,
                "" if q.first_share is None else round(100 * q.first_share, 1),
                q.answers,
                "" if q.share is None else round(100 * q.share, 1),
            ]
            for q in report.questions
        ),
    )
    table(
        "steps",
        STEP_COLUMNS,
        (
            [
                st.assignment.id,
                st.id,
                st.title,
                st.reached,
                st.passed,
                st.stuck,
                "" if st.median_seconds is None else round(st.median_seconds),
                st.hints,
                st.hint_learners,
                st.solutions,
                "" if st.median_failed is None else f"{st.median_failed:g}",
            ]
            for st in report.steps
        ),
    )
    table(
        "problems",
        ["file", "line", "message", "hint"],
        ([p.file, p.line or "", p.message, p.hint] for p in report.problems),
    )
    return out.getvalue().rstrip("\n") + "\n"


# -- Markdown --------------------------------------------------------------------------------


def md(text: object, limit: int = 200) -> str:
    """Pack or learner text in a Markdown table cell: no markup, no HTML, no broken columns."""
    out = clean(text, limit)
    for ch in "\\`*_[]<>|#!~":
        out = out.replace(ch, "\\" + ch)
    return out


def _cell_md(s: AssignmentStatus) -> str:
    parts = [state_label(s)]
    if s.score is not None and s.assignment.kind != "lab":
        parts.append(percent(s.score))
    elif s.assignment.kind == "lab" and not s.finished:
        parts.append(s.detail)
    if s.seconds is not None:
        parts.append(duration(s.seconds))
    return " · ".join(p for p in parts if p)


def kind_and_due(a: AssignmentOutline) -> str:
    """What a heading says after an assignment's title: `(lab, due ...)`."""
    due = f", due {a.due_shown}" if a.due else ""
    return f"({a.kind}{due})"


def _by_assignment(
    title: str, stats: list[Stat], head: tuple[str, str], row: Callable[[Stat], str]
) -> list[str]:
    """A section of tables, one for each assignment's questions or steps."""
    if not stats:
        return []
    lines = ["", f"## {title}"]
    for a, run in by_assignment(stats):
        lines += ["", f"### {md(a.title, 60)} {kind_and_due(a)}", "", *head, *map(row, run)]
    return lines


def _question_row(q: QuestionStat) -> str:
    return f"| {md(q.id)} | {md(q.prompt, 90)} | {q.learners} | {share(q.first_share)} | {share(q.share)} |"


def _step_row(st: StepStat) -> str:
    return (
        f"| {md(st.title, 80)} | {st.reached} | {st.passed} | {st.stuck} | "
        f"{duration(st.median_seconds) or '-'} | {st.hints} ({st.hint_learners}) | {st.solutions} |"
    )


def to_markdown(report: Report) -> str:
    k = report.klass
    lines = [
        f"# Class report: {md(k.name)}",
        "",
        f"As of {stamp(report.as_of)} · {len(report.learners)} learner(s) · {len(k.assignments)} "
        f"assignment(s) · content {report.content_id[:12]}",
    ]
    if k.notes:
        lines += ["", f"> {md(k.notes, 400)}"]
    if report.problems:
        lines += ["", f"## Problems ({len(report.problems)})", ""]
        lines += [f"- {md(p, 400)}" for p in report.problems]
    lines += ["", "## Assignments", ""]
    lines += ["| Assignment | Kind | Due | Pass mark | " + " | ".join(s.capitalize() for s in SHOWN) + " |"]
    lines += ["|---|---|---|---|" + "---:|" * len(SHOWN)]
    for a in k.assignments:
        counts = assignment_counts(report, a)
        mark = "every step" if a.kind == "lab" else (percent(a.pass_mark) or "the exam's")
        lines.append(
            f"| {md(a.title, 60)} | {a.kind} | {a.due_shown or '-'} | {mark} | "
            + " | ".join(str(counts[s]) for s in SHOWN)
            + " |"
        )
    lines += ["", "## Learners", ""]
    lines += _learner_table(report.learners, k.assignments)
    lines += _by_assignment(
        "Questions: the share answered right",
        report.questions,
        (
            "| Question | Prompt | Learners | Right first time | All answers right |",
            "|---|---|---:|---:|---:|",
        ),
        _question_row,
    )
    lines += _by_assignment(
        "Lab steps: where learners got stuck",
        report.steps,
        (
            "| Step | Reached | Passed | Stuck | Median time | Hints (learners) | Solutions |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ),
        _step_row,
    )
    lines += ["", FOOTNOTE]
    return "\n".join(lines) + "\n"


FOOTNOTE = (
    "Times: a lab from its start to its completion, a step from the previous step's pass; a "
    "practice quiz from start to finish, an exam by its clock. Hints are known for the attempt "
    "under way only. Exports carry a checksum that catches accidental edits, not deliberate ones."
)


def _learner_table(rows: list[LearnerRow], assignments: list[AssignmentOutline]) -> list[str]:
    header = "| Learner | Finished | " + " | ".join(md(a.title, 40) for a in assignments) + " |"
    lines = [header, "|---|---:|" + "---|" * len(assignments)]
    for row in rows:
        cells = " | ".join(_cell_md(s) for s in row.statuses)
        lines.append(f"| {md(row.name, 60)} | {row.finished}/{len(row.statuses)} | {cells} |")
    return lines
