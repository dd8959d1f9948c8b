"""Saving and printing documents from the disclosure page (issue 13 items 4 and 5): the
minutes follow the place selected, or all places, shown in the window; the file lands in
the documents folder under a name that says what it is; a computer with no viewer says so."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.services import disclosures, units
from tests.gui.conftest import pump


@pytest.fixture
def page(window, gui_ctx, tmp_path):
    from papi_desktop.services.reports.files import set_documents_dir

    set_documents_dir(gui_ctx, tmp_path / "docs")
    window.root.deiconify()
    window.root.geometry("1366x800+0+0")
    window.shell.open_page("disclosures")
    pump(window.root)
    yield window.shell.page("disclosures")
    window.root.withdraw()


def _posted_item(ctx) -> tuple[str, str]:
    hq = next(p["name"] for p in units.list_places(ctx) if p["kind"] != "village")
    item = disclosures.add(
        ctx, "KTXH-KEHOACH", "Kế hoạch năm 2027", trigger_date=date(2026, 11, 5),
        places=[hq, "Thôn Phú Hòa"],
    )  # fmt: skip
    disclosures.record_posting(ctx, item, hq, date(2026, 11, 9))
    disclosures.record_posting(ctx, item, "Thôn Phú Hòa", date(2026, 11, 12))
    return item, hq


def _text(path: str) -> str:
    return subprocess.run(["pdftotext", path, "-"], capture_output=True, text=True).stdout


def test_minutes_follow_the_selected_place_or_all_places(page, gui_ctx, fake_dialogs, tmp_path):
    item, hq = _posted_item(gui_ctx)
    page.item_changed(item)
    page.select_item(item)
    pump(page)
    detail = page.detail
    detail.place_tree.selection_set("0")  # the office
    pump(page)
    assert detail.print_place.get() == hq  # shown before printing
    detail.print_buttons[1].invoke()  # Biên bản niêm yết
    saved = fake_dialogs.messages("document_saved")[-1]
    assert Path(saved).parent == tmp_path / "docs" / "2026"
    assert Path(saved).name == f"bien-ban-niem-yet_ke-hoach-nam-2027_{_slug(hq)}_2026-11-09.pdf"
    text = _text(saved)
    assert "ngày 09 tháng 11 năm 2026" in text and "Phú Hòa" not in text

    detail.place_tree.selection_set("1")
    pump(page)
    assert detail.print_place.get() == "Thôn Phú Hòa"
    values = list(detail.print_place.cget("values"))
    assert values[0] == "Tất cả địa điểm"
    detail.print_place.set(values[0])  # chosen visibly: all places, one combined minutes
    detail.print_format.set("Word")
    detail.print_buttons[1].invoke()
    saved = fake_dialogs.messages("document_saved")[-1]
    assert Path(saved).name == "bien-ban-niem-yet_ke-hoach-nam-2027_tat-ca-dia-diem_2026-11-12.docx"
    from docx import Document

    body = "\n".join(p.text for p in Document(saved).paragraphs)
    assert "ngày 12 tháng 11 năm 2026" in body and "Thôn Phú Hòa" in body

    # printing the same place again asks; cancelling writes nothing new
    detail.place_tree.selection_set("0")
    detail.print_format.set("PDF")
    pump(page)
    before = sorted(p.name for p in (tmp_path / "docs" / "2026").iterdir())
    detail.print_buttons[1].invoke()
    assert fake_dialogs.messages("ask_overwrite")
    assert sorted(p.name for p in (tmp_path / "docs" / "2026").iterdir()) == before


def _slug(text: str) -> str:
    from papi_desktop.services.reports.files import slug

    return slug(text)


def _no_viewer(monkeypatch) -> None:
    """The real ``dialogs.open_path`` on a computer with no program to open files."""
    import importlib.util
    import shutil

    from papi_desktop.ui import dialogs

    spec = importlib.util.find_spec("papi_desktop.ui.dialogs")
    real = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(real)
    monkeypatch.setattr(dialogs, "open_path", real.open_path)
    monkeypatch.setattr(shutil, "which", lambda name: None)


def test_open_with_no_viewer_says_so(page, gui_ctx, fake_dialogs, monkeypatch, tmp_path):
    """The real ``open_path`` on a computer with no program for the file: one plain line."""
    from papi_desktop.ui import dialogs
    from papi_desktop.ui.documents import after_saved

    _no_viewer(monkeypatch)
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "document_saved", lambda parent, path, note="": "open")
    monkeypatch.setattr(
        dialogs, "error", lambda parent, message, title=None: errors.append(message)
    )
    doc = tmp_path / "bien-ban.docx"
    doc.write_bytes(b"PK")
    assert after_saved(page, doc, page.tr, "vi") == "open"
    assert errors == [
        "Máy này chưa có chương trình mở tệp .docx (bien-ban.docx). Hãy cài chương trình xem "
        "tệp (ví dụ trình đọc PDF, Word hoặc LibreOffice) rồi mở lại."
    ]


def test_settings_shows_and_changes_the_documents_folder(window, gui_ctx, fake_dialogs, tmp_path):
    from papi_desktop.services.reports.files import documents_base

    window.shell.open_page("settings")
    pump(window.root)
    settings = window.shell.page("settings")
    assert settings.documents_label.cget("text") == str(documents_base(gui_ctx))
    chosen = tmp_path / "Tài liệu UBND"
    fake_dialogs.answer("ask_directory", str(chosen))
    settings.documents_button.invoke()
    assert settings.documents_label.cget("text") == str(chosen) and chosen.is_dir()
    assert documents_base(gui_ctx) == chosen
    fake_dialogs.answer("ask_directory", "thu-muc-tuong-doi")  # refused, nothing changed
    settings.documents_button.invoke()
    assert "không phải đường dẫn đầy đủ" in fake_dialogs.messages("error")[-1]
    assert documents_base(gui_ctx) == chosen


def test_the_reports_page_offers_exactly_the_registry(window):
    from papi_desktop.services.reports.registry import specs_for

    window.shell.open_page("reports")
    page = window.shell.current_page()
    assert list(page.kind_buttons) == [s.key for s in specs_for("commune")]
    for spec in specs_for("commune"):
        page.kind_var.set(spec.key)
        page._kind_changed()
        shown = {k for k, (_label, w) in page.rows.items() if w.winfo_manager()}
        assert shown == set(spec.inputs) & set(page.rows), spec.key
        offered = {f for f, b in page.format_buttons.items() if b.winfo_manager()}
        assert offered == set(spec.formats), spec.key


def test_reports_page_minutes_of_one_place_on_a_chosen_day(window, gui_ctx, fake_dialogs, tmp_path):
    from papi_desktop.services.reports.files import set_documents_dir
    from papi_desktop.ui.pages import fields

    set_documents_dir(gui_ctx, tmp_path / "docs")
    item, _hq = _posted_item(gui_ctx)
    window.shell.open_page("reports")
    page = window.shell.current_page()
    page.on_show()
    page.show_item(kind="minutes_start", item_id=item, place="Thôn Phú Hòa")
    assert page.place_box.get() == "Thôn Phú Hòa" and page.rows["day"][1].winfo_manager()
    assert page.name_label.cget("text").endswith("_thon-phu-hoa_2026-11-12.pdf")
    fields.set_date(page.day_field, date(2026, 11, 10))  # before the posting there: refused
    page.make_button.invoke()
    assert "trước ngày 12/11/2026" in page.message.cget("text")
    assert not (tmp_path / "docs" / "2026").exists() or not list(
        (tmp_path / "docs" / "2026").iterdir()
    )
    fields.set_date(page.day_field, date(2026, 11, 13))
    page._suggest_path()
    fake_dialogs.answer("document_saved", None)
    page.make_button.invoke()
    out = (
        tmp_path
        / "docs"
        / "2026"
        / "bien-ban-niem-yet_ke-hoach-nam-2027_thon-phu-hoa_2026-11-13.pdf"
    )
    assert out.is_file() and "ngày 13 tháng 11 năm 2026" in _text(str(out))


def test_the_office_saves_its_consolidated_report_the_same_way(tmp_path, make_window, fake_dialogs):
    from papi_desktop.services import district_demo
    from papi_desktop.services.context import AppContext
    from papi_desktop.services.reports.files import set_documents_dir

    today = date(2026, 11, 20)
    district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=2, today=today
    )
    office = AppContext(tmp_path / "office", auto_backup=False, today=today)
    try:
        set_documents_dir(office, tmp_path / "docs")
        window = make_window(office)
        assert window.shell.open_page("communes")
        pump(window.shell)
        page = window.shell.pages["communes"]
        fake_dialogs.answer("document_saved", "print")
        page.write_report(".pdf")
        out = tmp_path / "docs" / "2026" / "tong-hop-papi_nam-2026.pdf"
        assert out.is_file() and out.read_bytes()[:4] == b"%PDF"
        assert ("print_file", str(out)) in fake_dialogs.calls
        assert not fake_dialogs.messages("info")  # no pop-up besides the saved message
        page.write_report(".pdf")  # again: asked, cancelled, nothing replaced
        assert ("ask_overwrite", str(out)) in fake_dialogs.calls
        # its Reports page offers the office's own document, in Word too
        window.shell.open_page("reports")
        pump(window.shell)
        reports_page = window.shell.current_page()
        assert list(reports_page.kind_buttons) == ["consolidated", "appraisal"]
        reports_page.format_var.set(".docx")
        reports_page.make_button.invoke()
        word = out.with_suffix(".docx")
        assert word.is_file() and word.read_bytes()[:2] == b"PK"
    finally:
        office.close()


def test_evidence_with_no_viewer_says_so(window, fake_dialogs, monkeypatch, tmp_path):
    """Nhiệm vụ PAPI → Mở tệp on an evidence file the PC has no program for."""
    evidence = tmp_path / "Biên bản họp.docx"
    evidence.write_bytes(b"PK")
    window.shell.open_page("tasks")
    pump(window.root)
    tasks_page = window.shell.page("tasks")
    assert tasks_page.select_task("D1.1-01", "2026-11")
    editor = tasks_page.editor
    fake_dialogs.answer("ask_open_files", [str(evidence)])
    editor.attach_button.invoke()
    editor.evidence_tree.selection_set(editor.evidence_tree.get_children()[0])
    _no_viewer(monkeypatch)
    editor.open_button.invoke()
    assert fake_dialogs.messages("error")[-1].startswith(
        "Máy này chưa có chương trình mở tệp .docx (Biên bản họp.docx)."
    )


def test_reports_page_document_number(window, gui_ctx, fake_dialogs, tmp_path):
    from papi_desktop.services.reports.files import set_documents_dir

    set_documents_dir(gui_ctx, tmp_path / "docs")
    window.shell.open_page("reports")
    page = window.shell.current_page()
    page.kind_var.set("framework")
    page._kind_changed()
    page.number_var.set("abc")
    page.make_button.invoke()
    assert "Số văn bản “abc” không hợp lệ" in page.message.cget("text")
    page.number_var.set("15")
    page.make_button.invoke()
    out = tmp_path / "docs" / "2026" / "bo-khung-nhiem-vu_2026-11-20.pdf"
    assert "15/KH-UBND" in _text(str(out))


def test_reports_page_notice_with_its_list(window, gui_ctx, fake_dialogs, tmp_path):
    from papi_desktop.services.reports.files import set_documents_dir

    set_documents_dir(gui_ctx, tmp_path / "docs")
    item, _hq = _posted_item(gui_ctx)
    listing = tmp_path / "ds.csv"
    listing.write_text("STT,Họ tên,Ghi chú\n1,Trần Thị Ánh Tuyết,bỏ\n", encoding="utf-8")
    window.shell.open_page("reports")
    page = window.shell.current_page()
    page.on_show()
    page.show_item(kind="posting_notice", item_id=item)
    assert page.rows["content"][1].winfo_manager() and not page.rows["place"][1].winfo_manager()
    fake_dialogs.answer("ask_open_file", str(listing))
    page._choose_content()
    page.columns_var.set("1,2")
    page.make_button.invoke()
    saved = fake_dialogs.messages("document_saved")[-1]
    text = _text(saved)
    assert Path(saved).name == "thong-bao-niem-yet_ke-hoach-nam-2027_2026-11-09.pdf"
    assert "Trần Thị Ánh Tuyết" in text and "Ghi chú" not in text
