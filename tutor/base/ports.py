"""Free loopback ports for labs and local services."""

from __future__ import annotations

import random
import socket


def free_port(low: int, high: int, rng: random.Random | None = None) -> int:
    """A port in [low, high] that nothing listens on at 127.0.0.1 right now."""
    rng = rng or random.Random()
    candidates = list(range(low, high + 1))
    rng.shuffle(candidates)
    for port in candidates[:200]:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise OSError(f"no free port between {low} and {high}")
