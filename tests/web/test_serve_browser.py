"""The app in headless Chromium, as a learner gets it from `tutor serve`.

Debian's chromium (/usr/bin/chromium) driven by playwright; never `playwright install`.
Every request the page makes is logged and anything not for 127.0.0.1 is aborted, so the
test proves the page is complete offline. With CI=true a missing chromium or playwright
(or, for the lab's test, a missing Docker engine) fails the tests instead of skipping them.

The terminal's text is read from xterm.js itself: the page draws with xterm's WebGL/canvas
renderer (no text in the DOM), so an init script keeps a reference to each xterm Terminal
as textual.js creates it, and `screen_text` reads its buffer through xterm's public API.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest

if TYPE_CHECKING:
    from tests.web.conftest import Served

pytestmark = pytest.mark.browser

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TOPICS = ["Docker", "Amazon ECR", "Amazon ECS", "AWS Fargate", "Amazon EKS", "AWS Elastic Beanstalk"]

# xterm's public Terminal sets `_addonManager` once in its constructor: a setter on
# Object.prototype for that one name records the instance and then steps aside.
TERMINAL_HOOK = """
Object.defineProperty(Object.prototype, "_addonManager", {
  configurable: true,
  set(value) {
    const own = {value, writable: true, configurable: true, enumerable: true};
    Object.defineProperty(this, "_addonManager", own);
    (window.__tutorTerminals = window.__tutorTerminals || []).push(this);
  },
});
"""
READ_SCREEN = """() => {
  const term = (window.__tutorTerminals || [])[0];
  if (!term) return null;
  const buffer = term.buffer.active, rows = [];
  for (let y = 0; y < term.rows; y++) {
    const line = buffer.getLine(buffer.viewportY + y);
    rows.push(line ? line.translateToString(true) : "");
  }
  return rows;
}"""


# -- helpers for driving the page (also for the lab terminal's tests to come) -------------------
def screen_text(page: Any) -> list[str]:
    """The terminal's rows as text, as xterm.js holds them ([] before the app has drawn)."""
    return page.evaluate(READ_SCREEN) or []


def shows(page: Any, needle: str | re.Pattern[str], timeout: float) -> tuple[bool, list[str]]:
    """Poll the rows until one contains `needle` (a string or a regex): whether one did, and the rows."""
    deadline = time.monotonic() + timeout
    rows: list[str] = []
    while time.monotonic() < deadline:
        rows = screen_text(page)
        text = "\n".join(rows)
        if needle.search(text) if isinstance(needle, re.Pattern) else needle in text:
            return True, rows
        page.wait_for_timeout(200)
    return False, rows


def wait_for_screen(page: Any, needle: str | re.Pattern[str], timeout: float = 60) -> list[str]:
    """Poll the rows until one contains `needle` (a string or a regex); fail with the screen."""
    found, rows = shows(page, needle, timeout)
    if not found:
        pytest.fail(f"{needle!r} never appeared on the page's terminal; it shows:\n" + "\n".join(rows))
    return rows


def focus_terminal(page: Any) -> None:
    """Give xterm the keyboard, as a click on the page would (without clicking the app)."""
    page.locator(".xterm-helper-textarea").focus()


def type_into_terminal(page: Any, text: str, *, enter: bool = False, delay_ms: float = 20) -> None:
    """Type text into the app as a person would, e.g. a command into the lab's terminal pane:
    `type_into_terminal(page, "docker ps", enter=True)`. Keys go through xterm.js and the
    websocket to the app, exactly like a learner's."""
    focus_terminal(page)
    page.keyboard.type(text, delay=delay_ms)
    if enter:
        page.keyboard.press("Enter")


def press_keys(page: Any, *keys: str, pause_ms: float = 150) -> None:
    """Press keys one after another (playwright names: "Enter", "Escape", "ArrowDown", "Control+p")."""
    focus_terminal(page)
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_timeout(pause_ms)


# -- fixtures ----------------------------------------------------------------------------
def _missing(what: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but {what}")
    pytest.skip(what)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        _missing(f"playwright is not installed ({exc}); pip install -e '.[test]'")
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is missing; apt-get install -y chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Visit:
    """A browser tab with a log of every request and websocket it opened."""

    def __init__(self, browser: Any) -> None:
        self.context = browser.new_context(viewport={"width": 1280, "height": 800})
        self.requests: list[str] = []
        self.context.route("**/*", self._route)
        self.context.add_init_script(TERMINAL_HOOK)
        self.page = self.context.new_page()
        self.page.on("websocket", lambda ws: self.requests.append(ws.url))

    def _route(self, route: Any) -> None:
        self.requests.append(route.request.url)
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            route.abort()

    def off_machine(self) -> list[str]:
        return [url for url in self.requests if urlsplit(url).hostname != "127.0.0.1"]


@pytest.fixture
def visit(chromium: Any) -> Iterator[Callable[[], Visit]]:
    opened: list[Visit] = []

    def open_tab() -> Visit:
        opened.append(Visit(chromium))
        return opened[-1]

    yield open_tab
    for tab in opened:
        tab.context.close()


# -- tests -------------------------------------------------------------------------------
def test_without_the_token_the_page_and_its_websocket_are_refused(
    served: Served, visit: Callable[[], Visit]
) -> None:
    tab = visit()
    for path in ["/", "/ws", f"/{'x' * len(served.token)}/"]:
        response = tab.page.goto(served.origin + path)
        assert response is not None and response.status == 403, path
    host = served.origin.split("://", 1)[1]
    outcome = tab.page.evaluate(
        """(urls) => Promise.all(urls.map((url) => new Promise((done) => {
             const ws = new WebSocket(url);
             ws.onopen = () => { ws.close(); done("open"); };
             ws.onerror = () => done("refused");
             setTimeout(() => done("timeout"), 15000);
           })))""",
        [f"ws://{host}/ws", f"ws://{host}/{'y' * len(served.token)}/ws"],
    )
    assert outcome == ["refused", "refused"]
    assert tab.off_machine() == []


def test_home_topics_and_a_lesson_by_keyboard_all_from_this_machine(
    served: Served, visit: Callable[[], Visit], tmp_path: Path
) -> None:
    tab = visit()
    response = tab.page.goto(served.url)
    assert response is not None and response.status == 200
    rows = wait_for_screen(tab.page, re.compile(r"AWS Elastic Beanstalk\s+\d+/\d+"))
    lines = [
        next((i for i, row in enumerate(rows) if re.search(rf"│ {topic}\s+\d+/\d+", row)), -1)
        for topic in TOPICS
    ]
    assert -1 not in lines and lines == sorted(lines), "\n".join(rows)
    assert tab.page.evaluate("document.fonts.check('16px \"Roboto Mono\"')")

    # The page hands the app the keyboard by itself (the footer shows once the app has focus):
    # no click, no focus call. Each key waits for the screen it leads to, as a person would;
    # a key pressed while the course still loads in the background can be lost.
    wait_for_screen(tab.page, re.compile(r"\? +Keys +q +Quit"))
    tab.page.keyboard.press("Control+p")
    wait_for_screen(tab.page, "Search for commands")
    type_into_terminal(tab.page, "What is a container")
    wait_for_screen(tab.page, "Lesson: What is a container?")  # the palette searches in a worker
    press_keys(tab.page, "Enter")
    rows = wait_for_screen(tab.page, re.compile(r"What is a container\? · lesson 1 of \d+"))
    assert "Container Tutor" in rows[0], "\n".join(rows)  # the title bar names the lesson

    # Home, then arrows and Enter: down to AWS Fargate, into its items, its first lesson.
    press_keys(tab.page, "Escape")
    wait_for_screen(tab.page, re.compile(r"│ Docker +\d+/\d+"))
    press_keys(tab.page, "ArrowDown", "ArrowDown", "ArrowDown")
    wait_for_screen(tab.page, "Serverless compute for containers")
    press_keys(tab.page, "Enter")  # into the topic's items: they take the focus a few messages later,
    lesson = re.compile(r"What AWS Fargate is · lesson \d+ of")  # and nothing on screen says so
    for _ in range(3):  # an Enter that comes first selects the topic again (no harm): Enter again
        press_keys(tab.page, "Enter")
        opened, rows = shows(tab.page, lesson, 20)
        if opened:
            break
    rows = wait_for_screen(tab.page, lesson, 1)
    tab.page.screenshot(path=str(tmp_path / "lesson.png"))

    assert tab.requests and any(url.startswith("ws://127.0.0.1:") for url in tab.requests)
    assert tab.off_machine() == []


def test_stopping_the_server_ends_every_session(
    start_serve: Callable[..., Served], visit: Callable[[], Visit]
) -> None:
    server = start_serve()
    tab = visit()
    tab.page.goto(server.url)
    wait_for_screen(tab.page, "Docker")
    assert len(server.processes()) >= 2, server.processes()  # the server and this tab's app
    left = server.terminate()
    assert left == [], f"still running after the server stopped: {left}\n{server.output()}"
    assert server.proc.wait(timeout=10) == 0


LAB = "docker-first-container"
LAB_FOOTER = re.compile(r"c Check +space Auto-check")  # hidden while the lab's shell has the keys


def _running_with_home(home: Path, timeout: float = 15) -> list[str]:
    """Processes still running with this TUTOR_HOME `timeout` seconds on, in any process group:
    the apps, and the lab's shell (a session of its own, on the app's pty)."""
    mark = f"TUTOR_HOME={home}".encode()
    deadline = time.monotonic() + timeout
    while True:
        found = []
        for entry in Path("/proc").glob("[0-9]*"):
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ")
                    found.append(f"{entry.name} {cmdline.decode(errors='replace')}")
            except OSError:
                continue
        if not found or time.monotonic() > deadline:
            return found
        time.sleep(0.2)


def test_a_command_typed_in_a_lab_terminal_runs_and_completes_the_step(
    docker_client: Any,
    start_serve: Callable[..., Served],
    visit: Callable[[], Visit],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The lab's shell reads ~/.bashrc: an empty home, so the machine's rc file cannot stall it.
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    server = start_serve()
    try:
        tab = visit()
        tab.page.goto(server.url)
        wait_for_screen(tab.page, re.compile(r"\? +Keys +q +Quit"))
        # The lab by name from the palette (the full-text search lists labs once the course is in).
        tab.page.keyboard.press("Control+p")
        wait_for_screen(tab.page, "Search for commands")
        type_into_terminal(tab.page, "Run your first web server")
        wait_for_screen(tab.page, "Lab: Run your first web server", timeout=90)
        press_keys(tab.page, "Enter")
        # The shell's prompt names the lab once the lab is ready. The lab screen gives its
        # terminal the focus on opening, and the footer hides while the shell has the keys.
        rows = wait_for_screen(tab.page, f"({LAB})", timeout=180)
        assert not LAB_FOOTER.search("\n".join(rows)), "the lab's footer shows: the shell lacks the keys"

        type_into_terminal(tab.page, "echo tutor-$((6*7))", enter=True)
        wait_for_screen(tab.page, "tutor-42")  # the shell worked it out: the keys alone show $((6*7))

        # The step's own command, with the lab's variables; no check key: the shell's
        # "command finished" mark runs the checks, and the screen moves on to step 2.
        type_into_terminal(tab.page, "docker run -d --name $WEB -p $PORT:80 tutor-lab/web:1", enter=True)
        wait_for_screen(tab.page, "Step 2/3 See who visited", timeout=90)
        wait_for_screen(tab.page, "✔ 1. Start the web")  # in the list of steps
        tab.page.screenshot(path=str(tmp_path / "lab.png"))
        # F6 takes the keys from the shell: the lab's footer comes back.
        press_keys(tab.page, "F6")
        wait_for_screen(tab.page, LAB_FOOTER)
        assert tab.off_machine() == []
    finally:
        left = server.terminate()
        shells = _running_with_home(server.home)
        reset = subprocess.run(
            [sys.executable, "-m", "tutor", "lab", "reset", LAB, "--yes"],
            env={**os.environ, "TUTOR_HOME": str(server.home)},
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert left == [], f"still running after the server stopped: {left}\n{server.output()}"
    assert shells == [], f"still running after the server stopped: {shells}"
    assert reset.returncode == 0, reset.stdout + reset.stderr
    made = re.findall(r"remove container (\S+)", reset.stdout)
    assert made, reset.stdout  # the container the learner's command started
    left_behind = [c.name for c in docker_client.containers.list(all=True) if c.name in made]
    assert left_behind == [], f"`tutor lab reset` left {left_behind}"
