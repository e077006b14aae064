"""One key map for the whole app: a key means the same thing on every screen.

Letter and symbol keys have one meaning each (`MEANINGS`); a screen binds only those it needs,
with the label given here (the footer and the help screen show it) and a tooltip that says
what it does there. Keys that move, choose and leave (arrows, Enter, Space, Esc, digits...)
do the same kind of thing everywhere: Enter selects and confirms, Space toggles, Esc goes
back, a digit picks the numbered line. `tests/tui/test_keymap.py` walks every screen's
bindings for clashes; docs/keys.md is the written map.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True)
class Meaning:
    key: str  # Textual's key name
    label: str  # the word the footer and the help screen show
    means: str  # what it does, wherever it is bound
    also: tuple[str, ...] = ()  # other words a screen may show for the same thing


MEANINGS: dict[str, Meaning] = {
    m.key: m
    for m in (
        # Everywhere (the app's own keys)
        Meaning("question_mark", "Keys", "list the keys of the screen you are on"),
        Meaning("g", "Home", "back to the home screen"),
        Meaning("q", "Quit", "leave the app; your progress is saved"),
        Meaning("slash", "Search", "search lessons, questions and labs"),
        # Moving through things
        Meaning("n", "Next", "the next lesson, question, step or answer (an unanswered question is skipped)"),
        Meaning("p", "Prev", "the previous lesson, question, step or answer"),
        Meaning("j", "Down", "scroll down"),
        Meaning("k", "Up", "scroll up"),
        # Questions and exams
        Meaning("m", "Flag", "flag the question to come back to"),
        Meaning("r", "Review", "the exam's review page: every question and its state"),
        Meaning("s", "Submit", "hand in the exam (asks once)", also=("End exam",)),
        Meaning("a", "All", "the review page: show every question"),
        Meaning("f", "Flagged", "the review page: show the flagged questions"),
        Meaning("u", "Unanswered", "the review page: show the unanswered questions"),
        Meaning("i", "Incomplete", "the review page: show the questions with fewer choices than asked"),
        Meaning("v", "All answers", "every answer of the exam with its explanation"),
        Meaning("w", "Next wrong", "the next answer you got wrong"),
        Meaning("o", "Lesson", "read the lesson section that teaches the question"),
        # Lessons
        Meaning("d", "Done", "mark the lesson done, or not done"),
        Meaning("t", "Contents", "show or hide the lesson's contents"),
        Meaning("c", "Check", "check your work: a lab step's checks, a lesson's questions"),
        Meaning("l", "Lab", "open the lab of the lesson (or of a missed question)"),
        Meaning("b", "Bookmark", "bookmark the section you are reading, or remove the bookmark"),
        Meaning("e", "Note", "write a note on the section you are reading"),
        # Labs
        Meaning("h", "Hint", "the next hint; after the last one, the solution (asks first)"),
        Meaning("x", "Reset", "remove what the lab made and start it again (lists it first)"),
        # Home
        Meaning("exclamation_mark", "Problems", "problems found in the course content"),
    )
}

NUMBERED = "pick the numbered line: an option, True (1) or False (2), Yes (1) or No (2), a rating"
# Keys that move, choose and leave: the same kind of thing on every screen, a label per screen.
STRUCTURAL = {
    "enter": "select, answer, confirm, go on",
    "space": "toggle: the highlighted option (select it, or not); in a lab, auto-check on or off",
    "escape": "back, close or leave (what you did is kept)",
    "tab": "the next part of the screen",
    "up": "move or scroll up",
    "down": "move or scroll down",
    "left": "move left: the previous pane, question or answer; in a lesson, code sideways",
    "right": "move right: the next pane, question or answer; in a lesson, code sideways",
    "pageup": "a page up",
    "pagedown": "a page down",
    "home": "to the top",
    "end": "to the end",
    "backspace": "clear",
    "delete": "clear or remove",
    "left_square_bracket": "move the highlighted step up",
    "right_square_bracket": "move the highlighted step down",
    "shift+up": "move the highlighted step up",
    "shift+down": "move the highlighted step down",
    "shift+left": "scroll code to the left",
    "shift+right": "scroll code to the right",
    "f6": "lab: move between the terminal and the instructions",
    "f7": "lab: type the step's next command into the terminal",
    "ctrl+c": "quit (in the lab terminal: interrupt the program)",
    "ctrl+q": "quit",
    "ctrl+p": "commands and search",
    **{str(n): NUMBERED for n in range(1, 10)},
}

KEY_NAMES = {
    "question_mark": "?",
    "exclamation_mark": "!",
    "slash": "/",
    "escape": "Esc",
    "enter": "Enter",
    "space": "Space",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "backspace": "Backspace",
    "delete": "Del",
    "tab": "Tab",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
}


def key_label(keys: str) -> str:
    return ", ".join(KEY_NAMES.get(k, k) for k in keys.split(","))


def bind(
    key: str, action: str, tooltip: str, *, id: str, show: bool = True, priority: bool = False
) -> Binding:
    """A binding for a key of the map, with the map's label."""
    meaning = MEANINGS[key]
    return Binding(key, action, meaning.label, show=show, id=id, tooltip=tooltip, priority=priority)


def meaning_of(key: str) -> str:
    if key in MEANINGS:
        return MEANINGS[key].means
    return STRUCTURAL.get(key, "")
