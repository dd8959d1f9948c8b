"""Reading never writes (issue 10, section 3): lists, plans and reports compute what they
show (the plan itself is computed, services/plan.py); commands before ``init`` say the PC is
not set up and create no database."""

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
