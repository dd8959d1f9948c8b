"""A refused ``init`` leaves the data folder as it was (issue 10): no database, no
attachments/ or backups/ folders, nothing at all when the folder did not exist; files that
were there before are untouched, and a later correct ``init`` works."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO_COMMUNE

REFUSED = {
    "unknown_code": ("--role", "commune", "--unit-code", "22531"),
    "empty_office_name": ("--role", "district", "--unit-name", ""),
    "impossible_date": (
        "--role", "commune", "--unit-code", DEMO_COMMUNE, "--tracking-from", "31/02/2026",
    ),
    "future_date": (
        "--role", "commune", "--unit-code", DEMO_COMMUNE, "--tracking-from", "31/12/2026",
    ),
}  # fmt: skip


def contents(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in folder.rglob("*")
    }


def dump(path: Path) -> str:
    con = sqlite3.connect(path)
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_init_creates_no_folder(cli, tmp_path, case):
    folder = tmp_path / "new" / "PAPI-data"  # neither it nor its parent exists
    r = cli("init", *REFUSED[case], data=folder)
    assert r.code == 2 and r.err.startswith("Lỗi: ") and "Traceback" not in r.err
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_refused_init_leaves_an_empty_folder_empty(cli, data_dir, case):
    r = cli("init", *REFUSED[case])
    assert r.code == 2
    assert list(data_dir.iterdir()) == []
    ok = cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE)
    assert ok.code == 0 and (data_dir / "papi.sqlite3").is_file()


def test_a_refused_init_keeps_what_was_there(cli, data_dir):
    (data_dir / "ghi-chu.txt").write_text("của người dùng")
    (data_dir / "backups").mkdir()
    (data_dir / "backups" / "cu.sqlite3").write_bytes(b"old copy")
    before = contents(data_dir)
    assert cli("init", *REFUSED["unknown_code"]).code == 2
    assert contents(data_dir) == before


def test_a_refused_init_after_units_search_leaves_that_database_unchanged(cli, data_dir):
    assert cli("units", "search", "Ninh Hòa").code == 0  # may create the database
    db = data_dir / "papi.sqlite3"
    before_names = {p.name for p in data_dir.iterdir()}
    before = dump(db)
    assert cli("init", *REFUSED["empty_office_name"]).code == 2
    assert dump(db) == before
    assert {p.name for p in data_dir.iterdir()} <= before_names | {
        "papi.sqlite3-wal",
        "papi.sqlite3-shm",
    }
