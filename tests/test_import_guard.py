"""Every spreadsheet read from a user is guarded (issue 10, section 5).

Units import, framework import, scores import and posting-notice content lists: a corrupt
or truncated .xlsx, an XML entity bomb, too many rows or columns, or too large a file gets
one plain line that names the limit, exit 2, and the database dump does not change.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from tests.conftest import DEMO_COMMUNE, KHANH_HOA
from tests.test_cli_core import dump

SHEET = "xl/worksheets/sheet1.xml"
BOMB_DTD = (
    '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
)


def xlsx(path: Path, rows: list[list], title: str = "Sheet") -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def with_sheet_xml(src: Path, dst: Path, sheet_xml: bytes) -> Path:
    """A copy of ``src`` whose first sheet is ``sheet_xml`` (for hostile or huge sheets)."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = sheet_xml if info.filename == SHEET else zin.read(info.filename)
            zout.writestr(info.filename, data)
    return dst


def big_sheet(n_rows: int, *, declare: bool) -> bytes:
    """A sheet of ``n_rows`` rows of three cells, with or without its ``<dimension>``."""
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="A1:C{n_rows}"/>' if declare else "")
        + "<sheetData>"
    )
    body = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>1</v></c>'
        f'<c r="C{i}"><v>2</v></c></row>'
        for i in range(1, n_rows + 1)
    )
    return (head + body + "</sheetData></worksheet>").encode()


def bomb(src: Path, dst: Path) -> Path:
    with zipfile.ZipFile(src) as z:
        body = z.read(SHEET).decode()
    body = body[body.index("?>") + 2 :] if body.startswith("<?xml") else body
    body = body.replace("<sheetData>", '<sheetData><row r="99"><c r="A99" t="inlineStr"><is><t>&c;</t></is></c></row>', 1)  # fmt: skip
    return with_sheet_xml(src, dst, (BOMB_DTD + body).encode())


def truncated(src: Path, dst: Path) -> Path:
    data = src.read_bytes()
    dst.write_bytes(data[: len(data) // 2])
    return dst


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    return cli


def refused(run, data_dir: Path, *args: str, needle: str) -> str:
    before = dump(data_dir)
    r = run(*args)
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert needle in r.err, r.err
    assert dump(data_dir) == before
    return r.err.strip()


# -- units import ---------------------------------------------------------------------------


def test_units_import_refuses_damaged_and_hostile_workbooks(commune, data_dir, tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [["Mã tỉnh", "Tên tỉnh", "Mã xã", "Tên xã"]])
    not_zip = tmp_path / "hong.xlsx"
    not_zip.write_text("hello", encoding="utf-8")
    for path in (not_zip, truncated(good, tmp_path / "half.xlsx")):
        msg = refused(commune, data_dir, "units", "import", str(path),
                      needle="không phải sổ Excel .xlsx hợp lệ")  # fmt: skip
        assert "zip" not in msg.lower()
    refused(commune, data_dir, "units", "import", str(bomb(good, tmp_path / "bomb.xlsx")),
            needle="khai báo XML không được phép (DOCTYPE/ENTITY)")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "units", "import", str(not_zip),
            needle="is not a valid .xlsx workbook")  # fmt: skip


def test_units_import_refuses_a_million_rows_before_reading_them(commune, data_dir, tmp_path):
    good = xlsx(tmp_path / "good.xlsx", [["x"]])
    huge = with_sheet_xml(good, tmp_path / "million.xlsx", big_sheet(1_000_000, declare=True))
    msg = refused(commune, data_dir, "units", "import", str(huge),
                  needle="danh sách đơn vị hành chính tối đa 20.000 dòng")  # fmt: skip
    assert "1.000.000 dòng" in msg
    # A sheet that does not declare its size is stopped while reading, at the limit.
    quiet = with_sheet_xml(good, tmp_path / "quiet.xlsx", big_sheet(30_000, declare=False))
    refused(commune, data_dir, "units", "import", str(quiet), needle="tối đa 20.000 dòng")


def test_units_import_refuses_too_many_columns_and_too_large_files(commune, data_dir, tmp_path):
    wide = tmp_path / "wide.csv"
    wide.write_text(
        ",".join(f"c{i}" for i in range(80)) + "\n" + ",".join("x" for _ in range(80)) + "\n",
        encoding="utf-8",
    )
    refused(commune, data_dir, "units", "import", str(wide), needle="tối đa 40 cột")
    large = tmp_path / "large.csv"
    with large.open("wb") as fh:
        fh.truncate(21 * 1024 * 1024)
    refused(commune, data_dir, "units", "import", str(large),
            needle="quá lớn (21 MB): danh sách đơn vị hành chính tối đa 20 MB")  # fmt: skip
    long_cell = tmp_path / "long.csv"
    long_cell.write_text('a,"' + "x" * 200_000 + '"\n', encoding="utf-8")
    refused(commune, data_dir, "units", "import", str(long_cell), needle="tối đa 100.000 ký tự")


def test_nothing_is_read_without_defusedxml(commune, data_dir, tmp_path, monkeypatch):
    import openpyxl

    monkeypatch.setattr(openpyxl, "DEFUSEDXML", False)
    good = xlsx(tmp_path / "good.xlsx", [["Mã tỉnh"]])
    refused(commune, data_dir, "units", "import", str(good), needle="defusedxml")


def test_openpyxl_parses_with_defusedxml():
    import openpyxl
    import openpyxl.worksheet._reader as reader

    assert openpyxl.DEFUSEDXML is True
    assert reader.iterparse.__module__.startswith("defusedxml")


# -- framework, scores, content lists ---------------------------------------------------------


def test_framework_import_is_guarded(commune, data_dir, tmp_path):
    template = tmp_path / "mau.xlsx"
    assert commune("framework", "template", "-o", str(template)).code == 0
    refused(commune, data_dir, "framework", "import", str(truncated(template, tmp_path / "t.xlsx")),
            needle="không phải sổ Excel .xlsx hợp lệ")  # fmt: skip
    refused(commune, data_dir, "framework", "import", str(bomb(template, tmp_path / "b.xlsx")),
            needle="DOCTYPE/ENTITY")  # fmt: skip
    huge = with_sheet_xml(template, tmp_path / "h.xlsx", big_sheet(50_000, declare=True))
    refused(commune, data_dir, "framework", "import", str(huge),
            needle="bộ khung nhiệm vụ tối đa 2.100 dòng")  # fmt: skip


def test_scores_import_is_guarded(cli, tmp_path):
    office = tmp_path / "office"
    office.mkdir()

    def run(*args):
        return cli(*args, data=office)

    assert run("init", "--role", "district", "--unit-name", "Sở Nội vụ", "--province-code",
               KHANH_HOA).code == 0  # fmt: skip
    good = xlsx(tmp_path / "diem.xlsx", [["Năm", "Nội dung", "Điểm"], [2025, 1, 5.5]])
    refused(run, office, "scores", "import", str(truncated(good, tmp_path / "t.xlsx")),
            needle="không phải sổ Excel .xlsx hợp lệ")  # fmt: skip
    refused(run, office, "scores", "import", str(bomb(good, tmp_path / "b.xlsx")),
            needle="DOCTYPE/ENTITY")  # fmt: skip
    huge = with_sheet_xml(good, tmp_path / "h.xlsx", big_sheet(100_000, declare=True))
    refused(run, office, "scores", "import", str(huge),
            needle="bảng kết quả chỉ số tối đa 5.000 dòng")  # fmt: skip


def test_content_lists_are_guarded_and_limited_to_what_fits_on_a4(commune, data_dir, tmp_path):
    did = commune("disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "Danh sách hộ nghèo",
                  "--trigger-date", "05/11/2026").out.strip()  # fmt: skip
    out = tmp_path / "tb.pdf"
    good = xlsx(tmp_path / "ds.xlsx", [["STT", "Họ tên"], [1, "Trần Thị Ánh Tuyết"]])
    for bad, needle in (
        (truncated(good, tmp_path / "t.xlsx"), "không phải sổ Excel .xlsx hợp lệ"),
        (bomb(good, tmp_path / "b.xlsx"), "DOCTYPE/ENTITY"),
        (with_sheet_xml(good, tmp_path / "h.xlsx", big_sheet(1_000_000, declare=True)),
         "danh sách kèm thông báo tối đa 20.000 dòng"),
    ):  # fmt: skip
        refused(commune, data_dir, "report", "posting-notice", did, "-o", str(out),
                "--content", str(bad), needle=needle)  # fmt: skip
        assert not out.exists()
    wide = tmp_path / "26.csv"
    wide.write_text(
        ",".join(f"Cột {i}" for i in range(1, 27)) + "\n"
        + ",".join(f"giá trị {i}" for i in range(1, 27)) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    msg = refused(commune, data_dir, "report", "posting-notice", did, "-o", str(out),
                  "--content", str(wide), needle="có 26 cột; trang A4 (khổ ngang) chỉ vừa tối đa 18 cột")  # fmt: skip
    assert "--columns" in msg and not out.exists()
    refused(commune, data_dir, "--lang", "en", "report", "posting-notice", did, "-o", str(out),
            "--content", str(wide), needle="at most 18 columns fit on A4 (landscape). Choose the columns to print")  # fmt: skip
    refused(commune, data_dir, "report", "posting-notice", did, "-o", str(out), "--content",
            str(wide), "--columns", "1,2,99", needle="Không có cột “99”")  # fmt: skip
    r = commune("report", "posting-notice", did, "-o", str(out), "--content", str(wide),
                "--columns", "1,Cột 2,26")  # fmt: skip
    assert r.code == 0, r.err
    assert out.stat().st_size > 0
    # A cell too tall for a page in a narrow column: one line, no reportlab traceback.
    tall = tmp_path / "tall.csv"
    tall.write_text(
        ",".join(f"C{i}" for i in range(1, 19)) + "\n"
        + ",".join(("Nguyễn Thị Ánh Tuyết thôn Phú Hòa " * 14)[:480] for _ in range(18)) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    out2 = tmp_path / "tall.pdf"
    refused(commune, data_dir, "report", "posting-notice", did, "-o", str(out2), "--content",
            str(tall), needle="có dòng quá cao, không vừa một trang A4")  # fmt: skip
    assert not out2.exists() and not out2.with_name(out2.name + ".part").exists()


def test_rows_of_an_unsized_sheet_are_counted_exactly_across_chunks(tmp_path):
    """The count that stops an unsized sheet early is exact (tags cut between 1 MB chunks)."""
    import io

    from papi_desktop.errors import UserError
    from papi_desktop.import_guard import Limits, _check_sheet_part

    limits = Limits(10**7, 29_950, 5, "x", "x")  # 29,950 + 50 title rows allowed
    for n, ok in ((30_000, True), (30_001, False)):
        data = big_sheet(n, declare=False)
        assert len(data) > 2 * (1 << 20)
        part = io.BytesIO(data)
        head = part.read(4096)
        if ok:
            _check_sheet_part(part, head, tmp_path / "s.xlsx", limits)
        else:
            with pytest.raises(UserError, match=r"tối đa 29\.950 dòng"):
                _check_sheet_part(part, head, tmp_path / "s.xlsx", limits)


def test_a_renamed_sheet_part_is_still_sized_before_parsing(commune, data_dir, tmp_path):
    """A sheet stored outside xl/worksheets/ (declared in the content types) gets the same
    size check before openpyxl opens the file."""
    from papi_desktop.catalog.admin_units import UNIT_LIST_LIMITS
    from papi_desktop.errors import UserError
    from papi_desktop.import_guard import check_xlsx_package

    good = xlsx(tmp_path / "good.xlsx", [["x"]])
    moved = tmp_path / "moved.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(moved, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            name = info.filename
            if name == SHEET:
                name, data = "xl/data/rows.xml", big_sheet(30_000, declare=False)
            elif name in ("[Content_Types].xml", "xl/_rels/workbook.xml.rels"):
                data = data.replace(b"worksheets/sheet1.xml", b"data/rows.xml")
            zout.writestr(name, data)
    with pytest.raises(UserError, match=r"tối đa 20\.000 dòng"):
        check_xlsx_package(moved, UNIT_LIST_LIMITS)
    refused(commune, data_dir, "units", "import", str(moved), needle="tối đa 20.000 dòng")
