"""``holidays import`` replaces only the years in the file and says per year what changes;
it goes through the import guards (issue 12 §5, issue 10 §5); ``holidays list`` names kinds."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tests.conftest import DEMO_COMMUNE
from tests.test_cli_core import dump
from tests.test_holidays_import import HEAD, OFFICIAL_2028, workbook

ONE_2027 = [("02/09/2027", "ngày lễ", "Quốc khánh", "National Day", "", "")]


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    return cli


def days(run, year: int) -> list[tuple]:
    r = run("holidays", "list", "--year", str(year), "--json")
    assert r.code == 0, r.err
    return [(d["day"], d["kind"], d["name_vi"]) for y in r.json()["years"] for d in y["days_off"]]


def refused(run, data_dir: Path, *args: str, needle: str) -> str:
    before = dump(data_dir)
    r = run(*args)
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert needle in r.err, r.err
    for name in ("BadZipFile", "KeyError", "ValueError", "InvalidFileException"):
        assert name not in r.err
    assert dump(data_dir) == before
    return r.err.strip()


def test_only_the_years_in_the_file_are_replaced_and_each_year_is_reported(
    commune, data_dir, tmp_path
):
    shipped_2026, shipped_2027 = days(commune, 2026), days(commune, 2027)
    assert len(shipped_2026) > 5 and len(shipped_2027) > 5
    book = workbook(tmp_path / "hai-nam.xlsx", [*ONE_2027, *OFFICIAL_2028])
    before = dump(data_dir)
    r = commune("holidays", "import", str(book), "--dry-run")
    assert r.code == 0, r.err
    gone_2027 = [d for d, *_ in shipped_2027 if d != "2027-09-02"]
    kept_2027 = len(shipped_2027) - len(gone_2027)
    assert f"Năm 2027: thêm {1 - kept_2027}, sửa " in r.out
    assert f"bỏ {len(gone_2027)}, giữ nguyên" in r.out
    assert "Năm 2028: thêm 7, sửa 0, bỏ 0, giữ nguyên 0." in r.out
    assert "Năm 2026" not in r.out and "Các năm khác không thay đổi." in r.out
    assert dump(data_dir) == before

    # One row typed for 2027 would drop the rest of 2027 (Tết included): refused unless the
    # file is said to be that year's whole list.
    r = commune("holidays", "import", str(book))
    assert r.code == 2 and "Tệp chỉ giữ 1 ngày nghỉ của năm 2027" in r.err, r.err
    assert "--allow-remove" in r.err and dump(data_dir) == before
    r = commune("holidays", "import", str(book), "--json", "--allow-remove")
    assert r.code == 0, r.err
    per_year = {y["year"]: y for y in r.json()["per_year"]}
    assert sorted(per_year) == [2027, 2028]
    assert per_year[2027]["removed"] == gone_2027 and len(per_year[2028]["added"]) == 7
    assert days(commune, 2026) == shipped_2026  # another year stays as it was
    assert [d for d, *_ in days(commune, 2027)] == ["2027-09-02"]
    r = commune("--lang", "en", "holidays", "import", str(book), "--dry-run")
    assert "2028: added 0, changed 0, removed 0, unchanged 7." in r.out


def test_holidays_list_shows_the_kind_label(commune):
    text = commune("holidays", "list", "--year", "2026").out
    assert "Ngày lễ" in text and "Nghỉ Tết" in text
    assert " holiday " not in text and " tet " not in text
    english = commune("--lang", "en", "holidays", "list", "--year", "2026").out
    assert "Public holiday" in english and "Tết holiday" in english


def test_damaged_and_macro_workbooks_get_the_guards_plain_message(commune, data_dir, tmp_path):
    good = workbook(tmp_path / "tot.xlsx", OFFICIAL_2028)
    half = tmp_path / "nua.xlsx"
    half.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    fake = tmp_path / "gia.xlsx"
    fake.write_text("không phải excel", encoding="utf-8")
    for path in (half, fake):
        refused(commune, data_dir, "holidays", "import", str(path),
                needle="không phải sổ Excel .xlsx hợp lệ")  # fmt: skip
    macro = tmp_path / "macro.xlsx"
    shutil.copy(good, macro)
    with zipfile.ZipFile(macro, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"\x00" * 64)
    refused(commune, data_dir, "holidays", "import", str(macro), needle="có chứa macro")
    refused(commune, data_dir, "--lang", "en", "holidays", "import", str(macro),
            needle="contains macros")  # fmt: skip
    (tmp_path / "list.csv").write_text("a,b", encoding="utf-8")
    refused(commune, data_dir, "holidays", "import", str(tmp_path / "list.csv"),
            needle="chỉ nhận tệp .xlsx")  # fmt: skip


@pytest.mark.parametrize(
    ("row", "needle"),
    [
        (("01/01/2028", "ngày lễ", "=1+1", "", "", ""), "Dòng 2: tên ngày nghỉ “=1+1” trông như công thức"),
        (("01/01/2028", "ngày lễ", "@SUM(A1)", "", "", ""), "Dòng 2: tên ngày nghỉ “@SUM(A1)” trông như công thức"),
        (("01/01/2028", "ngày lễ", "Tết\tDương lịch", "", "", ""), "Dòng 2: tên ngày nghỉ có ký tự điều khiển"),
        (("01/01/2028", "ngày lễ", "Tết Dương lịch", "+cmd", "", ""), "Dòng 2: tên tiếng Anh “+cmd”"),
        (("01/01/2028", "ngày lễ", "Tết Dương lịch", "", "-2+3", ""), "Dòng 2: căn cứ “-2+3”"),
    ],
)  # fmt: skip
def test_formula_looking_text_is_refused_as_such(commune, data_dir, tmp_path, row, needle):
    book = workbook(tmp_path / "cong-thuc.xlsx", [row])
    msg = refused(commune, data_dir, "holidays", "import", str(book), needle=needle)
    assert "thiếu tên" not in msg


def test_a_formula_cell_in_a_unit_list_is_refused_as_a_formula(commune, data_dir, tmp_path):
    head = ["Mã tỉnh", "Tỉnh / Thành phố", "Mã xã", "Tên xã", "Cấp"]
    book = workbook(tmp_path / "dv.xlsx", [("56", "Tỉnh Khánh Hòa", "22528", "=B2&\"x\"", "Phường")], head)  # fmt: skip
    refused(commune, data_dir, "units", "import", str(book), "--version", "2027-01-01",
            needle="Dòng 2: tên xã “=B2&\"x\"” trông như công thức")  # fmt: skip


def test_header_only_holiday_names_still_refuse_a_missing_name(commune, data_dir, tmp_path):
    book = workbook(tmp_path / "thieu.xlsx", [("01/01/2028", "ngày lễ", "", "", "", "")], HEAD)
    refused(commune, data_dir, "holidays", "import", str(book), needle="Dòng 2: thiếu tên")
