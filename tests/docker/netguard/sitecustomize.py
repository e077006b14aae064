"""Loaded by every Python process of a guarded test run (PYTHONPATH): any attempt to reach an
address outside loopback is refused and written to $TUTOR_NETLOG."""

import ipaddress
import os
import socket

_LOG = os.environ.get("TUTOR_NETLOG")
_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _loopback(host: object) -> bool:
    if host is None or host in _LOCAL_NAMES or host == "":
        return True
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


def _record(what: str) -> None:
    if _LOG:
        with open(_LOG, "a", encoding="utf-8") as f:
            f.write(f"{os.getpid()} {what}\n")


if _LOG:
    _connect = socket.socket.connect
    _connect_ex = socket.socket.connect_ex
    _getaddrinfo = socket.getaddrinfo

    def connect(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _record(f"connect {address}")
            raise OSError(f"blocked by the test: {address[0]} is not loopback")
        return _connect(self, address)

    def connect_ex(self, address):  # type: ignore[no-untyped-def]
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            _record(f"connect {address}")
            return 111
        return _connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
        if not _loopback(host if not isinstance(host, bytes) else host.decode()):
            _record(f"resolve {host}")
            raise socket.gaierror(f"blocked by the test: {host} is not loopback")
        return _getaddrinfo(host, *args, **kwargs)

    socket.socket.connect = connect  # type: ignore[method-assign]
    socket.socket.connect_ex = connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = getaddrinfo
