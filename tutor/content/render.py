"""A lesson as the learner reads it: the body plus the sections built from its front matter."""

from __future__ import annotations

from tutor.content.course import Course
from tutor.content.models.lessons import Lesson


def lesson_markdown(lesson: Lesson, course: Course, *, references: bool = True) -> str:
    """The lesson as Markdown; `references=False` leaves the references out (the app shows them
    itself, as terminal hyperlinks)."""
    meta = lesson.meta
    parts = [f"# {meta.title}", ""]
    topic = course.topics.get(meta.topic)
    parts.append(f"*{topic.title if topic else meta.topic} · about {meta.minutes} min*")
    parts += ["", "**In this lesson you will:**", ""]
    parts += [f"- {o}" for o in meta.objectives]
    parts += ["", lesson.body.strip(), ""]
    questions = [course.questions[q] for q in meta.questions if q in course.questions]
    if questions:
        parts += ["## Check your understanding", ""]
        for i, q in enumerate(questions, 1):
            prompt = " ".join(q.prompt.split())
            parts.append(f"{i}. {prompt}")
        parts += ["", "Press **c** to answer these now.", ""]
    labs = [course.labs[lab] for lab in meta.labs if lab in course.labs]
    if labs:
        parts += ["## Hands-on", ""]
        parts += [f"- **{lab.title}** (`tutor lab start {lab.id}`)" for lab in labs]
        parts += ["", "Press **l** to open the lab.", ""]
    if references:
        parts += ["## References", ""]
        parts += [f"- [{r.label}]({r.url}) <{r.url}>" if r.title else f"- <{r.url}>" for r in meta.references]
    return "\n".join(parts) + "\n"
