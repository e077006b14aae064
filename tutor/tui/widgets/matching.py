"""How a matching question looks: each item with the answer given to it, then the answers."""

from __future__ import annotations

from rich.text import Text

from tutor.content.models.questions import Matching


def matching_lines(
    question: Matching,
    order: list[str],
    matches: dict[str, str],
    highlight: int,
    *,
    locked: bool,
    graded: bool,
) -> list[Text]:
    answers = question.answers()
    number = {text: n for n, text in enumerate(answers, 1)}
    by_id = {p.id: p for p in question.pairs}
    width = max(len(p.left) for p in question.pairs)
    lines: list[Text] = []
    for i, item in enumerate(order):
        pair = by_id[item]
        chosen = matches.get(item)
        pointer = "▸" if (i == highlight and not locked) else " "
        given = f"{number[chosen]}. {chosen}" if chosen else "…"
        style = ""
        if graded:
            style = "green" if chosen == pair.right else "red"
        line = Text.assemble(f"{pointer} ", (pair.left.ljust(min(width, 40)), "bold"), "  → ", (given, style))
        if graded and chosen != pair.right:
            line.append(f"   (right: {number[pair.right]}. {pair.right})", style="green")
        lines.append(line)
    lines.append(Text(""))
    lines.append(Text("Answers:", style="dim"))
    for n, text in enumerate(answers, 1):
        lines.append(Text.assemble(("  ", ""), (f"{n} ", "bold cyan"), text))
    return lines
