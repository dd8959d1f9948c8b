"""Tests for the administrative-unit list: shipped data, offline import and search."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from papi_desktop.catalog.admin_units import (
    AdminUnitList,
    load_shipped,
    parse_unit_list_file,
    search,
)
from papi_desktop.errors import UserError

NSO_HEADER = ["Mã tỉnh/TP", "Tỉnh / Thành Phố", "Mã xã", "Tên xã", "Cấp"]
NSO_ROWS = [
    ["56", "Tỉnh Khánh Hòa", "22528", "Phường Ninh Hòa", "Phường"],
    ["56", "Tỉnh Khánh Hòa", "22546", "Xã Bắc Ninh Hòa", "Xã"],
    ["01", "Thành phố Hà Nội", "00004", "Phường Ba Đình", "Phường"],
    ["31", "Thành phố Hải Phòng", "11311", "Đặc khu Bạch Long Vĩ", "Đặc khu"],
]


@pytest.fixture(scope="module")
def shipped() -> AdminUnitList:
    return load_shipped()


def write_csv(path: Path, rows: list[list[object]], delimiter: str = ",") -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[object]]) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def raises_user_error(path: Path, *needles_vi: str, needles_en: tuple[str, ...] = ()) -> UserError:
    with pytest.raises(UserError) as info:
        parse_unit_list_file(path, today=dt.date(2026, 11, 20))
    for needle in needles_vi:
        assert needle in info.value.message_vi
    for needle in needles_en:
        assert needle in info.value.message_en
    return info.value


# --- shipped list -------------------------------------------------------------------------


def test_shipped_counts(shipped: AdminUnitList) -> None:
    assert shipped.version == "2026-09-20"
    assert "danhmuchanhchinh.nso.gov.vn" in shipped.source
    assert len(shipped.provinces) == 34
    assert len(shipped.communes) == 3321
    assert Counter(p["type"] for p in shipped.provinces) == {
        "tinh": 28,
        "thanh-pho-trung-uong": 6,
    }
    assert Counter(c["type"] for c in shipped.communes) == {
        "xa": 2621,
        "phuong": 687,
        "dac-khu": 13,
    }


def test_shipped_codes_unique_and_well_formed(shipped: AdminUnitList) -> None:
    province_codes = [p["code"] for p in shipped.provinces]
    commune_codes = [c["code"] for c in shipped.communes]
    assert len(set(province_codes)) == 34
    assert len(set(commune_codes)) == 3321
    assert all(len(code) == 2 and code.isdigit() for code in province_codes)
    assert all(len(code) == 5 and code.isdigit() for code in commune_codes)
    assert commune_codes == sorted(commune_codes)
    assert {c["province_code"] for c in shipped.communes} == set(province_codes)


def test_shipped_names_are_clean_nfc_and_match_type(shipped: AdminUnitList) -> None:
    prefixes = {
        "xa": "Xã ",
        "phuong": "Phường ",
        "dac-khu": "Đặc khu ",
        "tinh": "Tỉnh ",
        "thanh-pho-trung-uong": "Thành phố ",
    }
    for unit in shipped.provinces + shipped.communes:
        name = unit["name"]
        assert unicodedata.normalize("NFC", name) == name
        assert name == " ".join(name.split())
        assert name.startswith(prefixes[unit["type"]]), name


def test_shipped_file_is_valid_for_reimport(tmp_path: Path, shipped: AdminUnitList) -> None:
    from importlib import resources

    shipped_file = resources.files("papi_desktop.catalog").joinpath("data/admin_units.json")
    copy = tmp_path / "list.json"
    copy.write_text(shipped_file.read_text(encoding="utf-8"), encoding="utf-8")
    again = parse_unit_list_file(copy)
    assert again == shipped


# --- search -------------------------------------------------------------------------------


def test_demo_commune_exists(shipped: AdminUnitList) -> None:
    by_code = {c["code"]: c for c in shipped.communes}
    khanh_hoa = next(p for p in shipped.provinces if p["name"] == "Tỉnh Khánh Hòa")
    assert by_code["22528"]["name"] == "Phường Ninh Hòa"
    assert by_code["22528"]["province_code"] == khanh_hoa["code"] == "56"


def test_search_ninh_hoa(shipped: AdminUnitList) -> None:
    results = search(shipped, "ninh hoa")
    assert results[0] == {
        "code": "22528",
        "name": "Phường Ninh Hòa",
        "type": "phuong",
        "province_code": "56",
        "province_name": "Tỉnh Khánh Hòa",
    }
    assert all("Ninh Hòa" in r["name"] for r in results)
    assert {"Xã Bắc Ninh Hòa", "Phường Đông Ninh Hòa"} <= {r["name"] for r in results}


def test_search_commune_and_province_together(shipped: AdminUnitList) -> None:
    for text in ("ninh hoa khanh hoa", "Phường Ninh Hòa, Khánh Hòa", "NINH HÒA TỈNH KHÁNH HÒA"):
        results = search(shipped, text)
        assert results, text
        assert results[0]["code"] == "22528"
        assert {r["province_code"] for r in results} == {"56"}


def test_search_ignores_tones_case_and_d(shipped: AdminUnitList) -> None:
    assert search(shipped, "BA DINH") == search(shipped, "ba đình")
    assert search(shipped, "ba dinh")[0]["name"] == "Phường Ba Đình"
    dac_khu = search(shipped, "dac khu", limit=100)
    assert len(dac_khu) == 13
    assert {r["type"] for r in dac_khu} == {"dac-khu"}


def test_search_limit_and_empty(shipped: AdminUnitList) -> None:
    assert len(search(shipped, "xa", limit=7)) == 7
    assert search(shipped, "   ") == []
    assert search(shipped, "ninh hoa", limit=0) == []
    assert search(shipped, "zzzz qqq") == []


def test_search_order_exact_then_word_prefix_then_substring() -> None:
    units = AdminUnitList(
        version="t",
        source="t",
        provinces=[
            {"code": "01", "name": "Tỉnh Hòa Bình", "type": "tinh"},
            {"code": "02", "name": "Tỉnh Khánh Hòa", "type": "tinh"},
        ],
        communes=[
            {"code": "00001", "name": "Xã Nhòa", "type": "xa", "province_code": "01"},
            {"code": "00002", "name": "Xã Thọ Hòa", "type": "xa", "province_code": "01"},
            {"code": "00003", "name": "Xã Tân Lập", "type": "xa", "province_code": "02"},
            {"code": "00004", "name": "Xã Hòa Bình", "type": "xa", "province_code": "01"},
            {"code": "00005", "name": "Xã Hòa", "type": "xa", "province_code": "01"},
        ],
    )
    names = [r["name"] for r in search(units, "hòa")]
    # Xã Tân Lập matches only through "Khánh Hòa"; Xã Nhòa only as a substring.
    assert names[:3] == ["Xã Hòa", "Xã Hòa Bình", "Xã Thọ Hòa"]
    assert names[-1] == "Xã Nhòa"
    assert "Xã Tân Lập" in names
    assert [r["name"] for r in search(units, "tan lap khanh hoa")] == ["Xã Tân Lập"]


# --- importing a newer list ---------------------------------------------------------------


def test_parse_nso_csv(tmp_path: Path) -> None:
    nfd_name = unicodedata.normalize("NFD", "  Xã  Tây Ninh Hòa ")
    rows = [NSO_HEADER, *NSO_ROWS, ["56", "Tỉnh Khánh Hòa", "22552", nfd_name, "Xã"]]
    path = write_csv(tmp_path / "danh_muc.csv", rows)
    # Without --version a table is named for the app's "today", never the file's date.
    stamp = dt.datetime(2020, 1, 2, 12, 0).timestamp()
    os.utime(path, (stamp, stamp))

    units = parse_unit_list_file(path, today=dt.date(2026, 10, 3))

    assert units.version == "2026-10-03"
    assert [p["code"] for p in units.provinces] == ["01", "31", "56"]
    assert units.provinces[0] == {
        "code": "01",
        "name": "Thành phố Hà Nội",
        "type": "thanh-pho-trung-uong",
    }
    assert units.provinces[2]["type"] == "tinh"
    by_code = {c["code"]: c for c in units.communes}
    assert by_code["22552"]["name"] == "Xã Tây Ninh Hòa"
    assert unicodedata.is_normalized("NFC", by_code["22552"]["name"])
    assert by_code["11311"]["type"] == "dac-khu"
    assert by_code["00004"] == {
        "code": "00004",
        "name": "Phường Ba Đình",
        "type": "phuong",
        "province_code": "01",
    }
    assert parse_unit_list_file(path, version="2026-11-01").version == "2026-11-01"


def test_parse_csv_semicolons_title_rows_no_level_column_short_codes(tmp_path: Path) -> None:
    rows = [
        ["DANH MỤC ĐƠN VỊ HÀNH CHÍNH"],
        [],
        ["STT", "Tên xã", "Mã xã", "Mã tỉnh/TP", "Tỉnh / Thành phố"],
        ["1", "Phường Ba Đình", "4", "1", "Thành phố Hà Nội"],
        ["2", "Đặc khu Cô Tô", "7192", "22", "Tỉnh Quảng Ninh"],
    ]
    path = write_csv(tmp_path / "nso.csv", rows, delimiter=";")
    units = parse_unit_list_file(path, version="v1")
    assert units.version == "v1"
    assert units.communes == [
        {"code": "00004", "name": "Phường Ba Đình", "type": "phuong", "province_code": "01"},
        {"code": "07192", "name": "Đặc khu Cô Tô", "type": "dac-khu", "province_code": "22"},
    ]


def test_parse_nso_xlsx(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Danh mục hành chính - Cục Thống kê"], NSO_HEADER]
    rows += [[int(r[0]), r[1], int(r[2]), r[3], r[4]] for r in NSO_ROWS]
    path = write_xlsx(tmp_path / "nso.xlsx", rows)
    units = parse_unit_list_file(path, version="2026-12-01")
    assert units.version == "2026-12-01"
    assert len(units.provinces) == 3
    assert [c["code"] for c in units.communes] == ["00004", "11311", "22528", "22546"]
    assert [c["type"] for c in units.communes] == ["phuong", "dac-khu", "phuong", "xa"]
    assert units.communes[0]["province_code"] == "01"
    assert search(units, "ninh hoa")[0]["name"] == "Phường Ninh Hòa"


def test_parse_own_json(tmp_path: Path) -> None:
    data = {
        "catalog": "admin-units",
        "version": "2027-01-01",
        "source": "test",
        "provinces": [{"code": "56", "name": "Tỉnh Khánh Hòa", "type": "tinh"}],
        "communes": [
            {"code": "22528", "name": "Phường Ninh Hòa", "type": "phuong", "province_code": "56"}
        ],
    }
    path = tmp_path / "new.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    units = parse_unit_list_file(path)
    assert units == AdminUnitList("2027-01-01", "test", data["provinces"], data["communes"])


# --- bad input ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["list.txt", "list.xls", "list"])
def test_wrong_file_type(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text("x", encoding="utf-8")
    raises_user_error(path, ".xlsx", ".csv", needles_en=(".xlsx", "cannot be read"))


def test_missing_file(tmp_path: Path) -> None:
    raises_user_error(tmp_path / "gone.csv", "Không tìm thấy", needles_en=("not found",))


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json"])
def test_zero_byte_file(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"empty{suffix}"
    path.write_bytes(b"")
    raises_user_error(path, "trống", needles_en=("empty",))


def test_header_only_csv_is_empty(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "h.csv", [NSO_HEADER, ["", "", "", "", ""]])
    raises_user_error(path, "trống", needles_en=("empty",))


def test_blank_xlsx_is_empty(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "blank.xlsx", [])
    raises_user_error(path, "trống")


def test_missing_columns_are_named(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "m.csv",
        [["Mã tỉnh/TP", "Tỉnh / Thành Phố", "Ghi chú"], ["01", "Thành phố Hà Nội", "x"]],
    )
    error = raises_user_error(
        path, "thiếu cột", "Mã xã", "Tên xã", '"Ghi chú"', needles_en=("commune code",)
    )
    assert "Mã tỉnh/TP," not in error.message_vi.split("thiếu cột")[1].split(".")[0]


def test_empty_code_gives_row_number(tmp_path: Path) -> None:
    rows = [NSO_HEADER, NSO_ROWS[0], ["56", "Tỉnh Khánh Hòa", "", "Xã Bắc Ninh Hòa", "Xã"]]
    path = write_csv(tmp_path / "e.csv", rows)
    raises_user_error(path, "Dòng 3", "mã xã trống", needles_en=("Row 3", "empty"))


def test_non_numeric_code_gives_row_number(tmp_path: Path) -> None:
    rows: list[list[object]] = [["title"], NSO_HEADER, NSO_ROWS[0], ["5A", *NSO_ROWS[1][1:]]]
    path = write_xlsx(tmp_path / "n.xlsx", rows)
    raises_user_error(path, "Dòng 4", '"5A"', "không phải là số", needles_en=("Row 4",))


def test_code_too_long(tmp_path: Path) -> None:
    rows = [NSO_HEADER, ["01", "Thành phố Hà Nội", "10105001", "Phường Hoàn Kiếm", "Phường"]]
    raises_user_error(write_csv(tmp_path / "l.csv", rows), "Dòng 2", "10105001", "5 chữ số")


def test_duplicate_commune_codes(tmp_path: Path) -> None:
    rows = [NSO_HEADER, *NSO_ROWS, ["56", "Tỉnh Khánh Hòa", "22528", "Xã Khác", "Xã"]]
    path = write_csv(tmp_path / "d.csv", rows)
    raises_user_error(
        path, "22528", "trùng", "dòng 2", "dòng 6", needles_en=("appears twice", "row 6")
    )


def test_conflicting_province_names(tmp_path: Path) -> None:
    rows = [NSO_HEADER, NSO_ROWS[0], ["56", "Tỉnh Phú Yên", "22546", "Xã Bắc Ninh Hòa", "Xã"]]
    raises_user_error(write_csv(tmp_path / "c.csv", rows), "dòng 3", "Tỉnh Phú Yên", "dòng 2")


def test_unknown_commune_type(tmp_path: Path) -> None:
    rows = [NSO_HEADER, ["56", "Tỉnh Khánh Hòa", "22528", "Ninh Hòa", "Thị trấn"]]
    raises_user_error(write_csv(tmp_path / "t.csv", rows), "Dòng 2", "Cấp")


def test_province_name_without_type(tmp_path: Path) -> None:
    rows = [NSO_HEADER, ["56", "Khánh Hòa", "22528", "Phường Ninh Hòa", "Phường"]]
    raises_user_error(write_csv(tmp_path / "p.csv", rows), "Dòng 2", '"Khánh Hòa"', "Tỉnh")


def test_corrupt_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "bad.xlsx"
    path.write_text("not a zip", encoding="utf-8")
    raises_user_error(path, "Excel", ".xlsx", needles_en=("not a valid .xlsx workbook",))


def test_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text("{not json", encoding="utf-8")
    raises_user_error(path, "không phải JSON hợp lệ")


def test_json_of_another_kind(tmp_path: Path) -> None:
    path = tmp_path / "other.json"
    path.write_text(json.dumps({"catalog": "holidays", "items": []}), encoding="utf-8")
    raises_user_error(path, "không phải danh sách đơn vị hành chính", '"catalog"')


def test_json_commune_with_unknown_province(tmp_path: Path) -> None:
    data = {
        "catalog": "admin-units",
        "version": "x",
        "provinces": [{"code": "56", "name": "Tỉnh Khánh Hòa", "type": "tinh"}],
        "communes": [
            {"code": "22528", "name": "Phường Ninh Hòa", "type": "phuong", "province_code": "56"},
            {"code": "00004", "name": "Phường Ba Đình", "type": "phuong", "province_code": "01"},
        ],
    }
    path = tmp_path / "orphan.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    raises_user_error(path, "xã thứ 2", "Phường Ba Đình", "mã tỉnh 01")


def test_json_duplicate_province(tmp_path: Path) -> None:
    province = {"code": "56", "name": "Tỉnh Khánh Hòa", "type": "tinh"}
    data = {
        "catalog": "admin-units",
        "version": "x",
        "provinces": [province, province],
        "communes": [
            {"code": "22528", "name": "Phường Ninh Hòa", "type": "phuong", "province_code": "56"}
        ],
    }
    path = tmp_path / "dup.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    raises_user_error(path, "mã tỉnh 56", "trùng", "tỉnh thứ 1", "tỉnh thứ 2")
