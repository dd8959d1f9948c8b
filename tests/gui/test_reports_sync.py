"""Báo cáo and Đồng bộ USB pages drive the real services (jobs run synchronously)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import DEMO_COMMUNE, OTHER_COMMUNE


def _documents(gui_ctx, tmp_path):
    from papi_desktop.services.reports.files import set_documents_dir

    folder = tmp_path / "Tài liệu"
    set_documents_dir(gui_ctx, folder)
    return folder / "2026"


def test_reports_page_saves_in_the_documents_folder_and_offers_open(
    window, root, gui_ctx, tmp_path, fake_dialogs
):
    folder = _documents(gui_ctx, tmp_path)
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("framework")
    page._kind_changed()
    assert not page.rows["year"][1].winfo_ismapped()
    assert str(folder.parent) in page.folder_label.cget("text")
    out = folder / "bo-khung-nhiem-vu_2026-11-20.pdf"
    assert out.name in page.name_label.cget("text")
    fake_dialogs.answer("document_saved", "open")
    page.make_button.invoke()
    assert out.is_file() and out.read_bytes()[:4] == b"%PDF"
    assert ("document_saved", str(out)) in fake_dialogs.calls
    assert ("open_path", str(out)) in fake_dialogs.calls
    assert "Đã tạo" in page.message.cget("text")

    # the same again: asked first; "new" keeps the first file and writes "name (2).pdf"
    before = out.read_bytes()
    fake_dialogs.answer("ask_overwrite", "new")
    fake_dialogs.answer("document_saved", "print")
    page.make_button.invoke()
    second = folder / "bo-khung-nhiem-vu_2026-11-20 (2).pdf"
    assert ("ask_overwrite", str(out)) in fake_dialogs.calls
    assert out.read_bytes() == before and second.is_file()
    assert ("print_file", str(second)) in fake_dialogs.calls
    # cancel writes nothing
    page.make_button.invoke()
    assert not (folder / "bo-khung-nhiem-vu_2026-11-20 (3).pdf").exists()
    # Word copy: the format is chosen visibly
    page.format_var.set(".docx")
    page._suggest_path()
    fake_dialogs.answer("document_saved", "folder")
    page.make_button.invoke()
    word = folder / "bo-khung-nhiem-vu_2026-11-20.docx"
    assert word.is_file() and word.read_bytes()[:2] == b"PK"
    assert ("open_folder", str(word)) in fake_dialogs.calls


def test_reports_page_register_of_a_quarter(window, root, gui_ctx, tmp_path):
    folder = _documents(gui_ctx, tmp_path)
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("register")
    page._kind_changed()
    assert "danh-muc-cong-khai_quy-4-2026.pdf" in page.name_label.cget("text")
    assert set(page.format_buttons) == {".pdf", ".docx", ".xlsx"}
    assert not page.format_buttons[".xlsx"].winfo_ismapped()
    page.make_button.invoke()
    assert (folder / "danh-muc-cong-khai_quy-4-2026.pdf").is_file()


def test_reports_page_needs_an_item_for_the_notice(window, root, gui_ctx, tmp_path):
    folder = _documents(gui_ctx, tmp_path)
    shell = window.shell
    shell.open_page("reports")
    page = shell.current_page()
    page.kind_var.set("posting_notice")
    page._kind_changed()
    page.make_button.invoke()
    assert "Hãy chọn nội dung công khai" in page.message.cget("text")
    assert not folder.exists() or not list(folder.iterdir())


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
    assert page.export_message.cget("text").startswith("Đã ghi gói số 1 (")
    # the full path of the file written, not just a folder name
    assert f"vào {files[0].resolve()}. Hãy rút USB" in page.export_message.cget("text")
    # the "nothing sent yet" warning sits in the export panel, beside the button
    assert page.warning.master is page.export_button.master
    assert page.written.rows == [
        {"file": files[0].name, "receiver": "Cơ quan giám sát",
         "size": f"{max(1, round(files[0].stat().st_size / 1024))} KB"},
    ]  # fmt: skip
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


def _site(path: Path, role: str, code: str | None = None):
    from papi_desktop.services import setup
    from papi_desktop.services.context import AppContext

    ctx = AppContext(path, today=date(2026, 11, 20))
    if role == "district":
        setup.init_site(ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa",
                        province_code="56", user="Trần Thị Bình")  # fmt: skip
    else:
        setup.init_site(ctx, "commune", unit_code=code, user="Lê Văn Cường")
    return ctx


@pytest.fixture
def office_stick(gui_ctx, tmp_path):
    """A stick that toured: Xã Bắc Ninh Hòa's upload for the office, and the office's
    packages (one for Phường Ninh Hòa, one for communes without their own)."""
    from papi_desktop.services import sync

    office = _site(tmp_path / "office", "district")
    other = _site(tmp_path / "other", "commune", OTHER_COMMUNE)
    up = tmp_path / "up"
    up.mkdir()
    sync.import_packages(office, [sync.export_package(gui_ctx, up).path], trust_new=True)
    stick = tmp_path / "stick"
    stick.mkdir()
    res = sync.export_package(office, stick)
    upload = sync.export_package(other, stick).path
    info = {
        "stick": stick,
        "mine": next(p.path for p in res.packages if p.unit_code == DEMO_COMMUNE),
        "shared": next(p.path for p in res.packages if p.unit_code is None),
        "upload": upload,
        "office_fp": sync.ensure_identity(office)["fingerprint"],
    }
    office.close()
    other.close()
    return info


def test_sync_page_office_export_lists_every_package_with_its_size(make_window, gui_ctx, tmp_path):
    from papi_desktop.services import sync

    office = _site(tmp_path / "office", "district")
    up = tmp_path / "up"
    up.mkdir()
    sync.import_packages(office, [sync.export_package(gui_ctx, up).path], trust_new=True)
    window = make_window(office)
    try:
        window.shell.open_page("sync")
        page = window.shell.current_page()
        usb = tmp_path / "usb"
        usb.mkdir()
        page.folder_var.set(str(usb))
        page.export_button.invoke()
        files = sorted(usb.iterdir())
        assert len(files) == 2
        by_file = {r["file"]: r for r in page.written.rows}
        assert set(by_file) == {f.name for f in files}
        for f in files:
            assert by_file[f.name]["size"] == f"{max(1, round(f.stat().st_size / 1024))} KB"
        receivers = sorted(r["receiver"] for r in page.written.rows)
        assert receivers == ["Các xã/phường chưa có gói riêng", "Phường Ninh Hòa"]
        assert page.export_message.cget("text").startswith("Đã ghi 2 gói (")
        assert "mỗi xã/phường một gói" in page.export_message.cget("text")
        peers = sorted(r["peer"] for r in page.history.rows if r["direction"] == "Gửi")
        assert peers == ["Các xã/phường chưa có gói riêng", "Phường Ninh Hòa"]
    finally:
        office.close()


def test_sync_page_nothing_to_import_asks_nothing(window, office_stick, fake_dialogs, tmp_path):
    """Only other units' packages and a damaged one: no question; each line says why, in
    plain words; the page says there is nothing to import."""
    stick = tmp_path / "only-others"
    stick.mkdir()
    for key in ("shared", "upload"):
        (stick / office_stick[key].name).write_bytes(office_stick[key].read_bytes())
    raw = office_stick["mine"].read_bytes()
    (stick / office_stick["mine"].name).write_bytes(raw[: len(raw) // 2])  # pulled stick
    page = _open_sync(window, stick)
    page.import_button.invoke()
    assert fake_dialogs.messages("ask_yes_no") == []
    text = page.import_message.cget("text")
    mine = office_stick["mine"].name
    assert (
        f"• {office_stick['upload'].name} — Xã Bắc Ninh Hòa\n   Bỏ qua: Không dành cho đơn vị "
        "này (gói Xã Bắc Ninh Hòa gửi cơ quan giám sát); không nhập gì." in text
    )
    assert (
        f"• {mine}\n   Không nhận: Gói dữ liệu {mine} bị hỏng hoặc đã bị sửa sau khi xuất (nội "
        "dung không khớp với bản kê có chữ ký, có thể do rút USB khi đang chép); không nhập gì. "
        "Hãy nhờ cơ quan giám sát xuất lại gói và chép lại." in text
    )
    assert text.endswith("Không có gói nào cần nhận; không có gì thay đổi.")
    assert ".incoming" not in text and "zip" not in text.lower()
    assert [r for r in page.history.rows if r["direction"] == "Nhận"] == []


def test_sync_page_only_skipped_packages(window, office_stick, fake_dialogs, tmp_path):
    stick = tmp_path / "skips"
    stick.mkdir()
    (stick / office_stick["upload"].name).write_bytes(office_stick["upload"].read_bytes())
    page = _open_sync(window, stick)
    page.import_button.invoke()
    assert fake_dialogs.messages("ask_yes_no") == []
    assert page.import_message.cget("text").endswith(
        "Trên USB không có gói nào dành cho đơn vị này; không có gì thay đổi."
    )


def test_sync_page_first_package_from_the_office(window, office_stick, fake_dialogs):
    """The trust question names the office and shows its fingerprint in groups of four; the
    other units' packages stay out of it and are not imported."""
    fake_dialogs.answer("ask_yes_no", True)
    page = _open_sync(window, office_stick["stick"])
    page.import_button.invoke()
    (question,) = fake_dialogs.messages("ask_yes_no")
    groups = office_stick["office_fp"].split("-")
    assert "Lần đầu nhận gói từ: Sở Nội vụ tỉnh Khánh Hòa\nMã nhận dạng của máy gửi:\n" in question
    assert "   " + "  ".join(groups[:4]) + "\n   " + "  ".join(groups[4:]) in question
    assert office_stick["mine"].name in question
    assert (
        office_stick["upload"].name not in question and office_stick["shared"].name not in question
    )
    assert "(2 gói khác không nhận — xem chi tiết trên trang.)" in question
    text = page.import_message.cget("text")
    assert f"• {office_stick['mine'].name} — Sở Nội vụ tỉnh Khánh Hòa\n   Đã nhận: " in text
    assert text.count("Bỏ qua: Không dành cho đơn vị này") == 2
    received = [r for r in page.history.rows if r["direction"] == "Nhận"]
    assert [r["peer"] for r in received] == ["Sở Nội vụ tỉnh Khánh Hòa"]
    assert "Sở Nội vụ" not in page.fingerprint_label.cget("text")
    assert page.fingerprint_label.cget("text").startswith("Mã nhận dạng của máy này")


def test_sync_page_declined_trust_changes_nothing(window, office_stick, fake_dialogs):
    fake_dialogs.answer("ask_yes_no", False)
    page = _open_sync(window, office_stick["stick"])
    page.import_button.invoke()
    assert len(fake_dialogs.messages("ask_yes_no")) == 1
    assert [r for r in page.history.rows if r["direction"] == "Nhận"] == []


def _open_sync(window, folder: Path):
    window.shell.open_page("sync")
    page = window.shell.current_page()
    page.folder_var.set(str(folder))
    return page


def test_sync_page_a_communes_new_pc_replaces_the_old_one(make_window, gui_ctx, tmp_path,
                                                          fake_dialogs):  # fmt: skip
    """At the office, a second PC of an enrolled commune: the window shows who is trusted
    since when and asks; Yes retires the old PC and imports the new one's package."""
    from papi_desktop.services import sync

    office = _site(tmp_path / "office", "district")
    up = tmp_path / "up"
    up.mkdir()
    sync.import_packages(office, [sync.export_package(gui_ctx, up).path], trust_new=True)
    new_pc = _site(tmp_path / "new-pc", "commune", DEMO_COMMUNE)
    stick = tmp_path / "stick"
    stick.mkdir()
    sync.export_package(new_pc, stick)
    new_fp = sync.ensure_identity(new_pc)["fingerprint"]
    new_pc.close()
    fake_dialogs.answer("ask_yes_no", True, True)  # the new PC replaces the old; import
    window = make_window(office)
    try:
        page = _open_sync(window, stick)
        page.import_button.invoke()
        asked = fake_dialogs.messages("ask_yes_no")
        assert "đã có một máy được tin cậy" in asked[0] and new_fp in asked[0]
        assert "Chọn Có để dùng máy mới thay máy cũ" in asked[0]
        status = {p["fingerprint"]: p["status"] for p in sync.peers(office)}
        assert len(asked) == 2 and "Nhận các gói này vào máy?" in asked[1]
        assert status[new_fp] == "trusted"
        assert sorted(status.values()) == ["replaced", "trusted"]
    finally:
        office.close()
