"""The commands a step's instructions show in fenced code blocks, ready to be typed into a
terminal (never run by the app: the learner reads them and presses Enter)."""

from __future__ import annotations

import re

SHELL_LANGS = {"", "bash", "sh", "shell", "console", "zsh", "shell-session"}
_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>[^\n`]*)$")
# Everything but newline and tab: pack text must never send escape sequences or ctrl+c.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def code_blocks(markdown: str) -> list[tuple[str, str]]:
    """Every fenced block of a Markdown text: (language, body), in order."""
    blocks: list[tuple[str, str]] = []
    lines = markdown.splitlines()
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group("fence"), m.group("info").strip().split(" ")[0].lower()
        body: list[str] = []
        i += 1
        while i < len(lines) and not lines[i].strip().startswith(fence):
            body.append(lines[i])
            i += 1
        i += 1  # the closing fence (or the end of the text)
        blocks.append((lang, "\n".join(body)))
    return blocks


def commands(markdown: str) -> list[str]:
    """The blocks a learner would type: shell blocks (a console's `$ ` prompts removed); when a
    step has none, every block. Control characters are removed."""
    blocks = code_blocks(markdown)
    shell = [b for lang, b in blocks if lang in SHELL_LANGS] or [b for _, b in blocks]
    out = []
    for body in shell:
        lines = [ln[2:] if ln.startswith("$ ") else ln for ln in body.strip("\n").splitlines()]
        text = _CONTROL.sub("", "\n".join(lines)).strip()
        if text:
            out.append(text)
    return out


def one_line(text: str) -> str:
    """A block typed where the shell cannot take a multi-line paste: its lines joined with ` ; `
    (lines ending in a backslash continue as they would)."""
    joined = re.sub(r"[ \t]*\\\n[ \t]*", " ", text)
    return " ; ".join(ln.strip() for ln in joined.splitlines() if ln.strip())
