"""The lesson reader: rendered Markdown, contents, next/previous, bookmarks and notes per
section. A lesson is marked done by the learner (d) or by their reaching its end, never by the
text reflowing (a resize, the contents opening)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from tutor.content.render import lesson_markdown
from tutor.progress.notes import Notebook
from tutor.progress.settings import Settings
from tutor.tui.context import UsesTutor
from tutor.tui.keymap import bind
from tutor.tui.widgets.reader import LessonReader


class LessonScreen(UsesTutor, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="lesson.back", tooltip="Back to where you came from"),
        bind("n", "next", "Next lesson", id="lesson.next"),
        bind("p", "previous", "Previous lesson", id="lesson.previous"),
        bind("d", "toggle_done", "Mark the lesson done (or not)", id="lesson.done"),
        bind("c", "practise", "Answer this lesson's questions", id="lesson.check"),
        bind("l", "lab", "Open the lesson's lab", id="lesson.lab"),
        bind("b", "bookmark", "Bookmark the section you are reading (or remove it)", id="lesson.bookmark"),
        bind("e", "note", "Write a note on the section you are reading", id="lesson.note"),
        bind("t", "contents", "Show or hide the contents", id="lesson.contents", show=False),
        bind("j", "scroll('down')", "Scroll down", id="lesson.j", show=False),
        bind("k", "scroll('up')", "Scroll up", id="lesson.k", show=False),
        Binding("down", "scroll('down')", "Down", show=False, id="lesson.down", tooltip="Scroll down"),
        Binding("up", "scroll('up')", "Up", show=False, id="lesson.up", tooltip="Scroll up"),
        Binding("pagedown", "scroll('page_down')", "Page down", show=False, id="lesson.pagedown"),
        Binding("pageup", "scroll('page_up')", "Page up", show=False, id="lesson.pageup"),
        Binding("end", "scroll('end')", "End", show=False, id="lesson.end", tooltip="To the end"),
        Binding("home", "scroll('home')", "Top", show=False, id="lesson.top", tooltip="To the top"),
        Binding("shift+left,left", "code(-1)", "Code ←", show=False, id="lesson.left", tooltip="Code left"),
        Binding(
            "shift+right,right",
            "code(1)",
            "Code →",
            show=False,
            id="lesson.right",
            tooltip="Scroll code right (code blocks keep their lines whole)",
        ),
    ]

    def __init__(self, lesson_id: str, section: str | None = "") -> None:
        super().__init__()
        self.lesson_id = lesson_id
        self.start_section = section or ""  # a section to open at: its slug or its heading
        self.reading = ("", "")  # (slug, heading) of the section on screen

    @property
    def section(self) -> str | None:
        """The section asked for while it is still to be reached (None once on screen)."""
        return self.query_one(LessonReader).pending_section or None

    def compose(self) -> ComposeResult:
        course = self.tutor.services.course
        lesson = course.lessons[self.lesson_id]
        refs = [(r.title, r.url) for r in lesson.meta.references]
        yield Header()
        markdown = lesson_markdown(lesson, course, references=False)
        yield LessonReader(markdown, refs, section=self.start_section, id="reader")
        yield Static(id="lesson-notes")
        yield Footer()

    def on_mount(self) -> None:
        services = self.tutor.services
        lesson = services.course.lessons[self.lesson_id]
        order = services.catalog.lesson_order
        position = next((i for i, x in enumerate(order, 1) if x.id == lesson.id), 0)
        self.sub_title = f"{lesson.title} · lesson {position} of {len(order)}"
        services.store.open_lesson(lesson.id)
        reader = self.query_one(LessonReader)
        reader.document.focus()
        self.watch(reader, "scroll_y", self._moved, init=False)
        self.draw_notes()
        Settings(services.store).set_place("lesson", self.lesson_id, self.start_section)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        lesson = self.tutor.services.course.lessons[self.lesson_id]
        if action == "practise":
            return bool(lesson.meta.questions)
        if action == "lab":
            return any(lab in self.tutor.services.course.labs for lab in lesson.meta.labs)
        return True

    # -- reading ---------------------------------------------------------------------------
    def _moved(self, old: float, new: float) -> None:
        """The text moved. Reading down to the end marks the lesson done; a reflow never does:
        when the contents open or the terminal is resized, the text only ever moves up (its
        end comes nearer and the position is clamped to it), and going to a saved section is
        not reading."""
        reader = self.query_one(LessonReader)
        if new > old and not reader.pending_section and new >= reader.max_scroll_y - 1:
            self._mark_done(True, quiet=False)
        section = reader.current_section()
        if section != self.reading and section[0]:
            self.reading = section
            Settings(self.tutor.store).set_place("lesson", self.lesson_id, section[0])

    def _mark_done(self, done: bool, *, quiet: bool) -> None:
        store = self.tutor.services.store
        if done == (self.lesson_id in store.done_lessons()):
            return
        store.complete_lesson(self.lesson_id, done)
        if not quiet:
            self.notify("Lesson done ✔" if done else "Marked as not done", timeout=3)

    # -- notes and bookmarks ---------------------------------------------------------------
    def draw_notes(self) -> None:
        book = Notebook(self.tutor.store)
        notes = book.notes(self.lesson_id)
        marks = {b.section for b in book.bookmarks(self.lesson_id)}
        box = self.query_one("#lesson-notes", Static)
        box.display = bool(notes or marks)
        line = Text()
        if marks:
            line.append(f"★ {len(marks)} bookmark(s)  ", "yellow")
        if notes:
            last = notes[-1]
            line.append(f"✎ {len(notes)} note(s); last on {last.section}: ", "cyan")
            line.append(" ".join(last.text.split())[:120])
        box.update(line)

    def _here(self) -> tuple[str, str]:
        slug, title = self.query_one(LessonReader).current_section()
        if not slug:
            lesson = self.tutor.services.course.lessons[self.lesson_id]
            from tutor.content.sections import slugify

            return slugify(lesson.title), lesson.title
        return slug, title

    def action_bookmark(self) -> None:
        slug, title = self._here()
        on = Notebook(self.tutor.store).toggle_bookmark(self.lesson_id, slug, title)
        self.notify(f"Bookmarked: {title}" if on else f"Bookmark removed: {title}", timeout=3, markup=False)
        self.draw_notes()

    def action_note(self) -> None:
        from tutor.tui.screens.note_dialog import NoteDialog

        slug, title = self._here()

        def save(text: str | None) -> None:
            if text:
                Notebook(self.tutor.store).add_note(self.lesson_id, slug, text)
                self.draw_notes()

        self.app.push_screen(NoteDialog(f"A note on “{title}”"), save)

    # -- actions -------------------------------------------------------------------------
    def action_scroll(self, where: str) -> None:
        reader = self.query_one(LessonReader)
        {
            "down": lambda: reader.scroll_down(animate=False),
            "up": lambda: reader.scroll_up(animate=False),
            "page_down": lambda: reader.scroll_page_down(animate=False),
            "page_up": lambda: reader.scroll_page_up(animate=False),
            "end": lambda: reader.scroll_end(animate=False),
            "home": lambda: reader.scroll_home(animate=False),
        }[where]()

    def action_code(self, direction: int) -> None:
        self.query_one(LessonReader).scroll_code(direction)

    def action_back(self) -> None:
        self.dismiss()

    def action_toggle_done(self) -> None:
        done = self.lesson_id in self.tutor.services.store.done_lessons()
        self._mark_done(not done, quiet=False)

    def action_contents(self) -> None:
        reader = self.query_one(LessonReader)
        reader.show_table_of_contents = not reader.show_table_of_contents

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
