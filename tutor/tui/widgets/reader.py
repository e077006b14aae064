"""The lesson reader: Markdown whose code blocks scroll sideways, references as terminal
hyperlinks, and the section being read (for bookmarks, notes and the last place)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Markdown, MarkdownViewer, Static
from textual.widgets._markdown import MarkdownFence, MarkdownTableOfContents

from tutor.content.links import safe_url
from tutor.content.sections import same_section, slugify
from tutor.tui.widgets.question import reference_line

CODE_STEP = 8  # columns a sideways scroll moves code


class CodeFence(MarkdownFence):
    """A code block that keeps its lines whole: a scrollbar below when they are wider than
    the screen; shift+←/→ (or the mouse) scroll it."""

    DEFAULT_CSS = """
    CodeFence {
        overflow-x: auto;
        scrollbar-size-horizontal: 1;
    }
    """


class LessonDocument(Markdown):
    BLOCKS = {**Markdown.BLOCKS, "fence": CodeFence, "code_block": CodeFence}


class LessonReader(MarkdownViewer):
    """A MarkdownViewer with our code blocks and a references block after the text."""

    def __init__(
        self, markdown: str, references: list[tuple[str, str]], *, section: str = "", id: str | None = None
    ) -> None:
        super().__init__(markdown, show_table_of_contents=False, open_links=False, id=id)
        self.references = references
        self.pending_section = section  # to scroll to once the text is laid out

    def _on_markdown_table_of_contents_updated(self, message: Markdown.TableOfContentsUpdated) -> None:
        super()._on_markdown_table_of_contents_updated(message)
        if self.pending_section:
            self.call_after_refresh(self._goto_pending)

    def _goto_pending(self) -> None:
        if self.pending_section and self.goto_section(self.pending_section):
            # Cleared once the jump has been drawn: until then, moving is not reading.
            self.set_timer(0.3, self._clear_pending)
        else:
            self.pending_section = ""  # a section that is not there (any more)

    def _clear_pending(self) -> None:
        self.pending_section = ""

    def compose(self) -> ComposeResult:
        document = LessonDocument(open_links=False)
        document.can_focus = True
        yield document
        if self.references:
            lines = [Text("References", style="bold")]
            lines += [reference_line(title, url) for title, url in self.references]
            yield Static(Group(*lines), id="lesson-references")
        yield MarkdownTableOfContents(document)

    async def _on_markdown_link_clicked(self, message: Markdown.LinkClicked) -> None:
        """A web link opens in the browser (http(s) only); an anchor scrolls; nothing else."""
        message.stop()
        href = message.href
        if href.startswith("#"):
            self.document.goto_anchor(href[1:])
        elif (url := safe_url(href)) is not None:
            self.app.open_url(url)

    # -- sideways --------------------------------------------------------------------------
    def scroll_code(self, direction: int) -> bool:
        """Scroll the code blocks on screen sideways; False when none is wider than the screen."""
        moved = False
        top, bottom = self.scroll_y, self.scroll_y + self.scrollable_content_region.height
        for fence in self.query(CodeFence):
            region = fence.virtual_region_with_margin
            if region.bottom < top or region.y > bottom or fence.max_scroll_x == 0:
                continue
            fence.scroll_to(x=fence.scroll_x + direction * CODE_STEP, animate=False)
            moved = True
        return moved

    # -- sections --------------------------------------------------------------------------
    def _headings(self) -> list[tuple[str, str, int]]:
        """(slug, title, y) of each heading down to level 3, slugs as tutor.content.sections
        makes them."""
        seen: dict[str, int] = {}
        out = []
        for level, label, block_id in self.document.table_of_contents:
            if level > 3:
                continue
            slug = slugify(label)
            n = seen.get(slug, 0)
            seen[slug] = n + 1
            try:
                block = self.document.query_one(f"#{block_id}")
            except Exception:  # the document is being rebuilt
                continue
            out.append((slug if n == 0 else f"{slug}-{n}", label, block.virtual_region.y))
        return out

    def current_section(self) -> tuple[str, str]:
        """(slug, title) of the section at the top of the screen."""
        headings = self._headings()
        if not headings:
            return "", ""
        at = self.scroll_y + 1
        current = headings[0]
        for h in headings:
            if h[2] <= at:
                current = h
        return current[0], current[1]

    def goto_section(self, wanted: str) -> bool:
        """Scroll to a section named by its slug or by its heading's text."""
        for slug, title, y in self._headings():
            if same_section(slug, title, wanted):
                self.scroll_to(y=y, animate=False)
                return True
        return False
