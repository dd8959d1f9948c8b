"""Báo cáo and Đồng bộ USB pages drive the real services (jobs run synchronously)."""

from __future__ import annotations

from pathlib import Path


def test_reports_page_builds_the_framework_sheet_and_opens_it(window, root, tmp_path, fake_dialogs):
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("framework")
    page._kind_changed()
    assert not page.rows["year"][1].winfo_ismapped()
    out = tmp_path / "out" / "bo-khung.pdf"
    page.path_var.set(str(out))
    page.make_button.invoke()
    assert out.is_file() and out.read_bytes()[:4] == b"%PDF"
    assert ("open_path", str(out)) in fake_dialogs.calls
    assert "Đã tạo" in page.message.cget("text")


def test_reports_page_register_of_a_quarter(window, root, tmp_path):
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("register")
    page._kind_changed()
    assert page.path_var.get().endswith("danh-muc-cong-khai-2026-quy4.pdf")
    page.open_after_var.set(False)
    out = tmp_path / "dm.pdf"
    page.path_var.set(str(out))
    page.make_button.invoke()
    assert out.is_file()


def test_reports_page_needs_an_item_for_the_notice(window, root, tmp_path):
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("posting_notice")
    page._kind_changed()
    page.path_var.set(str(tmp_path / "tb.pdf"))
    page.make_button.invoke()
    assert "Hãy chọn nội dung công khai" in page.message.cget("text")
    assert not (tmp_path / "tb.pdf").exists()


def test_sync_page_exports_a_package_and_lists_it(window, root, tmp_path):
    shell = window.shell
    shell.open_page("sync")
    page = shell.current_page()
    assert "Chưa gửi dữ liệu" in page.warning.cget("text")
    usb = tmp_path / "usb"
    usb.mkdir()
    page.folder_var.set(str(usb))
    page.export_button.invoke()
    files = list(usb.iterdir())
    assert len(files) == 1 and files[0].suffix == ".papisync"
    assert "Đã ghi gói số 1" in page.export_message.cget("text")
    assert page.history.rows[0]["direction"] == "Gửi"
    assert page.warning.cget("text") == ""
    assert not shell.status_texts()["sync"].endswith("chưa lần nào")


def test_sync_page_import_check_of_an_empty_folder(window, root, tmp_path):
    shell = window.shell
    shell.open_page("sync")
    page = shell.current_page()
    page.folder_var.set(str(tmp_path))
    page.import_button.invoke()
    assert "Không có gói dữ liệu" in page.import_message.cget("text")
    assert Path(tmp_path).exists()
