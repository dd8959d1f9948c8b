"""The main window's frame: sidebar, page area and status bar.

Pages are created on first visit (their modules are imported then, so the window opens
fast) and follow ``papi_desktop.ui.pages.base.Page``. The shell owns page switching (asking
Lưu / Không lưu / Hủy when the page has unsaved edits), keyboard routing (Ctrl+F, Ctrl+N,
Escape, Ctrl+1…8), language and theme switching, background jobs and friendly error
messages.
"""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.services import catalogs
from papi_desktop.ui import dialogs, i18n
from papi_desktop.ui.pages.base import Page
from papi_desktop.ui.widgets.scrollarea import ScrollArea

log = logging.getLogger("papi_desktop.ui")

THEMES = {"light": "bootstrap-light", "dark": "bootstrap-dark"}


@dataclass(frozen=True)
class PageSpec:
    key: str
    module: str
    title_vi: str
    title_en: str
    icon: str
    roles: tuple[str, ...] = ("commune", "district")


PAGE_SPECS: tuple[PageSpec, ...] = (
    PageSpec("home", "papi_desktop.ui.pages.home", "Tổng quan", "Overview", "house"),
    PageSpec("tasks", "papi_desktop.ui.pages.tasks", "Nhiệm vụ PAPI", "PAPI tasks", "list-check"),
    PageSpec(
        "disclosures", "papi_desktop.ui.pages.disclosures", "Công khai", "Disclosure", "megaphone"
    ),
    PageSpec("reports", "papi_desktop.ui.pages.reports", "Báo cáo", "Reports", "printer"),
    PageSpec("sync", "papi_desktop.ui.pages.sync", "Đồng bộ USB", "USB sync", "usb-drive"),
    PageSpec(
        "communes",
        "papi_desktop.ui.pages.communes",
        "Xã/phường",
        "Communes",
        "buildings",
        roles=("district",),
    ),
    PageSpec(
        "inspections",
        "papi_desktop.ui.pages.inspections",
        "Kiểm tra",
        "Inspections",
        "clipboard-check",
    ),
    PageSpec("assess", "papi_desktop.ui.pages.assess", "Chấm điểm", "Scoring", "award"),
    PageSpec("catalog", "papi_desktop.ui.pages.catalog", "Danh mục", "Catalogues", "journal-text"),
    PageSpec("settings", "papi_desktop.ui.pages.settings", "Cài đặt", "Settings", "gear"),
)


def find_page_class(module: Any, key: str) -> type[Page] | None:
    """The ``Page`` subclass in ``module`` whose ``key`` is ``key``."""
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and issubclass(value, Page)
            and value is not Page
            and getattr(value, "key", "") == key
        ):
            return value
    return None


class Shell(ttk.Frame):
    """Everything inside the main window."""

    def __init__(
        self,
        master: Any,
        ctx: Any,
        *,
        lang: str = "vi",
        job_runner: Any = None,
    ) -> None:
        super().__init__(master)
        self.ctx = ctx
        self.lang = lang if lang in i18n.LANGUAGES else "vi"
        i18n.apply_language(self.lang)
        dialogs.set_language(self.lang)
        if job_runner is None:
            from papi_desktop.ui.jobs import ThreadJobRunner

            job_runner = ThreadJobRunner
        # A runner class (ThreadJobRunner, SyncJobRunner in tests) or a ready instance.
        self.jobs = job_runner(self) if isinstance(job_runner, type) else job_runner
        self.pages: dict[str, Page] = {}
        # each page sits in a ScrollArea that scrolls below the page's min_size
        self.areas: dict[str, ScrollArea] = {}
        self.current: str | None = None
        self.nav_buttons: dict[str, ttk.Button] = {}
        # Called with the new AppContext after a restore reopened the data folder.
        self.on_context_changed: Any = None
        self._build()
        self._bind_keys()

    # -- language ----------------------------------------------------------
    def tr(self, vi: str, en: str) -> str:
        return i18n.pick(self.lang, vi, en)

    @property
    def specs(self) -> list[PageSpec]:
        role = self.ctx.site.role if self.ctx.site else "commune"
        return [s for s in PAGE_SPECS if role in s.roles]

    # -- layout ------------------------------------------------------------
    def _build(self) -> None:
        self.columnconfigure(1, weight=1)
        self.rowconfigure(0, weight=1)
        self.sidebar = ttk.Frame(self, padding=(8, 10), bootstyle=self._sidebar_style())
        self.sidebar.grid(row=0, column=0, sticky="ns")
        self.main = ttk.Frame(self)
        self.main.grid(row=0, column=1, sticky="nsew")
        self.main.columnconfigure(0, weight=1)
        self.main.rowconfigure(0, weight=1)
        ttk.Separator(self).grid(row=1, column=0, columnspan=2, sticky="ew")
        self.statusbar = ttk.Frame(self, padding=(10, 3))
        self.statusbar.grid(row=2, column=0, columnspan=2, sticky="ew")
        self.status_labels: dict[str, ttk.Label] = {}
        for i, name in enumerate(("unit", "period", "framework", "backup", "sync")):
            label = ttk.Label(self.statusbar, text="", bootstyle="secondary")
            label.grid(row=0, column=2 * i, sticky="w")
            if i < 4:
                ttk.Separator(self.statusbar, orient="vertical").grid(
                    row=0, column=2 * i + 1, sticky="ns", padx=10
                )
            self.status_labels[name] = label
        self.statusbar.columnconfigure(9, weight=1)
        self._build_sidebar()
        self.refresh_status()

    @staticmethod
    def _sidebar_style() -> str:
        """A light panel in the light theme; the theme's own background in the dark one
        (a light panel there would leave the light ghost-button text unreadable)."""
        return "light" if ttk.Style().theme_mode != "dark" else "default"

    def _build_sidebar(self) -> None:
        self.sidebar.configure(bootstyle=self._sidebar_style())
        for child in self.sidebar.winfo_children():
            child.destroy()
        self.nav_buttons.clear()
        ttk.Label(
            self.sidebar, text="PAPI Desktop", font="-size 13 -weight bold", bootstyle="primary"
        ).pack(anchor="w", padx=6, pady=(0, 12))
        for spec in self.specs:
            button = ttk.Button(
                self.sidebar,
                text=self.tr(spec.title_vi, spec.title_en),
                icon=spec.icon,
                bootstyle="ghost",
                command=lambda k=spec.key: self.open_page(k),
                width=16,
            )
            button.pack(fill="x", pady=1)
            self.nav_buttons[spec.key] = button
        self._highlight()

    def _highlight(self) -> None:
        for key, button in self.nav_buttons.items():
            button.configure(bootstyle="primary" if key == self.current else "ghost")

    # -- status bar ----------------------------------------------------------
    def status_texts(self) -> dict[str, str]:
        """The status bar's texts (also used by tests)."""
        from papi_desktop.services import dashboard

        site = self.ctx.site
        facts = dashboard.status_facts(self.ctx)
        today, quarter = facts["today"], facts["quarter"]
        texts: dict[str, str] = {}
        if site is None:
            texts["unit"] = self.tr("Chưa thiết lập", "Not set up")
        elif site.is_commune:
            texts["unit"] = f"{site.unit_name} — {site.province_name}"
        else:
            texts["unit"] = site.unit_name
        texts["period"] = self.tr(
            f"Quý {quarter}/{today.year} · hôm nay {today:%d/%m/%Y}",
            f"Q{quarter} {today.year} · today {today:%d/%m/%Y}",
        )
        fw = facts["framework_version"]
        texts["framework"] = self.tr("Bộ khung: ", "Framework: ") + (
            str(fw) if fw is not None else self.tr("chưa có", "none")
        )
        backup = facts["last_backup"]
        texts["backup"] = self.tr("Sao lưu: ", "Backup: ") + (
            f"{backup:%d/%m/%Y %H:%M}" if backup else self.tr("chưa có", "none")
        )
        problem = facts.get("backup_problem")
        if problem:  # today's automatic copy could not be written
            texts["backup"] += self.tr(
                " — hôm nay KHÔNG sao lưu được: "
                + ("ổ đĩa đầy" if problem == "full" else "ổ đĩa chỉ cho phép đọc"),
                " — today's backup FAILED: "
                + ("disk full" if problem == "full" else "read-only disk"),
            )
        texts["sync"] = self.tr("Đồng bộ: ", "Sync: ") + self._sync_text(facts["last_sync"])
        return texts

    def _sync_text(self, value: Any) -> str:
        if not value:
            return self.tr("chưa lần nào", "never")
        if isinstance(value, dict):
            value = value.get("at") or value.get("date") or ""
        text = str(value)
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if when.tzinfo is not None:
                when = when.astimezone()
            return f"{when:%d/%m/%Y %H:%M}"
        except ValueError:
            return text

    def refresh_status(self) -> None:
        for name, text in self.status_texts().items():
            self.status_labels[name].configure(text=text)

    # -- pages ---------------------------------------------------------------
    def spec(self, key: str) -> PageSpec | None:
        for s in self.specs:
            if s.key == key:
                return s
        return None

    def page(self, key: str) -> Page:
        """The page for ``key``, created (and its module imported) on first use."""
        if key in self.pages:
            return self.pages[key]
        spec = self.spec(key)
        if spec is None:
            raise KeyError(key)
        # Every page ships with the app: a missing module or class is a packaging bug and
        # must fail loudly, never show a placeholder to the user.
        module = importlib.import_module(spec.module)
        cls = find_page_class(module, key)
        if cls is None:
            raise LookupError(f"{spec.module} defines no Page with key {key!r}")
        area = ScrollArea(self.main, min_size=cls.min_size)
        page = cls(area.body, self)
        page.pack(fill="both", expand=True)
        self.areas[key] = area
        self.pages[key] = page
        return page

    def current_page(self) -> Page | None:
        return self.pages.get(self.current) if self.current else None

    def confirm_leave(self) -> bool:
        """Ask about unsaved edits on the current page; False means stay."""
        page = self.current_page()
        if page is None or not page.has_unsaved_changes():
            return True
        answer = dialogs.ask_save_discard_cancel(
            self,
            self.tr(
                "Trang này có thay đổi chưa lưu. Lưu lại trước khi chuyển đi?",
                "This page has unsaved changes. Save them before leaving?",
            ),
        )
        if answer == "save":
            try:
                return bool(page.save_changes())
            except Exception as exc:
                self.show_error(exc)
                return False
        if answer == "discard":
            page.discard_changes()
            return True
        return False

    def open_page(self, key: str, **kwargs: Any) -> bool:
        """Show page ``key``; with kwargs, also ask it to show one item (``show_item``).

        Returns False when the user chose to stay (unsaved edits) or the page is unknown.
        """
        if self.spec(key) is None:
            return False
        if (key != self.current or kwargs) and not self.confirm_leave():
            return False
        if key != self.current:
            old = self.current_page()
            if old is not None:
                self.areas.get(self.current or "", old).grid_remove()
            page = self.page(key)
            self.areas.get(key, page).grid(row=0, column=0, sticky="nsew")
            self.current = key
            self._highlight()
            page.on_show()
        page = self.pages[key]
        if kwargs:
            page.show_item(**kwargs)
        return True

    def rebuild(self, reopen: str | None = None) -> None:
        """Drop every page (they are rebuilt on next visit) and redraw labels."""
        reopen = reopen or self.current or "home"
        for key, page in self.pages.items():
            self.areas.get(key, page).destroy()
        self.pages.clear()
        self.areas.clear()
        self.current = None
        self._build_sidebar()
        self.refresh_status()
        self.open_page(reopen if self.spec(reopen) else "home")

    def set_language(self, lang: str) -> bool:
        """Switch the UI language without restarting; saved for next start."""
        if lang not in i18n.LANGUAGES:
            return False
        if not self.confirm_leave():
            return False
        page = self.current_page()
        if page is not None:
            page.on_language_changed()
        self.lang = lang
        i18n.apply_language(lang)
        dialogs.set_language(lang)
        catalogs.set_preferences(self.ctx, ui_language=lang)
        self.winfo_toplevel().title(self.window_title())
        self.rebuild()
        return True

    def set_theme(self, mode: str) -> None:
        """ "light" or "dark"; saved for next start."""
        theme = THEMES.get(mode, THEMES["light"])
        ttk.Style().theme_use(theme)
        catalogs.set_preferences(self.ctx, theme="dark" if mode == "dark" else "light")
        # Row tints, legends and the sidebar take their colours when built: build the pages
        # again (after this click's callback has returned), so nothing waits for a restart.
        if not self.confirm_leave():
            return
        self.after_idle(lambda: self.rebuild(self.current))

    def restore_backup(self, backup: Any) -> bool:
        """Replace the data with a backup: close every page and the database, restore the
        file (a safety copy of the current one is kept), reopen, and rebuild the pages."""
        from pathlib import Path

        from papi_desktop.services import maintenance
        from papi_desktop.services.context import open_context

        if not self.confirm_leave():
            return False
        data_dir = self.ctx.paths.root
        today = getattr(self.ctx, "_today", None)
        for key, page in self.pages.items():
            self.areas.get(key, page).destroy()
        self.pages.clear()
        self.areas.clear()
        self.current = None
        self.ctx.close()
        error: BaseException | None = None
        safety = None
        try:
            safety = maintenance.restore(str(data_dir), Path(backup))
        except Exception as exc:
            error = exc
        self.ctx = open_context(data_dir, auto_backup=False)
        self.ctx.set_today(today)
        if self.on_context_changed is not None:
            self.on_context_changed(self.ctx)
        self.winfo_toplevel().title(self.window_title())
        self.rebuild("settings")
        if error is not None:
            self.show_error(error)
            return False
        kept = (
            f" {self.tr('Bản an toàn của dữ liệu trước đó', 'Safety copy of the previous data')}: {safety.name}."
            if safety
            else ""
        )
        dialogs.info(
            self,
            self.tr(
                f"Đã khôi phục dữ liệu từ {Path(backup).name} và mở lại.",
                f"Restored the data from {Path(backup).name} and reopened it.",
            )
            + kept,
        )
        return True

    def window_title(self) -> str:
        site = self.ctx.site
        name = site.unit_name if site else ""
        return f"PAPI Desktop — {name}" if name else "PAPI Desktop"

    # -- background work and errors -------------------------------------------
    def run_job(
        self,
        title: str,
        work: Any,
        on_done: Any = None,
        on_error: Any = None,
        cancellable: bool = True,
    ) -> None:
        """Run ``work(job)`` off the Tk thread with a progress dialog (see ui.jobs)."""
        self.jobs.run(title, work, on_done=on_done, on_error=on_error, cancellable=cancellable)

    def run_background(self, work: Any, on_done: Any, on_error: Any = None) -> None:
        """Run ``work(job)`` off the Tk thread without a dialog; ``on_done`` on the Tk thread."""
        self.jobs.run_background(work, on_done, on_error)

    def show_error(self, exc: BaseException) -> None:
        from papi_desktop.errors import StorageError, UserError
        from papi_desktop.ui.jobs import friendly_message

        if not isinstance(exc, UserError | StorageError):
            log.error("error shown to the user", exc_info=exc)
        dialogs.error(self, friendly_message(exc, self.lang))

    # -- keyboard --------------------------------------------------------------
    KEY_SEQUENCES = (
        "<Control-f>", "<Control-F>", "<Control-n>", "<Control-N>", "<Escape>",
        *(f"<Control-Key-{n}>" for n in range(1, 10)),
    )  # fmt: skip

    def _bind_keys(self) -> None:
        root = self.winfo_toplevel()
        for seq in ("<Control-f>", "<Control-F>"):
            root.bind(seq, self._on_ctrl_f)
        for seq in ("<Control-n>", "<Control-N>"):
            root.bind(seq, self._on_ctrl_n)
        root.bind("<Escape>", self._on_escape)
        for n in range(1, 10):
            root.bind(f"<Control-Key-{n}>", lambda _e, i=n: self._open_nth(i))

    def destroy(self) -> None:
        try:
            root = self.winfo_toplevel()
            for seq in self.KEY_SEQUENCES:
                root.unbind(seq)
        except Exception:  # the root is already gone
            pass
        super().destroy()

    def _open_nth(self, n: int) -> str:
        specs = self.specs
        if n <= len(specs):
            self.open_page(specs[n - 1].key)
        return "break"

    def _on_ctrl_f(self, _event: Any = None) -> str:
        page = self.current_page()
        if page is not None:
            page.focus_search()
        return "break"

    def _on_ctrl_n(self, _event: Any = None) -> str:
        page = self.current_page()
        if page is not None:
            page.new_item()
        return "break"

    def _on_escape(self, _event: Any = None) -> None:
        page = self.current_page()
        if page is not None:
            page.on_escape()

    def close(self) -> bool:
        """Window close: ask about unsaved edits, then destroy. False = stay open."""
        if not self.confirm_leave():
            return False
        self.winfo_toplevel().destroy()
        return True
