"""Your bookmarks and notes, by lesson section: Enter opens the lesson there, Del removes one."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.progress.notes import Notebook
from tutor.tui.context import UsesTutor


class NotesScreen(UsesTutor, Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", id="notes.back", tooltip="Back to where you came from"),
        Binding(
            "delete,backspace", "remove", "Remove", id="notes.remove", tooltip="Remove the highlighted one"
        ),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            Text("Enter opens the lesson at that section; Del removes a bookmark or note.", style="dim"),
            id="notes-help",
        )
        yield OptionList(id="notes-list")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Bookmarks and notes"
        self.draw()
        self.query_one(OptionList).focus()

    def on_screen_resume(self) -> None:
        self.draw()

    def draw(self) -> None:
        course = self.tutor.services.course
        book = Notebook(self.tutor.store)
        listing = self.query_one(OptionList)
        keep = listing.highlighted
        listing.clear_options()

        def lesson_title(lesson_id: str) -> str:
            lesson = course.lessons.get(lesson_id)
            return lesson.title if lesson else f"{lesson_id} (no longer in the course)"

        marks = book.bookmarks()
        listing.add_option(Option(Text(f"Bookmarks ({len(marks)})", style="bold underline"), disabled=True))
        for b in marks:
            label = Text.assemble(" ★ ", (lesson_title(b.lesson_id), "bold"), " › ", b.title or b.section)
            listing.add_option(Option(label, id=f"b:{b.lesson_id}#{b.section}"))
        notes = book.notes()
        listing.add_option(Option(Text(f"Notes ({len(notes)})", style="bold underline"), disabled=True))
        for n in notes:
            label = Text.assemble(
                " ✎ ",
                (lesson_title(n.lesson_id), "bold"),
                f" › {n.section}\n   ",
                " ".join(n.text.split())[:200],
            )
            listing.add_option(Option(label, id=f"n:{n.id}:{n.lesson_id}#{n.section}"))
        if not marks and not notes:
            listing.add_option(
                Option(
                    Text("   In a lesson, b bookmarks the section you read and e adds a note.", style="dim"),
                    disabled=True,
                )
            )
        if keep is not None and keep < listing.option_count:
            listing.highlighted = keep

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        target = (event.option.id or "").split(":")[-1]
        if target:
            self.tutor.open_item("lesson", target)

    def action_remove(self) -> None:
        listing = self.query_one(OptionList)
        if listing.highlighted is None:
            return
        option_id = listing.get_option_at_index(listing.highlighted).id or ""
        book = Notebook(self.tutor.store)
        if option_id.startswith("b:"):
            lesson_id, _, section = option_id[2:].partition("#")
            book.unbookmark(lesson_id, section)
        elif option_id.startswith("n:"):
            book.remove_note(int(option_id.split(":")[1]))
        else:
            return
        self.notify("Removed.", timeout=2)
        self.draw()

    def action_back(self) -> None:
        self.dismiss()
