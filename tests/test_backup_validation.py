"""A damaged or hostile backup is never restored nor recommended, and ``check`` reports an
unexpected schema in the live database (issue 10, sections 1 and 4).

One validation (``store.backup.validate_backup_file``): integrity, a version not newer than
the program's, migrations that succeed on a copy, and then exactly the tables, indexes,
triggers and views the migrations build. Every refusal leaves the database dump and the
folder's files unchanged."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import DEMO_COMMUNE

HOSTILE = {
    "dropped_table": "DROP TABLE task_result",
    "old_version": "PRAGMA user_version = 1",
    "planted_trigger": ("CREATE TRIGGER t AFTER INSERT ON task_result BEGIN DELETE FROM task; END"),
    "planted_view": "CREATE VIEW v AS SELECT * FROM task",
    "changed_trigger": (
        "DROP TRIGGER audit_no_delete; CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit "
        "BEGIN SELECT 1; END"
    ),
}
WORDS = {
    "dropped_table": "thiếu bảng task_result",
    "old_version": "không khớp với số phiên bản",
    "planted_trigger": "thừa trigger t",
    "planted_view": "thừa view v",
    "changed_trigger": "trigger audit_no_delete",
}
ENGLISH_LEAKS = ("already exists", "no such", "malformed", "database disk image", "file is not")


def dump(data_dir: Path) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _run_sql(path: Path, sql: str) -> None:
    con = sqlite3.connect(path)
    try:
        con.executescript(sql)
    finally:
        con.close()


@pytest.fixture
def commune(cli, data_dir):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    assert cli("places", "add", "Thôn Phú Hòa").code == 0
    assert cli("backup").code == 0
    assert cli("check").code == 0  # checkpoint: the whole database is in the main file
    return cli


def _hostile_copy(cli, tmp_path: Path, case: str) -> Path:
    target = tmp_path / f"{case}.sqlite3"
    assert cli("backup", "--to", str(target)).code == 0
    _run_sql(target, HOSTILE[case])
    return target


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_restore_refuses_a_damaged_or_hostile_backup(commune, data_dir, tmp_path, case):
    bad = _hostile_copy(commune, tmp_path, case)
    before, before_files = dump(data_dir), files(data_dir)
    r = commune("restore", str(bad))
    assert r.code == 2, r.err
    assert bad.name in r.err and WORDS[case] in r.err
    assert r.err.count("\n") == 1 and "Traceback" not in r.err
    assert not any(w in r.err for w in ENGLISH_LEAKS)
    assert dump(data_dir) == before and files(data_dir) == before_files
    assert commune("tasks", "list", "--json").code == 0
    assert commune("check").code == 0


def test_a_malformed_backup_is_refused_in_plain_words(commune, data_dir, tmp_path):
    bad = tmp_path / "overwritten.sqlite3"
    assert commune("backup", "--to", str(bad)).code == 0
    raw = bytearray(bad.read_bytes())
    raw[len(raw) // 2 : len(raw) // 2 + 4096] = bytes(range(256)) * 16
    bad.write_bytes(bytes(raw))
    before = dump(data_dir)
    for lang, word in (("vi", "bị hỏng"), ("en", "damaged")):
        r = commune("--lang", lang, "restore", str(bad))
        assert r.code == 2 and bad.name in r.err and word in r.err
        assert r.err.count("\n") == 1 and not any(w in r.err for w in ENGLISH_LEAKS)
    assert dump(data_dir) == before


def test_refusal_in_english(commune, data_dir, tmp_path):
    bad = _hostile_copy(commune, tmp_path, "planted_trigger")
    before = dump(data_dir)
    r = commune("--lang", "en", "restore", str(bad))
    assert r.code == 2 and "extra trigger t" in r.err and bad.name in r.err
    assert "ệ" not in r.err and dump(data_dir) == before


def _plant_in_backups(commune, data_dir: Path, tmp_path: Path, case: str) -> tuple[Path, Path]:
    """A hostile copy in the backups folder, newer than the good one; returns (good, bad)."""
    backups = data_dir / "backups"
    good = sorted(backups.glob("papi-*.sqlite3"), key=os.path.getmtime)[-1]
    bad = backups / "papi-2026-11-21-auto.sqlite3"
    _hostile_copy(commune, tmp_path, case).replace(bad)
    stamp = good.stat().st_mtime + 60
    os.utime(bad, (stamp, stamp))
    return good, bad


@pytest.mark.parametrize("case", ["dropped_table", "old_version", "planted_trigger"])
def test_check_never_recommends_a_hostile_backup(commune, data_dir, tmp_path, case):
    good, bad = _plant_in_backups(commune, data_dir, tmp_path, case)
    _run_sql(data_dir / "papi.sqlite3", HOSTILE["planted_trigger"])
    before = dump(data_dir)
    r = commune("check", "--json")
    assert r.code == 1
    report = r.json()
    assert report["ok"] is False and report["database_ok"] is False
    assert report["schema_problems"] == {"extra": ["trigger t"]}
    assert report["newest_good_backup"] == str(good) and bad.name not in r.out
    assert dump(data_dir) == before


def test_a_lost_database_names_a_good_backup_not_a_hostile_one(commune, data_dir, tmp_path):
    good, bad = _plant_in_backups(commune, data_dir, tmp_path, "planted_trigger")
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    (data_dir / "papi.sqlite3").write_bytes(b"")
    r = commune("tasks", "list")
    assert r.code == 1 and f'restore "{good}"' in r.err and bad.name not in r.err


@pytest.mark.parametrize(
    ("sql", "vi", "en"),
    [
        (HOSTILE["planted_trigger"], "thừa trigger t", "extra trigger t"),
        (HOSTILE["planted_view"], "thừa view v", "extra view v"),
        ("DROP TABLE task_result", "thiếu bảng task_result", "missing table task_result"),
    ],
)
def test_check_reports_an_unexpected_schema_in_the_live_database(commune, data_dir, sql, vi, en):
    _run_sql(data_dir / "papi.sqlite3", sql)
    before = dump(data_dir)
    r = commune("check")
    assert r.code == 1 and "PHÁT HIỆN LỖI" in r.out and vi in r.out
    assert "papi-desktop restore" in r.out  # the newest good backup is named
    r = commune("--lang", "en", "check")
    assert r.code == 1 and en in r.out
    assert dump(data_dir) == before


def test_a_version_that_does_not_match_the_tables_is_said_plainly(commune, data_dir):
    _run_sql(data_dir / "papi.sqlite3", "PRAGMA user_version = 1")
    before = dump(data_dir)
    r = commune("tasks", "list")
    assert r.code == 1 and "Traceback" not in r.err
    assert str(data_dir / "papi.sqlite3") in r.err and "papi-desktop check" in r.err
    assert not any(w in r.err for w in ENGLISH_LEAKS)
    en = commune("--lang", "en", "tasks", "list")
    assert en.code == 1 and en.err.startswith("Storage error: ")
    assert en.err.count("Storage error") == 1 and "already exists" not in en.err
    chk = commune("check", "--json")
    assert chk.code == 1 and chk.json()["newest_good_backup"]
    assert dump(data_dir) == before


def test_the_storage_error_fallback_is_plain_and_logs_the_detail(tmp_path, caplog):
    from papi_desktop.store.db import storage_error

    path = tmp_path / "papi.sqlite3"
    with caplog.at_level("WARNING", logger="papi_desktop.store"):
        err = storage_error(sqlite3.OperationalError("no such table: task_result"), path)
    for lang in ("vi", "en"):
        text = err.message(lang)
        assert str(path) in text and "papi-desktop check" in text and "restore" in text
        assert "no such table" not in text and "Storage error" not in text
    assert "no such table: task_result" in caplog.text


def test_an_altered_database_is_not_taken_as_the_daily_backup(commune, data_dir):
    _run_sql(data_dir / "papi.sqlite3", HOSTILE["planted_trigger"])
    backups = data_dir / "backups"
    for old in backups.iterdir():
        old.unlink()  # so that today's automatic backup is due again
    assert commune("places", "list").code == 0
    assert list(backups.iterdir()) == []
    _run_sql(data_dir / "papi.sqlite3", "DROP TRIGGER t")
    assert commune("places", "list").code == 0
    assert len(list(backups.iterdir())) == 1  # a sound database is backed up as before


def test_a_genuine_backup_of_an_older_version_still_restores(cli, tmp_path):
    from papi_desktop.store import schema
    from papi_desktop.store.db import migrate, register_functions

    old = tmp_path / "older.sqlite3"
    con = sqlite3.connect(old, isolation_level=None)
    register_functions(con)
    migrate(con, target=schema.LATEST_VERSION - 1)
    con.close()
    fresh = tmp_path / "replaced-pc"
    r = cli("restore", str(old), data=fresh)
    assert r.code == 0, r.err
    assert cli("check", data=fresh).code == 0
