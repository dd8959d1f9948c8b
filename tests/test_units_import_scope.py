"""``units import`` cannot wipe the national unit list (issue 10, imports that replace data).

A partial file, a list without the units this PC uses, an old version again, or names that
look like formulas are refused with one line and the database dump unchanged; ``--dry-run``
shows what would change; the default version comes from the app's one clock.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from papi_desktop.catalog.admin_units import load_shipped
from tests.conftest import DEMO_COMMUNE, KHANH_HOA
from tests.test_cli_core import dump

CSV_HEAD = ["Mã tỉnh", "Tỉnh / Thành phố", "Mã xã", "Tên xã", "Cấp"]


def unit_list_json(path: Path, version: str, drop=(), rename=None, add=()) -> Path:
    shipped = load_shipped()
    rename = rename or {}
    communes = [
        {**c, "name": rename.get(c["code"], c["name"])}
        for c in shipped.communes
        if c["code"] not in drop
    ]
    data = {
        "catalog": "admin-units",
        "version": version,
        "source": "test",
        "provinces": shipped.provinces,
        "communes": communes + list(add),
    }
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def unit_list_csv(path: Path, rows: list[list[str]] | None = None) -> Path:
    """The shipped list as an NSO-style CSV, or ``rows`` under the NSO header."""
    if rows is None:
        shipped = load_shipped()
        names = {p["code"]: p["name"] for p in shipped.provinces}
        rows = [
            [c["province_code"], names[c["province_code"]], c["code"], c["name"], ""]
            for c in shipped.communes
        ]
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([CSV_HEAD, *rows])
    return path


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


def finds(run, text: str) -> list[str]:
    r = run("units", "search", text, "--json")
    assert r.code == 0, r.err
    return [u["code"] for u in r.json()]


def test_a_one_row_list_is_refused_naming_the_units_this_pc_uses(commune, data_dir, tmp_path):
    one = unit_list_csv(tmp_path / "mot-dong.csv", [["01", "Thành phố Hà Nội", "4", "Phường Ba Đình", "Phường"]])  # fmt: skip
    msg = refused(commune, data_dir, "units", "import", str(one), "--version", "2027-01-01",
                  needle="Phường Ninh Hòa (22528)")  # fmt: skip
    assert "Tỉnh Khánh Hòa (56)" in msg
    # even --replace-all and --force do not drop a unit in use
    refused(commune, data_dir, "units", "import", str(one), "--version", "2027-01-01",
            "--replace-all", "--force", needle="máy này đang dùng")  # fmt: skip
    assert DEMO_COMMUNE in finds(commune, "Ninh")
    en = refused(commune, data_dir, "--lang", "en", "units", "import", str(one), "--version",
                 "2027-01-01", needle="lacks 2 units this PC uses")  # fmt: skip
    assert "Nothing was changed" in en


def test_the_office_keeps_its_province(cli, tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA, data=office).code == 0  # fmt: skip
    one = unit_list_csv(tmp_path / "mot-dong.csv", [["01", "Thành phố Hà Nội", "4", "Phường Ba Đình", "Phường"]])  # fmt: skip
    refused(lambda *a: cli(*a, data=office), office, "units", "import", str(one), "--version",
            "2027-01-01", needle="Tỉnh Khánh Hòa (56)")  # fmt: skip


def test_a_much_smaller_list_needs_replace_all(commune, data_dir, tmp_path):
    hanoi = {c["code"] for c in load_shipped().communes if c["province_code"] == "01"}
    assert len(hanoi) > 0.03 * len(load_shipped().communes)
    partial = unit_list_json(tmp_path / "thieu-ha-noi.json", "2027-01-01", drop=hanoi)
    refused(commune, data_dir, "units", "import", str(partial),
            needle=f"sẽ bỏ {len(hanoi)} trong {len(load_shipped().communes)} xã/phường")  # fmt: skip
    refused(commune, data_dir, "units", "import", str(partial), needle="--replace-all")

    before = dump(data_dir)
    r = commune("units", "import", str(partial), "--dry-run")
    assert r.code == 0, r.err
    assert f"thêm 0, đổi tên 0, bỏ {len(hanoi)} xã/phường" in r.out
    assert "Sẽ bị từ chối" in r.out and "--replace-all" in r.out
    assert dump(data_dir) == before

    r = commune("units", "import", str(partial), "--replace-all")
    assert r.code == 0, r.err
    assert f"bỏ {len(hanoi)} xã/phường" in r.out
    assert "00004" not in finds(commune, "Ba Đình")
    assert DEMO_COMMUNE in finds(commune, "Ninh")


def test_dry_run_counts_and_versions_must_be_newer(commune, data_dir, tmp_path):
    extra = {"code": "99990", "name": "Xã Mới Lập", "type": "xa", "province_code": KHANH_HOA}
    newer = unit_list_json(tmp_path / "moi.json", "2027-01-01", drop={"00004"},
                           rename={"22546": "Xã Bắc Ninh Hòa Mới"}, add=[extra])  # fmt: skip
    before = dump(data_dir)
    r = commune("units", "import", str(newer), "--dry-run", "--json")
    assert r.code == 0, r.err
    got = r.json()
    assert (got["added"], got["renamed"], got["removed"], got["refusals"]) == (1, 1, 1, [])
    r = commune("units", "import", str(newer), "--dry-run")
    assert "thêm 1, đổi tên 1, bỏ 1 xã/phường" in r.out and "Sẽ bị từ chối" not in r.out
    assert dump(data_dir) == before

    r = commune("units", "import", str(newer))
    assert r.code == 0, r.err
    assert "phiên bản 2027-01-01" in r.out
    assert "99990" in finds(commune, "Mới Lập") and "00004" not in finds(commune, "Ba Đình")

    refused(commune, data_dir, "units", "import", str(newer),
            needle="Phiên bản 2027-01-01 không mới hơn phiên bản đang dùng (2027-01-01)")  # fmt: skip
    older = unit_list_json(tmp_path / "cu.json", "2026-12-01")
    refused(commune, data_dir, "units", "import", str(older), needle="--force")
    r = commune("units", "import", str(older), "--force")
    assert r.code == 0, r.err
    assert "00004" in finds(commune, "Ba Đình") and "99990" not in finds(commune, "Mới Lập")


def test_the_default_version_comes_from_the_app_clock(commune, data_dir, tmp_path, monkeypatch):
    full = unit_list_csv(tmp_path / "danh-muc.csv")
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2027-02-03")
    r = commune("units", "import", str(full), "--dry-run", "--json")
    assert r.code == 0, r.err
    assert r.json()["version"] == "2027-02-03"
    assert (r.json()["added"], r.json()["removed"], r.json()["refusals"]) == (0, 0, [])


def test_formula_looking_names_and_control_characters_are_refused_with_the_row(
    commune, data_dir, tmp_path
):
    base = [["56", "Tỉnh Khánh Hòa", "22528", "Phường Ninh Hòa", "Phường"]]
    formula = unit_list_csv(tmp_path / "cong-thuc.csv", [
        *base, ["56", "Tỉnh Khánh Hòa", "22546", '=HYPERLINK("http://x","Xã A")', "Xã"]])  # fmt: skip
    refused(commune, data_dir, "units", "import", str(formula), "--version", "2027-01-01",
            needle="Dòng 3: tên xã “=HYPERLINK")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "units", "import", str(formula), "--version",
            "2027-01-01", needle="Row 3: the commune name “=HYPERLINK")  # fmt: skip
    province = unit_list_csv(tmp_path / "tinh.csv", [["56", "@Tỉnh Khánh Hòa", "22528", "Phường Ninh Hòa", "Phường"]])  # fmt: skip
    refused(commune, data_dir, "units", "import", str(province), "--version", "2027-01-01",
            needle="Dòng 2: tên tỉnh “@Tỉnh")  # fmt: skip
    control = unit_list_csv(tmp_path / "dieu-khien.csv", [
        *base, ["56", "Tỉnh Khánh Hòa", "22546", "Xã Bắc\x07 Ninh Hòa", "Xã"]])  # fmt: skip
    refused(commune, data_dir, "units", "import", str(control), "--version", "2027-01-01",
            needle="Dòng 3: tên xã có ký tự điều khiển")  # fmt: skip


def test_the_office_keeps_the_names_of_its_communes(cli, tmp_path):
    """The tester's case: after a partial list the office's ``communes list`` showed codes."""
    from datetime import date

    from papi_desktop.services import district_demo, setup
    from papi_desktop.services.context import AppContext

    day = date(2026, 11, 20)
    commune_ctx = AppContext(tmp_path / "c", auto_backup=False, today=day)
    setup.init_site(commune_ctx, "commune", unit_code=DEMO_COMMUNE, user="Lê Thị Hoa")
    office_ctx = district_demo.init_office(tmp_path / "o", today=day)
    try:
        district_demo.exchange(commune_ctx, office_ctx, tmp_path / "usb")
    finally:
        commune_ctx.close()
        office_ctx.close()
    office = tmp_path / "o"

    def run(*args: str):
        return cli(*args, data=office)

    assert "Phường Ninh Hòa" in run("communes", "list").out
    # Every province kept, only the office's enrolled commune missing: still refused.
    without = unit_list_json(tmp_path / "thieu.json", "2027-01-01", drop={DEMO_COMMUNE})
    refused(run, office, "units", "import", str(without), needle="Phường Ninh Hòa (22528)")
    r = run("units", "import", str(without), "--dry-run")
    assert r.code == 0 and "bỏ 1 xã/phường" in r.out and "Phường Ninh Hòa (22528)" in r.out
    assert "Phường Ninh Hòa" in run("communes", "list").out
