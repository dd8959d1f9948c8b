"""The contract every page of the main window follows.

A page is a ``ttk.Frame`` shown in the main area when its sidebar entry is chosen. The
window creates pages lazily (on first visit) and calls ``on_show`` every time the page is
shown. Pages read and write data only through ``papi_desktop.services`` with the shared
``AppContext`` (``self.ctx``); long work goes through ``self.shell.run_job`` so it runs off
the Tk thread with a progress bar and Cancel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ttkbootstrap as ttk

if TYPE_CHECKING:
    from papi_desktop.services.context import AppContext


class Page(ttk.Frame):
    """Base class of a main-window page.

    Class attributes:
      ``key``: stable id used by the sidebar and tests (e.g. "home", "tasks");
      ``title_vi`` / ``title_en``: the sidebar label;
      ``icon``: a Bootstrap Icons name (ttkbootstrap 2.x ``icon=``), may be "";
      ``min_size``: the smallest (width, height) at which every control shows; in a
      smaller window the page scrolls (see ``widgets.ScrollArea``).
    """

    key: str = ""
    title_vi: str = ""
    title_en: str = ""
    icon: str = ""
    roles: tuple[str, ...] = ("commune", "district")
    min_size: tuple[int, int] = (760, 470)

    def __init__(self, master: Any, shell: Any) -> None:
        super().__init__(master, padding=12)
        self.shell = shell

    @property
    def ctx(self) -> AppContext:
        return self.shell.ctx

    def tr(self, vi: str, en: str) -> str:
        """Pick the string for the current UI language."""
        return self.shell.tr(vi, en)

    # -- lifecycle hooks the shell calls ----------------------------------
    def on_show(self) -> None:
        """Called each time the page becomes visible: refresh what may have changed."""

    def has_unsaved_changes(self) -> bool:
        """True when leaving now would lose typed edits (the shell then asks)."""
        return False

    def save_changes(self) -> bool:
        """Save pending edits; return False to stay on the page (e.g. invalid input)."""
        return True

    def discard_changes(self) -> None:
        """Drop pending edits."""

    def on_language_changed(self) -> None:
        """Re-label widgets after a language switch (default: rebuild happens in the shell)."""

    def focus_search(self) -> None:
        """Ctrl+F: put the cursor in this page's search box, if it has one."""

    def new_item(self) -> None:
        """Ctrl+N: start a new item on this page, if it makes sense."""

    def show_item(self, **kwargs: Any) -> None:
        """Select and show one item, after ``on_show``, when another page links here:
        ``shell.open_page("tasks", select={"code": …, "period": …})`` or
        ``shell.open_page("disclosures", select={"id": …})``."""

    def on_escape(self) -> None:
        """Escape: close the open editor or clear the search, if the page has one."""
