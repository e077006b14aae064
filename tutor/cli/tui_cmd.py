"""Start the Textual app (the only CLI module that reaches into tutor.tui)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse


def run_app(args: argparse.Namespace, start: tuple[str, str] | None = None, seed: int | None = None) -> int:
    from tutor.tui.app import make_app

    app = make_app(content=getattr(args, "content", None), start=start, seed=seed)
    app.run()
    return app.return_code or 0
