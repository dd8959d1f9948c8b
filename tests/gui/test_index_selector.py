"""The index choice on the Tasks and Xã/phường pages (issue 15 §1): hidden while PAPI is
the only checklist, shown once a second checklist framework is imported, and switching it
changes the rows to that index's (the same rows as the services give)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW
from papi_desktop.services import district, district_demo, framework_io, tasks
from papi_desktop.services.context import AppContext
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)
FIRST = TASK_HEADER_ROW + 1


def import_sipas(ctx, folder: Path, publish: bool = False) -> None:
    """A province's own SIPAS checklist, filled in the blank template."""
    from openpyxl import load_workbook

    blank = framework_io.write_template(ctx, folder / "mau.xlsx", "SIPAS")
    wb = load_workbook(blank)
    ws = wb[SHEET]
    ws["D5"] = "Nhiệm vụ SIPAS cấp xã"
    rows = [
        ("S1-01", "1 - Tiếp cận dịch vụ", "1.1", "Niêm yết thủ tục", "xã", "", "", "yearly"),
        ("S2-01", "2 - Kết quả dịch vụ", "", "Báo cáo kết quả", "xã", "", "", "quarterly"),
    ]
    for i, values in enumerate(rows):
        for c, v in enumerate(values, start=1):
            ws.cell(FIRST + i, c).value = v or None
    wb.save(folder / "sipas.xlsx")
    if publish:
        district.publish_framework(ctx, folder / "sipas.xlsx")
    else:
        framework_io.import_framework(ctx, folder / "sipas.xlsx")


def choose(box, label: str) -> None:
    values = list(box.cget("values"))
    box.current(values.index(label))
    box.event_generate("<<ComboboxSelected>>")
    box.update()


def shown_codes(page) -> set[str]:
    return {r["code"] for r in page._rows}


def test_tasks_page_index_choice(window, gui_ctx, tmp_path):
    shell = window.shell
    shell.open_page("tasks")
    pump(window.root)
    page = shell.page("tasks")
    assert not page.index_box.winfo_ismapped() and not page.index_label.winfo_ismapped()
    assert page.index_frame.winfo_manager() == "" and page.year_box.winfo_ismapped()
    assert page.index() == "PAPI"
    papi = {r["code"] for r in tasks.list_results(gui_ctx, year=2026)}
    assert shown_codes(page) == papi

    import_sipas(gui_ctx, tmp_path)
    page._reload(keep_filters=True)
    pump(window.root)
    assert page.index_box.winfo_ismapped()
    assert list(page.index_box.cget("values")) == ["PAPI", "SIPAS"]
    assert shown_codes(page) == papi  # still PAPI until another index is chosen

    choose(page.index_box, "SIPAS")
    pump(window.root)
    assert shown_codes(page) == {"S1-01", "S2-01"}
    assert {r["index"] for r in page._rows} == {"SIPAS"}
    dims = list(page.dimension_box.cget("values"))
    assert dims[1:] == ["1. Tiếp cận dịch vụ", "2. Kết quả dịch vụ"]
    heads = [page.tree.item(i, "text") for i in page.tree.get_children()]
    assert heads[0].startswith("Chỉ số 1. Tiếp cận dịch vụ")

    choose(page.index_box, "PAPI")
    pump(window.root)
    assert shown_codes(page) == papi

    # the filter bar with the choice still fits the smallest window (1024 pixels wide)
    window.root.deiconify()
    window.root.geometry("1024x600+0+0")
    pump(window.root, 6)
    box = page.dimension_box
    right = box.winfo_rootx() + box.winfo_width()
    assert box.winfo_ismapped() and right <= page.winfo_rootx() + page.winfo_width() + 2


@pytest.fixture
def office(tmp_path):
    district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=3, today=TODAY
    )
    ctx = AppContext(tmp_path / "office", auto_backup=False, today=TODAY)
    yield ctx
    ctx.close()


def test_communes_page_index_choice(office, make_window, tmp_path):
    window = make_window(office)
    shell = window.shell
    window.root.deiconify()
    try:
        assert shell.open_page("communes")
        pump(window.root)
        page = shell.pages["communes"]
        assert not page.index_box.winfo_ismapped() and page.index_box.winfo_manager() == ""
        assert page.year_box.winfo_ismapped()
        papi = {r["unit"]: r["completion"] for r in page.table.rows}
        assert papi == {
            r["unit"]: r["completion"] for r in district.communes_overview(office, 2026)
        }

        import_sipas(office, tmp_path, publish=True)
        page.refresh()
        pump(window.root)
        assert page.index_box.winfo_ismapped()
        choose(page.index_box, "SIPAS")
        pump(window.root)
        sipas = district.communes_overview(office, 2026, "SIPAS")
        assert {r["unit"]: r["completion"] for r in page.table.rows} == {
            r["unit"]: r["completion"] for r in sipas
        }
        assert {r["index"] for r in page.table.rows} == {"SIPAS"}
        assert {r["unit"]: r["completion"] for r in page.table.rows} != papi

        choose(page.index_box, "PAPI")
        pump(window.root)
        assert {r["unit"]: r["completion"] for r in page.table.rows} == papi

        window.root.geometry("1024x600+0+0")
        pump(window.root, 6)
        bar = page.index_box.master
        edge = page.winfo_rootx() + page.winfo_width() + 2
        for w in bar.winfo_children():
            if w.winfo_ismapped():
                assert w.winfo_rootx() + w.winfo_width() <= edge, w
    finally:
        window.root.withdraw()
