"""Import a GIFT file into a content folder, export a quiz to a file: the steps around the
converters (reading, refusing to overwrite, validating with the course's own loader)."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tutor.base.record import Record
from tutor.quiz.interchange.gift import parse_gift
from tutor.quiz.interchange.gift_import import Imported, ImportOptions, convert
from tutor.quiz.interchange.gift_writer import Exported, quiz_to_gift
from tutor.quiz.interchange.moodle_xml import quiz_to_moodle_xml
from tutor.quiz.interchange.report import InterchangeError, InvalidContent, Note, count

EXPORTERS = {"gift": quiz_to_gift, "moodle-xml": quiz_to_moodle_xml}
MAX_BYTES = 20 * 1024 * 1024


@dataclass
class ImportReport(Record):
    source: str
    written: list[str] = field(default_factory=list)  # files
    quizzes: list[dict[str, Any]] = field(default_factory=list)  # id, title, questions
    converted: int = 0
    skipped: int = 0
    notes: list[Note] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The fields, then the notes counted by level, then the notes."""
        fields = {k: v for k, v in super().to_dict().items() if k != "notes"}
        counts = {"errors": count(self.notes, "error"), "warnings": count(self.notes, "warning")}
        return {**fields, **counts, "notes": [n.to_dict() for n in self.notes]}


def read_gift(path: Path) -> str:
    if not path.is_file():
        raise InterchangeError(f"{path}: no such file")
    if path.stat().st_size > MAX_BYTES:
        raise InterchangeError(f"{path} is larger than {MAX_BYTES // 2**20} MiB; is it really GIFT?")
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InterchangeError(
            f"{path} is not UTF-8 text, so not GIFT", hint="save it as UTF-8 (Moodle's GIFT files are)"
        ) from None


def _missing(result: Imported) -> None:
    for key, flag, example in (("domains", "--domain", "dca:images"), ("references", "--reference", "URL")):
        ids = result.missing[key]
        if ids:
            what = "exam domain" if key == "domains" else "reference"
            raise InterchangeError(
                f"{len(ids)} question(s) carry no {what} (first: {ids[0]})",
                hint=f"pass {flag} {example} (repeat it for several); see docs/authoring.md",
            )


def import_gift(
    path: Path,
    out_dir: Path,
    options: ImportOptions,
    *,
    roots: list[Path],
    force: bool = False,
    skip_invalid: bool = False,
) -> ImportReport:
    """Read PATH, write OUT_DIR/quizzes/<quiz>.yaml, validated with the loader against `roots`
    (the course the quizzes join). Nothing is written when something is wrong."""
    source = str(path)
    doc = parse_gift(read_gift(path), source)
    result = convert(doc, source, options)
    skipped = result.skipped + len(doc.problems)
    report = ImportReport(source, converted=result.converted, skipped=skipped, notes=result.notes)
    errors = [n for n in result.notes if n.level == "error"]
    if errors and not skip_invalid:
        raise (InterchangeError if doc.problems else InvalidContent)(
            f"{len(errors)} question(s) cannot be imported (the first at {errors[0].file}:{errors[0].line})",
            hint="fix them in the GIFT file, or pass --skip-invalid to import the rest",
            notes=report.notes,
        )
    if not result.quizzes:
        raise InvalidContent(f"{source}: no question could be imported", notes=report.notes)
    _missing(result)
    targets = [out_dir / "quizzes" / f"{q['id']}.yaml" for q in result.quizzes]
    taken = [t for t in targets if t.exists()]
    if taken and not force:
        raise InterchangeError(f"{taken[0]} already exists", hint="pass --force to replace it")
    with tempfile.TemporaryDirectory(prefix="tutor-import-") as tmp:
        stage = Path(tmp)
        (stage / "quizzes").mkdir()
        for quiz, target in zip(result.quizzes, targets, strict=True):
            header = f"# Imported from {path.name} by `tutor quiz import`; see the import report.\n"
            body = yaml.safe_dump(quiz, sort_keys=False, allow_unicode=True, width=100)
            (stage / "quizzes" / target.name).write_text(header + body, encoding="utf-8")
        course = _course(roots, out_dir, stage)
        if _topics(stage, out_dir, course.topics, result, report):
            course = _course(roots, out_dir, stage)
        _validate(stage, out_dir, course, report)
        for staged in sorted(stage.rglob("*.yaml")):
            final = out_dir / staged.relative_to(stage)
            final.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged, final)
            report.written.append(str(final))
    report.quizzes = [
        {"id": q["id"], "title": q["title"], "topic": q["topic"], "questions": len(q["questions"])}
        | {"file": str(t)}
        for q, t in zip(result.quizzes, targets, strict=True)
    ]
    return report


def _course(roots: list[Path], out_dir: Path, stage: Path) -> Any:
    from tutor.content.loading.loader import load_course

    layers = [r for r in roots if r.resolve() != out_dir.resolve()]
    if out_dir.is_dir() and any((out_dir / d).is_dir() for d in ("lessons", "quizzes", "labs")):
        layers.append(out_dir)
    return load_course([*layers, stage], cache=False)


def _topics(stage: Path, out_dir: Path, known: Any, result: Imported, report: ImportReport) -> bool:
    """A topic the course does not know yet is added to OUT_DIR/lessons/topics.yaml when that
    file does not exist (True when it was); otherwise the loader reports it."""
    wanted = sorted(
        {q["topic"] for q in result.quizzes} | {x["topic"] for q in result.quizzes for x in q["questions"]}
    )
    new = [t for t in wanted if t not in known]
    if not new or (out_dir / "lessons" / "topics.yaml").exists():
        return False
    topics = [
        {"id": t, "title": t.replace("-", " ").capitalize(), "order": 100 + i} for i, t in enumerate(new)
    ]
    (stage / "lessons").mkdir()
    (stage / "lessons" / "topics.yaml").write_text(yaml.safe_dump({"topics": topics}, sort_keys=False))
    report.notes.append(
        Note(report.source, None, f"new topic(s) {', '.join(new)} written to lessons/topics.yaml", "info")
    )
    return True


def _validate(stage: Path, out_dir: Path, course: Any, report: ImportReport) -> None:
    mine = [e for e in course.errors if not e.warning and stage in e.file.parents]
    for err in mine:
        final = out_dir / err.file.relative_to(stage)
        report.notes.append(Note(str(final), err.line, f"{err.field}: {err.message}".lstrip(": "), "error"))
    if mine:
        raise InvalidContent(
            f"the imported quizzes fail the course's checks ({len(mine)} problem(s)); nothing was written",
            hint="`tutor validate DIR` checks a folder the same way",
            notes=report.notes,
        )


def export_quiz(quiz: Any, fmt: str, out: Path) -> Exported:
    if fmt not in EXPORTERS:
        raise InterchangeError(f"unknown format {fmt!r}", hint=f"use one of: {', '.join(EXPORTERS)}")
    exported = EXPORTERS[fmt](quiz)
    if not exported.written:
        raise InvalidContent(
            f"none of the {len(quiz.questions)} questions of {quiz.id} can be written as {fmt}",
            hint="; ".join(sorted({r for _, r in exported.left_out})),
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(exported.text, encoding="utf-8")
    return exported
