"""`tutor export`: a learner's results in one JSON file, for an instructor's report.

    {"format": "container-tutor-results", "version": 1, "about": "...",
     "payload": {"learner", "exported_at", "app_version", "content": {"id", "roots"}, "class",
                 "labs": [...], "attempts": [...]},
     "checksum": "sha256:<hex of the canonical JSON of payload>"}

The content id is a SHA-256 over the files of every content root the learner had loaded
(paths relative to their root, line endings normalised), so results made with another
course or class pack are told apart. The checksum catches accidental edits and damaged
files; it is NOT proof against cheating: anyone can change the file and compute it again.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tutor import __version__
from tutor.base.errors import TutorError
from tutor.classroom.payload import PayloadError, iso, parse_time, records_from_json, records_to_json
from tutor.classroom.records import LearnerRecords, from_store
from tutor.content.course import Course
from tutor.content.roots import builtin_root, content_files
from tutor.progress.store import ProgressStore

FORMAT = "container-tutor-results"
VERSION = 1
MAX_BYTES = 64 * 1024 * 1024
ABOUT = (
    "Results exported by Container Tutor (`tutor export`) for an instructor's report "
    "(`tutor class report`). The checksum detects accidental edits and damaged files; it is not "
    "proof against cheating: anyone can edit this file and compute a new checksum."
)


class ExportProblem(TutorError):
    """An export file that cannot be used: the file, the line when known, and why."""

    def __init__(self, file: str, message: str, *, line: int | None = None, hint: str | None = None) -> None:
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}", hint=hint)
        self.file, self.line, self.reason = file, line, message


# -- the content id ----------------------------------------------------------------------------


def root_name(root: Path) -> str:
    return "builtin" if root == builtin_root() else root.name


def root_id(root: Path) -> tuple[str, int]:
    """SHA-256 over a root's content files (relative path and bytes), and how many there are."""
    h = hashlib.sha256()
    files = content_files(root)
    for path in files:
        try:
            data = path.read_bytes().replace(b"\r\n", b"\n")
        except OSError:
            data = b"<unreadable>"
        rel = path.relative_to(root).as_posix()
        h.update(f"{rel}\0{len(data)}\0".encode())
        h.update(data)
    return h.hexdigest(), len(files)


def content_id(roots: Sequence[Path]) -> dict[str, Any]:
    """{"id": ..., "roots": [{"name", "id", "files"}]}: the id covers the roots in order."""
    parts = []
    for root in roots:
        digest, count = root_id(root)
        parts.append({"name": root_name(root), "id": digest, "files": count})
    whole = hashlib.sha256("\n".join(p["id"] for p in parts).encode()).hexdigest()
    return {"id": whole, "roots": parts}


# -- writing -----------------------------------------------------------------------------------


def canonical(payload: Any) -> bytes:
    return json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def checksum(payload: Any) -> str:
    return "sha256:" + hashlib.sha256(canonical(payload)).hexdigest()


def build_export(
    course: Course, roots: Sequence[Path], store: ProgressStore, learner: str, *, now: float | None = None
) -> dict[str, Any]:
    """The whole export document for the learner's store and the content they have loaded."""
    records = from_store(store, labs={lab.id: [s.id for s in lab.steps] for lab in course.labs.values()})
    titles = {f"lab:{k}": v.title for k, v in course.labs.items()}
    titles.update({f"quiz:{k}": v.title for k, v in course.quizzes.items()})
    titles.update({f"quiz:{k}": v.title for k, v in course.exams.items()})
    payload = {
        "learner": learner,
        "exported_at": iso(time.time() if now is None else now),
        "app_version": __version__,
        "content": content_id(roots),
        "class": course.klass.name if course.klass is not None else None,
        **records_to_json(records, titles),
    }
    return {
        "format": FORMAT,
        "version": VERSION,
        "about": ABOUT,
        "payload": payload,
        "checksum": checksum(payload),
    }


def write_export(document: dict[str, Any], out: Path) -> None:
    write_file(out, json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def write_file(out: Path, text: str) -> None:
    """Write atomically (a temporary file renamed), so a crash never leaves half a file."""
    if out.is_dir():
        raise TutorError(f"{out} is a folder", hint="give a file name, e.g. --out results.json")
    if not out.parent.is_dir():
        raise TutorError(f"the folder {out.parent} does not exist", hint="create it, or write elsewhere")
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise TutorError(f"cannot write {out}: {exc.strerror}") from None


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LearnerExport:
    file: str
    learner: str
    exported_at: float
    content: dict[str, Any]
    class_name: str | None
    records: LearnerRecords


def read_export(path: Path, shown: str | None = None) -> LearnerExport:
    """Read and verify one export file; any problem is an ExportProblem naming the file."""
    name = shown or str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ExportProblem(
                name, f"is {size // 2**20} MB, larger than any export", hint="check the file name"
            )
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ExportProblem(name, "no such file") from None
    except IsADirectoryError:
        raise ExportProblem(name, "is a folder, not an export file") from None
    except UnicodeDecodeError:
        raise ExportProblem(name, "is not a text file, so not an export", hint=_MAKE) from None
    except OSError as exc:
        raise ExportProblem(name, f"cannot be read: {exc.strerror}") from None
    if not text.strip():
        raise ExportProblem(name, "is empty", hint="export it again with `tutor export --out FILE`")
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExportProblem(
            name,
            f"is not valid JSON ({exc.msg})",
            line=exc.lineno,
            hint="the file is damaged; export it again",
        ) from None
    except RecursionError:
        raise ExportProblem(name, "is nested too deeply to be an export") from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise ExportProblem(name, "is not a Container Tutor results file", hint=_MAKE)
    if not isinstance(doc.get("version"), int) or doc["version"] > VERSION:
        raise ExportProblem(
            name, f"was written by a newer Container Tutor (format {doc.get('version')!r})", hint="upgrade"
        )
    payload = doc.get("payload")
    try:
        sealed = checksum(payload)
    except (ValueError, TypeError, RecursionError):  # NaN or infinity, which no export holds
        sealed = None
    if sealed is None or doc.get("checksum") != sealed:
        raise ExportProblem(
            name,
            "its checksum does not match its contents: the file was changed or damaged after export",
            hint="ask the learner to run `tutor export` again",
        )
    try:
        return _parse(name, payload)
    except PayloadError as exc:
        raise ExportProblem(name, f"is malformed at {exc}", hint=_MAKE) from None


_MAKE = "make one with `tutor export --out FILE`"


def _parse(name: str, payload: Any) -> LearnerExport:
    if not isinstance(payload, dict):
        raise PayloadError("payload", "expected an object")
    learner = payload.get("learner")
    if not isinstance(learner, str) or not learner.strip():
        raise PayloadError("payload.learner", "expected the learner's name")
    content = payload.get("content")
    if not isinstance(content, dict) or not isinstance(content.get("id"), str):
        raise PayloadError("payload.content.id", "missing")
    try:
        exported = parse_time(str(payload.get("exported_at")))
    except ValueError:
        raise PayloadError("payload.exported_at", "expected an ISO time with a zone") from None
    klass = payload.get("class")
    return LearnerExport(
        name,
        learner.strip(),
        exported,
        content,
        klass if isinstance(klass, str) else None,
        records_from_json(payload, "payload"),
    )
