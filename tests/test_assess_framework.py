"""Scored frameworks (PAR INDEX): the template, the SAMPLE, the checks of a filled
workbook (points add up, sub-criteria within their criterion, a missing maximum with its
row), Vietnamese due rules with their meaning in the dry run, versions, broken files, and
that a refused workbook changes nothing."""

from __future__ import annotations

import sqlite3

import pytest
from openpyxl import load_workbook

from papi_desktop.domain import scoring
from papi_desktop.domain.due_words import parse_due, to_code
from papi_desktop.errors import UserError
from papi_desktop.reports.xlsx.assess import SHEET, TABLE_HEADER_ROW
from tests.conftest import DEMO_COMMUNE, KHANH_HOA


def dump(data_dir) -> list[str]:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return list(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def commune(cli, data_dir):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--user", "An").code == 0
    return data_dir


@pytest.fixture
def sample_xlsx(cli, commune, tmp_path):
    out = tmp_path / "par.xlsx"
    r = cli("framework", "template", "--index", "PAR", "--sample", "-o", str(out))
    assert r.code == 0, r.err
    return out


def _edit(path, changes, out):
    """Copy the workbook with cells changed: {(row, col): value}."""
    wb = load_workbook(path)
    ws = wb[SHEET]
    for (row, col), value in changes.items():
        cell = ws.cell(row=row, column=col)
        cell.value = value
        if isinstance(value, str) and value.startswith(("=", "@")):
            cell.data_type = "s"  # typed as text, as a user's apostrophe-prefixed cell
    wb.save(out)
    return out


def _row_of(path, code):
    ws = load_workbook(path)[SHEET]
    for r in range(TABLE_HEADER_ROW + 1, ws.max_row + 1):
        if ws.cell(row=r, column=1).value == code:
            return r
    raise AssertionError(code)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("15 ngày sau khi kết thúc quý", "quarterly+15d"),
        ("trước 15/12", "yearly:12-15"),
        ("Trước ngày 31/03/2027", "date:2027-03-31"),
        ("hằng quý", "quarterly"),
        ("10 ngày sau khi hết tháng", "monthly+10d"),
        ("cuối năm", "yearly"),
        ("thường xuyên", "standing"),
        ("quarterly+10d", "quarterly+10d"),
    ],
)
def test_due_rules_in_vietnamese_words_and_codes(text, code):
    assert to_code(text) == code
    assert parse_due(text).label_vi


def test_due_rule_not_understood_names_the_accepted_wordings():
    with pytest.raises(UserError, match=r"Không hiểu hạn “khi nào rảnh”.*trước 15/12"):
        to_code("khi nào rảnh")


def test_competition_ranking_on_ties():
    assert scoring.competition_rank({"a": 90.0, "b": 95.5, "c": 90.0, "d": 80.0, "e": None}) == {
        "b": 1, "a": 2, "c": 2, "d": 4, "e": None,
    }  # fmt: skip


def test_sample_template_is_labelled_and_adds_up(sample_xlsx):
    ws = load_workbook(sample_xlsx)[SHEET]
    text = " ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row if c)
    assert "MẪU THAM KHẢO" in text and "tỉnh ban hành bộ tiêu chí riêng" in text
    fields = [r for r in ws.iter_rows(min_row=TABLE_HEADER_ROW + 1, values_only=True)
              if r[0] and not r[1]]  # fmt: skip
    assert len(fields) == 7 and sum(r[3] for r in fields) == 100
    titles = " ".join(r[2] for r in fields).lower()
    for word in ("chỉ đạo", "quy phạm pháp luật", "thủ tục hành chính", "bộ máy",
                 "cán bộ, công chức", "tài chính công", "chính quyền số"):  # fmt: skip
        assert word in titles


def test_dry_run_shows_due_meanings_and_writes_nothing(cli, commune, sample_xlsx):
    before = dump(commune)
    r = cli("framework", "import", str(sample_xlsx), "--dry-run")
    assert r.code == 0, r.err
    assert "7 lĩnh vực" in r.out and "100 điểm" in r.out and "MẪU THAM KHẢO" in r.out
    assert "“15 ngày sau khi kết thúc quý” → quarterly+15d (Hằng quý, hạn 15 ngày sau" in r.out
    assert "“trước 15/12” → yearly:12-15 (Trước 15/12 hằng năm)" in r.out
    assert dump(commune) == before
    r = cli("framework", "import", str(sample_xlsx), "--json")
    assert r.code == 0 and r.json()["new_version"] == 1 and r.json()["scored_items"] == 30
    # The same version again is refused; the PAPI framework is untouched throughout.
    before = dump(commune)
    r = cli("framework", "import", str(sample_xlsx))
    assert r.code == 2 and "Phiên bản 1 không mới hơn" in r.err and len(r.err.splitlines()) == 1
    assert dump(commune) == before


@pytest.mark.parametrize(
    ("code", "col", "value", "message"),
    [
        ("1.1.1", 4, None, "Dòng {row}: thiếu điểm tối đa của tiêu chí thành phần “1.1.1”"),
        ("1.1.1", 4, 5, "Dòng {row}: tiêu chí thành phần “1.1.1” có 5 điểm, nhiều hơn tiêu chí"),
        ("2.1", 4, 4, "các mục con của “2” cộng lại 9 điểm, không bằng 8"),
        ("1.2", 9, "khi nào rảnh", "Dòng {row}: Không hiểu hạn"),
        ("1.3", 5, "bốc thăm", "Dòng {row}: cách chấm “bốc thăm”"),
        ("1.4", 2, "9", "Dòng {row}: mã cha “9” của “1.4” không có"),
    ],
)
def test_bad_workbooks_are_refused_in_one_line_with_the_row(
    cli, commune, sample_xlsx, tmp_path, code, col, value, message
):
    row = _row_of(sample_xlsx, code)
    bad = _edit(sample_xlsx, {(row, col): value}, tmp_path / "bad.xlsx")
    before = dump(commune)
    r = cli("framework", "import", str(bad), "--dry-run")
    assert r.code == 2
    assert len(r.err.strip().splitlines()) == 1
    assert message.format(row=row) in r.err
    assert dump(commune) == before


def test_total_in_the_header_must_match_the_fields(cli, commune, sample_xlsx, tmp_path):
    bad = _edit(sample_xlsx, {(8, 3): 90}, tmp_path / "bad.xlsx")  # "Tổng điểm"
    r = cli("framework", "import", str(bad))
    assert r.code == 2 and "cộng lại 100 điểm, không bằng tổng điểm 90" in r.err


def test_corrupt_and_foreign_files_one_line(cli, commune, tmp_path):
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a zip")
    before = dump(commune)
    r = cli("framework", "import", str(broken), "--index", "PAR")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1 and "không" in r.err
    r = cli("framework", "import", str(broken))  # no index: the PAPI reader's own line
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    r = cli("framework", "template", "--index", "XYZ", "-o", str(tmp_path / "x.xlsx"))
    assert r.code == 2 and "Chỉ số “XYZ” không có bộ khung nhiệm vụ" in r.err
    assert not (tmp_path / "x.xlsx").exists()
    assert dump(commune) == before


def test_formula_like_text_stays_text(cli, commune, sample_xlsx, tmp_path):
    row = _row_of(sample_xlsx, "1.3")
    edited = _edit(sample_xlsx, {(row, 3): "=1+1 kiểm tra", (row, 7): "@SUM(A1)"},
                   tmp_path / "f.xlsx")  # fmt: skip
    assert cli("framework", "import", str(edited)).code == 0
    r = cli("assess", "list", "--index", "PAR", "--year", "2026", "--json")
    item = next(i for i in r.json()["items"] if i["code"] == "1.3")
    assert item["title"] == "=1+1 kiểm tra"
    out = tmp_path / "t2.xlsx"
    assert cli("framework", "template", "--index", "PAR", "-o", str(out)).code == 0
    ws = load_workbook(out)[SHEET]
    assert ws.cell(row=3, column=3).value == 2  # next version offered


def test_office_publishes_and_commune_with_office_cannot_import(cli, tmp_path, sample_xlsx):
    office = tmp_path / "office"
    office.mkdir()
    r = cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
            "--province", KHANH_HOA, "--user", "Bình", data=office)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("framework", "publish", str(sample_xlsx), "--dry-run", data=office)
    assert r.code == 0 and "Chạy thử" in r.out
    r = cli("framework", "publish", str(sample_xlsx), data=office)
    assert r.code == 0 and "phiên bản 1" in r.out
    r = cli("framework", "import", str(sample_xlsx), data=office)
    assert r.code == 2  # the office publishes, it does not "import"


def test_hostile_workbooks_go_through_the_import_guard(cli, commune, sample_xlsx, tmp_path):
    """A template whose sheet declares an entity (billion laughs), or that carries macros,
    is refused in one line before openpyxl parses it; nothing changes."""
    import zipfile

    def rewrite(out, change):
        with zipfile.ZipFile(sample_xlsx) as src, zipfile.ZipFile(out, "w") as dst:
            for item in src.infolist():
                data = src.read(item.filename)
                dst.writestr(item, change(item.filename, data))
        return out

    def entity(name, data):
        if name == "xl/worksheets/sheet1.xml":
            body = data.split(b"?>", 1)[1] if data.startswith(b"<?xml") else data
            return b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body
        return data

    bomb = rewrite(tmp_path / "bomb.xlsx", entity)
    macro = rewrite(tmp_path / "macro.xlsx", lambda n, d: d)
    with zipfile.ZipFile(macro, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\0" * 64)
    before = dump(commune)
    for bad, why in ((bomb, "DOCTYPE"), (macro, "macro")):
        r = cli("framework", "import", str(bad), "--index", "PAR")
        assert r.code == 2 and len(r.err.strip().splitlines()) == 1, r.err
        assert why.lower() in r.err.lower(), r.err
    assert dump(commune) == before


def test_export_current_round_trips_as_the_next_version(cli, commune, sample_xlsx, tmp_path):
    assert cli("framework", "import", str(sample_xlsx)).code == 0
    out = tmp_path / "hien-hanh.xlsx"
    r = cli("framework", "export", "--index", "PAR", "-o", str(out))
    assert r.code == 0, r.err
    r = cli("framework", "import", str(out), "--json")
    assert r.code == 0, r.err
    summary = r.json()
    assert summary["new_version"] == 2 and summary["old_version"] == 1
    assert summary["scored_items"] == 30 and summary["sample"] is True
    assert [d["rule"] for d in summary["due_rules"]] == [
        "yearly:01-31", "quarterly+15d", "yearly:12-15", "yearly:12-15",
    ]  # fmt: skip
    r = cli("framework", "export", "-o", str(tmp_path / "papi.xlsx"))  # PAPI path unchanged
    assert r.code == 0, r.err
