"""The Kiểm tra page: the office plans a visit, records a finding and closes it through the
page's forms, and the list equals the service; after the USB exchange the commune sees the
issue and records its fix with evidence through its own form."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.services import district_demo, inspections, sync
from papi_desktop.services.context import AppContext
from papi_desktop.ui.pages import inspections as page_module
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)


@pytest.fixture
def sites(tmp_path):
    built = district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=1, today=TODAY
    )
    code = built["codes"][0]
    return {"office": tmp_path / "office", "code": code,
            "commune": district_demo.commune_folder(tmp_path / "work", code)}  # fmt: skip


def fill_and_submit(monkeypatch, values: dict):
    """Replace the modal wait: set the form's fields from ``values`` then press Save."""

    def run(form):
        for label, value in values.items():
            widget = next(w for k, w in form.fields.items() if k.startswith(label))
            if hasattr(widget, "unit"):  # the commune picker
                widget.set(value)
                widget.event_generate("<<ComboboxSelected>>")
            elif isinstance(widget, page_module.DateField):
                widget.entry.delete(0, "end")
                widget.entry.insert(0, value)
            elif isinstance(widget, page_module.ttk.Combobox):
                widget.set(value)
            else:
                widget.delete(0, "end")
                widget.insert(0, value)
        form.update()
        form._ok()
        assert not form.winfo_exists() or form.error.cget("text") == "", form.error.cget("text")

    monkeypatch.setattr(page_module._Form, "run", run)


def test_office_and_commune_work_an_inspection_through_the_page(
    sites, make_window, monkeypatch, tmp_path, fake_dialogs
):
    office = AppContext(sites["office"], auto_backup=False, today=TODAY)
    window = make_window(office)
    try:
        shell = window.shell if hasattr(window, "shell") else window
        assert shell.open_page("inspections")
        pump(shell)
        page = shell.pages["inspections"]
        assert page.visits.rows == []
        name = office.db.scalar(
            "SELECT name FROM admin_unit WHERE level='commune' AND code=?", (sites["code"],)
        )
        fill_and_submit(monkeypatch, {"Xã/phường": f"{name} — Tỉnh Khánh Hòa",
                                      "Đoàn": "Nguyễn Văn An; Trần Thị Bình"})  # fmt: skip
        page.plan_visit()
        rows = page.visits.rows
        assert len(rows) == 1 and rows[0]["unit"] == sites["code"]
        assert rows[0]["team"] == ["Nguyễn Văn An", "Trần Thị Bình"]

        fill_and_submit(monkeypatch, {"Mục": "D1.1-01@2026", "Kết quả": "Có tồn tại",
                                      "Nhận xét": "Thiếu biên bản",
                                      "Hạn khắc phục": "15/12/2026"})  # fmt: skip
        page.record_finding()
        shown = page.findings.rows
        assert [(f["item"], f["finding"], f["fix_by"]) for f in shown] == [
            ("D1.1-01@2026", "issue", "2026-12-15")
        ]
        fake_dialogs.answer("ask_save_file", str(tmp_path / "phieu.pdf"))
        page.print_checklist()
        assert (tmp_path / "phieu.pdf").stat().st_size > 10_000
        listed = inspections.list_inspections(office)
        assert page.visits.rows[0]["issues"] == listed[0]["issues"] == 1
    finally:
        shell.destroy()
        office.close()

    usb = tmp_path / "usb"
    usb.mkdir()
    with AppContext(sites["office"], auto_backup=False, today=TODAY) as o:
        sync.export_package(o, usb)
    commune = AppContext(sites["commune"], auto_backup=False, today=TODAY)
    sync.import_packages(commune, sync.package_files([usb]), trust_new=True)
    window = make_window(commune)
    try:
        shell = window.shell if hasattr(window, "shell") else window
        assert shell.open_page("inspections")
        pump(shell)
        page = shell.pages["inspections"]
        assert [f["item"] for f in page.findings.rows] == ["D1.1-01@2026"]
        proof = tmp_path / "anh.png"
        proof.write_bytes(b"\x89PNG fake evidence")
        fake_dialogs.answer("ask_open_files", [str(proof)])
        fill_and_submit(monkeypatch, {"Ghi chú": "Đã bổ sung biên bản"})
        original = page_module._Form.run

        def run_with_evidence(form):
            next(w for k, w in form.fields.items() if k.startswith("Minh chứng")).invoke()
            original(form)

        monkeypatch.setattr(page_module._Form, "run", run_with_evidence)
        page.record_fix()
        fixed = page.findings.rows[0]
        assert fixed["fixed_on"] == "2026-11-20"
        found = inspections.list_inspections(commune)[0]["findings"][0]
        assert found["fixed_on"] == "2026-11-20"
        assert (
            commune.db.scalar(
                "SELECT count(*) FROM attachment WHERE record_table = 'inspection_fix'"
            )
            == 1
        )
    finally:
        shell.destroy()
        commune.close()


def test_an_open_issue_is_on_the_communes_home_page_and_opens_the_visit(
    sites, make_window, tmp_path
):
    with AppContext(sites["office"], auto_backup=False, today=TODAY) as office:
        iid = inspections.plan(office, sites["code"], TODAY, "Nguyễn Văn An")
        inspections.record(office, iid, "D1.1-01", "issue", "Thiếu biên bản", "2026-11-25")
        usb = tmp_path / "usb"
        usb.mkdir()
        sync.export_package(office, usb)
    commune = AppContext(sites["commune"], auto_backup=False, today=TODAY)
    sync.import_packages(commune, sync.package_files([usb]), trust_new=True)
    window = make_window(commune)
    try:
        shell = window.shell if hasattr(window, "shell") else window
        home = shell.pages["home"]
        lines = [line for line in home.lines.values() if line.kind == "inspection_fix"]
        assert len(lines) == 1 and "Thiếu biên bản" in lines[0].text_vi
        home.open_line(lines[0])
        pump(shell)
        page = shell.pages["inspections"]
        assert shell.current == "inspections"
        assert page.visits.selected()["id"] == iid
        assert page.findings.selected()["item"] == "D1.1-01@2026"
        # Once fixed, the line leaves the home page.
        inspections.fix(commune, iid, "D1.1-01", TODAY, "Đã bổ sung")
        from papi_desktop.services import dashboard

        assert dashboard.build(commune).inspection_fixes == []
    finally:
        shell.destroy()
        commune.close()


def test_a_finding_shows_on_the_task_and_the_disclosure_themselves(sites, make_window, tmp_path):
    from papi_desktop.services import disclosures

    commune_dir = sites["commune"]
    with AppContext(commune_dir, auto_backup=False, today=TODAY) as c:
        item = next(i for i in disclosures.list_items(c, year=2026))
    with AppContext(sites["office"], auto_backup=False, today=TODAY) as office:
        iid = inspections.plan(office, sites["code"], TODAY, "Nguyễn Văn An")
        inspections.record(office, iid, "D1.1-01", "issue", "Thiếu biên bản", "2026-11-25")
        inspections.record(office, iid, "CK:" + item["id"][:8], "not_seen", "", None)
        usb = tmp_path / "usb"
        usb.mkdir()
        sync.export_package(office, usb)
    commune = AppContext(commune_dir, auto_backup=False, today=TODAY)
    sync.import_packages(commune, sync.package_files([usb]), trust_new=True)
    window = make_window(commune)
    try:
        shell = window.shell if hasattr(window, "shell") else window
        assert shell.open_page("tasks")
        pump(shell)
        tasks_page = shell.pages["tasks"]
        # The finding is on the task's year line: every month of 2026 shows it.
        assert tasks_page.select_task("D1.1-01", "2026-11")
        pump(shell)
        tab = tasks_page.editor.findings_tab
        assert tab.shown and "Thiếu biên bản" in tab.text and "hạn khắc phục 25/11/2026" in tab.text
        assert "⚠ 1" in tasks_page.editor.notebook.tab(tab.frame, "text")
        assert tasks_page.select_task("D1.1-02", "2026")  # another task: no tab
        pump(shell)
        assert not tasks_page.editor.findings_tab.shown
        inspections.fix(commune, iid, "D1.1-01", TODAY, "Đã bổ sung")
        assert tasks_page.select_task("D1.1-01", "2026-10")
        pump(shell)
        assert tab.shown and "đã khắc phục 20/11/2026" in tab.text
        assert "⚠" not in tasks_page.editor.notebook.tab(tab.frame, "text")

        assert shell.open_page("disclosures")
        pump(shell)
        page = shell.pages["disclosures"]
        assert page.select_item(item["id"])
        pump(shell)
        dtab = page.detail.findings_tab
        assert dtab.shown and "chưa thấy minh chứng" in dtab.text
    finally:
        shell.destroy()
        commune.close()


def test_the_offices_commune_window_has_a_kiem_tra_tab(sites, make_window):
    office = AppContext(sites["office"], auto_backup=False, today=TODAY)
    iid = inspections.plan(office, sites["code"], date(2026, 11, 2), "Nguyễn Văn An")
    inspections.record(office, iid, "D1.1-01", "issue", "Thiếu biên bản", "2026-11-15")
    window = make_window(office)
    try:
        shell = window.shell if hasattr(window, "shell") else window
        assert shell.open_page("communes")
        pump(shell)
        page = shell.pages["communes"]
        row = next(r for r in page.table.rows if r["unit"] == sites["code"])
        detail = page.open_detail(row)
        pump(detail)
        titles = [detail.tabs.tab(t, "text") for t in detail.tabs.tabs()]
        assert "Kiểm tra (1) ⚠ 1" in titles
        listed = inspections.list_inspections(office, unit=sites["code"])
        assert (
            [(v["id"], v["issues"], v["overdue_fixes"]) for v in detail.visits.rows]
            == [(v["id"], v["issues"], v["overdue_fixes"]) for v in listed]
            == [(iid, 1, 1)]
        )  # fix by 15/11, today 20/11: overdue
        detail.open_visit(detail.visits.rows[0])
        pump(shell)
        assert shell.current == "inspections"
        assert shell.pages["inspections"].visits.selected()["id"] == iid
    finally:
        shell.destroy()
        office.close()


def test_overdue_lines_are_red_in_the_lists(window):
    from papi_desktop.ui.widgets.sortable import Column, SortableList

    lst = SortableList(window.shell, [Column("a", "A")], id_key="a",
                       tag_of=lambda r: "danger" if r["a"] == "x" else None)  # fmt: skip
    lst.set_rows([{"a": "x"}, {"a": "y"}])
    danger = page_module.ttk.Style().colors.danger
    assert str(lst.tree.tag_configure("danger", "foreground")) == danger
    assert lst.tree.item(lst.tree.get_children()[0], "tags") == ("danger",)
    lst.destroy()
