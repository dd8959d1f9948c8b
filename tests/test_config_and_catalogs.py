"""Data-folder resolution and loading the shipped catalogues into the database."""

from __future__ import annotations

import json

import pytest

from papi_desktop import config
from papi_desktop.catalog import loaders
from papi_desktop.services import disclosures, setup, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.hlc import CATALOG_VERSION


def test_data_dir_precedence(tmp_path, monkeypatch):
    monkeypatch.setenv(config.ENV_VAR, str(tmp_path / "from-env"))
    assert config.resolve_data_dir(tmp_path / "cli") == (tmp_path / "cli").resolve()
    assert config.resolve_data_dir(None) == (tmp_path / "from-env").resolve()
    monkeypatch.delenv(config.ENV_VAR)
    monkeypatch.setattr(config, "program_dir", lambda: tmp_path / "stick")
    (tmp_path / "stick").mkdir()
    (tmp_path / "stick" / "portable").write_text("")
    assert config.resolve_data_dir(None) == tmp_path / "stick" / "PAPI-data"
    (tmp_path / "stick" / "portable").unlink()
    default = config.resolve_data_dir(None)
    assert "PAPI Desktop" in str(default) and not str(default).startswith(str(tmp_path / "stick"))


def test_first_open_loads_every_catalogue(data_dir):
    with AppContext(data_dir) as ctx:
        db = ctx.db
        assert db.scalar("SELECT count(*) FROM admin_unit WHERE level='province'") == 34
        assert db.scalar("SELECT count(*) FROM admin_unit WHERE level='commune'") == 3321
        assert db.scalar("SELECT count(*) FROM criterion WHERE level='dimension'") == 8
        assert db.scalar("SELECT count(*) FROM criterion WHERE level='subdimension'") == 28
        assert db.scalar("SELECT count(*) FROM task") >= 45
        assert db.scalar("SELECT count(*) FROM disclosure_type") >= 25
        assert db.scalar("SELECT count(*) FROM holiday") > 30
        versions = {r["name"]: r["version"] for r in db.query("SELECT * FROM catalog_version")}
        assert versions["admin-units"] == "2026-09-20"
        assert set(versions) == set(loaders.CATALOG_FILES)
    # reopening loads nothing again
    with AppContext(data_dir) as ctx:
        assert loaders.ensure_catalogs(ctx.db) == []


def test_catalogue_rows_have_the_same_ids_on_every_site(tmp_path):
    a = AppContext(tmp_path / "a")
    b = AppContext(tmp_path / "b")
    ids_a = [r[0] for r in a.db.query("SELECT id FROM task ORDER BY code")]
    ids_b = [r[0] for r in b.db.query("SELECT id FROM task ORDER BY code")]
    assert ids_a == ids_b
    assert a.db.scalar("SELECT DISTINCT version FROM task") == CATALOG_VERSION
    a.close()
    b.close()


def test_newer_shipped_catalogue_keeps_user_edits(commune_ctx, monkeypatch):
    ctx = commune_ctx
    disclosures.update_type(ctx, "HO-NGHEO-RASOAT", {"period_days": 5})
    original = loaders.read_catalog("disclosure-types")
    newer = json.loads(json.dumps(original))
    newer["version"] = "2099.1"
    for t in newer["types"]:
        if t["code"] in ("HO-NGHEO-RASOAT", "NS-QUYETTOAN"):
            t["name_en"] = t["name_en"] + " (revised)"
    monkeypatch.setattr(
        loaders,
        "read_catalog",
        lambda name: newer if name == "disclosure-types" else original_reader(name),
    )
    assert "disclosure-types" in loaders.ensure_catalogs(ctx.db)
    edited = disclosures.get_type(ctx, "HO-NGHEO-RASOAT")
    untouched = disclosures.get_type(ctx, "NS-QUYETTOAN")
    assert edited["period_days"] == 5 and not edited["name_en"].endswith("(revised)")
    assert untouched["name_en"].endswith("(revised)")


original_reader = loaders.read_catalog


def test_edit_of_a_legal_figure_is_audited_and_changes_computed_dates(commune_ctx):
    ctx = commune_ctx
    did = disclosures.add(ctx, "HO-NGHEO-RASOAT", "Rà soát", trigger_date="05/11/2026")
    disclosures.record_posting(ctx, did, "Thôn Phú Hòa", "06/11/2026")
    before = {p["place"]: p for p in disclosures.get_item(ctx, did)["places"]}["Thôn Phú Hòa"][
        "ends_on"
    ]
    disclosures.update_type(ctx, "HO-NGHEO-RASOAT", {"period_days": 5})
    after = {p["place"]: p for p in disclosures.get_item(ctx, did)["places"]}["Thôn Phú Hòa"][
        "ends_on"
    ]
    assert (before, after) == ("2026-11-11", "2026-11-13")
    t = disclosures.get_type(ctx, "HO-NGHEO-RASOAT")
    hist = rows.history(ctx.db, "disclosure_type", t["id"])
    assert hist[-1]["field"] == "period_days" and (hist[-1]["old"], hist[-1]["new"]) == ("3", "5")


def test_holiday_edit_changes_working_day_deadlines(commune_ctx):
    ctx = commune_ctx
    # NS-DUTOAN-TRINH: 5 working days after the HĐND session opens
    did = disclosures.add(
        ctx, "NS-DUTOAN-TRINH", "Dự toán 2027 trình HĐND", trigger_date="18/11/2026"
    )
    assert disclosures.get_item(ctx, did)["post_deadline"] == "2026-11-26"  # 24/11 is a holiday
    h = ctx.db.one("SELECT id FROM holiday WHERE day = '2026-11-24'")
    with ctx.db.transaction():
        rows.tombstone(ctx.db, "holiday", h["id"])
    ctx.invalidate_calendar()
    assert disclosures.get_item(ctx, did)["post_deadline"] == "2026-11-25"


def test_wrong_role_and_unknown_unit(tmp_path):
    with AppContext(tmp_path / "d") as ctx:
        setup.init_site(ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa", province_code="56")
        from papi_desktop.errors import UserError

        with pytest.raises(UserError, match="chỉ làm trên máy của xã"):
            disclosures.add(ctx, "HO-NGHEO-RASOAT", "x")
        assert tasks.list_results(ctx, year=2026) == []  # no commune data received yet
