"""The status bar says when today's automatic backup could not be written (issue 10 §4)."""

from __future__ import annotations

from papi_desktop.errors import StorageError


def test_status_bar_shows_a_failed_daily_backup(gui_ctx, make_window):
    window = make_window(gui_ctx)
    assert "KHÔNG" not in window.shell.status_texts()["backup"]
    gui_ctx.auto_backup_problem = StorageError("Ổ đĩa đã đầy.", "Disk full.", kind="full")
    assert window.shell.status_texts()["backup"].endswith("hôm nay KHÔNG sao lưu được: ổ đĩa đầy")
    gui_ctx.auto_backup_problem = StorageError("Chỉ đọc.", "Read-only.", kind="readonly")
    window.shell.refresh_status()
    shown = window.shell.status_labels["backup"].cget("text")
    assert shown.endswith("ổ đĩa chỉ cho phép đọc")
