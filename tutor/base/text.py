"""The one sanitiser for text that came from a content pack (or from what a pack ran).

A pack is untrusted: its titles, lessons, hints and the output of its containers could carry
terminal control sequences (colours, cursor moves, OSC 52 clipboard writes, OSC 0/2 title
changes, OSC 8 links, bells, backspaces and carriage returns that overwrite what was shown).
`clean` makes every control character visible instead, so nothing reaches a terminal raw:
C0 controls become their Unicode control pictures (ESC -> U+241B), DEL -> U+2421, C1
controls -> `\\x9b`, lone surrogates (undecodable file names) -> U+FFFD. Newlines and tabs
are kept, so Markdown and code blocks render as written.
"""

from __future__ import annotations

import re
from typing import Any

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # the control pictures block: NUL -> U+2400, ESC -> U+241B
    if code == 0x7F:
        return "\u2421"
    if code <= 0x9F:
        return f"\\x{code:02x}"
    return "\ufffd"


_ASCII_CONTROLS = bytes([*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F])


def clean(text: str) -> str:
    """`text` with every control character but newline and tab made visible."""
    if len(text) > 256 and text.isascii():  # a lesson's body: a byte scan is faster than the regex
        if len(text.encode("ascii").translate(None, _ASCII_CONTROLS)) == len(text):
            return text
    elif CONTROL.search(text) is None:  # the common case: one scan in C, no copy
        return text
    return CONTROL.sub(_visible, text)


def has_controls(text: str) -> bool:
    return CONTROL.search(text) is not None


def clean_data(value: Any) -> Any:
    """Every string in `value` (keys too), through dicts, lists and tuples, cleaned."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_data(k): clean_data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_data(v) for v in value)
    return value
