"""The terminal's model and its picture: a pyte HistoryScreen that also knows the alternate
screen (less, vi, top) and answers the program's queries; a filter that takes FinalTerm's
OSC 133 marks out of the byte stream; and pyte cells turned into Rich segments."""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Callable
from typing import Any

import pyte
from pyte.screens import Char, StaticDefaultDict
from rich.color import Color
from rich.segment import Segment
from rich.style import Style

ALT_SCREEN_MODES = {47, 1047, 1049}  # xterm's alternate screen, with and without saving the cursor
BRACKETED_PASTE = 2004 << 5  # pyte keeps private modes shifted left by 5
APP_CURSOR = 1 << 5  # DECCKM: arrows send ESC O A instead of ESC [ A


class TermScreen(pyte.HistoryScreen):
    """A HistoryScreen with the alternate screen, a resize that keeps the cursor's line in
    view (what scrolls off goes to the history), and replies (cursor position, device
    attributes) written back to the program."""

    def __init__(
        self, columns: int, lines: int, history: int = 2000, reply: Callable[[str], None] | None = None
    ) -> None:
        self.reply = reply
        self.in_alt = False
        self._main: tuple[Any, Any] | None = None
        super().__init__(columns, lines, history=history, ratio=0.5)

    # HistoryScreen wraps every event in before/after hooks that page back to the bottom and
    # sync the cursor with DECTCEM. This view never pages pyte (it reads history.top itself)
    # and Screen already syncs the cursor, so the hooks are skipped: twice the throughput.
    __getattribute__ = object.__getattribute__

    def _new_buffer(self) -> Any:
        return defaultdict(lambda: StaticDefaultDict[int, Char](self.default_char))

    def select_graphic_rendition(self, *attrs: int, private: bool = False) -> None:
        if not private:  # CSI > ... m is xterm's key-modifier setting, not colours
            super().select_graphic_rendition(*attrs)

    def write_process_input(self, data: str) -> None:
        if self.reply is not None:
            self.reply(data)

    # -- the alternate screen ----------------------------------------------------------
    def set_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and ALT_SCREEN_MODES & set(modes) and not self.in_alt:
            self._main = (self.buffer, copy.copy(self.cursor))
            self.buffer = self._new_buffer()
            self.in_alt = True
            self.dirty.update(range(self.lines))
        super().set_mode(*modes, **kwargs)

    def reset_mode(self, *modes: int, **kwargs: Any) -> None:
        if kwargs.get("private") and ALT_SCREEN_MODES & set(modes) and self.in_alt and self._main:
            buffer, cursor = self._main
            for y in [y for y in buffer if y >= self.lines]:
                del buffer[y]
            self.buffer = buffer
            if 1049 in modes:
                cursor.x = min(cursor.x, self.columns - 1)
                cursor.y = min(cursor.y, self.lines - 1)
                self.cursor = cursor
            self.in_alt = False
            self._main = None
            self.dirty.update(range(self.lines))
        super().reset_mode(*modes, **kwargs)

    def index(self) -> None:
        if self.in_alt:  # what scrolls off the alternate screen is not history
            pyte.Screen.index(self)
        else:
            super().index()

    # -- resizing ------------------------------------------------------------------------
    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        lines, columns = lines or self.lines, columns or self.columns
        if (lines, columns) == (self.lines, self.columns):
            return
        if lines < self.lines:
            excess = max(0, self.cursor.y - (lines - 1))
            if excess:  # the top lines scroll off into the history, as in xterm
                if not self.in_alt:
                    for y in range(excess):
                        self.history.top.append(self.buffer[y])
                kept = {y - excess: self.buffer[y] for y in range(excess, self.lines) if y in self.buffer}
                self.buffer.clear()
                self.buffer.update(kept)
                self.cursor.y -= excess
            for y in [y for y in self.buffer if y >= lines]:
                del self.buffer[y]
        if columns < self.columns:
            for line in self.buffer.values():
                for x in [x for x in line if x >= columns]:
                    del line[x]
        self.lines, self.columns = lines, columns
        self.margins = None
        self.tabstops = {t for t in self.tabstops if t < columns} | set(range(8, columns, 8))
        self.cursor.x = min(self.cursor.x, columns - 1)
        self.cursor.y = min(self.cursor.y, lines - 1)
        self.dirty.update(range(lines))

    @property
    def bracketed_paste(self) -> bool:
        return BRACKETED_PASTE in self.mode

    @property
    def app_cursor(self) -> bool:
        return APP_CURSOR in self.mode


class SafeByteStream(pyte.ByteStream):
    """A sequence pyte cannot take is dropped (pyte resets its parser), the rest still drawn."""

    def _send_to_parser(self, data: str) -> bool | None:
        try:
            return super()._send_to_parser(data)
        except Exception:
            return self._taking_plain_text


# -- OSC 133 ------------------------------------------------------------------------------
_OSC133 = b"\x1b]133;"
_MARK = re.compile(rb"\x1b\]133;([^\x07\x1b]*)(?:\x07|\x1b\\)")


class Osc133Filter:
    """Takes FinalTerm's semantic-prompt marks out of the stream and reports `D;<status>`
    (a command finished). A mark split across two reads is held until it is complete."""

    MAX_MARK = 256

    def __init__(self) -> None:
        self._tail = b""

    def feed(self, data: bytes) -> tuple[bytes, list[int]]:
        data, self._tail = self._tail + data, b""
        codes: list[int] = []
        if b"\x1b" not in data:
            return data, codes

        def take(m: re.Match[bytes]) -> bytes:
            kind, _, rest = m.group(1).partition(b";")
            if kind == b"D":
                status = rest.split(b";")[0]
                codes.append(int(status) if status.isdigit() else 0)
            return b""

        out = _MARK.sub(take, data)
        # A mark (or the start of one) at the very end: keep it for the next read.
        start = out.rfind(_OSC133)
        if start != -1 and len(out) - start <= self.MAX_MARK:
            out, self._tail = out[:start], out[start:]
        else:
            for n in range(min(len(_OSC133) - 1, len(out)), 0, -1):
                if out.endswith(_OSC133[:n]):
                    out, self._tail = out[:-n], out[-n:]
                    break
        return out, codes


# -- cells to segments ------------------------------------------------------------------------
_ANSI = {"black": 0, "red": 1, "green": 2, "brown": 3, "yellow": 3, "blue": 4, "magenta": 5, "cyan": 6}
_ANSI["white"] = 7
_HEX = re.compile(r"^[0-9a-fA-F]{6}$")


def pyte_color(name: str) -> Color | None:
    """pyte's colour names (16 ANSI names, "bright…", or rrggbb for 256 and true colour)."""
    if name == "default" or not name:
        return None
    if name in _ANSI:
        return Color.from_ansi(_ANSI[name])
    if name.startswith("bright") and name[6:] in _ANSI:
        return Color.from_ansi(_ANSI[name[6:]] + 8)
    if _HEX.match(name):
        return Color.parse("#" + name)
    return None


class CellStyles:
    """Rich styles for pyte cells, cached by attributes (a screen uses a handful)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[Any, ...], Style] = {}
        self.base = Style()

    def set_base(self, base: Style) -> None:
        if base != self.base:
            self.base = base
            self._cache.clear()

    def style(self, c: Char, cursor: bool = False) -> Style:
        key = (c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse != cursor)
        style = self._cache.get(key)
        if style is None:
            style = self.base + Style(
                color=pyte_color(c.fg),
                bgcolor=pyte_color(c.bg),
                bold=c.bold or None,
                italic=c.italics or None,
                underline=c.underscore or None,
                strike=c.strikethrough or None,
                reverse=key[-1] or None,
            )
            self._cache[key] = style
        return style

    def segments(self, line: Any, columns: int, cursor_x: int = -1) -> list[Segment]:
        """One screen line as segments, runs of the same style joined; the cursor reversed."""
        out: list[Segment] = []
        text: list[str] = []
        current: Style | None = None
        default = line.default if hasattr(line, "default") else None
        for x in range(columns):
            c = line.get(x, default) if default is not None else line[x]
            if c is None:
                c = Char(" ")
            if not c.data:  # the second cell of a wide character
                continue
            style = self.style(c, x == cursor_x)
            if style is not current and text:
                out.append(Segment("".join(text), current))
                text = []
            current = style
            text.append(c.data)
        if text:
            out.append(Segment("".join(text), current))
        return out
