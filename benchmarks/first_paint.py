"""Start an app headless, note when its first frame is displayed, and exit (for bench_startup).

    python benchmarks/first_paint.py minimal|tutor [--check]

Both apps are timed at the same hook: Textual's Ready event, "sent when the DOM is ready
and the first frame has been displayed".
"""

from __future__ import annotations

import sys
import time


def _painted(self) -> None:  # type: ignore[no-untyped-def]
    print(f"painted {time.time():.6f}", flush=True)
    if "--check" in sys.argv:  # the tutor's home screen really is drawn
        assert self.screen.query_one("#topics").option_count > 0
    self.exit()


def main(which: str) -> None:
    if which == "minimal":
        from textual.app import App, ComposeResult
        from textual.widgets import Footer, Header, OptionList

        class Minimal(App[None]):
            def compose(self) -> ComposeResult:
                yield Header()
                yield OptionList("Docker", "Amazon ECR", "Amazon ECS")
                yield Footer()

        Minimal.on_ready = _painted  # type: ignore[attr-defined]
        Minimal().run(headless=True, size=(80, 24))
    else:
        from tutor.tui.app import TutorApp, make_app

        TutorApp.on_ready = _painted  # type: ignore[attr-defined]
        make_app().run(headless=True, size=(80, 24))


if __name__ == "__main__":
    main(sys.argv[1])
