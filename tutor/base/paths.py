"""Where things live on the learner's machine."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "container-tutor"


def data_home() -> Path:
    """The folder for the progress store and lab workspaces (`TUTOR_HOME` overrides)."""
    env = os.environ.get("TUTOR_HOME")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False)


def cache_home() -> Path:
    """Parsed-content caches; safe to delete at any time."""
    return data_home() / "cache"
