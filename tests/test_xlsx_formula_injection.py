"""Text that looks like a formula is written as text in every exported workbook.

Each workbook is exported through the command line, read back with openpyxl (the cell must
be a text cell, not a formula) and, where LibreOffice is installed, converted to CSV by
LibreOffice headless: a formula would show its result ("x", "2"), text shows itself.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from papi_desktop.reports.xlsx.cells import clean_text, is_formula_like
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from tests.conftest import DEMO_COMMUNE, KHANH_HOA

TYPED = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(1,1)"]
# A tab or carriage return in front cannot be typed (input is stripped) but can arrive
# from another PC's package; the office's workbook gets them through the database.
RECEIVED = [*TYPED, "\t=1+1", "\r=2+2"]


def _cells(path: Path) -> list:
    wb = load_workbook(path)
    try:
        return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    finally:
        wb.close()


def _assert_text_not_formula(path: Path, payloads: list[str]) -> None:
    cells = _cells(path)
    formulas = [(c.coordinate, c.value) for c in cells if c.data_type == "f"]
    assert formulas == []
    for text in payloads:
        # A carriage return is written as a line break (the same file with or without lxml).
        text = clean_text(text)
        found = [c for c in cells if c.value == text]
        assert found, f"{text!r} not written"
        assert all(c.data_type == "s" and c.quotePrefix for c in found)


def _libreoffice_csv(path: Path, out_dir: Path) -> str:
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{out_dir}/lo-profile", "--headless",
         "--convert-to", "csv", "--outdir", str(out_dir), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return (out_dir / (path.stem + ".csv")).read_text(encoding="utf-8", errors="replace")


def test_helper_knows_every_formula_start():
    for text in RECEIVED:
        assert is_formula_like(text)
    assert is_formula_like(clean_text("\r=2+2"))
    for text in ("Thôn 1", "1+1", "", "a=b", 5, None, -3):
        assert not is_formula_like(text)


def test_progress_workbook_writes_notes_as_text(cli, data_dir, tmp_path):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    months = ["2026-01", "2026-02", "2026-03", "2026-04"]
    for month, text in zip(months, TYPED, strict=True):
        r = cli("tasks", "set", "D1.1-01", "--period", month, "--status", "doing", f"--note={text}")
        assert r.code == 0, r.err
    out = tmp_path / "bao-cao.xlsx"
    assert cli("report", "progress", "--year", "2026", "-o", str(out)).code == 0
    _assert_text_not_formula(out, TYPED)
    shown = _libreoffice_csv(out, tmp_path)
    rows_ = list(csv.reader(shown.splitlines()))
    flat = [v for r in rows_ for v in r]
    for text in TYPED:
        assert text in flat  # literal text, not "x" / 2 / 1 / 2


def test_consolidated_workbook_writes_received_text_as_text(cli, tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA, data=office).code == 0  # fmt: skip
    # What a commune's package would have carried, written the way merge writes rows.
    with AppContext(office) as ctx, ctx.db.transaction():
        for i, text in enumerate(RECEIVED, start=1):
            rows.insert(ctx.db, "task_result", {
                "unit_code": DEMO_COMMUNE, "task_code": "D1.1-01", "period": f"2026-{i:02d}",
                "status": "doing", "result": "unassessed", "note": text,
                "framework_version": 1,
            })  # fmt: skip
    out = tmp_path / "tong-hop.xlsx"
    r = cli("report", "consolidated", "--year", "2026", "-o", str(out), data=office)
    assert r.code == 0, r.err
    _assert_text_not_formula(out, RECEIVED)


def test_framework_export_writes_cells_as_text(cli, data_dir, tmp_path):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    # A framework as a wrong sender could publish it: titles and outputs that look like formulas.
    with AppContext(data_dir) as ctx:
        tasks_ = ctx.db.query("SELECT id FROM task WHERE deleted = 0 ORDER BY sort_order LIMIT 6")
        with ctx.db.transaction():
            for t, text in zip(tasks_, RECEIVED, strict=True):
                rows.update(ctx.db, "task", t["id"], {"title_vi": text, "output_vi": text})
    out = tmp_path / "khung.xlsx"
    r = cli("framework", "export", "-o", str(out))
    assert r.code == 0, r.err
    _assert_text_not_formula(out, RECEIVED)


def test_control_characters_received_by_usb_do_not_stop_the_offices_reports(cli, tmp_path):
    # An older PC (or a wrong sender within the limits) sent a note with control characters:
    # the office's workbook, PDF and Word report are still made, without those characters.
    office = tmp_path / "office"
    office.mkdir()
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA, data=office).code == 0  # fmt: skip
    with AppContext(office) as ctx, ctx.db.transaction():
        ctx.db.con.execute(
            "INSERT INTO task_result (id, owner_site, version, deleted, updated_at, updated_by,"
            " unit_code, task_code, period, status, result, note, framework_version) VALUES"
            " ('r1', 's', '1', 0, '2026-11-20T00:00:00Z', '', ?, 'D1.1-01', '2026-10', 'doing',"
            " 'unassessed', ?, 1)",
            (DEMO_COMMUNE, "Thiếu\x01 biên\x1b[31m bản"),
        )
    for suffix in (".xlsx", ".pdf", ".docx"):
        out = tmp_path / f"tong-hop{suffix}"
        r = cli("report", "consolidated", "--year", "2026", "-o", str(out), data=office)
        assert r.code == 0, r.err
    notes = [c.value for c in _cells(tmp_path / "tong-hop.xlsx") if isinstance(c.value, str)]
    assert "Thiếu biên[31m bản" in notes
