"""Restore refuses another unit's or role's database; safety copies never overwrite
each other (issue 10, section 1). Every refusal leaves the database dump unchanged."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from tests.conftest import DEMO_COMMUNE, KHANH_HOA, OTHER_COMMUNE


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def files(folder) -> set[str]:
    return {p.name for p in folder.rglob("*") if p.is_file()}


def _backup_of(cli, folder, tmp_path, *init_args: str) -> str:
    assert cli("init", *init_args, data=folder).code == 0
    target = tmp_path / f"{folder.name}.sqlite3"
    assert cli("backup", "--to", str(target), data=folder).code == 0
    return str(target)


def test_restore_refuses_another_commune(cli, data_dir, tmp_path):
    other = _backup_of(
        cli, tmp_path / "other", tmp_path, "--role", "commune", "--unit-code", OTHER_COMMUNE
    )
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    cli("places", "add", "Thôn Phú Hòa")
    before, before_files = dump(data_dir), files(data_dir)
    r = cli("restore", other)
    assert r.code == 2
    assert "Xã Bắc Ninh Hòa" in r.err and "Phường Ninh Hòa" in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert dump(data_dir) == before and files(data_dir) == before_files


def test_restore_refuses_the_office_database_on_a_commune_pc(cli, data_dir, tmp_path):
    office = _backup_of(
        cli, tmp_path / "office", tmp_path, "--role", "district",
        "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa", "--province-code", KHANH_HOA,
    )  # fmt: skip
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    before = dump(data_dir)
    r = cli("--lang", "en", "restore", office)
    assert r.code == 2
    assert "Sở Nội vụ tỉnh Khánh Hòa (supervising office)" in r.err
    assert "Phường Ninh Hòa (commune)" in r.err
    assert dump(data_dir) == before
    assert cli("tasks", "list", "--json").code == 0  # still the commune


def test_restore_refuses_another_unit_when_the_database_is_gone(cli, data_dir, tmp_path):
    """The folder's own backups still say whose folder it is."""
    other = _backup_of(
        cli, tmp_path / "other", tmp_path, "--role", "commune", "--unit-code", OTHER_COMMUNE
    )
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    assert cli("backup").code == 0
    (data_dir / "papi.sqlite3").write_bytes(b"garbage" * 1000)
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    r = cli("restore", other)
    assert r.code == 2 and "Xã Bắc Ninh Hòa" in r.err and "Phường Ninh Hòa" in r.err
    assert (data_dir / "papi.sqlite3").read_bytes() == b"garbage" * 1000


def test_own_backup_restores_on_a_replaced_pc(cli, data_dir, tmp_path):
    _backup_of(cli, tmp_path / "old-pc", tmp_path, "--role", "commune", "--unit-code", DEMO_COMMUNE)
    cli("places", "add", "Thôn Mỹ Lợi", data=tmp_path / "old-pc")
    own = str(tmp_path / "own.sqlite3")
    assert cli("backup", "--to", own, data=tmp_path / "old-pc").code == 0
    fresh = tmp_path / "new-pc"  # never opened: no folder at all
    r = cli("restore", own, data=fresh)
    assert r.code == 0, r.err
    assert "Thôn Mỹ Lợi" in cli("places", "list", data=fresh).out
    # Set up again by mistake on the new PC first: its own unit's backup still restores.
    again = tmp_path / "new-pc-2"
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, data=again).code == 0
    assert cli("restore", own, data=again).code == 0
    assert "Thôn Mỹ Lợi" in cli("places", "list", data=again).out


def test_restore_refuses_an_empty_backup_over_a_set_up_pc(cli, data_dir, tmp_path):
    empty = tmp_path / "empty"
    assert cli("units", "search", "ninh", data=empty).code == 0
    target = tmp_path / "empty.sqlite3"
    con = sqlite3.connect(empty / "papi.sqlite3")
    con.execute(f"VACUUM INTO '{target}'")
    con.close()
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    before = dump(data_dir)
    r = cli("restore", str(target))
    assert r.code == 2 and "Phường Ninh Hòa" in r.err
    assert dump(data_dir) == before


def test_safety_copies_in_the_same_second_never_overwrite(cli, data_dir, tmp_path):
    from papi_desktop.store.backup import restore_file

    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    target = tmp_path / "b.sqlite3"
    assert cli("backup", "--to", str(target)).code == 0
    cli("places", "add", "Thôn Một")
    db, backups = data_dir / "papi.sqlite3", data_dir / "backups"
    same = datetime(2026, 11, 20, 9, 30, 0)
    first = restore_file(db, target, backups, now=same)
    cli("places", "add", "Thôn Hai")
    second = restore_file(db, target, backups, now=same)
    assert first != second and first.exists() and second.exists()
    names = {p["name"] for p in _places(first)}
    assert "Thôn Một" in names
    assert "Thôn Hai" in {p["name"] for p in _places(second)}
    # And through the command line, twice in a row (the pinned clock gives one second).
    r1, r2 = cli("restore", str(target)), cli("restore", str(target))
    assert r1.code == r2.code == 0
    kept = sorted(backups.glob("*before-restore*"))
    assert len(kept) == 4 and len({p.name for p in kept}) == 4


def _places(path) -> list[dict]:
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT name FROM place WHERE deleted = 0")]
    finally:
        con.close()


def test_restore_refuses_demo_data_over_real_data_and_back(cli, data_dir, tmp_path):
    demo_dir = tmp_path / "demo"
    assert cli("demo", data=demo_dir).code == 0  # Phường Ninh Hòa, demo
    demo_backup = str(tmp_path / "demo.sqlite3")
    assert cli("backup", "--to", demo_backup, data=demo_dir).code == 0
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0  # same unit
    real_backup = str(tmp_path / "real.sqlite3")
    assert cli("backup", "--to", real_backup).code == 0
    before = dump(data_dir)
    r = cli("restore", demo_backup)
    assert r.code == 2 and "dữ liệu MẪU" in r.err and "Phường Ninh Hòa" in r.err
    assert dump(data_dir) == before
    demo_before = dump(demo_dir)
    r = cli("--lang", "en", "restore", real_backup, data=demo_dir)
    assert r.code == 2 and "real data" in r.err and "demo data" in r.err
    assert dump(demo_dir) == demo_before
