"""The SQLite store: pragmas, migrations from every earlier version, transactions,
versions, audit log and tombstones."""

from __future__ import annotations

import sqlite3

import pytest

from papi_desktop.errors import StorageError
from papi_desktop.store import rows, schema
from papi_desktop.store.db import Database, migrate, schema_version
from papi_desktop.store.hlc import CATALOG_VERSION, HybridClock, parse_version


def test_pragmas(tmp_path):
    db = Database(tmp_path / "a.sqlite3")
    assert db.scalar("PRAGMA journal_mode") == "wal"
    assert db.scalar("PRAGMA foreign_keys") == 1
    assert db.scalar("PRAGMA synchronous") == 2  # FULL
    assert schema_version(db.con) == schema.LATEST_VERSION


def test_empty_database_upgrades_to_latest(tmp_path):
    con = sqlite3.connect(tmp_path / "empty.sqlite3", isolation_level=None)
    assert schema_version(con) == 0
    assert migrate(con) == schema.LATEST_VERSION
    names = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert set(schema.SYNCED_TABLES) <= names


@pytest.mark.parametrize("start", range(1, schema.LATEST_VERSION))
def test_every_earlier_schema_upgrades_keeping_data(tmp_path, start):
    path = tmp_path / f"v{start}.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    migrate(con, target=start)
    con.execute(
        "INSERT INTO site(id, role, unit_name, created_at) VALUES ('s1', 'commune', 'Xã A', 'x')"
    )
    con.close()
    db = Database(path)
    assert schema_version(db.con) == schema.LATEST_VERSION
    assert db.site()["unit_name"] == "Xã A"
    assert db.scalar("PRAGMA integrity_check") == "ok"


def test_newer_schema_is_refused_with_a_message(tmp_path):
    path = tmp_path / "future.sqlite3"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA user_version = {schema.LATEST_VERSION + 5}")
    con.close()
    with pytest.raises(StorageError) as err:
        Database(path)
    assert "phiên bản PAPI Desktop mới hơn" in err.value.message_vi


def test_corrupt_file_gives_storage_error(tmp_path):
    path = tmp_path / "bad.sqlite3"
    path.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StorageError) as err:
        Database(path)
    assert "bị hỏng" in err.value.message_vi


def _site_db(tmp_path) -> Database:
    db = Database(tmp_path / "s.sqlite3")
    db.con.execute(
        "INSERT INTO site(id, role, unit_code, unit_name, created_at, user_name) "
        "VALUES ('site-a', 'commune', '22528', 'Phường Ninh Hòa', 'now', 'Nguyễn Văn An')"
    )
    db.reload_site()
    return db


def test_insert_update_bump_versions_and_write_audit(tmp_path):
    db = _site_db(tmp_path)
    with db.transaction():
        rid = rows.insert(
            db,
            "place",
            {"unit_code": "22528", "name": "Thôn 1", "kind": "village", "search_key": "thon 1"},
        )
    v1 = db.scalar("SELECT version FROM place WHERE id = ?", (rid,))
    with db.transaction():
        changed = rows.update(db, "place", rid, {"name": "Thôn Một", "kind": "village"})
    assert changed == ["name"]
    v2 = db.scalar("SELECT version FROM place WHERE id = ?", (rid,))
    assert v2 > v1 and parse_version(v2)[2] == "site-a"
    hist = rows.history(db, "place", rid)
    assert [h["field"] for h in hist] == ["(tạo mới)", "name"]
    assert hist[1]["old"] == "Thôn 1" and hist[1]["new"] == "Thôn Một"
    assert hist[1]["user"] == "Nguyễn Văn An"
    # the clock survives a reopen
    db.close()
    db2 = Database(tmp_path / "s.sqlite3")
    assert db2.next_version() > v2


def test_transaction_rolls_back_everything(tmp_path):
    db = _site_db(tmp_path)
    before = db.scalar("SELECT count(*) FROM audit")
    with pytest.raises(RuntimeError), db.transaction():
        rows.insert(
            db, "place", {"unit_code": "22528", "name": "X", "kind": "village", "search_key": "x"}
        )
        raise RuntimeError("boom")
    assert db.scalar("SELECT count(*) FROM place") == 0
    assert db.scalar("SELECT count(*) FROM audit") == before


def test_tombstone_and_restore_are_audited_never_deleted(tmp_path):
    db = _site_db(tmp_path)
    with db.transaction():
        rid = rows.insert(
            db, "place", {"unit_code": "22528", "name": "T", "kind": "village", "search_key": "t"}
        )
        assert rows.tombstone(db, "place", rid)
        assert not rows.tombstone(db, "place", rid)
        assert rows.restore(db, "place", rid)
    assert db.scalar("SELECT deleted FROM place WHERE id = ?", (rid,)) == 0
    fields = [h["field"] for h in rows.history(db, "place", rid)]
    assert fields.count("deleted") == 2


def test_audit_log_is_append_only(tmp_path):
    db = _site_db(tmp_path)
    with db.transaction():
        rows.insert(
            db, "place", {"unit_code": "22528", "name": "T", "kind": "village", "search_key": "t"}
        )
    with pytest.raises(sqlite3.DatabaseError), db.transaction():
        db.con.execute("DELETE FROM audit")
    with pytest.raises(sqlite3.DatabaseError), db.transaction():
        db.con.execute("UPDATE audit SET new = 'x'")


def test_non_synced_table_is_rejected(tmp_path):
    db = _site_db(tmp_path)
    with pytest.raises(ValueError):
        rows.insert(db, "site", {"role": "commune"})


def test_hlc_never_goes_backwards():
    now = [1_000_000]
    clock = HybridClock("s", now_ms=lambda: now[0])
    a = clock.tick()
    now[0] = 500  # the PC clock jumped back
    b = clock.tick()
    assert b > a
    clock.observe("0000002000000-0007-other")
    c = clock.tick()
    assert c > "0000002000000-0007-other"
    assert a > CATALOG_VERSION
    assert clock.is_far_ahead("9999999999999-0000-x")
