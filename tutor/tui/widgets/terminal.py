"""A terminal inside the app: a process on a pseudo-terminal, its output fed to a pyte screen,
the screen drawn line by line (only the lines that changed).

Keys go to the process, ctrl+c included (a learner in a terminal expects it to interrupt);
only the app's priority keys stay with the app: ctrl+q quits and a screen may bind another
(the lab screen's F6 leaves the terminal). shift+pageup/pagedown and the mouse wheel scroll
back through the history. When the shell reports a finished command (OSC 133;D, see
tutor.labs.shellenv), the widget posts Terminal.CommandFinished.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from tutor.tui.widgets.terminal_keys import key_bytes
from tutor.tui.widgets.terminal_pty import PtyProcess
from tutor.tui.widgets.terminal_screen import CellStyles, Osc133Filter, SafeByteStream, TermScreen

# pyte takes about 0.4 MB/s: one read per turn of the event loop, small enough (~40 ms of
# parsing) that keys (ctrl+c) still get through while output pours in.
READ_CHUNK = 16384
READ_BATCH = 1
PASTE_START, PASTE_END = b"\x1b[200~", b"\x1b[201~"


class Terminal(Widget, can_focus=True):
    DEFAULT_CSS = """
    Terminal {
        width: 1fr;
        height: 1fr;
        min-width: 20;
        min-height: 4;
    }
    """

    class CommandFinished(Message):
        """The shell is back at its prompt: the command before it exited with `exit_code`."""

        def __init__(self, terminal: Terminal, exit_code: int) -> None:
            super().__init__()
            self.terminal = terminal
            self.exit_code = exit_code

    class Exited(Message):
        """The process ended; Enter in the terminal starts it again."""

        def __init__(self, terminal: Terminal, exit_code: int | None) -> None:
            super().__init__()
            self.terminal = terminal
            self.exit_code = exit_code

    def __init__(self, *, history: int = 2000, name: str | None = None, id: str | None = None) -> None:
        super().__init__(name=name, id=id)
        self.screen_model = TermScreen(80, 24, history=history, reply=self._reply)
        self.stream = SafeByteStream(self.screen_model)
        self.marks = Osc133Filter()
        self.cells = CellStyles()
        self.process: PtyProcess | None = None
        self.command: tuple[list[str], dict[str, str], str | None] | None = None
        self.placeholder = ""
        self.history_offset = 0  # lines of history shown above the live screen
        self._strips: dict[int, Strip] = {}
        self._cursor_line = -1
        self._pending = b""  # input the pty could not take yet
        self._loop: asyncio.AbstractEventLoop | None = None
        self.exit_code: int | None = None

    # -- the process ------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.process is not None and self.exit_code is None

    def start(self, argv: Sequence[str], env: Mapping[str, str], cwd: str | None = None) -> None:
        """Run `argv` on a new pty the size of the widget (a running process is hung up first)."""
        self.stop()
        self.command = (list(argv), dict(env), cwd)
        rows, cols = self._rows_cols()
        self.screen_model.reset()
        self.screen_model.resize(rows, cols)
        self.exit_code = None
        self.placeholder = ""
        self.history_offset = 0
        self.process = PtyProcess(argv, env, cwd, rows, cols)
        self._loop = asyncio.get_running_loop()
        self._loop.add_reader(self.process.fd, self._readable)
        self._invalidate()

    def restart(self) -> None:
        if self.command is not None:
            self.start(*self.command)

    def stop(self) -> None:
        if self.process is None:
            return
        self._detach()
        self.process.close()
        self.process = None

    def _detach(self) -> None:
        if self._loop is not None and self.process is not None:
            self._loop.remove_reader(self.process.fd)
            if self._pending:
                self._loop.remove_writer(self.process.fd)
        self._pending = b""

    def on_unmount(self) -> None:
        self.stop()

    def _rows_cols(self) -> tuple[int, int]:
        height, width = self.size.height, self.size.width
        return (max(height, 2) if height else 24), (max(width, 10) if width else 80)

    def _readable(self) -> None:
        """Called by the event loop when the pty has output: read what is there (a few
        chunks at most), feed the screen once, redraw the lines that changed once."""
        process = self.process
        if process is None:
            return
        data = bytearray()
        ended = False
        for _ in range(READ_BATCH):
            chunk = process.read(READ_CHUNK)
            if chunk is None:
                ended = True
                break
            if not chunk:
                break
            data += chunk
        if data:
            self.feed(bytes(data))
        if ended:
            self._ended()

    def feed(self, data: bytes) -> None:
        """Bytes from the process: marks taken out, the rest to pyte, changed lines redrawn."""
        clean, finished = self.marks.feed(data)
        if clean:
            history = len(self.screen_model.history.top)
            self.stream.feed(clean)
            if self.history_offset:  # keep the view where the reader left it
                grown = len(self.screen_model.history.top) - history
                self.history_offset = min(self.history_offset + grown, len(self.screen_model.history.top))
                self._invalidate()
            else:
                self._redraw_dirty()
        for code in finished:
            self.post_message(self.CommandFinished(self, code))

    def _ended(self) -> None:
        process = self.process
        if process is None:
            return
        self._detach()
        code = process.wait(0.5)
        self.exit_code = code
        note = f" exited with code {code} " if code is not None else " ended "
        self.stream.feed(f"\r\n\x1b[0;7m[the shell{note}- press Enter to start a new one]\x1b[0m".encode())
        self._redraw_dirty()
        self.post_message(self.Exited(self, code))

    def _reply(self, text: str) -> None:
        self.write(text.encode())

    def write(self, data: bytes) -> None:
        """Send bytes to the process (what it cannot take yet is sent when it can)."""
        if not self.running or self.process is None or not data:
            return
        if self._pending:
            self._pending += data
            return
        rest = self.process.write(data)
        if rest and self._loop is not None:
            self._pending = rest
            self._loop.add_writer(self.process.fd, self._writable)

    def _writable(self) -> None:
        if self.process is None or self._loop is None:
            return
        self._pending = self.process.write(self._pending)
        if not self._pending:
            self._loop.remove_writer(self.process.fd)

    def interrupt(self) -> None:
        """ctrl+c, which the app catches first (so it can quit elsewhere), goes to the program."""
        self.scroll_to_live()
        self.write(b"\x03")

    def send_text(self, text: str) -> None:
        """Type `text` into the terminal without pressing Enter. Several lines go as one
        bracketed paste when the program asked for those (bash and zsh do): shown, not run.
        Without it each newline would run a line: callers join lines first."""
        text = text.rstrip("\r\n")
        self.scroll_to_live()
        self._paste(text)

    def _paste(self, text: str) -> None:
        data = text.replace("\r\n", "\r").replace("\n", "\r").encode()
        if self.screen_model.bracketed_paste:
            data = PASTE_START + data.replace(PASTE_END, b"") + PASTE_END
        self.write(data)

    @property
    def bracketed_paste(self) -> bool:
        return self.screen_model.bracketed_paste

    # -- input --------------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key in ("shift+pageup", "shift+pagedown"):
            page = max(1, self.screen_model.lines - 1)
            self.scroll_history(page if event.key == "shift+pageup" else -page)
            return
        if not self.running:
            if event.key == "enter" and self.command is not None:
                self.restart()
            return
        data = key_bytes(event.key, event.character, self.screen_model.app_cursor)
        if data:
            self.scroll_to_live()
            self.write(data)

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        if self.running:
            self.scroll_to_live()
            self._paste(event.text)

    def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        event.stop()
        self._wheel(3)

    def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        event.stop()
        self._wheel(-3)

    def _wheel(self, lines: int) -> None:
        if self.screen_model.in_alt:  # a full-screen program: the wheel is its arrow keys
            arrow = b"A" if lines > 0 else b"B"
            prefix = b"\x1bO" if self.screen_model.app_cursor else b"\x1b["
            self.write((prefix + arrow) * abs(lines))
        else:
            self.scroll_history(lines)

    def scroll_history(self, lines: int) -> None:
        """Positive: further back into the history; negative: towards the live screen."""
        offset = max(0, min(self.history_offset + lines, len(self.screen_model.history.top)))
        if offset != self.history_offset:
            self.history_offset = offset
            self._invalidate()

    def scroll_to_live(self) -> None:
        if self.history_offset:
            self.history_offset = 0
            self._invalidate()

    def on_resize(self, event: events.Resize) -> None:
        rows, cols = self._rows_cols()
        self.screen_model.resize(rows, cols)
        if self.process is not None:
            self.process.resize(rows, cols)
        self._invalidate()

    def on_focus(self) -> None:
        self._redraw_cursor()

    def on_blur(self) -> None:
        self._redraw_cursor()

    # -- drawing ---------------------------------------------------------------------------------
    def _invalidate(self) -> None:
        self._strips.clear()
        self.screen_model.dirty.clear()
        self.refresh()

    def _redraw_cursor(self) -> None:
        self.screen_model.dirty.add(self._cursor_line)
        self.screen_model.dirty.add(self.screen_model.cursor.y)
        self._redraw_dirty()

    def _redraw_dirty(self) -> None:
        """Forget the strips of the lines pyte marked, and of the old and new cursor line."""
        screen = self.screen_model
        dirty = set(screen.dirty)
        screen.dirty.clear()
        if self._cursor_line != screen.cursor.y:
            dirty.update((self._cursor_line, screen.cursor.y))
        dirty = {y for y in dirty if 0 <= y < screen.lines}
        if not dirty:
            return
        for y in dirty:
            self._strips.pop(y, None)
        width = self.size.width
        for y in sorted(dirty):
            self.refresh(Region(0, y, width, 1))

    def _show_cursor(self) -> bool:
        return self.has_focus and not self.screen_model.cursor.hidden and not self.history_offset

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        screen = self.screen_model
        self.cells.set_base(self.rich_style)
        if self.process is None and self.placeholder:
            text = self.placeholder if y == 0 else ""
            return Strip([Segment(text[:width].ljust(width), self.cells.base + Style(italic=True))])
        offset = self.history_offset
        if offset:
            history = screen.history.top
            line = history[len(history) - offset + y] if y < offset else screen.buffer[y - offset]
            return self._strip(line, width, -1)
        if y >= screen.lines:
            return Strip.blank(width, self.cells.base)
        strip = self._strips.get(y)
        if strip is None:
            cursor_x = screen.cursor.x if (y == screen.cursor.y and self._show_cursor()) else -1
            if y == screen.cursor.y:
                self._cursor_line = y
            strip = self._strip(screen.buffer[y], width, cursor_x)
            self._strips[y] = strip
        return strip

    def _strip(self, line: object, width: int, cursor_x: int) -> Strip:
        columns = min(self.screen_model.columns, width)
        segments = self.cells.segments(line, columns, cursor_x)
        if columns < width:
            segments.append(Segment(" " * (width - columns), self.cells.base))
        return Strip(segments, width)

    def screen_text(self) -> list[str]:
        """The live screen as plain lines (for tests and the benchmark)."""
        return self.screen_model.display
