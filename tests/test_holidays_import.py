"""Importing a year's days off from Excel (a commune with no office), what the calendar
horizon does to deadlines beyond the last official year, and refusals of bad workbooks."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO_COMMUNE

HEAD = ("Ngày", "Loại", "Tên", "Name", "Căn cứ", "Tạm tính")
OFFICIAL_2028 = [
    ("01/01/2028", "ngày lễ", "Tết Dương lịch", "New Year's Day", "BLLĐ 2019 Điều 112", ""),
    ("03/01/2028", "nghỉ bù", "Nghỉ bù Tết Dương lịch", "Compensatory day off", "", ""),
    ("25/01/2028", "tet", "Tết Nguyên đán (29 tháng Chạp)", "Tết", "", ""),
    ("26/01/2028", "tet", "Tết Nguyên đán (Mùng 1)", "Tết", "", ""),
    ("27/01/2028", "tet", "Tết Nguyên đán (Mùng 2)", "Tết", "", ""),
    ("28/01/2028", "tet", "Tết Nguyên đán (Mùng 3)", "Tết", "", ""),
    ("31/01/2028", "tet", "Tết Nguyên đán (Mùng 4 bù)", "Tết", "", ""),
]


def workbook(path: Path, rows, head=HEAD) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(list(head))
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    return cli


def _deadline(cli) -> dict:
    # A second-instance complaint decision of 19/12/2027: 15 days → Mon 03/01/2028.
    r = cli(
        "disclosures", "add", "--type", "KHIEUNAI-QD-LAN2", "--title", "Quyết định giải quyết",
        "--trigger-date", "19/12/2027", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    return r.json()


def test_a_deadline_past_the_last_official_year_is_provisional_until_the_list_is_imported(
    commune, data_dir, tmp_path
):
    before = _deadline(commune)
    # Before: 2028 has no official days off; 03/01/2028 is a Monday, counted as a working day.
    assert before["post_deadline"] == "2028-01-03" and before["provisional"] is True
    assert "chỉ có đến năm 2026" in before["deadline_explain_vi"]
    listing = commune("holidays", "list", "--json").json()
    assert listing["last_official_year"] == 2026

    book = workbook(tmp_path / "ngay-nghi-2028.xlsx", OFFICIAL_2028)
    snapshot = dump(data_dir)
    r = commune("holidays", "import", str(book), "--dry-run")
    assert r.code == 0, r.err
    assert "thêm 7" in r.out
    assert dump(data_dir) == snapshot  # a dry run writes nothing

    r = commune("holidays", "import", str(book), "--json")
    assert r.code == 0, r.err
    assert r.json()["years"] == [2028] and len(r.json()["added"]) == 7
    # After: 03/01/2028 is the day off in lieu of 01/01 (a Saturday) → Tue 04/01/2028.
    (item,) = [i for i in commune("disclosures", "list", "--json").json()]
    assert item["post_deadline"] == "2028-01-04" and item["provisional"] is False
    listing = commune("holidays", "list", "--year", "2028", "--json").json()
    assert listing["last_official_year"] == 2028
    (year,) = listing["years"]
    assert year["sources"] == ["xlsx:ngay-nghi-2028.xlsx"] and year["publishers"] == ["this PC"]
    assert "máy này" in commune("holidays", "list", "--year", "2028").out

    # Importing the same file again changes nothing; a corrected file replaces the year.
    r = commune("holidays", "import", str(book), "--json")
    assert r.json()["added"] == [] and len(r.json()["unchanged"]) == 7
    fixed = workbook(tmp_path / "sua.xlsx", OFFICIAL_2028[:-1])
    assert commune("holidays", "import", str(fixed), "--json").json()["removed"] == ["2028-01-31"]


@pytest.mark.parametrize(
    ("rows", "head", "message"),
    [
        ([("32/01/2028", "tet", "x", "", "", "")], HEAD, "Dòng 2: ngày"),
        ([("01/01/2028", "nghỉ phép", "x", "", "", "")], HEAD, "Dòng 2: loại ngày"),
        ([("03/01/2028", "làm bù", "Làm bù", "", "", "")], HEAD, "không phải thứ Bảy"),
        ([OFFICIAL_2028[0], OFFICIAL_2028[0]], HEAD, "Dòng 3: ngày 01/01/2028 đã có ở dòng 2"),
        ([("01/01/2028", "ngày lễ", "", "", "", "")], HEAD, "Dòng 2: thiếu tên"),
        ([("01/01/2028", "ngày lễ", "x", "", "", "có lẽ")], HEAD, "Tạm tính"),
        ([("01/01/2300", "ngày lễ", "x", "", "", "")], HEAD, "01/01/2300"),
        (OFFICIAL_2028, ("Date?", "Loại", "Tên"), "thiếu cột"),
        ([], HEAD, "không có dòng ngày nghỉ"),
    ],
)
def test_a_bad_workbook_is_refused_and_nothing_changes(commune, data_dir, tmp_path, rows, head,
                                                       message):  # fmt: skip
    book = workbook(tmp_path / "bad.xlsx", rows, head)
    before = dump(data_dir)
    r = commune("holidays", "import", str(book))
    assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1, r.err
    assert dump(data_dir) == before


def test_not_a_workbook_is_refused(commune, data_dir, tmp_path):
    before = dump(data_dir)
    fake = tmp_path / "ngay-nghi.xlsx"
    fake.write_text("không phải excel", encoding="utf-8")
    for path in (fake, tmp_path / "missing.xlsx", tmp_path / "list.csv"):
        if path.suffix == ".csv":
            path.write_text("a,b", encoding="utf-8")
        r = commune("holidays", "import", str(path))
        assert r.code == 2 and len(r.err.strip().splitlines()) == 1, r.err
    assert dump(data_dir) == before


def test_days_off_published_by_the_office_show_who_published_them_and_when(tmp_path, cli):
    from datetime import date

    from papi_desktop.services import catalogs, district_demo, setup
    from papi_desktop.services.context import AppContext

    day = date(2026, 12, 3)
    commune = AppContext(tmp_path / "c", auto_backup=False, today=day)
    setup.init_site(commune, "commune", unit_code=DEMO_COMMUNE, user="Lê Thị Hoa")
    office = district_demo.init_office(tmp_path / "o", today=day)
    try:
        district_demo.exchange(commune, office, tmp_path / "usb")
        catalogs.add_holiday(office, "2028-01-03", "compensatory", "Nghỉ bù Tết Dương lịch")
        district_demo.exchange(office, commune, tmp_path / "usb2")
    finally:
        commune.close()
        office.close()
    r = cli("holidays", "list", "--year", "2028", "--json", data=tmp_path / "c")
    (year,) = r.json()["years"]
    assert year["publishers"] == ["Sở Nội vụ tỉnh Khánh Hòa"]
    assert year["updated_by"] == "Trần Thị Bình" and year["updated_at"].startswith("2026-12-03")
    text = cli("holidays", "list", "--year", "2028", data=tmp_path / "c").out
    assert "do Sở Nội vụ tỉnh Khánh Hòa ban hành, cập nhật 03/12/2026 (Trần Thị Bình)" in text
