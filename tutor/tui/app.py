"""The Textual app: a thin layer over tutor.services.

Start-up draws the home screen from the course outline saved by the last run (when the
content has not changed) and loads the full course in a thread worker meanwhile.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding

from tutor.base.errors import TutorError
from tutor.base.paths import cache_home
from tutor.base.text import clean
from tutor.content.outline import Outline, load_snapshot, placeholder
from tutor.content.roots import resolve_roots
from tutor.progress.settings import Settings
from tutor.progress.store import ProgressStore, open_store
from tutor.tui.commands import CourseCommands
from tutor.tui.keymap import bind
from tutor.tui.resilience import Resilient
from tutor.tui.screens.home import HomeScreen

if TYPE_CHECKING:
    from tutor.services import Services


class TutorApp(Resilient):
    TITLE = "Container Tutor"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CourseCommands}
    BINDINGS = [
        bind("question_mark", "help", "List every key of this screen", id="app.help"),
        bind("g", "home", "Back to the home screen", id="app.home", show=False),
        bind(
            "slash", "search", "Search the text of lessons, questions and labs", id="app.search", show=False
        ),
        bind("q", "quit", "Leave; your progress is saved", id="app.quit"),
        Binding(
            "ctrl+c",
            "interrupt_or_quit",
            "Quit",
            show=False,
            priority=True,
            id="app.ctrl_c",
            tooltip="Quit from anywhere (in the lab terminal, ctrl+c goes to the program; ctrl+q quits)",
        ),
    ]

    def __init__(
        self,
        roots: list[Path],
        store: ProgressStore,
        outline: Outline,
        services: Services | None = None,
        start: tuple[str, str] | None = None,
        seed: int | None = None,
    ) -> None:
        super().__init__()
        self.seed = seed  # for `tutor quiz ID --seed N`: the first quiz started uses it
        self.roots = roots
        self.store = store
        self.outline = outline
        self._services = services
        self._pending: list[tuple[str, str]] = [start] if start else []
        self._loading = False

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the course is still loading")
        return self._services

    @property
    def loaded(self) -> bool:
        return self._services is not None

    @property
    def loading(self) -> bool:
        return self._loading

    def get_default_screen(self) -> HomeScreen:
        return HomeScreen()

    def on_mount(self) -> None:
        saved = Settings(self.store).get("theme")
        if saved != self.theme and saved in self.available_themes:
            self.theme = saved  # kept between runs
        self._theme_ready = True
        if self.store.read_only:
            self.sub_title = "progress is NOT being saved (read-only store)"
            self.notify(
                f"Your progress is not being saved: {self.store.read_only}. Everything works, but "
                "answers and checks are forgotten when you quit. "
                "Set TUTOR_HOME to a folder you can write to.",
                title="Read-only progress store",
                severity="warning",
                timeout=30,
            )
        if self.store.moved_aside is not None:
            self.notify(
                f"Your progress store could not be opened ({self.store.moved_reason}). It was moved to "
                f"{self.store.moved_aside} and a new one was started.",
                title="Progress store moved aside",
                severity="warning",
                timeout=30,
            )
        if self._services is not None:
            self._run_pending()
            self.call_after_refresh(self._offer_resume)
        elif self._pending or not self.outline.fingerprint:
            # Something to open, or no saved outline (a first run, edited content): load now, once
            # the home screen is on the terminal, so the two do not compete.
            self.call_after_refresh(self.ensure_loaded, settle=0.05)
        else:
            # The saved outline draws the home screen; the course loads when something needs it,
            # so an idle app stays small. An unfinished exam is offered after the first frame.
            self.call_after_refresh(self._offer_resume)

    _theme_ready = False

    def watch_theme(self, name: str) -> None:
        """A theme chosen (ctrl+p → theme) is kept for the next run."""
        if self._theme_ready and name != Settings(self.store).get("theme"):
            with suppress(TutorError):  # a name the settings do not take lasts this run only
                Settings(self.store).set("theme", name)

    def ensure_loaded(self, settle: float = 0.0) -> None:
        """Start loading the course in a worker, unless it is loaded or loading. The worker first
        waits `settle` seconds: at start-up, the first frame's writer thread gets to write it."""
        if self._services is None and not self._loading:
            self._loading = True
            self._load_course(settle)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_course(self, settle: float = 0.0) -> None:
        time.sleep(settle)
        from tutor.services import Services

        try:
            services = Services.load(roots=self.roots, store=self.store)
            services.search  # noqa: B018 - the full-text index is built at load, off the UI thread
        except Exception as exc:  # a pack broken since the outline was saved: say so, load again later
            self.call_from_thread(self._course_failed, exc)
            return
        self.call_from_thread(self._course_loaded, services)

    def _course_failed(self, exc: Exception) -> None:
        self._loading = False
        message = exc.message if isinstance(exc, TutorError) else f"{type(exc).__name__}: {exc}"
        self.notify(f"the course did not load: {clean(message)}", severity="error", timeout=30)

    def _course_loaded(self, services: Services) -> None:
        self._loading = False
        self._services = services
        self.outline = services.outline
        home = self.screen_stack[0]
        if isinstance(home, HomeScreen):
            home.refresh_all()
        self._run_pending()
        self._offer_resume()

    def _offer_resume(self) -> None:
        """An exam interrupted by a crash or quit is offered again, with the time it had left."""
        from tutor.progress.attempts import Attempts

        unfinished = Attempts(self.store).unfinished()
        if not unfinished or len(self.screen_stack) > 1:
            return
        row = unfinished[0]
        left = int(row.remaining or 0)
        name = next((x.title for x in self.outline.exams if x.id == row.quiz_id), row.quiz_id)
        from tutor.tui.screens.confirm import ChoiceScreen

        def chosen(key: str | None) -> None:
            if key == "r":
                self.open_item("resume", str(row.id))
            elif key == "d":
                Attempts(self.store).discard(row.id)
                home = self.screen_stack[0]
                if isinstance(home, HomeScreen):
                    home.refresh_all()

        self.push_screen(
            ChoiceScreen(
                f"You have an unfinished exam: [b]{name}[/b], {left // 60}:{left % 60:02d} left.",
                [("r", "Resume"), ("l", "Later"), ("d", "Discard")],
                cancel="l",
            ),
            chosen,
        )

    def _run_pending(self) -> None:
        pending, self._pending = self._pending, []
        for kind, item_id in pending:
            self.open_item(kind, item_id)

    # -- navigation used by screens and the command palette ------------------------
    def open_item(self, kind: str, item_id: str) -> None:
        """Open anything by kind and id: the one way screens, keys and the palette navigate."""
        if kind == "topic":
            self.action_home()
            home = self.screen
            if isinstance(home, HomeScreen):
                home.select_topic(item_id)
            return
        if not self.loaded:
            self._pending.append((kind, item_id))
            self.notify("Loading the course…", timeout=2)
            self.ensure_loaded()
            return
        from tutor.tui.navigation import open_target

        try:
            open_target(self, kind, item_id)
        except TutorError as exc:
            self.notify(str(exc), severity="error", timeout=8)

    def action_home(self) -> None:
        while len(self.screen_stack) > 1:
            self.pop_screen()

    def action_search(self) -> None:
        """The command palette: it searches titles and the full text of the course."""
        self.ensure_loaded()
        self.action_command_palette()

    def action_help(self) -> None:
        from tutor.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()  # ? again closes it
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_problems(self) -> None:
        if not self.loaded:
            self._pending.append(("problems", ""))
            self.ensure_loaded()
            return
        from tutor.tui.screens.problems import ProblemsScreen

        self.push_screen(ProblemsScreen(self.services.course.errors))


def make_app(
    content: Iterable[str] | None = None,
    start: tuple[str, str] | None = None,
    home: Path | None = None,
    seed: int | None = None,
    preload: bool = False,
) -> TutorApp:
    """Build the app. With an up-to-date saved outline the course loads in the background."""
    roots = resolve_roots(content)
    store = open_store(home, strict=False)  # a read-only store still opens: reading works
    # The saved outline when the content has not changed; else the topics alone: either way the
    # home screen is drawn at once and the course loads in a worker.
    outline = load_snapshot(cache_home(), roots) or placeholder(roots)
    services = None
    if preload:  # tests that need the whole course before the first frame
        from tutor.services import Services

        services = Services.load(roots=roots, store=store)
        outline = services.outline
    return TutorApp(roots, store, outline, services, start, seed)
