"""Bars as plain text, for the terminal and the app alike (the app colours them): a share with an
optional pass-line mark, a one-character level, and the attempt history of an exam."""

from __future__ import annotations

from typing import Any

FULL, EMPTY, MARK = "█", "░", "│"
LEVELS = "▁▂▃▄▅▆▇█"


def bar(fraction: float, width: int, mark: float | None = None) -> str:
    """`width` cells filled to `fraction`; the cell at `mark` (a share too) shows the pass line."""
    fraction = min(1.0, max(0.0, fraction))
    filled = round(fraction * width)
    cells = [FULL if i < filled else EMPTY for i in range(width)]
    if mark is not None:
        cells[min(width - 1, max(0, round(mark * width)))] = MARK
    return "".join(cells)


def level(fraction: float) -> str:
    """One character from ▁ to █."""
    fraction = min(1.0, max(0.0, fraction))
    return LEVELS[min(len(LEVELS) - 1, int(fraction * len(LEVELS)))]


def history_lines(series: dict[str, Any], width: int = 30) -> list[tuple[str, str, str, bool]]:
    """(when, bar, score, passed) per attempt of one exam, oldest first, the pass mark drawn."""
    low, high = series["scale"]
    span = (high - low) or 1
    mark = (series["pass_mark"] - low) / span
    return [
        (
            a["finished"].replace("T", " ")[:16],
            bar((a["scaled"] - low) / span, width, mark),
            str(a["scaled"]),
            bool(a["passed"]),
        )
        for a in series["attempts"]
    ]
