"""The report as one self-contained HTML file: styles inline, charts drawn with CSS bars, no
script, nothing fetched (its Content-Security-Policy forbids it). Every text from the class
pack or an export is cleaned and escaped."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from tutor.classroom.report import QuestionStat, Report, Stat, StepStat, by_assignment
from tutor.classroom.report_text import (
    FOOTNOTE,
    SHOWN,
    assignment_counts,
    kind_and_due,
    percent,
    share,
    stamp,
    state_label,
)
from tutor.classroom.status import AssignmentStatus, duration
from tutor.classroom.text import clean

CSP = "default-src 'none'; style-src 'unsafe-inline'"
STYLE = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem;
       color: #1d2330; }
h1 { font-size: 1.6rem; margin-bottom: .2rem; } h2 { margin-top: 2rem; border-bottom: 1px solid #ccd; }
.meta, footer { color: #5a6270; } footer { margin-top: 2rem; font-size: .85rem; }
table { border-collapse: collapse; margin: .6rem 0; } th, td { padding: .25rem .6rem; text-align: left;
        border-bottom: 1px solid #e4e6ec; vertical-align: top; } td.n, th.n { text-align: right; }
.bar { display: inline-flex; width: 10rem; height: .9rem; background: #eceef2; border-radius: 3px;
       overflow: hidden; vertical-align: middle; margin-right: .4rem; }
.bar span { display: block; height: 100%; } td.chart { white-space: nowrap; }
.passed, .done { background: #2e9e5b; } .in-progress { background: #e0a526; }
.not-started { background: #b9bfca; } .overdue { background: #d64541; } .share { background: #3d7bd9; }
.time { background: #7d5bd6; }
td.passed, td.done { background: #e3f4ea; } td.in-progress { background: #fdf3dc; }
td.overdue { background: #fbe3e2; } td.not-started { color: #5a6270; }
.legend span { display: inline-block; width: .8rem; height: .8rem; margin: 0 .25rem 0 .8rem;
               vertical-align: -1px; border-radius: 2px; }
.problems { background: #fff4e5; border-left: 4px solid #e0a526; padding: .4rem 1rem; }
.stuck { font-weight: 600; color: #b3312d; }
"""


def esc(text: object, limit: int = 200) -> str:
    return html.escape(clean(text, limit), quote=True)


def _css(state: str) -> str:
    return state.replace(" ", "-")


def _bar(parts: Iterable[tuple[str, float]], label: str) -> str:
    spans = "".join(
        f'<span class="{cls}" style="width:{100 * frac:.1f}%"></span>' for cls, frac in parts if frac > 0
    )
    return f'<div class="bar" role="img" aria-label="{esc(label)}">{spans}</div>'


def to_html(report: Report) -> str:
    k = report.klass
    out = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Class report: {esc(k.name)}</title>",
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Class report: {esc(k.name)}</h1>",
        f'<p class="meta">As of {stamp(report.as_of)} · {len(report.learners)} learner(s) · '
        f"{len(k.assignments)} assignment(s) · content {esc(report.content_id[:12])}</p>",
    ]
    if k.notes:
        out.append(f"<blockquote>{esc(k.notes, 400)}</blockquote>")
    if report.problems:
        out.append(f'<section class="problems"><h2>Problems ({len(report.problems)})</h2><ul>')
        out += [f"<li>{esc(p, 400)}</li>" for p in report.problems]
        out.append("</ul></section>")
    out += _assignments(report)
    out += _learners(report)
    out += _questions(report)
    out += _steps(report)
    out.append(f"<footer>{esc(FOOTNOTE, 400)}</footer></body></html>")
    return "\n".join(out) + "\n"


def _assignments(report: Report) -> list[str]:
    legend = "".join(f'<span class="{_css(s)}"></span>{s}' for s in SHOWN)
    out = [
        "<h2>Assignments</h2>",
        f'<p class="legend">{legend}</p>',
        "<table><tr><th>Assignment</th><th>Kind</th><th>Due</th><th>Pass mark</th><th>Learners</th>"
        + "".join(f'<th class="n">{s}</th>' for s in SHOWN)
        + "</tr>",
    ]
    total = max(1, len(report.learners))
    for a in report.klass.assignments:
        counts = assignment_counts(report, a)
        label = ", ".join(f"{n} {s}" for s, n in counts.items() if n)
        bar = _bar(((_css(s), n / total) for s, n in counts.items()), label or "no learners")
        mark = "every step" if a.kind == "lab" else (percent(a.pass_mark) or "the exam's")
        due = esc(a.due_shown) or "–"
        out.append(
            f"<tr><td>{esc(a.title, 80)}</td><td>{a.kind}</td><td>{due}</td><td>{mark}</td>"
            f'<td class="chart">{bar}</td>'
            + "".join(f'<td class="n">{counts[s]}</td>' for s in SHOWN)
            + "</tr>"
        )
    out.append("</table>")
    return out


def _status_cell(s: AssignmentStatus) -> str:
    parts = [state_label(s)]
    if s.assignment.kind != "lab" and s.score is not None:
        parts.append(percent(s.score))
    elif s.assignment.kind == "lab" and not s.finished:
        parts.append(s.detail)
    if s.seconds is not None:
        parts.append(duration(s.seconds))
    title = esc(s.detail)
    return f'<td class="{_css(s.state)}" title="{title}">{esc(" · ".join(p for p in parts if p))}</td>'


def _learners(report: Report) -> list[str]:
    heads = "".join(f"<th>{esc(a.title, 40)}</th>" for a in report.klass.assignments)
    out = ["<h2>Learners</h2>", f'<table><tr><th>Learner</th><th class="n">Finished</th>{heads}</tr>']
    for row in report.learners:
        cells = "".join(_status_cell(s) for s in row.statuses)
        out.append(
            f'<tr><td title="{esc(row.file)}">{esc(row.name, 60)}</td>'
            f'<td class="n">{row.finished}/{len(row.statuses)}</td>{cells}</tr>'
        )
    out.append("</table>")
    return out


def _by_assignment(title: str, stats: list[Stat], head: str, row: Callable[[Stat], str]) -> list[str]:
    """A section of tables, one for each assignment's questions or steps."""
    out = [f"<h2>{title}</h2>"] if stats else []
    for a, run in by_assignment(stats):
        out += [f"<h3>{esc(a.title, 80)} <small>{esc(kind_and_due(a))}</small></h3>", head]
        out += [*map(row, run), "</table>"]
    return out


def _questions(report: Report) -> list[str]:
    def row(q: QuestionStat) -> str:
        bar = _bar([("share", q.first_share or 0.0)], f"{share(q.first_share)} right first time")
        return (
            f"<tr><td>{esc(q.id)}</td><td>{esc(q.prompt, 90)}</td><td class='n'>{q.learners}</td>"
            f"<td class='chart'>{bar}{share(q.first_share)}</td><td class='n'>{share(q.share)}</td></tr>"
        )

    head = (
        "<table><tr><th>Question</th><th>Prompt</th><th class='n'>Learners</th>"
        "<th>Right first time</th><th class='n'>All answers right</th></tr>"
    )
    return _by_assignment("Questions: the share answered right", report.questions, head, row)


def _steps(report: Report) -> list[str]:
    longest: dict[str, float] = {}
    for st in report.steps:
        key = st.assignment.key
        longest[key] = max(longest.get(key, 0.0), st.median_seconds or 0.0)

    def row(st: StepStat) -> str:
        most = longest[st.assignment.key]
        frac = (st.median_seconds or 0.0) / most if most else 0.0
        shown = duration(st.median_seconds) or "–"
        bar = _bar([("time", frac)], f"median {shown}")
        stuck = f"<span class='stuck'>{st.stuck}</span>" if st.stuck else "0"
        return (
            f"<tr><td>{esc(st.title, 80)}</td><td class='n'>{st.reached}</td><td class='n'>{st.passed}</td>"
            f"<td class='n'>{stuck}</td><td class='chart'>{bar}{shown}</td>"
            f"<td class='n'>{st.hints} ({st.hint_learners})</td><td class='n'>{st.solutions}</td></tr>"
        )

    head = (
        "<table><tr><th>Step</th><th class='n'>Reached</th><th class='n'>Passed</th>"
        "<th class='n'>Stuck</th><th>Median time to pass</th><th class='n'>Hints (learners)</th>"
        "<th class='n'>Solutions</th></tr>"
    )
    return _by_assignment("Lab steps: where learners got stuck", report.steps, head, row)
