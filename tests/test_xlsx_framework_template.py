"""The framework template and export: lists on a hidden sheet with defined names, data
validation on input cells, input cells unlocked and the sheet protected; LibreOffice opens
it; the export carries the current framework in the same layout."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.reports.xlsx.framework_template import TASK_COLUMNS

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.fixture
def template(commune_ctx, tmp_path) -> Path:
    from papi_desktop.services import framework_io

    return framework_io.write_template(commune_ctx, tmp_path / "mau.xlsx")


def test_lists_live_on_a_hidden_sheet_behind_defined_names(template, commune_ctx):
    from openpyxl import load_workbook

    from papi_desktop.services import tasks

    wb = load_workbook(template)
    lists = wb["DanhMuc"]
    assert lists.sheet_state == "hidden"
    crit = tasks.criteria(commune_ctx)
    subs = [c["code"] for c in crit if c["level"] == "subdimension"]
    dims = [c for c in crit if c["level"] == "dimension"]
    assert len(dims) == 8 and len(subs) == 28
    names = {n: wb.defined_names[n].attr_text for n in wb.defined_names}
    assert names["DS_NoiDung"] == f"'DanhMuc'!$B$2:$B${len(subs) + 1}"
    assert names["DS_ChiSo"] == "'DanhMuc'!$A$2:$A$9"
    assert [lists.cell(row=i + 2, column=2).value for i in range(len(subs))] == subs
    assert lists["A2"].value == f"1 - {dims[0]['name_vi']}"
    # the dimension list is longer than Excel's 255-character literal limit
    assert len(",".join(lists.cell(row=i, column=1).value for i in range(2, 10))) > 255
    levels = [lists.cell(row=i, column=3).value for i in range(2, 6)]
    assert levels == ["xã", "thôn, tổ dân phố", "cơ quan giám sát", None]
    roles = [
        lists.cell(row=i, column=4).value for i in range(2, 20) if lists.cell(row=i, column=4).value
    ]
    assert "Văn phòng HĐND và UBND xã" in roles


def test_validation_unlocked_inputs_and_protection(template):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.framework_template import TASK_HEADER_ROW

    wb = load_workbook(template)
    ws = wb["Khung nhiệm vụ"]
    assert ws.protection.sheet is True and ws.protection.password
    formulas = {
        dv.formula1: (str(dv.sqref), dv.errorStyle) for dv in ws.data_validations.dataValidation
    }
    first = TASK_HEADER_ROW + 1
    assert formulas["=DS_ChiSo"][0] == f"B{first}:B{first + 499}"
    assert formulas["=DS_NoiDung"][0].startswith(f"C{first}:")
    assert formulas["=DS_Cap"][1] in (None, "stop")
    assert formulas["=DS_Han"][1] == "information"  # any valid due rule is accepted
    assert ws["D4"].protection.locked is False  # version input
    assert ws.cell(row=first, column=1).protection.locked is False
    assert ws.cell(row=first + 499, column=11).protection.locked is False
    assert ws.cell(row=TASK_HEADER_ROW, column=1).protection.locked is True
    assert ws["A3"].protection.locked is True
    assert ws["D4"].value == "2"  # suggests the next version after the shipped v1


def test_export_has_the_current_framework(commune_ctx, tmp_path):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.framework_template import TASK_HEADER_ROW
    from papi_desktop.services import framework_io, tasks

    out = framework_io.export_framework(commune_ctx, tmp_path / "khung.xlsx")
    ws = load_workbook(out, read_only=True)["Khung nhiệm vụ"]
    rows = list(ws.iter_rows(min_row=TASK_HEADER_ROW + 1, values_only=True))
    defs = tasks.framework_tasks(commune_ctx, level=None)  # every level, the office's too
    got = [r for r in rows if r[0]]
    assert [r[0] for r in got] == [t.code for t in defs]
    assert got[0][2] == defs[0].criterion_code and got[0][7] == str(defs[0].due_rule)
    assert got[0][1].startswith(f"{defs[0].dimension} - ")
    assert {r[4] for r in got} == {"xã", "thôn, tổ dân phố", "cơ quan giám sát"}


def test_template_output_must_be_xlsx(commune_ctx, tmp_path):
    from papi_desktop.services import framework_io

    with pytest.raises(UserError, match=r"đuôi \.xlsx"):
        framework_io.write_template(commune_ctx, tmp_path / "mau.xls")
    assert not (tmp_path / "mau.xls").exists()


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice not installed (libreoffice-calc-nogui)")
def test_libreoffice_opens_the_template(template, tmp_path):
    out = tmp_path / "csv"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
         "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1",
         "--outdir", str(out), str(template)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with (out / "mau-Khung nhiệm vụ.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][0].startswith("BỘ KHUNG NHIỆM VỤ")
    assert rows[3][0].startswith("Phiên bản") and rows[3][3] == "2"
    assert rows[11][:3] == [label for _, label, _ in TASK_COLUMNS[:3]]
    assert rows[11][2].startswith("Mã nội dung thành phần (một hoặc nhiều")
    with (out / "mau-DanhMuc.csv").open(encoding="utf-8", newline="") as fh:
        lists = list(csv.reader(fh))
    assert lists[1][1] == "1.1"
