"""Damaged databases and disks (issue 10, section 4): ``check`` reports damage and names
the newest good backup; a missing or empty database is never recreated silently; a full or
read-only disk gives one plain line, leaves no partial file and changes no data; leftovers
of killed runs go away; a damaged evidence file is named with where its copy may be.

Full and read-only disks are simulated by raising the real ``OSError`` (ENOSPC / EROFS)
at the write calls (``os.fsync``, ``os.replace``, ``open``, ``shutil.copy2``)."""

from __future__ import annotations

import errno
import json
import os
import shutil
import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def listing(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    assert cli("places", "add", "Thôn Phú Hòa").code == 0  # today's automatic backup first
    assert cli("backup").code == 0  # then a manual one, with the village
    return cli


def _overwrite_middle(path, size=4096) -> None:
    n = path.stat().st_size
    with open(path, "r+b") as fh:
        fh.seek((n // 2) - (n // 2) % size)
        fh.write(bytes(range(256)) * (size // 256))


# -- damaged database ------------------------------------------------------------------


def test_check_reports_4kb_overwritten_and_names_the_newest_good_backup(commune, data_dir):
    assert commune("backup").code == 0
    newest = sorted((data_dir / "backups").glob("papi-*.sqlite3"))[-1]
    db = data_dir / "papi.sqlite3"
    assert commune("check").code == 0  # checkpoint: the whole database is in the main file
    _overwrite_middle(db)
    damaged = db.read_bytes()
    r = commune("check", "--json")
    assert r.code == 1 and "Traceback" not in r.err
    report = r.json()
    assert report["ok"] is False and report["database_ok"] is False
    assert report["integrity"] != ["ok"]
    good = report["newest_good_backup"]
    assert good is not None and good.endswith(".sqlite3")
    assert good in {str(p) for p in (data_dir / "backups").glob("papi-*.sqlite3")}
    text = commune("check")
    assert text.code == 1 and f'papi-desktop restore "{good}"' in text.out
    assert db.read_bytes() == damaged  # checking changed nothing
    assert newest.exists()


def test_check_of_an_unopenable_file_is_a_report_too(commune, data_dir):
    db = data_dir / "papi.sqlite3"
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    db.write_bytes(b"garbage" * 1000)
    r = commune("check", "--json")
    assert r.code == 1 and "Traceback" not in r.err
    newest = sorted((data_dir / "backups").glob("papi-*.sqlite3"), key=os.path.getmtime)[-1]
    assert r.json()["newest_good_backup"] == str(newest)
    assert db.read_bytes() == b"garbage" * 1000


# -- missing or empty database ---------------------------------------------------------


@pytest.mark.parametrize("how", ["empty", "deleted"])
@pytest.mark.parametrize("command", [("tasks", "list"), ("check", "--json"),
                                     ("init", "--role", "commune", "--unit-code", DEMO_COMMUNE)])  # fmt: skip
def test_a_lost_database_is_not_recreated_empty(commune, data_dir, how, command):
    db = data_dir / "papi.sqlite3"
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    if how == "empty":
        db.write_bytes(b"")
    else:
        db.unlink()
    backup = sorted((data_dir / "backups").glob("papi-*.sqlite3"), key=os.path.getmtime)[-1]
    before = listing(data_dir)
    r = commune(*command)
    assert r.code == 1 and "Traceback" not in r.err
    assert "bị mất" in r.err and f'papi-desktop restore "{backup}"' in r.err
    assert listing(data_dir) == before
    assert (db.exists() and db.stat().st_size == 0) if how == "empty" else not db.exists()
    assert commune("restore", str(backup)).code == 0  # and the way back works
    assert "Thôn Phú Hòa" in commune("places", "list").out


def test_a_lost_database_without_backups_says_where_else_to_look(commune, data_dir):
    shutil.rmtree(data_dir / "backups")
    for name in ("papi.sqlite3", "papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / name).unlink(missing_ok=True)
    r = commune("--lang", "en", "tasks", "list")
    assert r.code == 1 and "data is gone" in r.err and "restore package" in r.err
    assert not (data_dir / "papi.sqlite3").exists()


# -- full and read-only disks ----------------------------------------------------------


def _fail(monkeypatch, module, name, code, where):
    """Make ``module.name`` raise OSError(code) when it touches a path under ``where``
    (for fsync: always)."""
    real = getattr(module, name)

    def fake(*args, **kwargs):
        paths = [str(a) for a in args if isinstance(a, str | os.PathLike)]
        if name == "fsync" or any(p.startswith(str(where)) for p in paths):
            raise OSError(code, os.strerror(code), paths[-1] if paths else None)
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, fake)


DISKS = [(errno.ENOSPC, "đã đầy"), (errno.EROFS, "chỉ cho phép đọc")]


@pytest.mark.parametrize("code, words", DISKS)
def test_backup_to_a_full_or_read_only_disk(commune, data_dir, tmp_path, monkeypatch, code, words):
    usb = tmp_path / "usb"
    usb.mkdir()
    before = dump(data_dir)
    _fail(monkeypatch, os, "fsync", code, usb)  # after the copy was written: worst moment
    r = commune("backup", "--to", str(usb / "b.sqlite3"))
    assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert str(usb) in r.err and words in r.err
    if code == errno.EROFS:
        assert "giải phóng" not in r.err  # freeing space does not help a read-only disk
    assert list(usb.iterdir()) == []  # no .partial, no -journal
    assert dump(data_dir) == before


def test_a_stick_pulled_out_during_a_backup_is_said_plainly(commune, data_dir, tmp_path,
                                                            monkeypatch):  # fmt: skip
    usb = tmp_path / "usb"
    usb.mkdir()
    before = dump(data_dir)
    real = os.fsync

    def pulled_out(fd):
        shutil.rmtree(usb)  # the stick is gone: its folder with it
        raise OSError(errno.ENOENT, os.strerror(errno.ENOENT), str(usb / "b.sqlite3.partial"))

    monkeypatch.setattr(os, "fsync", pulled_out)
    r = commune("backup", "--to", str(usb / "b.sqlite3"))
    monkeypatch.setattr(os, "fsync", real)
    assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert f"Không có thư mục {usb}" in r.err and "USB đã rút ra" in r.err
    assert "Errno" not in r.err and "giải phóng" not in r.err
    assert dump(data_dir) == before


def test_backup_on_a_read_only_disk_fails_at_the_first_write(
    commune, data_dir, tmp_path, monkeypatch
):
    import builtins

    from papi_desktop.store import backup as backup_mod

    usb = tmp_path / "usb"
    usb.mkdir()
    _fail(monkeypatch, builtins, "open", errno.EROFS, usb)
    monkeypatch.setattr(backup_mod, "open", builtins.open, raising=False)
    r = commune("--lang", "en", "backup", "--to", str(usb / "b.sqlite3"))
    assert r.code == 1 and "read-only" in r.err and str(usb) in r.err
    assert "Free" not in r.err
    assert list(usb.iterdir()) == []


REPORTS = [
    ("report", "progress", "--year", "2026", "-o", "{out}/p.xlsx"),
    ("report", "progress", "--year", "2026", "-o", "{out}/p.pdf"),
    ("report", "register", "--quarter", "2026Q3", "-o", "{out}/r.pdf"),
    ("report", "framework", "-o", "{out}/f.pdf"),
    ("report", "checklist", "--year", "2026", "-o", "{out}/c.pdf"),
    ("report", "disclosure-checklist", "--year", "2026", "-o", "{out}/d.pdf"),
    ("framework", "export", "-o", "{out}/fw.xlsx"),
    ("framework", "template", "-o", "{out}/t.xlsx"),
]


@pytest.mark.parametrize("code, words", [*DISKS, (errno.EACCES, "đang mở trong chương trình khác")])
@pytest.mark.parametrize("args", REPORTS, ids=lambda a: "-".join(a[:2]))
def test_every_report_on_a_full_or_read_only_disk(
    commune, data_dir, tmp_path, monkeypatch, args, code, words
):
    out = tmp_path / "usb"
    out.mkdir()
    before = dump(data_dir)
    _fail(monkeypatch, os, "replace", code, out)  # the finished file's rename into place
    r = commune(*[a.format(out=out) for a in args])
    assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert str(out) in r.err and words in r.err
    if code != errno.ENOSPC:
        assert "giải phóng" not in r.err  # freeing space is no advice here
    assert list(out.iterdir()) == []  # no .part file left
    assert dump(data_dir) == before


@pytest.mark.parametrize("code, words", DISKS)
def test_restore_on_a_full_or_read_only_disk(commune, data_dir, tmp_path, monkeypatch, code, words):
    target = tmp_path / "b.sqlite3"
    assert commune("backup", "--to", str(target)).code == 0
    commune("places", "add", "Thôn Sau Sao Lưu")
    before, files = dump(data_dir), listing(data_dir)
    _fail(monkeypatch, shutil, "copy2", code, target)
    r = commune("restore", str(target))
    assert r.code == 1 and r.err.count("\n") == 1 and words in r.err
    assert str(data_dir) in r.err
    assert dump(data_dir) == before and listing(data_dir) == files  # no .restoring, no copy


def test_a_full_disk_does_not_stop_the_daily_work(commune, data_dir, monkeypatch):
    from papi_desktop.errors import StorageError
    from papi_desktop.store import backup as backup_mod

    for old in (data_dir / "backups").glob("*.sqlite3"):
        old.unlink()

    def full(*_a, **_k):
        raise StorageError("Ổ đĩa đã đầy.", "Disk full.", kind="full")

    monkeypatch.setattr(backup_mod, "backup_to", full)
    r = commune("tasks", "list", "--json")
    assert r.code == 0 and r.json()
    assert r.err.count("\n") == 1 and "Chưa sao lưu tự động được" in r.err and "đã đầy" in r.err


# -- leftovers of killed runs ----------------------------------------------------------


def test_leftovers_of_killed_runs_are_removed_on_the_next_start(commune, data_dir):
    probe = data_dir / "probe"
    probe.write_bytes(b"")
    old = probe.stat().st_mtime - 3600  # the file system's clock, not the (faked) process one
    probe.unlink()
    work = data_dir / "inbox" / ".work-abc123"
    work.mkdir(parents=True)
    (work / "pkg.papisync").write_bytes(b"half")
    leftovers = [
        data_dir / "backups" / "papi-2026-11-19-auto.sqlite3.partial",
        data_dir / "backups" / "papi-2026-11-19-auto.sqlite3.partial-journal",
        data_dir / "papi.sqlite3.restoring",
    ]
    for path in leftovers:
        path.write_bytes(b"half")
    for path in [*leftovers, work / "pkg.papisync", work]:
        os.utime(path, (old, old))
    young = data_dir / "inbox" / ".work-running"  # another window importing right now
    young.mkdir()
    before = dump(data_dir)
    assert commune("places", "list").code == 0
    assert not work.exists() and not any(p.exists() for p in leftovers)
    assert young.exists()
    assert dump(data_dir) == before


# -- damaged evidence file -------------------------------------------------------------


def test_a_damaged_evidence_file_is_named_with_where_its_copy_is(commune, data_dir, tmp_path):
    ev = tmp_path / "bien-ban-hop-thon.jpg"
    ev.write_bytes(b"photo bytes")
    assert commune("tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done",
                   "--evidence", str(ev)).code == 0  # fmt: skip
    blob = next(p for p in (data_dir / "attachments").rglob("*") if p.is_file())
    blob.write_bytes(b"changed")
    before = dump(data_dir)
    r = commune("check")
    assert r.code == 1
    line = next(x for x in r.out.splitlines() if "bien-ban-hop-thon.jpg" in x)
    assert str(blob) in line and "chưa được gửi" in line
    assert "papi-desktop restore" not in r.out  # a database backup holds no evidence files
    assert dump(data_dir) == before
    # Once sent in a package, the office has a copy: the message says so.
    blob.write_bytes(b"photo bytes")
    usb = tmp_path / "usb"
    usb.mkdir()
    assert commune("sync", "export", "--to", str(usb)).code == 0
    blob.unlink()
    report = commune("check", "--json").json()
    (problem,) = report["evidence_problems"]
    assert problem["problem"] == "missing" and problem["file_name"] == "bien-ban-hop-thon.jpg"
    assert "cơ quan giám sát (Sở Nội vụ) có bản sao" in problem["copy_vi"]
    assert report["newest_good_backup"] is None and report["database_ok"] is True
    assert json.dumps(report)  # plain JSON
    usb2 = tmp_path / "usb2"
    usb2.mkdir()
    r = commune("sync", "export", "--to", str(usb2), "--full")
    assert r.code == 0 and "“bien-ban-hop-thon.jpg”" in r.err


def test_opening_a_damaged_evidence_file_names_it(commune_ctx):
    from papi_desktop.errors import StorageError
    from papi_desktop.services import task_tree, tasks
    from papi_desktop.store.attachments import blob_path

    src = commune_ctx.paths.root.parent / "quyet-dinh.pdf"
    src.write_bytes(b"%PDF-1.4 test")
    tasks.set_result(commune_ctx, "D1.1-01", "2026-03", status="done", evidence=[src])
    att = dict(commune_ctx.db.one("SELECT sha256, file_name FROM attachment"))
    blob_path(commune_ctx.paths.attachments, att["sha256"]).write_bytes(b"bad")
    with pytest.raises(StorageError) as err:
        task_tree.viewable_copy(commune_ctx, att)
    assert "quyet-dinh.pdf" in err.value.message_vi and "sao lưu" not in err.value.message_vi


@pytest.mark.parametrize("code, words", DISKS)
def test_sync_export_to_a_full_or_read_only_stick(
    commune, data_dir, tmp_path, monkeypatch, code, words
):
    usb = tmp_path / "usb"
    usb.mkdir()
    before = dump(data_dir)
    _fail(monkeypatch, os, "replace", code, usb)
    r = commune("sync", "export", "--to", str(usb))
    assert r.code == 2 and r.err.count("\n") == 1 and words in r.err and str(usb) in r.err
    assert "rút" not in r.err  # not "the stick was pulled out": it is full or read-only
    assert list(usb.iterdir()) == []
    assert dump(data_dir) == before


def test_a_closed_pipe_is_not_taken_for_a_broken_disk(data_dir):
    """``… | head``: the disk-error handling must leave BrokenPipeError to its quiet exit."""
    import subprocess
    import sys

    proc = subprocess.Popen(
        [sys.executable, "-m", "papi_desktop", "--data-dir", str(data_dir),
         "units", "search", "xa", "--limit", "5000"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 0
    assert "Traceback" not in err and "Lỗi" not in err


def test_a_damaged_database_is_not_taken_as_the_daily_backup(commune, data_dir, monkeypatch):
    backups = data_dir / "backups"
    for old in backups.glob("*.sqlite3"):
        old.unlink()
    good = backups / "papi-2026-11-19-auto.sqlite3"
    assert commune("backup", "--to", str(good)).code == 0
    assert commune("check").code == 0  # checkpoint into the main file
    _overwrite_middle(data_dir / "papi.sqlite3")
    commune("places", "list")  # the first open of the day, on a damaged file
    assert sorted(p.name for p in backups.iterdir()) == [good.name]
    r = commune("check", "--json")
    assert r.code == 1 and r.json()["newest_good_backup"] == str(good)


def test_the_window_says_which_disk_is_full_or_read_only(tmp_path):
    from papi_desktop.ui.jobs import friendly_message

    target = str(tmp_path / "bao-cao.pdf")
    full = friendly_message(OSError(errno.ENOSPC, "No space left on device", target))
    assert "đã đầy" in full and str(tmp_path) in full
    ro = friendly_message(OSError(errno.EROFS, "Read-only file system", target), "en")
    assert "read-only" in ro and str(tmp_path) in ro and "Free" not in ro


def test_a_lost_database_names_the_newest_good_backup_not_a_damaged_one(commune, data_dir):
    backups = data_dir / "backups"
    good = sorted(backups.glob("papi-*.sqlite3"), key=os.path.getmtime)[-1]
    bad = backups / "papi-2026-11-21-auto.sqlite3"
    bad.write_bytes(b"half a copy")  # newer, but damaged
    db = data_dir / "papi.sqlite3"
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    db.write_bytes(b"")
    r = commune("tasks", "list")
    assert r.code == 1 and f'restore "{good}"' in r.err and bad.name not in r.err
    before = {p.name for p in backups.iterdir()}
    assert commune("restore", str(good)).code == 0
    assert {p.name for p in backups.iterdir()} == before  # an empty file needs no safety copy
    assert "Thôn Phú Hòa" in commune("places", "list").out


@pytest.mark.skipif(not os.path.isdir("/proc/self"), reason="needs Linux's /proc")
def test_a_folder_that_refuses_new_files_is_one_line_not_a_traceback(commune, data_dir):
    # /proc exists but no file can be made in it (like a system folder on Windows).
    before = dump(data_dir)
    for args in (("report", "framework", "-o", "/proc/khung.pdf"),
                 ("report", "framework", "-o", "/proc/khung.docx"),
                 ("framework", "export", "-o", "/proc/khung.xlsx")):  # fmt: skip
        r = commune(*args)
        assert r.code == 1 and r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
        assert f"Không tạo được tệp {args[-1]} ở đó" in r.err and ".part" not in r.err
    assert dump(data_dir) == before
