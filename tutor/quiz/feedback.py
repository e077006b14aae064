"""Results that teach: after an exam, each domain against the pass line and every missed question
with the lesson section and the lab that teach it. One report for the app and `--json`."""

from __future__ import annotations

from typing import Any

from tutor.content.course import Course
from tutor.content.teaching import links_for
from tutor.quiz.exam import ExamSession
from tutor.quiz.grading import is_incomplete, right_answer
from tutor.quiz.results import ExamResult


def pass_share(result: ExamResult) -> float:
    """The share of right answers that reaches the pass mark on the exam's scale (0..1)."""
    span = result.scale_max - result.scale_min
    return (result.pass_mark - result.scale_min) / span if span else 1.0


def missed_questions(course: Course, session: ExamSession, result: ExamResult) -> list[dict[str, Any]]:
    """Every question not fully right, in exam order, with where the course teaches it."""
    ids = [q for q in session.question_ids if result.scores.get(q, 0.0) < 1.0 - 1e-9]
    links = links_for(course, ids)
    out = []
    for qid in ids:
        q = course.questions[qid]
        response = session.responses.get(qid)
        dom = session.domain_of.get(qid, "")
        link = links[qid]
        out.append(
            {
                "number": session.question_ids.index(qid) + 1,
                "id": qid,
                "type": q.type,
                "domain": dom,
                "domain_name": session.domain_names.get(dom, dom),
                "prompt": " ".join(q.prompt.split()),
                "state": "unanswered"
                if response is None
                else ("incomplete" if is_incomplete(q, response) else "wrong"),
                "score": round(result.scores.get(qid, 0.0), 4),
                "right_answer": right_answer(q),
                "teaches": link.to_dict() if link else None,
            }
        )
    return out


def exam_report(course: Course, session: ExamSession, result: ExamResult) -> dict[str, Any]:
    """The result as saved, plus the pass line per domain and the missed questions with links."""
    data = result.to_dict()
    need = pass_share(result)
    data["pass_share"] = round(need, 4)
    data["domains"] = [
        {
            "id": d.id,
            "name": d.name,
            "points": d.points,
            "total": d.total,
            "percent": round(d.percent, 1),
            "at_pass_line": d.percent >= 100 * need - 1e-9,
        }
        for d in result.domains
    ]
    data["missed"] = missed_questions(course, session, result)
    return data
