"""Parsing a large pack's files ahead, in a second process, while the loader validates.

Most of a cold load is libyaml parsing. On a machine with more than one core a helper
process parses the pack's lessons and quizzes from the last file backwards while the loader
works from the first, and hands each parse over the moment it is done: plain data, as
marshal, over a pipe. The loader never waits for it: a file not handed over yet is parsed
where it is needed, so a helper that is slow, dies or never starts costs nothing but the
time it would have saved, and the course loaded is the same either way.

The helper reads exactly the files the loader's containment scan let through, with the same
reader and the same limits (`documents.parse_file`). It is stopped when its root is loaded,
and stops by itself when the loader goes away (its pipe closes). A file that does not parse
cleanly, or holds what marshal cannot carry (a date), is left to the loader, which reports
its problems as it always does.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from tutor.content.loading.documents import ParseCache, Parsed, parse_file

MIN_BYTES = 3 << 20  # below about 3 MB (0.25 s of parsing) a second process saves nothing
_FRAME = struct.Struct("<II")  # a file's index in the list, the length of its marshal blob
_READ = 1 << 20


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def prefetch(paths: Sequence[Path], cache: ParseCache) -> Prefetched | None:
    """Start parsing `paths` ahead when it pays: another core, and at least MIN_BYTES of files
    the parse cache does not already hold. None when the loader should just parse."""
    if cores() < 2 or not _can_start():
        return None
    todo: list[Path] = []
    total = 0
    for path in paths:
        try:
            st = path.stat()
        except OSError:
            continue  # the loader says why when it reads it
        if cache.entries and cache.get(path, st) is not None:
            continue
        todo.append(path)
        total += st.st_size
    if total < MIN_BYTES:
        return None
    try:
        proc = subprocess.Popen(
            helper_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except OSError:
        return None
    try:
        return Prefetched(todo, proc)
    except Exception:  # pragma: no cover - a pipe that cannot be set up: the loader parses alone
        proc.kill()
        proc.wait()
        for stream in (proc.stdin, proc.stdout):
            if stream is not None:
                with contextlib.suppress(OSError):
                    stream.close()
        return None


def _can_start() -> bool:
    """A Python to start (not a frozen app's own binary) and pipes that can be read without
    waiting (`os.set_blocking` on pipes: POSIX, or Windows from Python 3.12)."""
    return bool(sys.executable) and not getattr(sys, "frozen", False) and hasattr(os, "set_blocking")


def helper_command() -> list[str]:
    """`-P`: the helper never imports from the folder it starts in (a pack's `yaml.py`, say);
    it is given this module's own file and runs only when that is the file it imported."""
    return [sys.executable, "-P", "-m", __name__, __file__]


class Prefetched:
    """The parses the helper has handed over, taken one file at a time by the loader."""

    def __init__(self, paths: Sequence[Path], proc: subprocess.Popen[bytes]) -> None:
        self._index = {str(path): i for i, path in enumerate(paths)}
        self._proc: subprocess.Popen[bytes] | None = proc
        self._done: dict[int, Parsed] = {}
        self._buf = bytearray()
        assert proc.stdin is not None and proc.stdout is not None
        self._out = proc.stdout
        os.set_blocking(self._out.fileno(), False)
        # The list can be larger than a pipe holds: written from a thread, the loader goes on.
        listing = marshal.dumps([str(path) for path in paths])
        threading.Thread(target=_send, args=(proc.stdin, listing), daemon=True).start()

    def take(self, path: Path) -> Parsed | None:
        """The file's parse when the helper has handed it over, else None (parse it here)."""
        index = self._index.get(str(path))
        if index is None:
            return None
        self._drain()
        return self._done.pop(index, None)

    @property
    def running(self) -> bool:
        """The helper may still hand parses over (it has not ended, or not been stopped)."""
        self._drain()
        return self._proc is not None

    def close(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.kill()
        proc.wait()
        self._out.close()

    def _drain(self) -> None:
        """Read what the pipe holds now, without waiting, and unpack every whole frame."""
        if self._proc is None:
            return
        ended = False
        while True:
            try:
                chunk = os.read(self._out.fileno(), _READ)
            except BlockingIOError:
                break
            except OSError:
                ended = True
                break
            if not chunk:
                ended = True
                break
            self._buf += chunk
        self._unpack()
        if ended:
            self.close()

    def _unpack(self) -> None:
        buf, pos, head = self._buf, 0, _FRAME.size
        while len(buf) - pos >= head:
            index, size = _FRAME.unpack_from(buf, pos)
            if len(buf) - pos - head < size:
                break
            start = pos + head
            pos = start + size
            try:
                file_size, mtime_ns, entry = marshal.loads(buf[start:pos])
            except (EOFError, ValueError, TypeError):  # not what the helper writes: stop using it
                self._buf = bytearray()
                self.close()
                return
            self._done[index] = Parsed(file_size, mtime_ns, entry)
        del buf[:pos]


def _send(stream: IO[bytes], data: bytes) -> None:
    try:
        stream.write(data)
    except OSError:  # the helper is gone: the loader parses on its own
        pass
    finally:
        with contextlib.suppress(OSError):
            stream.close()


def _work() -> None:
    """The helper: parse the listed files from the last one backwards, one frame each."""
    import gc
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c is the loader's; its pipe stops us
    if len(sys.argv) < 2 or not os.path.samefile(sys.argv[1], __file__):
        return  # another copy of tutor than the loader's: its parses are not the loader's
    gc.disable()  # as in the loader: what is built is freed as soon as it is sent
    paths = marshal.loads(sys.stdin.buffer.read())
    out = sys.stdout.buffer
    for index in range(len(paths) - 1, -1, -1):
        errors: list = []
        parsed = parse_file(Path(paths[index]), errors)
        if parsed is None or errors:
            continue  # the loader parses it again and reports its problems
        try:
            blob = marshal.dumps(tuple(parsed))
        except ValueError:  # a date, say: only plain data travels
            continue
        try:
            out.write(_FRAME.pack(index, len(blob)))
            out.write(blob)
            out.flush()
        except OSError:  # the loader is done or gone
            break


if __name__ == "__main__":
    try:
        _work()
    finally:
        os._exit(0)  # nothing left to flush into a closed pipe
