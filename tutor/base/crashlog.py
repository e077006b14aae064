"""Where a bug's traceback goes: a file the learner can attach to a report, never their screen."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from tutor.base.paths import data_home


def crash_log(error: BaseException) -> Path | None:
    """Write the traceback to `<data home>/logs/crash-<time>.log`; None when it cannot be written."""
    try:
        folder = data_home() / "logs"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{time.strftime('%Y%m%d-%H%M%S')}.log"
        path.write_text("".join(traceback.format_exception(error)), encoding="utf-8")
    except OSError:
        return None
    return path
