"""A child process on a pseudo-terminal: spawn (its own session, the pty as its controlling
terminal), read without blocking, write, resize, stop. No Textual here."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import signal
import struct
import subprocess
import termios
from collections.abc import Mapping, Sequence


def _controlling_tty() -> None:  # runs in the child, after setsid(); keep it to one syscall
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def set_size(fd: int, rows: int, cols: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


class PtyProcess:
    """One process on one pty. `fd` is the master side: read what the process writes, write
    what it should read. Changing the size sends the process SIGWINCH (the kernel does)."""

    def __init__(
        self, argv: Sequence[str], env: Mapping[str, str], cwd: str | None, rows: int, cols: int
    ) -> None:
        master, slave = os.openpty()
        try:
            set_size(slave, max(rows, 1), max(cols, 1))
            self.proc = subprocess.Popen(
                list(argv),
                stdin=slave,
                stdout=slave,
                stderr=slave,
                env=dict(env),
                cwd=cwd,
                start_new_session=True,  # setsid(): the shell leads its own session...
                preexec_fn=_controlling_tty,  # ...whose controlling terminal is the pty
                close_fds=True,
            )
        except BaseException:
            os.close(master)
            raise
        finally:
            os.close(slave)
        os.set_blocking(master, False)
        self.fd = master
        self.exit_code: int | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def read(self, limit: int = 65536) -> bytes | None:
        """What is waiting (b"" when nothing is), or None once the process side has closed."""
        try:
            data = os.read(self.fd, limit)
        except BlockingIOError:
            return b""
        except OSError as exc:  # EIO: every process holding the pty has gone
            if exc.errno in (errno.EIO, errno.EBADF):
                return None
            raise
        return data or None

    def write(self, data: bytes) -> bytes:
        """Write what the pty takes now; return the rest (the caller waits until it is writable)."""
        view = memoryview(data)
        while view:
            try:
                n = os.write(self.fd, view)
            except BlockingIOError:
                break
            except OSError:
                return b""  # the process has gone: nothing will ever read it
            view = view[n:]
        return bytes(view)

    def resize(self, rows: int, cols: int) -> None:
        with contextlib.suppress(OSError):
            set_size(self.fd, max(rows, 1), max(cols, 1))

    def poll(self) -> int | None:
        if self.exit_code is None:
            code = self.proc.poll()
            if code is not None:
                self.exit_code = 128 - code if code < 0 else code  # killed by a signal: 128+N
        return self.exit_code

    def wait(self, timeout: float = 1.0) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(timeout)
        return self.poll()

    def close(self) -> None:
        """Hang up (SIGHUP to the session, as a closed terminal window does), then make sure."""
        if self.poll() is None:
            for sig, wait in ((signal.SIGHUP, 0.5), (signal.SIGKILL, 1.0)):
                try:
                    os.killpg(self.proc.pid, sig)
                except (ProcessLookupError, PermissionError):
                    break
                if self.wait(wait) is not None:
                    break
        with contextlib.suppress(OSError):
            os.close(self.fd)
        self.poll()
