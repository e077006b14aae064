"""One key map: every screen's bindings walked for clashes, labels pinned to the map, the
written map (docs/keys.md, README) pinned to the code."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest
from textual.screen import Screen

import tutor.tui.screens as screens_pkg
from tutor.tui.app import TutorApp
from tutor.tui.keymap import KEY_NAMES, MEANINGS, STRUCTURAL

ROOT = Path(__file__).resolve().parents[2]


def all_screens() -> list[type[Screen]]:
    found: dict[str, type[Screen]] = {}
    for info in pkgutil.iter_modules(screens_pkg.__path__):
        module = importlib.import_module(f"{screens_pkg.__name__}.{info.name}")
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, Screen) and cls.__module__ == module.__name__:
                found[cls.__qualname__] = cls
    return sorted(found.values(), key=lambda c: c.__qualname__)


SCREENS = all_screens()
TEXTUAL_OWN = set(Screen._merge_bindings().key_to_bindings)  # tab, shift+tab, ctrl+c copy...


def bindings_of(cls: type) -> dict[str, list]:
    return {k: list(v) for k, v in cls._merge_bindings().key_to_bindings.items()}


def test_the_walk_finds_every_screen() -> None:
    names = {c.__name__ for c in SCREENS}
    assert {
        "HomeScreen",
        "LessonScreen",
        "PracticeScreen",
        "PracticeSetup",
        "ExamScreen",
        "ExamReviewScreen",
        "ExamResultScreen",
        "StatsScreen",
        "HelpScreen",
        "ProblemsScreen",
        "LabScreen",
        "NotesScreen",
    } <= names


@pytest.mark.parametrize("screen", SCREENS, ids=lambda c: c.__name__)
def test_no_key_means_two_things_on_one_screen(screen: type[Screen]) -> None:
    own = bindings_of(screen)
    app = bindings_of(TutorApp)
    for key, bound in own.items():
        actions = {b.action for b in bound}
        assert len(actions) == 1, f"{screen.__name__}: {key} does {sorted(actions)}"
        if key in app and key not in TEXTUAL_OWN:
            theirs = {b.action for b in app[key]}
            assert theirs == actions, f"{screen.__name__}: {key} is {actions} here but {theirs} everywhere"


@pytest.mark.parametrize("owner", [*SCREENS, TutorApp], ids=lambda c: c.__name__)
def test_a_key_has_the_same_name_on_every_screen(owner: type) -> None:
    for key, bound in bindings_of(owner).items():
        for b in bound:
            if key in MEANINGS:
                names = (MEANINGS[key].label, *MEANINGS[key].also)
                assert b.description in names, f"{owner.__name__}: {key} is {b.description!r}"
            else:
                assert key in STRUCTURAL or key.startswith(("ctrl+", "super+", "shift+")), (
                    f"{owner.__name__}: {key!r} is not in the key map (tutor/tui/keymap.py)"
                )


@pytest.mark.parametrize("owner", [*SCREENS, TutorApp], ids=lambda c: c.__name__)
def test_every_binding_says_in_words_what_it_does(owner: type) -> None:
    for key, bound in bindings_of(owner).items():
        if key in TEXTUAL_OWN and owner is not TutorApp:
            continue
        for b in bound:
            if b.show or key in MEANINGS:
                assert b.description, f"{owner.__name__}: {key} has no name"
                assert b.description != b.action


def test_the_written_map_names_every_key() -> None:
    docs = (ROOT / "docs" / "keys.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for key, meaning in MEANINGS.items():
        shown = KEY_NAMES.get(key, key)
        assert f"`{shown}`" in docs and meaning.label in docs, f"docs/keys.md lacks {shown} ({meaning.label})"
        assert f"`{shown}`" in readme, f"README lacks the key {shown}"
