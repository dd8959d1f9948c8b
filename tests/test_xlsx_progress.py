"""The progress report workbook: official layout (frozen header, filter, date formats,
A4 landscape, repeated header row, fit to width), the data sheet with ids and codes, and
LibreOffice headless opening it with the expected cells."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
needs_soffice = pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice not installed (apt-get install libreoffice-calc-nogui)",
)


def libreoffice_csv(path: Path, workdir: Path) -> dict[str, list[list[str]]]:
    """Every sheet of ``path`` as CSV rows, converted by LibreOffice headless (UTF-8)."""
    out = workdir / "csv"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{workdir / 'lo-profile'}",
            "--headless",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
            "--outdir",
            str(out),
            str(path),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    sheets = {}
    for f in out.glob(f"{path.stem}-*.csv"):
        with f.open(encoding="utf-8", newline="") as fh:
            sheets[f.stem[len(path.stem) + 1 :]] = list(csv.reader(fh))
    return sheets


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    from papi_desktop.services import demo, setup
    from papi_desktop.services.context import AppContext

    ctx = AppContext(tmp_path_factory.mktemp("demo"), today=date(2026, 11, 20))
    setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
    demo.mark_demo_folder(ctx)
    demo.generate(ctx)
    yield ctx
    ctx.close()


@pytest.fixture(scope="module")
def workbook(demo_ctx, tmp_path_factory):
    from papi_desktop.services import reports

    return reports.progress(demo_ctx, 2026, tmp_path_factory.mktemp("x") / "bao-cao.xlsx")


def test_official_sheet_layout(workbook, demo_ctx):
    from openpyxl import load_workbook

    from papi_desktop.services import tasks

    wb = load_workbook(workbook)
    assert wb.sheetnames == ["Báo cáo", "Tổng hợp", "Dữ liệu"]
    ws = wb["Báo cáo"]
    assert ws["A1"].value == "ỦY BAN NHÂN DÂN" and ws["A2"].value == "PHƯỜNG NINH HÒA"
    assert ws["F2"].value == "Độc lập - Tự do - Hạnh phúc"
    assert "NĂM 2026" in ws["A4"].value
    assert "Phường Ninh Hòa" in ws["A5"].value and "phiên bản 1" in ws["A5"].value
    assert "20/11/2026" in ws["A5"].value
    assert ws.freeze_panes == "A8"
    results = tasks.list_results(demo_ctx, year=2026)
    assert ws.auto_filter.ref == f"A7:L{7 + len(results)}"
    assert ws.print_title_rows == "$7:$7"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.paperSize == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
    assert round(ws.page_margins.left * 25.4) == 30 and round(ws.page_margins.right * 25.4) == 15
    assert [c.value for c in ws[7]][:4] == ["STT", "Mã nhiệm vụ", "Chỉ số", "Nhiệm vụ"]
    first = ws[8]
    assert first[1].value == results[0]["code"]
    assert isinstance(first[6].value, datetime) and first[6].number_format == "DD/MM/YYYY"
    assert first[6].value.date().isoformat() == results[0]["due"]
    overdue = sum(1 for r in results if r["overdue"])
    assert (
        sum(1 for row in ws.iter_rows(min_row=8, values_only=True) if row[10] == "Quá hạn")
        == overdue
    )


def test_data_sheet_has_ids_and_codes_for_reimport(workbook, demo_ctx):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.progress import DATA_COLUMNS
    from papi_desktop.services import tasks

    wb = load_workbook(workbook, read_only=True)
    rows = list(wb["Dữ liệu"].iter_rows(values_only=True))
    wb.close()
    assert rows[0] == DATA_COLUMNS
    results = tasks.list_results(demo_ctx, year=2026)
    assert len(rows) - 1 == len(results)
    by_key = {(r["code"], r["period"]): r for r in results}
    for row in rows[1:]:
        rec = dict(zip(DATA_COLUMNS, row, strict=True))
        r = by_key[(rec["task_code"], rec["period"])]
        assert (rec["result_id"] or None) == r["result_id"]
        assert rec["status"] == r["status"] and rec["result"] == r["result"]
        assert rec["unit_code"] == "22528" and rec["framework_version"] == 1
    saved = demo_ctx.db.scalar("SELECT count(*) FROM task_result WHERE deleted = 0")
    assert sum(1 for row in rows[1:] if row[0]) == saved


def test_summary_sheet_percentages(workbook, demo_ctx):
    from openpyxl import load_workbook

    from papi_desktop.services import reports

    info = reports.progress_data(demo_ctx, 2026)
    ws = load_workbook(workbook)["Tổng hợp"]
    for i, (code, _name, done, applicable) in enumerate(info["dimensions"]):
        row = ws[4 + i]
        assert (row[0].value, row[2].value, row[3].value) == (code, done, applicable)
        assert row[4].number_format == "0%"
        assert row[4].value == pytest.approx(done / applicable)


@needs_soffice
def test_libreoffice_opens_the_workbook(workbook, demo_ctx, tmp_path):
    from papi_desktop.services import tasks

    sheets = libreoffice_csv(workbook, tmp_path)
    assert set(sheets) == {"Báo cáo", "Tổng hợp", "Dữ liệu"}
    official = sheets["Báo cáo"]
    assert official[0][0] == "ỦY BAN NHÂN DÂN"
    assert official[6][:2] == ["STT", "Mã nhiệm vụ"]
    r0 = tasks.list_results(demo_ctx, year=2026)[0]
    assert official[7][1] == r0["code"]
    assert official[7][6] == date.fromisoformat(r0["due"]).strftime("%d/%m/%Y")
    data = sheets["Dữ liệu"]
    assert data[1][2] == r0["code"] and data[1][8] == r0["due"]
