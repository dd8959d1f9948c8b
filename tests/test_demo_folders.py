"""Demo data never mixes with real data (issue 10, section 2): ``demo`` only fills an empty
(or demo) data folder, and packages from a demo folder are refused by real installations."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE, KHANH_HOA


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def test_demo_refuses_a_freshly_set_up_real_unit(cli, data_dir):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    before = dump(data_dir)
    r = cli("demo")
    assert r.code == 2 and r.err.count("\n") == 1
    assert "dữ liệu thật của Phường Ninh Hòa" in r.err and "papi-desktop --demo" in r.err
    assert dump(data_dir) == before
    r = cli("--lang", "en", "demo", "--role", "district")
    assert r.code == 2 and "papi-desktop --demo" in r.err and "real data" in r.err
    assert dump(data_dir) == before


def test_demo_refuses_a_real_office(cli, data_dir):
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA).code == 0  # fmt: skip
    before = dump(data_dir)
    r = cli("demo", "--communes", "3")
    assert r.code == 2 and "Sở Nội vụ tỉnh Khánh Hòa" in r.err
    assert dump(data_dir) == before


def test_demo_in_an_empty_folder_sets_up_a_demo_folder(cli, data_dir, tmp_path):
    r = cli("demo")
    assert r.code == 0 and "Phường Ninh Hòa" in r.out
    assert len(cli("tasks", "list", "--json").json()) > 50
    office = tmp_path / "office"
    r = cli("demo", "--role", "district", "--communes", "2", data=office)
    assert r.code == 0, r.err
    con = sqlite3.connect(office / "papi.sqlite3")
    try:
        assert con.execute("SELECT value FROM setting WHERE key = 'demo_data'").fetchone()[0] == "1"
        assert con.execute("SELECT count(DISTINCT unit_code) FROM task_result").fetchone()[0] == 2
    finally:
        con.close()


def test_a_real_office_refuses_a_demo_package(cli, data_dir, tmp_path):
    demo_dir, usb = tmp_path / "demo", tmp_path / "usb"
    usb.mkdir()
    assert cli("demo", data=demo_dir).code == 0
    r = cli("sync", "export", "--to", str(usb), data=demo_dir)
    assert r.code == 0 and "dữ liệu mẫu" in r.err
    package = r.out.strip().splitlines()[0]
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA).code == 0  # fmt: skip
    before = dump(data_dir)
    r = cli("sync", "import", package, "--trust-new")
    assert r.code == 2 and "TỪ CHỐI" in r.out and "dữ liệu MẪU" in r.out
    assert dump(data_dir) == before
    # A demo office takes the same package: that is how the office demo is built.
    demo_office = tmp_path / "demo-office"
    assert cli("demo", "--role", "district", "--communes", "1", data=demo_office).code == 0
    r = cli("sync", "import", package, "--trust-new", data=demo_office)
    assert r.code == 0, r.err


def test_generate_refuses_a_real_folder_in_the_service(commune_ctx):
    import pytest

    from papi_desktop.errors import UserError
    from papi_desktop.services import demo

    before = list(commune_ctx.db.con.iterdump())
    with pytest.raises(UserError, match="dữ liệu thật"):
        demo.generate(commune_ctx)
    assert list(commune_ctx.db.con.iterdump()) == before


@pytest.mark.parametrize("args", [("--years", "0"), ("--communes", "0"), ("--years", "11")])
def test_bad_demo_sizes_set_nothing_up(cli, data_dir, args):
    r = cli("demo", *args)
    assert r.code == 2 and r.err.count("\n") == 1
    assert not (data_dir / "papi.sqlite3").exists()


def test_demo_twice_adds_nothing(cli, data_dir):
    assert cli("demo").code == 0
    before = dump(data_dir)
    r = cli("demo")
    assert r.code == 2 and "đã có dữ liệu mẫu" in r.err
    assert dump(data_dir) == before


def test_the_commune_demo_shows_par_scoring_in_progress(cli, data_dir):
    # The Chấm điểm page of the demo is not empty: the SAMPLE criteria, half self-scored.
    assert cli("demo").code == 0
    r = cli("assess", "list", "--index", "PAR", "--year", "2026", "--json")
    assert r.code == 0, r.err
    card = r.json()
    items = card["items"]
    scored = [i for i in items if i["self_points"] is not None]
    assert scored and len(scored) < len(items)
    assert card["sample"] and card["self_total"] > 0 and card["state"] != "submitted"


def test_the_office_demo_has_a_ranked_par_season(cli, data_dir):
    assert cli("demo", "--role", "district", "--communes", "3").code == 0
    r = cli("assess", "results", "--index", "PAR", "--year", "2026", "--json")
    assert r.code == 0, r.err
    rows = r.json()
    assert len(rows) == 3 and min(x["rank"] for x in rows) == 1
    assert all(x["appraised_total"] is not None and x["self_total"] > 0 for x in rows)
