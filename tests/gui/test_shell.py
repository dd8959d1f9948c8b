"""The main window shell: sidebar, page switching with unsaved edits, keys, language,
status bar, the callback-error handler and background jobs."""

from __future__ import annotations

import pytest
import ttkbootstrap as ttk

from papi_desktop.ui.pages.base import Page
from tests.gui.conftest import pump


class DirtyPage(Page):
    """A page with an edit box; 'unsaved' while the text differs from the saved text."""

    key = "catalog"

    def __init__(self, master, shell):
        super().__init__(master, shell)
        self.saved_text = ""
        self.entry = ttk.Entry(self)
        self.entry.pack()
        self.searched = 0
        self.new_items = 0
        self.escaped = 0
        self.shown_items = []

    def has_unsaved_changes(self):
        return self.entry.get() != self.saved_text

    def save_changes(self):
        self.saved_text = self.entry.get()
        return True

    def discard_changes(self):
        self.entry.delete(0, "end")
        self.entry.insert(0, self.saved_text)

    def focus_search(self):
        self.searched += 1

    def new_item(self):
        self.new_items += 1

    def on_escape(self):
        self.escaped += 1

    def show_item(self, **kwargs):
        self.shown_items.append(kwargs)


def _dirty(window):
    shell = window.shell
    page = DirtyPage(shell.main, shell)
    shell.pages["catalog"] = page
    assert shell.open_page("catalog")
    page.entry.insert(0, "Thôn Mới")
    return shell, page


def test_sidebar_lists_the_commune_pages_in_vietnamese(window):
    shell = window.shell
    labels = [b.cget("text") for b in shell.nav_buttons.values()]
    assert labels == [
        "Tổng quan", "Nhiệm vụ PAPI", "Công khai", "Báo cáo", "Đồng bộ USB", "Kiểm tra",
        "Chấm điểm", "Danh mục", "Cài đặt",
    ]  # fmt: skip
    assert shell.current == "home"
    assert "communes" not in shell.nav_buttons


def test_status_bar_shows_unit_period_framework_backup_sync(window):
    texts = window.shell.status_texts()
    assert texts["unit"] == "Phường Ninh Hòa — Tỉnh Khánh Hòa"
    assert texts["period"].startswith("Quý 4/2026")
    assert "20/11/2026" in texts["period"]
    assert texts["framework"].startswith("Bộ khung: ") and "chưa có" not in texts["framework"]
    assert texts["sync"] in ("Đồng bộ: chưa lần nào",) or texts["sync"].startswith("Đồng bộ: ")
    shown = window.shell.status_labels["unit"].cget("text")
    assert shown == texts["unit"]


def test_switching_away_with_unsaved_edits_and_cancel_stays(window, fake_dialogs):
    shell, page = _dirty(window)
    fake_dialogs.answer("ask_save_discard_cancel", "cancel")
    assert shell.open_page("home") is False
    assert shell.current == "catalog"
    assert page.entry.get() == "Thôn Mới"
    assert fake_dialogs.messages("ask_save_discard_cancel")


def test_switching_away_with_save_keeps_the_edit(window, fake_dialogs):
    shell, page = _dirty(window)
    fake_dialogs.answer("ask_save_discard_cancel", "save")
    assert shell.open_page("home")
    assert shell.current == "home"
    assert page.saved_text == "Thôn Mới"


def test_switching_away_with_discard_drops_the_edit(window, fake_dialogs):
    shell, page = _dirty(window)
    fake_dialogs.answer("ask_save_discard_cancel", "discard")
    assert shell.open_page("settings")
    assert page.entry.get() == ""
    assert shell.current == "settings"


def test_closing_the_window_asks_too(window, fake_dialogs, root):
    shell, _page = _dirty(window)
    fake_dialogs.answer("ask_save_discard_cancel", "cancel")
    window.close()  # must not destroy the root
    assert root.winfo_exists()
    assert shell.winfo_exists()
    assert len(fake_dialogs.messages("ask_save_discard_cancel")) == 1


def test_no_question_without_edits(window, fake_dialogs):
    shell = window.shell
    assert shell.open_page("settings")
    assert shell.open_page("home")
    assert not fake_dialogs.messages("ask_save_discard_cancel")


def test_keys_are_routed_to_the_current_page(window, root):
    shell, page = _dirty(window)
    page.saved_text = page.entry.get()
    shell._on_ctrl_f()
    shell._on_ctrl_n()
    shell._on_escape()
    assert (page.searched, page.new_items, page.escaped) == (1, 1, 1)
    root.deiconify()  # key events need a mapped window with focus
    page.entry.focus_force()
    pump(root)
    page.entry.event_generate("<Control-Key-1>")  # Ctrl+1 opens the first page
    pump(root)
    assert shell.current == "home"


def test_open_page_passes_the_item_to_show(window):
    shell, page = _dirty(window)
    page.saved_text = page.entry.get()
    shell.open_page("home")
    assert shell.open_page("catalog", select={"id": "abc"})
    assert page.shown_items == [{"select": {"id": "abc"}}]


def test_language_switch_relabels_without_restart(window, gui_ctx):
    shell = window.shell
    shell.open_page("settings")
    assert shell.set_language("en")
    labels = [b.cget("text") for b in shell.nav_buttons.values()]
    assert labels[:3] == ["Overview", "PAPI tasks", "Disclosure"]
    assert shell.current == "settings"
    assert shell.status_texts()["period"].startswith("Q4 2026")
    assert gui_ctx.db.get_setting("ui_language") == "en"
    from ttkbootstrap.localization import MessageCatalog

    assert MessageCatalog.translate("Cancel") == "Cancel"
    assert shell.set_language("vi")
    assert MessageCatalog.translate("Cancel") == "Hủy"
    assert MessageCatalog.translate("January") == "Tháng 1"


def test_saved_language_is_used_on_next_start(gui_ctx, make_window, root):
    with gui_ctx.db.transaction():
        gui_ctx.db.set_setting("ui_language", "en")
    window = make_window(gui_ctx)
    assert window.shell.lang == "en"
    assert window.shell.nav_buttons["home"].cget("text") == "Overview"


def test_district_gets_no_commune_only_pages_crash(district_ctx, make_window):
    window = make_window(district_ctx)
    shell = window.shell
    assert shell.current == "home"
    assert shell.status_texts()["unit"] == "Sở Nội vụ tỉnh Khánh Hòa"


@pytest.mark.allow_callback_errors
def test_callback_error_is_logged_shown_and_the_app_keeps_running(
    window, root, fake_dialogs, tmp_path
):
    from papi_desktop.ui.app import setup_logging

    log_file = setup_logging(tmp_path / "d")
    button = ttk.Button(window.shell.main, text="x", command=lambda: 1 / 0)
    button.invoke  # noqa: B018 - the command runs through Tk below
    root.tk.call(button, "invoke")  # Tk calls it: the handler sees the ZeroDivisionError
    pump(root)
    errors = fake_dialogs.messages("error")
    assert errors and "nhật ký" in errors[0]
    text = log_file.read_text(encoding="utf-8")
    assert "ZeroDivisionError" in text and "Traceback" in text
    assert window.shell.open_page("settings")  # still alive


@pytest.mark.allow_callback_errors
def test_user_error_in_a_callback_shows_its_own_message(window, root, fake_dialogs):
    from papi_desktop.errors import UserError

    def bad():
        raise UserError("Ngày 31/02/2026 không tồn tại.", "No such date.")

    button = ttk.Button(window.shell.main, text="x", command=bad)
    root.tk.call(button, "invoke")
    assert fake_dialogs.messages("error") == ["Ngày 31/02/2026 không tồn tại."]


def test_jobs_run_and_report(window, fake_dialogs):
    from papi_desktop.errors import UserError

    results = []

    def work(job):
        job.progress(0.5, "nửa chừng")
        ctx = job.open_context()  # its own connection on the same data folder
        return ctx.site.unit_name

    window.shell.run_job("Thử", work, on_done=results.append)
    assert results == ["Phường Ninh Hòa"]

    def fails(job):
        raise UserError("Không có USB.", "No USB.")

    window.shell.run_job("Thử", fails, on_done=results.append)
    assert fake_dialogs.messages("error") == ["Không có USB."]


def test_thread_runner_runs_off_the_tk_thread_and_can_cancel(window, root):
    import threading

    from papi_desktop.ui.jobs import Cancelled, ThreadJobRunner

    runner = ThreadJobRunner(window.shell)
    seen, done = {}, []
    started = threading.Event()

    def work(job):
        seen["thread"] = threading.current_thread().name
        started.set()
        while not job.cancelled.wait(0.01):
            pass
        job.check()

    runner.run("Đang chạy", work, on_done=done.append)
    assert started.wait(10)
    dialogs = [w for w in root.winfo_children() if isinstance(w, ttk.Toplevel)]
    assert dialogs, "a progress dialog is shown"
    dialog_widgets = dialogs[-1].winfo_children()[0].winfo_children()
    cancel = next(w for w in dialog_widgets if isinstance(w, ttk.Button))
    assert cancel.cget("text") == "Hủy"
    cancel.invoke()
    for _ in range(500):
        root.update()
        if not any(isinstance(w, ttk.Toplevel) and w.winfo_exists() for w in root.winfo_children()):
            break
        threading.Event().wait(0.01)
    assert seen["thread"].startswith("job: ")
    assert done == []  # cancelled: no result
    assert Cancelled
