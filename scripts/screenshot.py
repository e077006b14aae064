"""Write docs/screenshot.svg from the app itself (the built-in course, a sample progress).

python scripts/screenshot.py
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshot.svg"


async def main() -> None:
    with tempfile.TemporaryDirectory() as home:
        os.environ["TUTOR_HOME"] = home
        from tutor.tui.app import make_app

        app = make_app(preload=True)  # the whole course before the first frame: the shot shows it
        for lesson in app.services.catalog.lesson_order[:3]:
            app.services.store.complete_lesson(lesson.id)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
            app.save_screenshot(str(OUT))
    print(f"wrote {OUT}")


if __name__ == "__main__":
    asyncio.run(main())
