"""Starting the window: open the data folder, apply theme and language, show the first-run
wizard or the main shell, and keep the app alive when a callback fails.

``run_app`` is what ``papi-desktop`` (no command) calls; ``build_main_window`` builds the same
window without entering the main loop, for tests, benchmarks and ``--smoke-test``.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.ui import dialogs, i18n
from papi_desktop.ui.shell import THEMES, Shell

log = logging.getLogger("papi_desktop.ui")

LOG_FILE = "papi-desktop.log"

# A 1024x600 netbook leaves about 1024x560 under the title bar and the taskbar.
MIN_SIZE = (960, 540)
START_SIZE = (1280, 760)


def log_path(data_dir: Path) -> Path:
    return Path(data_dir) / "logs" / LOG_FILE


def setup_logging(data_dir: Path) -> Path:
    """Log warnings and errors (with tracebacks) to ``<data dir>/logs/papi-desktop.log``."""
    path = log_path(data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    logger = logging.getLogger("papi_desktop")
    for handler in list(logger.handlers):
        if getattr(handler, "_papi_log", False):
            logger.removeHandler(handler)
            handler.close()
    handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.setLevel(logging.INFO)
    handler._papi_log = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    if logger.level == logging.NOTSET or logger.level > logging.INFO:
        logger.setLevel(logging.INFO)
    return path


def fit_to_screen(root: Any) -> None:
    """Shrink the first window to the screen (less the taskbar) on a small screen."""
    width = min(START_SIZE[0], root.winfo_screenwidth())
    height = min(START_SIZE[1], max(MIN_SIZE[1], root.winfo_screenheight() - 70))
    if (width, height) != START_SIZE:
        root.geometry(f"{width}x{height}+0+0")


class CallbackErrorHandler:
    """Replaces ``Tk.report_callback_exception``: log, tell the user kindly, keep running."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: Any) -> None:
        from papi_desktop.errors import StorageError, UserError
        from papi_desktop.ui.jobs import friendly_message

        lang = self.window.lang
        if isinstance(exc, UserError | StorageError):
            log.info("user error in a callback: %s", exc.message("vi"))
        else:
            log.error(
                "error in a window callback:\n%s",
                "".join(traceback.format_exception(exc_type, exc, tb)),
            )
        try:
            dialogs.error(self.window.root, friendly_message(exc, lang))
        except Exception:  # never let the error report itself crash the app
            log.exception("showing the error message failed")


class MainWindow:
    """The root window and what it shows: the first-run wizard or the shell."""

    def __init__(
        self,
        ctx: Any,
        root: Any = None,
        *,
        lang: str | None = None,
        job_runner: Any = None,
    ) -> None:
        self.ctx = ctx
        from papi_desktop.services import catalogs

        saved = catalogs.get_preference(ctx, "ui_language")
        self.lang = lang if lang in i18n.LANGUAGES else (saved if saved in i18n.LANGUAGES else "vi")
        theme = (
            THEMES["dark"] if catalogs.get_preference(ctx, "theme") == "dark" else THEMES["light"]
        )
        self.owns_root = root is None
        if root is None:
            root = ttk.App(
                title="PAPI Desktop",
                theme=theme,
                size=START_SIZE,
                minsize=MIN_SIZE,
                light_theme=THEMES["light"],
                dark_theme=THEMES["dark"],
            )
            fit_to_screen(root)
        else:
            ttk.Style().theme_use(theme)
        self.root = root
        i18n.apply_language(self.lang)
        dialogs.set_language(self.lang)
        self.job_runner = job_runner
        self.shell: Shell | None = None
        self.wizard: Any = None
        self.error_handler = CallbackErrorHandler(self)
        root.report_callback_exception = self.error_handler
        root.protocol("WM_DELETE_WINDOW", self.close)
        if ctx.site is None:
            self.show_wizard()
        else:
            self.show_shell()

    def show_wizard(self) -> None:
        from papi_desktop.ui.wizard import Wizard

        self.root.title("PAPI Desktop — " + i18n.pick(self.lang, "Thiết lập lần đầu", "First run"))
        self.wizard = Wizard(self.root, self.ctx, lang=self.lang, on_finish=self._wizard_done)
        self.wizard.pack(fill="both", expand=True)

    def _wizard_done(self) -> None:
        if self.wizard is not None:
            self.lang = self.wizard.lang
            self.wizard.destroy()
            self.wizard = None
        self.show_shell()

    def show_shell(self, page: str = "home") -> None:
        self.shell = Shell(self.root, self.ctx, lang=self.lang, job_runner=self.job_runner)
        self.shell.on_context_changed = self._context_changed
        self.shell.pack(fill="both", expand=True)
        self.root.title(self.shell.window_title())
        self.shell.open_page(page)

    def _context_changed(self, ctx: Any) -> None:
        self.ctx = ctx

    def close(self) -> None:
        if self.shell is not None:
            self.lang = self.shell.lang
            if not self.shell.confirm_leave():
                return
        self.root.destroy()


def build_main_window(
    ctx: Any, root: Any = None, *, lang: str | None = None, job_runner: Any = None
) -> MainWindow:
    """Build the window on ``ctx`` (creating the ttkbootstrap root unless given) and draw it,
    without entering the main loop."""
    window = MainWindow(ctx, root, lang=lang, job_runner=job_runner)
    window.root.update_idletasks()
    return window


def _open_context_interactively(data_dir: str | None, lang: str):
    """Open the data folder; on a damaged database offer the newest good backup."""
    from papi_desktop.errors import StorageError
    from papi_desktop.services import maintenance
    from papi_desktop.services.context import open_context

    try:
        return open_context(data_dir), None
    except StorageError as exc:
        root = ttk.App(title="PAPI Desktop", theme=THEMES["light"])
        root.withdraw()
        i18n.apply_language(lang)
        dialogs.set_language(lang)
        candidate = maintenance.newest_good_backup(data_dir)
        message = exc.message(lang)
        if candidate is None:
            dialogs.error(root, message)
            root.destroy()
            return None, None
        question = (
            message
            + "\n\n"
            + i18n.pick(
                lang,
                f"Khôi phục bản sao lưu gần nhất ({candidate.name})? Dữ liệu hiện tại được giữ lại "
                "một bản an toàn trong thư mục backups.",
                f"Restore the newest good backup ({candidate.name})? The current file is kept "
                "as a safety copy in the backups folder.",
            )
        )
        if not dialogs.ask_yes_no(root, question):
            root.destroy()
            return None, None
        maintenance.restore(data_dir, candidate)
        ctx = open_context(data_dir)
        root.deiconify()
        return ctx, root


def run_app(data_dir: str | None = None, lang: str | None = None) -> int:
    """Open the window and run until it is closed. Returns the process exit code."""
    from papi_desktop.config import resolve_data_dir

    try:
        setup_logging(resolve_data_dir(data_dir))
    except OSError:
        pass  # a read-only data folder is reported when it is opened
    ctx, root = _open_context_interactively(data_dir, lang or "vi")
    if ctx is None:
        return 1
    # --lang overrides the language saved in Settings; without it the saved one is used.
    window = MainWindow(ctx, root, lang=lang)
    if sys.platform.startswith("win"):
        try:
            window.root.state("zoomed")
        except Exception:
            pass
    try:
        window.root.mainloop()
    finally:
        window.ctx.close()
    return 0
