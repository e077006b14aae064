"""The engine's events that concern one lab: its labelled resources and the ones it asks the
learner to make by name. A lab screen re-checks on them, so a change made in another terminal
(or one that happens by itself, a health check turning healthy) shows without waiting."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable
from typing import Any

from tutor.base.labels import LAB_LABEL

TYPES = ["container", "volume", "network", "image"]


def concerns(event: dict[str, Any], lab_id: str, names: set[str]) -> bool:
    actor = event.get("Actor") or {}
    attributes = actor.get("Attributes") or {}
    if attributes.get(LAB_LABEL) == lab_id:
        return True
    name = attributes.get("name") or (actor.get("ID") if event.get("Type") == "volume" else None)
    return bool(name) and name.lstrip("/") in names


class EventWatch:
    """Calls `on_event` for each event of the lab until `stop()`. Blocking: run it in a thread.
    The stream is opened again whenever the client's read timeout ends it (an idle engine).
    `names` is asked at each event (a reset brings new parameters, so new names)."""

    def __init__(self, client: Any, lab_id: str, names: Callable[[], set[str]]) -> None:
        self.client = client
        self.lab_id = lab_id
        self.names = names
        self._stopped = threading.Event()
        self._stream: Any = None

    def run(self, on_event: Callable[[dict[str, Any]], None]) -> None:
        since = int(time.time())
        while not self._stopped.is_set():
            try:
                self._stream = self.client.events(decode=True, since=since, filters={"type": TYPES})
                for event in self._stream:
                    if self._stopped.is_set():
                        break
                    if concerns(event, self.lab_id, self.names()):
                        on_event(event)
                since = int(time.time()) - 1  # ended by the read timeout: go on from here
            except Exception:  # the engine went away: try again a little later
                if self._stopped.wait(2.0):
                    break

    def stop(self) -> None:
        self._stopped.set()
        stream = self._stream
        if stream is not None:
            with contextlib.suppress(Exception):
                stream.close()
