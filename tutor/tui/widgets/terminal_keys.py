"""Textual key names to the bytes an xterm sends for them."""

from __future__ import annotations

# Keys whose sequence is the same in every mode.
FIXED = {
    "enter": b"\r",
    "tab": b"\t",
    "shift+tab": b"\x1b[Z",
    "backspace": b"\x7f",
    "ctrl+h": b"\x08",
    "escape": b"\x1b",
    "insert": b"\x1b[2~",
    "delete": b"\x1b[3~",
    "pageup": b"\x1b[5~",
    "pagedown": b"\x1b[6~",
    "f1": b"\x1bOP",
    "f2": b"\x1bOQ",
    "f3": b"\x1bOR",
    "f4": b"\x1bOS",
    "f5": b"\x1b[15~",
    "f6": b"\x1b[17~",
    "f7": b"\x1b[18~",
    "f8": b"\x1b[19~",
    "f9": b"\x1b[20~",
    "f10": b"\x1b[21~",
    "f11": b"\x1b[23~",
    "f12": b"\x1b[24~",
    "ctrl+at": b"\x00",
    "ctrl+space": b"\x00",
    "ctrl+backslash": b"\x1c",
    "ctrl+right_square_bracket": b"\x1d",
    "ctrl+circumflex_accent": b"\x1e",
    "ctrl+underscore": b"\x1f",
    "ctrl+minus": b"\x1f",
    "space": b" ",
}
# Cursor keys: the final letter (ESC [ A, or ESC O A in application cursor mode).
CURSOR = {"up": "A", "down": "B", "right": "C", "left": "D", "home": "H", "end": "F"}
# xterm's modifier parameter: 1 + shift(1) + alt(2) + ctrl(4).
MODIFIER_BITS = {"shift": 1, "alt": 2, "meta": 2, "ctrl": 4}
TILDE_KEYS = {"insert": 2, "delete": 3, "pageup": 5, "pagedown": 6}


def key_bytes(key: str, character: str | None, app_cursor: bool = False) -> bytes | None:
    """The bytes for a Textual key, or None for a key a terminal has no sequence for."""
    if key in FIXED:
        return FIXED[key]
    mods, _, base = key.rpartition("+")
    modifiers = [m for m in mods.split("+") if m] if mods else []
    if not modifiers and base in CURSOR:
        return (b"\x1bO" if app_cursor else b"\x1b[") + CURSOR[base].encode()
    if modifiers and (base in CURSOR or base in TILDE_KEYS) and all(m in MODIFIER_BITS for m in modifiers):
        param = 1 + sum({MODIFIER_BITS[m] for m in modifiers})
        if base in CURSOR:
            return f"\x1b[1;{param}{CURSOR[base]}".encode()
        return f"\x1b[{TILDE_KEYS[base]};{param}~".encode()
    if modifiers == ["ctrl"] and len(base) == 1 and base.isalpha():
        return bytes([ord(base.lower()) & 0x1F])
    if modifiers and modifiers[0] in ("alt", "meta"):
        rest = key.split("+", 1)[1]
        inner = key_bytes(rest, character, app_cursor)
        if inner is None and character and character.isprintable():
            inner = character.encode()
        if inner is None and len(rest) == 1:
            inner = rest.encode()
        return b"\x1b" + inner if inner is not None else None
    if modifiers == ["shift"] and base in FIXED:
        return FIXED[base]
    if character and (character.isprintable() or character in "\t\r"):
        return character.encode()
    if character and len(character) == 1 and ord(character) < 32:
        return character.encode()  # a control character Textual did not name
    return None
