"""Home: the topics in order, each with its lessons, quizzes and labs and the learner's progress.

The first frame shows the topics alone (one query); the rest (the class panel, today's reviews,
the topic's items with scores and lab states, the learner's last place) follows right after it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from tutor.progress.settings import Settings
from tutor.tui.context import UsesTutor
from tutor.tui.keymap import bind
from tutor.tui.screens.practice_hub import PRACTICE_ROW, practice_items, practice_label
from tutor.tui.widgets.class_panel import ClassPanel

DONE, TODO = "✔", "○"


def quiz_best(store: object, quiz_id: str) -> str:
    """'  best 18/20' from the quiz's finished attempts, or ''."""
    from tutor.progress.attempts import Attempts

    best = None
    for row in Attempts(store).history(quiz_id, limit=20):  # type: ignore[arg-type]
        result = row.result or {}
        if result.get("total"):
            share = (result.get("points") or 0) / result["total"]
            if best is None or share > best[0]:
                best = (share, result.get("points"), result["total"])
    return f"  best {best[1]:g}/{best[2]}" if best else ""


def bar(fraction: float, width: int = 8) -> str:
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


class HomeScreen(UsesTutor, Screen[None]):
    BINDINGS = [
        bind(
            "exclamation_mark",
            "problems",
            "Problems found in the course content at start",
            id="home.problems",
        ),
        Binding("right", "focus_items", "Items", show=False, id="home.items", tooltip="To the topic's items"),
        Binding("left", "focus_topics", "Topics", show=False, id="home.topics", tooltip="To the topics"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="banner")
        yield ClassPanel(id="class-panel")
        with Horizontal(id="home-body"):
            yield OptionList(id="topics")
            with Vertical(id="topic-detail"):
                yield Static(id="topic-summary")
                yield OptionList(id="items")
        yield Footer()

    def _bank(self) -> list[str] | None:
        """Every question id in course order, once the course is loaded (for today's new ones)."""
        if not self.tutor.loaded:
            return None
        from tutor.quiz.selection import course_order

        return [q.id for q in course_order(self.tutor.services.course)]

    _filled = False  # the whole screen drawn, not just the topics of the first frame

    def on_mount(self) -> None:
        self._banner()
        self._draw_topics(self.tutor.store.done_lessons(), Text("Practice & exams", style="bold"))
        self.query_one("#topics", OptionList).focus()
        self.call_after_refresh(self._fill)

    def _fill(self) -> None:
        """The rest of the screen, once: after the first frame, or at the first key that needs it."""
        if self._filled:
            return
        self._filled = True
        self.refresh_all()
        self.go_to_last_place()

    def go_to_last_place(self) -> None:
        """Where the learner was last time: its topic shown, the item highlighted (Enter opens it)."""
        place = Settings(self.tutor.store).place()
        if place is None:
            return
        kind, item = place["kind"], place["id"]
        if kind == "practice":
            self.select_topic(PRACTICE_ROW)
            return
        for topic in self.tutor.outline.topics:
            ids = [x.id for x in (topic.lessons if kind == "lesson" else topic.labs if kind == "lab" else [])]
            if item in ids:
                self._pending_item = f"{kind}:{item}"
                self.select_topic(topic.id)
                self._highlight_pending()
                return

    _pending_item = ""

    def _highlight_pending(self) -> None:
        items = self.query_one("#items", OptionList)
        for index in range(items.option_count):
            if items.get_option_at_index(index).id == self._pending_item:
                items.highlighted = index

    def on_screen_resume(self) -> None:
        if self._filled:
            self.refresh_all()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "problems":
            return self.tutor.outline.problems > 0
        return True

    def action_problems(self) -> None:
        self.tutor.action_problems()

    # -- drawing -------------------------------------------------------------
    def refresh_all(self) -> None:
        outline = self.tutor.outline
        self._banner()
        self.query_one(ClassPanel).show(outline.klass, self.tutor.store)
        done = self.tutor.store.done_lessons()
        topics = self._draw_topics(done, practice_label(self.tutor.store, outline, self._bank()))
        if topics.option_count:
            highlighted = topics.get_option_at_index(topics.highlighted or 0).id
            self._show_topic(highlighted or outline.topics[0].id, done)
        self.refresh_bindings()

    def _banner(self) -> None:
        problems = self.tutor.outline.problems
        banner = self.query_one("#banner", Static)
        if problems:
            banner.update(
                f"⚠ {problems} problem(s) in the course content; the rest works. Press ! to see them."
            )
        banner.display = bool(problems)

    def _draw_topics(self, done: set[str], practice: Text) -> OptionList:
        """The topics with the learner's progress in each, and the practice row."""
        outline = self.tutor.outline
        progress = outline.progress(done)
        topics = self.query_one("#topics", OptionList)
        keep = topics.highlighted or 0
        topics.clear_options()
        for topic in outline.topics:
            p = progress[topic.id]
            label = Text.assemble(
                (f"{topic.title:<21.21}", "bold"),
                f" {p.lessons_done}/{p.lessons_total}".rjust(6) + " ",
                (bar(p.fraction, 5), "green" if p.fraction == 1 else "cyan"),
            )
            topics.add_option(Option(label, id=topic.id))
        topics.add_option(None)
        topics.add_option(Option(practice, id=PRACTICE_ROW))
        topics.highlighted = min(keep, topics.option_count - 1)
        return topics

    _shown_topic = ""

    def _show_topic(self, topic_id: str, done: set[str] | None = None) -> None:
        self._shown_topic = topic_id
        if topic_id == PRACTICE_ROW:
            self._show_practice()
            return
        topic = self.tutor.outline.topic(topic_id)
        if topic is None:
            return
        if done is None:
            done = self.tutor.store.done_lessons()
        self.query_one("#topic-summary", Static).update(
            Text.assemble((topic.title, "bold"), "\n", (topic.summary, "dim"))
        )
        items = self.query_one("#items", OptionList)
        keep = items.highlighted
        items.clear_options()
        if not self.tutor.loaded and not topic.lessons:  # a first run: the outline is on its way
            items.add_option(Option(Text("   Loading the course…", style="dim"), disabled=True))
            return
        items.add_option(Option(Text("Lessons", style="bold underline"), disabled=True))
        for i, lesson in enumerate(topic.lessons, 1):
            mark = DONE if lesson.id in done else TODO
            style = "green" if lesson.id in done else ""
            items.add_option(
                Option(
                    Text.assemble((f" {mark} ", style), f"{i}. {lesson.title} ", (lesson.detail, "dim")),
                    id=f"lesson:{lesson.id}",
                )
            )
        if not topic.lessons:
            items.add_option(Option(Text("   no lessons yet", style="dim"), disabled=True))
        items.add_option(Option(Text("Quizzes", style="bold underline"), disabled=True))
        store = self.tutor.store
        for quiz in topic.quizzes:
            best = quiz_best(store, quiz.id)
            items.add_option(
                Option(
                    Text.assemble(" ? ", quiz.title, (f"  {quiz.detail}", "dim"), (best, "green")),
                    id=f"setup:{quiz.id}",
                )
            )
        if not topic.quizzes:
            items.add_option(Option(Text("   coming soon", style="dim"), disabled=True))
        items.add_option(Option(Text("Labs", style="bold underline"), disabled=True))
        from tutor.progress.labs import LabRecords

        records = LabRecords(store)
        labs = records.attempts()
        ever = {c.lab_id for c in records.completions()}
        for lab in topic.labs:
            attempt = labs.get(lab.id)
            if attempt is not None and not attempt.completed_at:
                passed = len(records.passed_steps(lab.id))
                again = "done before; " if lab.id in ever else ""
                mark, note = (" ◐ ", "yellow"), f"  {again}{passed} step(s) passed"
            elif lab.id in ever:
                mark, note = (" ✔ ", "green"), "  done"
            else:
                mark, note = (" ▶ ", ""), ""
            items.add_option(Option(Text.assemble(mark, lab.title, (note, "dim")), id=f"lab:{lab.id}"))
        if not topic.labs:
            items.add_option(Option(Text("   coming soon", style="dim"), disabled=True))
        if keep is not None and keep < items.option_count:
            items.highlighted = keep

    def _show_practice(self) -> None:
        self.query_one("#topic-summary", Static).update(
            Text.assemble(
                ("Practice & exams", "bold"),
                "\n",
                ("Review by spaced repetition, revisit mistakes, sit timed mock exams.", "dim"),
            )
        )
        items = self.query_one("#items", OptionList)
        keep = items.highlighted
        items.clear_options()
        course = self.tutor.services.course if self.tutor.loaded else None
        items.add_options(practice_items(self.tutor.outline, self.tutor.store, course))
        if keep is not None and keep < items.option_count:
            items.highlighted = keep

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionHighlighted, "#items")
    def _item_highlighted(self) -> None:
        self.refresh_bindings()

    def select_topic(self, topic_id: str) -> None:
        self._fill()
        topics = self.query_one("#topics", OptionList)
        for index in range(topics.option_count):
            if topics.get_option_at_index(index).id == topic_id:
                topics.highlighted = index
                break
        self._show_topic(topic_id)
        self.action_focus_items()

    # -- events ----------------------------------------------------------------
    @on(OptionList.OptionHighlighted, "#topics")
    def _topic_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if not self._filled:  # the first frame: the topic's items follow it
            return
        if event.option.id and event.option.id != self._shown_topic:  # a new topic, not the same again
            items = self.query_one("#items", OptionList)
            items.highlighted = None
            self._show_topic(event.option.id)
            if self._pending_item:  # the last place, once its topic is shown
                self._highlight_pending()
                self._pending_item = ""

    @on(OptionList.OptionSelected, "#topics")
    def _topic_selected(self, event: OptionList.OptionSelected) -> None:
        self.action_focus_items()

    @on(OptionList.OptionSelected, "#items")
    def _item_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            kind, _, item_id = event.option.id.partition(":")
            self.tutor.open_item(kind, item_id)

    def action_focus_items(self) -> None:
        self._fill()
        items = self.query_one("#items", OptionList)
        items.focus()
        if items.highlighted is None:
            for index in range(items.option_count):
                if not items.get_option_at_index(index).disabled:
                    items.highlighted = index
                    break

    def action_focus_topics(self) -> None:
        self.query_one("#topics", OptionList).focus()
