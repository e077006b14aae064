"""Nothing a pack writes reaches a terminal raw: control characters in titles, lessons, explanations,
hints, options and the values error messages quote are made visible, in the CLI and in the TUI.
Markdown keeps its newlines and the tabs of its code blocks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from security.packs import Pack, lab_data, question, raw_controls, yaml_inline
from tutor.cli import main
from tutor.content.loading.loader import load_course
from tutor.content.render import lesson_markdown

# In YAML double quotes: \e is ESC, \a BEL, \b backspace, \r carriage return, \x9b a C1 CSI.
HOSTILE = {
    "csi": r"\e[31mred\e[0m \e[2J\e[H",
    "osc52": r"\e]52;c;cm0gLXJmIH4=\a",
    "title": r"\e]0;pwned\a\e]2;pwned\e\\",
    "osc8": r"\e]8;;https://evil.example\e\\click\e]8;;\e\\",
    "c1": r"\x9b31m\x9d0;t\x9c\x85",
    "overwrite": r"rm -rf ~\rsafe\b\b\b\bnice\x7f",
}
EVIL = " ".join(HOSTILE.values())
RAW_BODY = "Intro\x1b[2J\x1b]52;c;eA==\x07 text\r overwritten\n\n```\n\tindented\x08\n```\n"


def build(pack: Pack) -> None:
    """Every kind of pack text carries every kind of escape."""
    pack.write_topics(title=f"Topic {EVIL}")
    pack.write_lesson(title=f"Lesson {EVIL}", objective=f"Objective {EVIL}", body=RAW_BODY)
    pack.write(
        "quizzes/pk.yaml",
        "kind: quiz\nid: pk-quiz\ntopic: pk\n"
        f"title: {yaml_inline('Quiz ' + EVIL)}\n"
        f"questions:\n  - {json.dumps(question())}\n",
    )
    text = pack.path("quizzes/pk.yaml").read_text()
    for plain in ("Which one?", "Because.", "This one", "Right."):
        text = text.replace(json.dumps(plain), yaml_inline(f"{plain} {EVIL}"))
    pack.path("quizzes/pk.yaml").write_text(text)
    steps = lab_data()["steps"]
    steps[0]["hints"] = ["HINT"]
    pack.write_lab(steps=steps, title="LABTITLE")
    lab = pack.lab_yaml.read_text()
    for plain in ("LABTITLE", "HINT", "Write notes.txt.", "echo hi > notes.txt"):
        lab = lab.replace(plain, yaml_inline(f"{plain} {EVIL}"))
    pack.lab_yaml.write_text(lab)


def strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*strings(k), *strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


def assert_clean(text: str) -> None:
    assert not raw_controls(text), f"raw control characters {raw_controls(text)} in:\n{text[:2000]}"


def assert_clean_json(text: str) -> Any:
    """JSON escapes C0 characters itself: the values must be clean once decoded, too."""
    assert_clean(text)
    data = json.loads(text)
    for s in strings(data):
        assert_clean(s)
    return data


@pytest.fixture
def hostile(pack: Pack) -> Pack:
    build(pack)
    assert not load_course([pack.root], cache=False).errors  # a valid pack, only hostile
    return pack


def test_loaded_content_is_clean_and_markdown_intact(hostile: Pack) -> None:
    course = load_course([hostile.root], cache=False)
    lesson = course.lessons["pk-lesson"]
    text = lesson_markdown(lesson, course)
    assert_clean(text)
    assert "␛]52;" in text and "␛[31m" in text  # visible, not dropped: the author sees what was there
    assert "\n```\n\tindented" in text  # newlines and the code block's tab are kept
    q = course.questions["pk-q1"]
    for s in (q.prompt, q.explanation, *(o.text for o in q.options), *(o.why for o in q.options)):
        assert_clean(s)
    assert "\\x9b31m" in q.prompt and "\\x9b31m" in q.options[0].text
    step = course.labs["pk-lab"].steps[0]
    for s in (course.labs["pk-lab"].title, step.instructions, *step.hints, *step.solution.commands):
        assert_clean(s)


def test_lesson_show(hostile: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--content", str(hostile.root), "lesson", "show", "pk-lesson"]) == 0
    assert_clean(capsys.readouterr().out)
    assert main(["--content", str(hostile.root), "lesson", "show", "pk-lesson", "--json"]) == 0
    data = assert_clean_json(capsys.readouterr().out)
    assert "\tindented" in data["body"]


def test_quiz_json(hostile: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    content = ["--content", str(hostile.root)]
    assert main([*content, "quiz", "list", "--json"]) == 0
    assert_clean_json(capsys.readouterr().out)
    assert main([*content, "quiz", "start", "pk-quiz", "--json", "--seed", "1"]) == 0
    started = assert_clean_json(capsys.readouterr().out)
    attempt = str(started["attempt"])
    assert main([*content, "quiz", "answer", attempt, "pk-q1", '{"choice": "b"}', "--json"]) == 0
    answered = assert_clean_json(capsys.readouterr().out)
    assert "Because." in answered["explanation"]
    # the one-question attempt is finished now: the answer is refused, and the refusal is clean too
    assert main([*content, "quiz", "answer", attempt, "pk-q1", '{"choice": "b"}']) == 2
    captured = capsys.readouterr()
    assert_clean(captured.out)
    assert_clean(captured.err)


def test_lab_texts(hostile: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    content = ["--content", str(hostile.root)]
    for args in (["lab", "list"], ["lab", "hint", "pk-lab"], ["lab", "solution", "pk-lab"]):
        assert main([*content, *args]) == 0
        assert_clean(capsys.readouterr().out)
        assert main([*content, *args, "--json"]) == 0
        assert_clean_json(capsys.readouterr().out)


def test_validate_messages_quoting_pack_values(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    text = pack.lab_yaml.read_text().replace("topic: pk", f"topic: {yaml_inline('nope ' + EVIL)}")
    pack.lab_yaml.write_text(text + f"{yaml_inline('key ' + EVIL)}: 1\n")
    weird = pack.path("lessons/pk").joinpath("\x1b]0;pwned\x07.md")
    weird.write_text("no front matter\x1b[2J\n")
    assert main(["validate", str(pack.root)]) == 4
    out = capsys.readouterr().out
    assert_clean(out)
    assert "unknown key" in out and "pwned" in out
    assert main(["validate", str(pack.root), "--json"]) == 4
    problems = assert_clean_json(capsys.readouterr().out)["problems"]
    assert len(problems) >= 2


def test_what_engines_and_commands_say_is_sanitised(pack: Pack, tmp_path: Path) -> None:
    from tutor.labs import solution
    from tutor.labs.checks import REGISTRY, load_check_kinds
    from tutor.labs.checks.base import Outcome
    from tutor.labs.engine import LabSession
    from tutor.progress import open_store

    with pytest.raises(solution.SolutionFailed) as caught:
        command = r"printf '\033]52;c;eA==\a\033[2J'; exit 3"
        solution.apply({"files": {}, "commands": [command]}, tmp_path, {"PATH": "/usr/bin:/bin"}, 30)
    assert_clean(str(caught.value))
    load_check_kinds()
    session = LabSession(load_course([pack.root], cache=False), open_store(), "pk-lab")
    original = REGISTRY["file"]
    REGISTRY["file"] = lambda spec, ctx: Outcome(False, "container says \x1b]0;x\x07", "\x9b2J")
    try:
        [result] = session.run_step("one", record=False)
    finally:
        REGISTRY["file"] = original
        session.close()
    assert_clean(result.reason + result.hint + result.title)


# -- the TUI ------------------------------------------------------------------------------------


def screen_text(app: Any) -> str:
    """Every character the current screen would send to the terminal, styles aside."""
    strips = app.screen._compositor.render_strips()
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


async def test_tui_screens_show_no_raw_controls(hostile: Pack) -> None:
    from tutor.tui.app import make_app
    from tutor.tui.screens.lab import LabScreen
    from tutor.tui.screens.lesson import LessonScreen
    from tutor.tui.screens.practice import PracticeScreen

    app = make_app(content=[str(hostile.root)], seed=1)
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        home = screen_text(app)
        assert "Topic" in home and "Lesson" in home
        assert_clean(home)
        app.open_item("lesson", "pk-lesson")
        # the course loads in a thread worker first: the lesson opens (and draws) once it has loaded
        for _ in range(600):
            await pilot.pause(0.05)
            if isinstance(app.screen, LessonScreen) and "indented" in screen_text(app):
                break
        assert isinstance(app.screen, LessonScreen)
        lesson = screen_text(app)
        assert "Intro" in lesson and "indented" in lesson
        assert_clean(lesson)
        await pilot.press("escape")
        app.open_item("quiz", "pk-quiz")
        await pilot.pause()
        assert isinstance(app.screen, PracticeScreen)
        assert "Which one?" in screen_text(app)
        await pilot.press("2", "enter")  # a wrong answer shows the explanation and the why
        await pilot.pause()
        practice = screen_text(app)
        assert "Because." in practice
        assert_clean(practice)
        await pilot.press("escape")
        await pilot.pause()
        app.open_item("lab", "pk-lab")
        await pilot.pause()
        assert isinstance(app.screen, LabScreen)
        assert "LABTITLE" in screen_text(app) or "Write notes.txt" in screen_text(app)
        assert_clean(screen_text(app))


@pytest.mark.parametrize("size", [10, 300, 5000])
def test_clean_finds_every_control_in_short_and_long_texts(size: int) -> None:
    """Long ASCII texts (a lesson's body) are scanned as bytes: the same answer as the regex."""
    from tutor.base.text import CONTROL, _visible, clean

    plain = ("Markdown text,\tcode\n" * size)[:size]
    assert clean(plain) is plain
    for code in [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, 0x85, 0x9B]:
        text = plain[: size // 2] + chr(code) + plain[size // 2 :]
        assert clean(text) == CONTROL.sub(_visible, text) != text, hex(code)
    assert clean(plain + "é\x1b") == plain + "é\u241b"  # not ASCII: the regex
