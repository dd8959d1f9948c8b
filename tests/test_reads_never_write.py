"""Reading never writes (issue 10, section 3): lists, plans and reports compute what they
show; the plan is stored only when something is recorded; commands before ``init`` say the
PC is not set up and create no database."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def count(data_dir, sql: str) -> int:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ("disclosures", "plan", "--year", "2032"),
        ("disclosures", "plan", "--year", "2030", "--json"),
        ("disclosures", "plan", "--year", "2026"),
        ("disclosures", "list", "--json"),
        ("tasks", "list", "--year", "2031", "--json"),
        ("places", "list"),
        ("settings", "show"),
        ("check", "--json"),
    ],
)
def test_reading_commands_store_nothing(commune, data_dir, args):
    before = dump(data_dir)
    r = commune(*args)
    assert r.code == 0, r.err
    assert dump(data_dir) == before


@pytest.mark.parametrize("suffix", ["xlsx", "pdf"])
def test_progress_report_of_a_future_year_stores_nothing(commune, data_dir, tmp_path, suffix):
    before = dump(data_dir)
    out = tmp_path / f"progress.{suffix}"
    r = commune("report", "progress", "--year", "2030", "-o", str(out))
    assert r.code == 0, r.err
    assert out.stat().st_size > 0
    assert dump(data_dir) == before


def test_computed_plan_matches_and_recording_stores_it(commune, data_dir):
    """A year never opened shows the same states as a stored one; recording a disclosure
    in that year is what stores its plan."""
    assert count(data_dir, "SELECT count(*) FROM plan_item WHERE year = 2027") == 0
    shown = commune("disclosures", "plan", "--year", "2027", "--json").json()
    assert shown and {p["state"] for p in shown} == {"upcoming"}
    assert all(p["id"].startswith("expected|") for p in shown)
    assert count(data_dir, "SELECT count(*) FROM plan_item WHERE year = 2027") == 0
    # A 2026 disclosure of a planned type: the stored 2026 plan and a fresh computation of
    # 2026 agree on what it fulfils.
    r = commune(
        "disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "Thực hiện ngân sách quý III",
        "--trigger-date", "15/10/2026",
    )  # fmt: skip
    assert r.code == 0, r.err
    stored = commune("disclosures", "plan", "--year", "2026", "--json").json()
    done = {(p["type"], p["period"]) for p in stored if p["state"] == "done"}
    assert ("NS-THUCHIEN-QUY", "Q3") in done
    # Recording a disclosure of 2025 (a year never stored) stores that year's plan, matched.
    assert count(data_dir, "SELECT count(*) FROM plan_item WHERE year = 2025") == 0
    r = commune(
        "disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "Quý III năm 2025",
        "--trigger-date", "15/10/2025",
    )  # fmt: skip
    assert r.code == 0, r.err
    assert count(data_dir, "SELECT count(*) FROM plan_item WHERE year = 2025") > 0
    assert (
        count(
            data_dir,
            "SELECT count(*) FROM plan_item WHERE year = 2025 AND type_code = 'NS-THUCHIEN-QUY' "
            "AND period_code = 'Q3' AND disclosure_id IS NOT NULL",
        )
        == 1
    )


def test_computed_plan_equals_the_stored_one(commune_ctx):
    from papi_desktop.services import disclosures

    disclosures.add(commune_ctx, "NS-THUCHIEN-QUY", "Quý III", trigger_date="15/10/2026")
    stored = disclosures.list_plan(commune_ctx, 2026)
    with commune_ctx.db.transaction():
        commune_ctx.db.con.execute("DELETE FROM plan_item WHERE year = 2026")
    computed = disclosures.list_plan(commune_ctx, 2026)
    strip = [{k: v for k, v in p.items() if k != "id"} for p in stored]
    assert strip == [{k: v for k, v in p.items() if k != "id"} for p in computed]


@pytest.mark.parametrize(
    "args",
    [
        ("tasks", "list"),
        ("disclosures", "plan", "--year", "2032"),
        ("disclosures", "list"),
        ("report", "progress", "--year", "2030", "-o", "x.xlsx"),
        ("check",),
        ("backup",),
        ("places", "list"),
        ("sync", "peers"),
    ],
)
def test_before_init_nothing_is_created(cli, tmp_path, args):
    fresh = tmp_path / "never-set-up"
    r = cli(*args, data=fresh)
    assert r.code == 2 and "chưa được thiết lập" in r.err and r.err.count("\n") == 1
    assert not (fresh / "papi.sqlite3").exists()
    assert not fresh.exists() or not any(fresh.rglob("*"))


def test_before_init_in_english(cli, tmp_path):
    r = cli("--lang", "en", "tasks", "list", data=tmp_path / "x")
    assert r.code == 2 and "not set up" in r.err
    assert not (tmp_path / "x").exists()
