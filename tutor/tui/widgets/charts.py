"""The core's text bars (tutor.quiz.charts) in colour: filled cells by verdict, the pass line marked."""

from __future__ import annotations

from rich.text import Text

from tutor.quiz.charts import FULL, MARK, bar, level


def share_style(share: float, need: float) -> str:
    if share >= need:
        return "green"
    return "yellow" if share >= need * 0.75 else "red"


def coloured_bar(share: float, width: int, need: float | None = None) -> Text:
    """A bar of `share`; with `need`, the pass line is drawn and the colour says which side it is."""
    style = share_style(share, need) if need is not None else "cyan"
    text = Text()
    for cell in bar(share, width, need):
        if cell == MARK:
            text.append(cell, "bold bright_white")
        elif cell == FULL:
            text.append(cell, style)
        else:
            text.append(cell, "grey35")
    return text


def level_text(share: float, need: float = 0.7) -> Text:
    return Text(level(share), style=share_style(share, need))
