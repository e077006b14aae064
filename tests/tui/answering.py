"""What a learner types to answer the question on screen (shared by the TUI tests)."""

from __future__ import annotations

from tutor.tui.widgets.question import QuestionView


def right_keys(view: QuestionView) -> list[str]:
    """The keys a learner presses to answer the question on screen correctly."""
    q = view.question
    if q.type == "single":
        return [str(view.order.index(q.answer) + 1)]
    if q.type == "multiple":
        return [str(view.order.index(o) + 1) for o in q.answer]
    if q.type == "true_false":
        return ["1" if q.answer else "2"]
    return [*"yes"]  # the fixtures' short answers
