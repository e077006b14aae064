"""An instructor's report over learners' exports: per learner and assignment status, score and
time; per question the share answered right; per lab step where learners got stuck.

Exports that cannot be used (malformed, tampered, made with other content, a learner twice) and
assignments of class.yaml that name nothing are left out and listed as problems; the rest of
the report is still made. The formats are in `report_text` (CSV, Markdown) and `report_html`.
"""

from __future__ import annotations

import itertools
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from tutor.classroom.export import ExportProblem, LearnerExport, read_export
from tutor.classroom.records import COUNTED_MODES, LearnerRecords
from tutor.classroom.status import AssignmentStatus, evaluate
from tutor.classroom.text import clean
from tutor.content.class_outline import AssignmentOutline, ClassOutline
from tutor.content.course import Course


@dataclass(frozen=True)
class Problem:
    file: str
    message: str
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}" + (f" ({self.hint})" if self.hint else "")


@dataclass(frozen=True)
class LearnerRow:
    name: str
    file: str
    exported_at: float
    statuses: list[AssignmentStatus]

    @property
    def finished(self) -> int:
        return sum(1 for s in self.statuses if s.finished)


@dataclass(frozen=True)
class QuestionStat:
    assignment: AssignmentOutline
    id: str
    prompt: str
    learners: int = 0  # who answered it in an attempt that counts for the assignment
    first_correct: int = 0  # of them, right the first time
    answers: int = 0
    correct: int = 0

    @property
    def first_share(self) -> float | None:
        return self.first_correct / self.learners if self.learners else None

    @property
    def share(self) -> float | None:
        return self.correct / self.answers if self.answers else None


@dataclass(frozen=True)
class StepStat:
    assignment: AssignmentOutline
    id: str
    title: str
    reached: int = 0
    passed: int = 0
    stuck: int = 0  # reached it, did not pass it, and the lab is not done
    median_seconds: float | None = None  # to pass it, over those who did
    hints: int = 0  # hints shown, over the learners whose hints are known
    hint_learners: int = 0
    solutions: int = 0
    median_failed: float | None = None  # failing checks before the pass


@dataclass(frozen=True)
class Report:
    klass: ClassOutline
    content_id: str
    as_of: float
    learners: list[LearnerRow]
    problems: list[Problem]  # the exports left out, and what is wrong with class.yaml
    questions: list[QuestionStat]
    steps: list[StepStat]


Stat = TypeVar("Stat", QuestionStat, StepStat)


def by_assignment(stats: Iterable[Stat]) -> Iterator[tuple[AssignmentOutline, list[Stat]]]:
    """Question or step statistics in runs of one assignment each, in the order they come."""
    for _key, run in itertools.groupby(stats, key=lambda s: s.assignment.key):
        items = list(run)
        yield items[0].assignment, items


def class_problems(course: Course) -> list[Problem]:
    """The errors of the course's class.yaml (an assignment naming nothing, ...), to list."""
    from tutor.content.loading.classpack import SOURCE_KEY

    src = course.sources.get(SOURCE_KEY)
    if src is None:
        return []
    try:
        shown = str(src.file.relative_to(Path.cwd()))
    except ValueError:
        shown = str(src.file)
    return [
        Problem(shown, f"{e.field}: {e.message}" if e.field else e.message, e.line, e.hint or "")
        for e in course.errors
        if e.file == src.file and not e.warning
    ]


def build_report(
    course: Course,
    klass: ClassOutline,
    content: dict[str, Any],
    files: Sequence[tuple[Path, str]],
    as_of: float,
) -> Report:
    """`files`: each export's path and the name to show for it."""
    problems = class_problems(course)
    kept = _usable_exports(files, content, problems)
    learners = [
        LearnerRow(export.learner, export.file, export.exported_at, evaluate(klass, export.records, as_of))
        for export in sorted(kept.values(), key=lambda e: e.learner.casefold())
    ]
    records = [kept[k].records for k in sorted(kept)]
    questions, steps = question_stats(course, klass, records), step_stats(course, klass, records)
    return Report(klass, str(content["id"]), as_of, learners, problems, questions, steps)


def _usable_exports(
    files: Sequence[tuple[Path, str]], content: dict[str, Any], problems: list[Problem]
) -> dict[str, LearnerExport]:
    """The newest export of each learner made with this content, by learner (casefolded);
    every file left out goes into `problems`, with why."""
    kept: dict[str, LearnerExport] = {}
    for path, shown in files:
        try:
            export = read_export(path, shown)
        except ExportProblem as exc:
            problems.append(Problem(exc.file, exc.reason, exc.line, exc.hint or ""))
            continue
        if export.content.get("id") != content["id"]:
            problems.append(_other_content(export, content))
            continue
        key = export.learner.casefold()
        if key in kept:
            older, newer = sorted((kept[key], export), key=lambda e: e.exported_at)
            problems.append(
                Problem(
                    older.file,
                    f"{export.learner} is also in {newer.file}, exported later; this file is left out",
                )
            )
            export = newer
        kept[key] = export
    return kept


def _other_content(export: LearnerExport, content: dict[str, Any]) -> Problem:
    roots = export.content.get("roots")
    theirs = [r for r in roots if isinstance(r, dict)] if isinstance(roots, list) else []
    ours = content["roots"]
    names = [str(r.get("name", "?")) for r in theirs]
    if names != [r["name"] for r in ours]:
        why = f"it was made with {' + '.join(names) or 'unknown content'}, this report with "
        why += " + ".join(r["name"] for r in ours)
    else:
        differ = [o["name"] for t, o in zip(theirs, ours, strict=True) if t.get("id") != o["id"]]
        why = f"its {', '.join(differ) or 'content'} differs from this report's (another version?)"
    return Problem(
        export.file,
        f"made with other content (id {str(export.content.get('id'))[:12]}, this class: "
        f"{content['id'][:12]}): {why}; left out",
        hint="the learner loads the same course and class pack (`--content builtin --content CLASSDIR`) "
        "with the same Container Tutor, and exports again",
    )


def _counted(a: AssignmentOutline, records: LearnerRecords) -> list[Any]:
    modes = ("exam",) if a.kind == "exam" or a.timed else COUNTED_MODES
    return records.attempts_of(a.id, modes)


def question_stats(
    course: Course, klass: ClassOutline, learners: Iterable[LearnerRecords]
) -> list[QuestionStat]:
    learners = list(learners)
    out: list[QuestionStat] = []
    for a in klass.assignments:
        if a.kind == "lab":
            continue
        quiz = course.quizzes.get(a.id)
        order = [q.id for q in quiz.questions] if quiz is not None else []
        firsts: dict[str, list[bool]] = {}
        alls: dict[str, list[bool]] = {}
        for records in learners:
            answers = sorted(
                (q.answered_at or 0.0, q.id, bool(q.correct))
                for t in _counted(a, records)
                for q in t.questions
                if q.score is not None  # unanswered: counts for neither share
            )
            seen: set[str] = set()
            for _, qid, right in answers:
                alls.setdefault(qid, []).append(right)
                if qid not in seen:
                    seen.add(qid)
                    firsts.setdefault(qid, []).append(right)
        answered = set(alls)
        ids = [q for q in order if q in answered] + sorted(answered - set(order))
        for qid in ids:
            q = course.questions.get(qid)
            out.append(
                QuestionStat(
                    a,
                    qid,
                    clean(q.prompt, 90) if q is not None else "(not in this course)",
                    len(firsts.get(qid, [])),
                    sum(firsts.get(qid, [])),
                    len(alls[qid]),
                    sum(alls[qid]),
                )
            )
    return out


def step_stats(course: Course, klass: ClassOutline, learners: Iterable[LearnerRecords]) -> list[StepStat]:
    learners = list(learners)
    out: list[StepStat] = []
    for a in klass.assignments:
        if a.kind != "lab":
            continue
        lab = course.labs.get(a.id)
        titles = {s.id: s.title for s in lab.steps} if lab is not None else {}
        for step_id in a.steps:
            reached = passed = stuck = hints = hint_learners = solutions = 0
            times: list[float] = []
            failed: list[int] = []
            for records in learners:
                rec = records.labs.get(a.id)
                step = rec.step(step_id) if rec is not None else None
                if rec is None or step is None or not step.reached:
                    continue
                reached += 1
                if step.passed:
                    passed += 1
                    failed.append(step.failed_checks)
                    seconds = rec.step_seconds().get(step_id)
                    if seconds is not None:
                        times.append(seconds)
                elif not rec.done:
                    stuck += 1
                if step.hints_seen:
                    hints += step.hints_seen
                    hint_learners += 1
                solutions += int(bool(step.solution_seen))
            out.append(
                StepStat(
                    a,
                    step_id,
                    clean(titles.get(step_id, step_id), 80),
                    reached,
                    passed,
                    stuck,
                    statistics.median(times) if times else None,
                    hints,
                    hint_learners,
                    solutions,
                    statistics.median(failed) if failed else None,
                )
            )
    return out
