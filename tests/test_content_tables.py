"""Content tables for posting notices: .xlsx/.csv read-only, NFC, dates, column mapping,
row-level errors, refusals, and a 1,000-row list printed across pages."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import content_tables as ct


def _xlsx(path: Path, rows: list[list]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def households(n: int) -> list[list]:
    return [["STT", "Họ và tên chủ hộ", "Thôn", "Số khẩu", "Phân loại"]] + [
        [i, f"Nguyễn Văn Hộ {i}", f"Thôn {['Phú Hòa', 'Mỹ Lợi'][i % 2]}", 1 + i % 6,
         "Hộ nghèo" if i % 3 else "Hộ cận nghèo"]
        for i in range(1, n + 1)
    ]  # fmt: skip


def test_xlsx_read_with_dates_numbers_and_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Trần Thị Ánh Tuyết")
    path = _xlsx(
        tmp_path / "ds.xlsx",
        [
            [],
            ["STT", "Họ tên", "Ngày sinh", "Số khẩu"],
            [1.0, nfd, datetime(1980, 5, 7), 4.0],
            [None, None, None, None],
            [2, "Lê Văn Bình", date(1975, 12, 1), 3],
        ],
    )
    table = ct.read_table(path)
    assert table.headers == ["STT", "Họ tên", "Ngày sinh", "Số khẩu"]
    assert table.rows[0] == ["1", "Trần Thị Ánh Tuyết", "07/05/1980", "4"]
    assert unicodedata.is_normalized("NFC", table.rows[0][1])
    assert table.rows[1][2] == "01/12/1975"
    assert table.row_numbers == [3, 5] and table.skipped_empty == 1
    assert table.preview(1) == [table.headers, table.rows[0]]


def test_csv_semicolon_and_bom(tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(
        "STT;Họ tên;Thôn\n1;Phạm Văn Lộc;Thôn Phú Hòa\n2;Đỗ Thị Mai;Tổ 3\n".encode("utf-8-sig")
    )
    table = ct.read_table(path)
    assert table.headers == ["STT", "Họ tên", "Thôn"]
    assert table.rows[1] == ["2", "Đỗ Thị Mai", "Tổ 3"]


def test_auto_mapping_and_explicit_mapping(tmp_path):
    table = ct.read_table(_xlsx(tmp_path / "a.xlsx", households(30)))
    auto = ct.auto_mapping(table)
    assert [c.header for c in auto] == table.headers
    assert auto[0].align == "CENTER"  # STT
    assert sum(c.width_mm for c in auto) <= ct.LANDSCAPE_WIDTH_MM + 1
    mapping = [ct.MappedColumn(1, "Chủ hộ", 80), ct.MappedColumn(2, "Thôn, tổ", 50, required=True)]
    content, errors = ct.to_content_table(table, mapping, "Danh sách hộ nghèo")
    assert errors == []
    assert [c.header for c in content.columns] == ["Chủ hộ", "Thôn, tổ"]
    assert content.rows[0] == ("Nguyễn Văn Hộ 1", "Thôn Mỹ Lợi") and not content.landscape
    with pytest.raises(UserError, match="Cột nguồn số 9"):
        ct.to_content_table(table, [ct.MappedColumn(8, "x", 10)])


def test_row_level_errors_name_the_rows(tmp_path):
    rows = households(5)
    rows[2][2] = None  # row 3: missing village
    rows[4] = rows[4] + ["giá trị lạc"]  # row 5: value beyond the headers
    rows[5][1] = "x" * 600  # row 6: too long
    table = ct.read_table(_xlsx(tmp_path / "e.xlsx", rows))
    mapping = [ct.MappedColumn(i, h, 30, required=(i == 2)) for i, h in enumerate(table.headers)]
    _, errors = ct.to_content_table(table, mapping)
    assert [e.row for e in errors] == [3, 5, 6]
    assert "thiếu giá trị ở cột “Thôn”" in str(errors[0])
    assert "không có tiêu đề" in str(errors[1])
    assert "quá dài" in str(errors[2])
    path = tmp_path / "e.xlsx"
    # The auto mapping requires no column: rows 5 and 6 are still wrong.
    with pytest.raises(UserError, match=r"có 2 lỗi.*Dòng 5.*Dòng 6"):
        ct.load_content_table(path)


def test_refusals(tmp_path):
    (tmp_path / "a.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(UserError, match=r"\.xls \(Excel 97–2003\)"):
        ct.read_table(tmp_path / "a.xls")
    (tmp_path / "m.xlsm").write_bytes(b"PK")
    with pytest.raises(UserError, match="macro"):
        ct.read_table(tmp_path / "m.xlsm")
    good = _xlsx(tmp_path / "g.xlsx", households(3))
    with zipfile.ZipFile(good, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"macro")
    with pytest.raises(UserError, match="macro"):
        ct.read_table(good)
    (tmp_path / "broken.xlsx").write_bytes(b"this is not a zip file at all")
    with pytest.raises(UserError, match=r"không phải sổ Excel \.xlsx hợp lệ"):
        ct.read_table(tmp_path / "broken.xlsx")
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(ct.MAX_FILE_BYTES + 1)
    with pytest.raises(UserError, match="quá lớn"):
        ct.read_table(big)
    (tmp_path / "t.txt").write_text("a,b")
    with pytest.raises(UserError, match=r"chỉ nhận tệp \.xlsx hoặc \.csv"):
        ct.read_table(tmp_path / "t.txt")
    (tmp_path / "h.csv").write_text("STT,Tên\n")
    with pytest.raises(UserError, match="không có dòng dữ liệu"):
        ct.read_table(tmp_path / "h.csv")
    (tmp_path / "bin.csv").write_bytes(b"\x00\x01\x02abc")
    with pytest.raises(UserError, match="không phải tệp văn bản CSV"):
        ct.read_table(tmp_path / "bin.csv")


def test_entity_expansion_is_refused(tmp_path):
    """An XML entity declaration (billion-laughs style) is refused, never expanded."""
    good = _xlsx(tmp_path / "g.xlsx", households(2))
    bomb = tmp_path / "bomb.xlsx"
    dtd = (
        '<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bomb, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = data.decode()
                body = body[body.index("?>") + 2 :] if body.startswith("<?xml") else body
                data = (dtd + body.replace("Thôn Mỹ Lợi", "&lol2;", 1)).encode()
            dst.writestr(info, data)
    with pytest.raises(UserError, match=r"khai báo XML không được phép \(DOCTYPE/ENTITY\)"):
        ct.read_table(bomb)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_thousand_row_list_prints_across_pages_with_repeated_header(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = disclosures.add(
        commune_ctx, "HO-NGHEO-RASOAT", "Danh sách hộ nghèo, hộ cận nghèo năm 2027",
        trigger_date="2026-11-18", decision_no="120/QĐ-UBND", decision_date="2026-11-18",
    )  # fmt: skip
    disclosures.record_posting(commune_ctx, did, "Thôn Phú Hòa", "2026-11-19")
    src = _xlsx(tmp_path / "ds.xlsx", households(1000))
    out = reports.posting_notice(commune_ctx, did, tmp_path / "tb.pdf", src)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 15
    table_pages = [p for p in pages if "Nguyễn Văn Hộ" in p]
    assert len(table_pages) == len(pages) - 1  # the notice, then the list
    assert all("Họ và tên chủ hộ" in p for p in table_pages)  # header repeats on every page
    for i in (1, 500, 1000):
        assert f"Nguyễn Văn Hộ {i}\n" in text or f"Nguyễn Văn Hộ {i} " in text
    assert "Kèm theo Thông báo" in " ".join(text.split())


def test_notice_refuses_a_list_with_row_errors(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = disclosures.add(
        commune_ctx, "HO-NGHEO-RASOAT", "Danh sách hộ nghèo", trigger_date="2026-11-18"
    )
    rows = [*households(3), [4, "Hộ thừa cột", "Thôn", 1, "Hộ nghèo", "lạc"]]
    src = _xlsx(tmp_path / "ds.xlsx", rows)
    with pytest.raises(UserError, match="Dòng 5"):
        reports.posting_notice(commune_ctx, did, tmp_path / "tb.pdf", src)
    assert not (tmp_path / "tb.pdf").exists()
