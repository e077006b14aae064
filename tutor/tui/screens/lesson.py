"""The lesson reader: rendered Markdown, contents, next/previous, done at the end or by a key."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, MarkdownViewer
from textual.widgets.markdown import MarkdownTableOfContents

from tutor.content.render import lesson_markdown
from tutor.content.sections import plain

if TYPE_CHECKING:
    from tutor.tui.context import Tutor


class LessonScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,b", "back", "Back", id="lesson.back", tooltip="Back to where you came from"),
        Binding("n", "next", "Next", id="lesson.next", tooltip="Next lesson"),
        Binding("p", "previous", "Prev", id="lesson.previous", tooltip="Previous lesson"),
        Binding("d", "toggle_done", "Done", id="lesson.done", tooltip="Mark the lesson done (or not)"),
        Binding(
            "t",
            "contents",
            "TOC",
            id="lesson.contents",
            tooltip="Show or hide the table of contents",
        ),
        Binding("k", "practise", "Check", id="lesson.check", tooltip="Answer this lesson's questions"),
        Binding("l", "lab", "Lab", id="lesson.lab", tooltip="Open the related lab"),
        Binding("j,down", "scroll('down')", "Down", show=False, id="lesson.down"),
        Binding("up", "scroll('up')", "Up", show=False, id="lesson.up"),
        Binding("space,pagedown", "scroll('page_down')", "Page down", show=False, id="lesson.pagedown"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="lesson.pageup"),
        Binding("end", "scroll('end')", "End", show=False, id="lesson.end"),
        Binding("home", "scroll('home')", "Top", show=False, id="lesson.top"),
    ]

    def __init__(self, lesson_id: str, section: str | None = None) -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.section = section  # a heading to open at (from an exam's missed question)

    @property
    def tutor(self) -> Tutor:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        course = self.tutor.services.course
        lesson = course.lessons[self.lesson_id]
        yield Header()
        yield MarkdownViewer(
            lesson_markdown(lesson, course),
            show_table_of_contents=False,
            open_links=False,
            id="reader",
        )
        yield Footer()

    def on_mount(self) -> None:
        services = self.tutor.services
        lesson = services.course.lessons[self.lesson_id]
        order = services.catalog.lesson_order
        position = next((i for i, x in enumerate(order, 1) if x.id == lesson.id), 0)
        self.sub_title = f"{lesson.title} · lesson {position} of {len(order)}"
        services.store.open_lesson(lesson.id)
        viewer = self.query_one(MarkdownViewer)
        viewer.focus()
        self.watch(viewer, "scroll_y", self._scrolled, init=False)
        if self.section:
            self.watch(viewer.query_one(MarkdownTableOfContents), "table_of_contents", self._open_at_section)

    def _open_at_section(self, toc: list[tuple[int, str, str | None]] | None) -> None:
        """Scroll to the heading asked for, once the viewer has read the document's headings."""
        if not self.section or not toc:
            return
        want = plain(self.section).casefold()
        for _level, label, block_id in toc:
            if block_id and plain(label).casefold() == want:
                self.section = None
                block = self.query_one(MarkdownViewer).document.query_one(f"#{block_id}")
                self.call_after_refresh(block.scroll_visible, top=True, animate=False)
                return

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        lesson = self.tutor.services.course.lessons[self.lesson_id]
        if action == "practise":
            return bool(lesson.meta.questions)
        if action == "lab":
            return any(lab in self.tutor.services.course.labs for lab in lesson.meta.labs)
        return True

    def _scrolled(self, _old: float, new: float) -> None:
        viewer = self.query_one(MarkdownViewer)
        if viewer.max_scroll_y > 0 and new >= viewer.max_scroll_y - 1:
            self._mark_done(True, quiet=False)

    def _mark_done(self, done: bool, *, quiet: bool) -> None:
        store = self.tutor.services.store
        already = self.lesson_id in store.done_lessons()
        if done == already:
            return
        store.complete_lesson(self.lesson_id, done)
        if not quiet:
            self.notify("Lesson done ✔" if done else "Marked as not done", timeout=3)

    # -- actions -------------------------------------------------------------------
    def action_scroll(self, where: str) -> None:
        viewer = self.query_one(MarkdownViewer)
        {
            "down": viewer.scroll_down,
            "up": viewer.scroll_up,
            "page_down": viewer.scroll_page_down,
            "page_up": viewer.scroll_page_up,
            "end": lambda: viewer.scroll_end(animate=False),
            "home": lambda: viewer.scroll_home(animate=False),
        }[where]()

    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_done(self) -> None:
        done = self.lesson_id in self.tutor.services.store.done_lessons()
        self._mark_done(not done, quiet=False)

    def action_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents

    def _go(self, lesson_id: str | None, edge: str) -> None:
        if lesson_id is None:
            self.notify(f"This is the {edge} lesson.", timeout=3)
            return
        self.app.switch_screen(LessonScreen(lesson_id))

    def action_next(self) -> None:
        _, nxt = self.tutor.services.catalog.neighbours(self.lesson_id)
        self._go(nxt.id if nxt else None, "last")

    def action_previous(self) -> None:
        prev, _ = self.tutor.services.catalog.neighbours(self.lesson_id)
        self._go(prev.id if prev else None, "first")

    def action_practise(self) -> None:
        lesson = self.tutor.services.course.lessons[self.lesson_id]
        if not lesson.meta.questions:
            self.notify("This lesson has no questions yet.", timeout=3)
            return
        self.tutor.open_item("questions", ",".join(lesson.meta.questions))

    def action_lab(self) -> None:
        lesson = self.tutor.services.course.lessons[self.lesson_id]
        labs = [lab for lab in lesson.meta.labs if lab in self.tutor.services.course.labs]
        if not labs:
            self.notify("This lesson has no lab.", timeout=3)
            return
        self.tutor.open_item("lab", labs[0])
