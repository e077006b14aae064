"""What screens may ask of the app, as a Protocol: screens type against this, never import the app."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from tutor.content.outline import Outline
    from tutor.progress.store import ProgressStore
    from tutor.services import Services


class Tutor(Protocol):
    """The app as its screens see it (TutorApp implements it)."""

    seed: int | None
    store: ProgressStore
    outline: Outline

    @property
    def services(self) -> Services: ...

    @property
    def loaded(self) -> bool: ...

    @property
    def loading(self) -> bool: ...

    def ensure_loaded(self) -> None: ...

    def open_item(self, kind: str, item_id: str) -> None: ...

    def action_problems(self) -> None: ...

    # The parts of textual.App that navigation uses.
    def push_screen(self, screen: Any, callback: Any = None, **kw: Any) -> Any: ...

    def switch_screen(self, screen: Any) -> Any: ...

    def notify(self, message: str, **kw: Any) -> None: ...

    def call_from_thread(self, callback: Any, *args: Any, **kw: Any) -> Any: ...


class UsesTutor:
    """For screens: the running app, typed as the Tutor interface (screens never import it)."""

    @property
    def tutor(self) -> Tutor:
        return self.app  # type: ignore[attr-defined,no-any-return]
