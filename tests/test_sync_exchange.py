"""Exchanging packages: idempotent re-import, any order, healing of lost packages, crashes
mid-import, a commune restored from an old backup, edit versus delete, framework upgrades and
tables added by later migrations."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from test_sync_support import (
    TODAY,
    add_place,
    applied,
    conflict_ids,
    export,
    imp,
    integrity,
    make_commune,
    make_district,
    only,
    set_place_note,
    snapshot,
    table_rows,
)

from papi_desktop.errors import UserError
from papi_desktop.services import sync, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.backup import backup_to, restore_file


@pytest.fixture
def pair(tmp_path):
    """An enrolled commune and its supervising office (one exchange done both ways)."""
    c = make_commune(tmp_path / "c")
    d = make_district(tmp_path / "d")
    assert only(imp(d, export(c, tmp_path / "u0"))).status == "applied"
    assert only(imp(c, export(d, tmp_path / "u0"))).status == "applied"
    yield c, d
    c.close()
    d.close()


def _scope(c, d):
    return {c.site.id, d.site.id, "catalog"}


def test_reimport_same_file_and_renamed_file_changes_nothing(pair, tmp_path):
    c, d = pair
    pid = add_place(c, "Thôn Đông")
    set_place_note(c, pid, 7)
    p = export(c, tmp_path / "u1")
    assert only(imp(d, p)).summary["new"] == 1
    root = d.paths.root
    d.close()
    before = snapshot(root / "papi.sqlite3")
    d = AppContext(root, today=TODAY)
    renamed = tmp_path / "khac-ten.papisync"
    shutil.copy(p, renamed)
    for again in (p, renamed):
        rep = only(imp(d, again))
        assert rep.status == "already_imported" and "đã được nhập" in rep.message_vi
    d.close()
    assert snapshot(root / "papi.sqlite3") == before


def test_out_of_order_import_converges(pair, tmp_path):
    c, d = pair
    # A second copy of the same office database imports the packages in the usual order.
    backup_to(d.db.con, tmp_path / "d2" / "papi.sqlite3")
    d2 = AppContext(tmp_path / "d2", today=TODAY)
    pid = add_place(c, "Thôn Một")
    p1 = export(c, tmp_path / "u1")
    set_place_note(c, pid, 2)
    add_place(c, "Thôn Hai")
    p2 = export(c, tmp_path / "u2")
    set_place_note(c, pid, 3)
    with c.db.transaction():
        rows.tombstone(c.db, "place", pid)
    p3 = export(c, tmp_path / "u3")
    reps = imp(d, p3, p1, p2)
    assert [r.status for r in reps] == ["applied"] * 3
    assert reps[1].summary["ignored"] >= 1 and reps[1].summary["new"] == 0
    assert [r.status for r in imp(d2, p1, p2, p3)] == ["applied"] * 3
    scope = {c.site.id}
    assert table_rows(d, scope) == table_rows(d2, scope) == table_rows(c, scope)
    assert d.db.scalar("SELECT deleted FROM place WHERE id = ?", (pid,)) == 1
    assert not conflict_ids(d) and not conflict_ids(d2)
    d2.close()


def test_folder_import_runs_in_sequence_order(pair, tmp_path):
    c, d = pair
    usb = tmp_path / "usb"
    pid = add_place(c, "Thôn Ba")
    export(c, usb)
    set_place_note(c, pid, 9)
    last = export(c, usb)
    # A name that sorts first must not change the order: the manifest's sequence decides.
    last.rename(usb / "AAA.papisync")
    reps = imp(d, usb)
    assert [r.seq for r in reps] == sorted(r.seq for r in reps)
    assert d.db.scalar("SELECT sort_order FROM place WHERE id = ?", (pid,)) == 9


def test_dropped_package_is_healed_by_the_next(pair, tmp_path):
    c, d = pair
    a = add_place(c, "Thôn A")
    export(c, tmp_path / "lost")  # never arrives
    b = add_place(c, "Thôn B")
    p2 = export(c, tmp_path / "u2")
    rep = only(imp(d, p2))
    assert rep.summary["new"] == 2
    assert {a, b} <= {r[0] for r in d.db.query("SELECT id FROM place")}


def test_gap_warning_when_the_office_lost_a_package_then_heals(pair, tmp_path):
    c, d = pair
    old = tmp_path / "d-old.sqlite3"
    backup_to(d.db.con, old)
    a = add_place(c, "Thôn Gốc")
    applied(imp(d, export(c, tmp_path / "u1")))
    applied(imp(c, export(d, tmp_path / "u2")))  # c learns the office has seen "Thôn Gốc"
    b = add_place(c, "Thôn Sau")
    p3 = export(c, tmp_path / "u3")
    root = d.paths.root
    d.close()
    restore_file(root / "papi.sqlite3", old, root / "backups")
    d = AppContext(root, today=TODAY)
    rep = only(imp(d, p3))
    assert rep.status == "applied" and [w["code"] for w in rep.warnings] == ["gap"]
    ids = {r[0] for r in d.db.query("SELECT id FROM place")}
    assert b in ids and a not in ids
    applied(imp(c, export(d, tmp_path / "u4")))  # the office's real acknowledgement goes back
    rep = only(imp(d, export(c, tmp_path / "u5")))
    assert rep.warnings == []
    assert a in {r[0] for r in d.db.query("SELECT id FROM place")}
    assert table_rows(d, {c.site.id}) == table_rows(c, {c.site.id})
    d.close()


def test_dry_run_reports_and_writes_nothing(pair, tmp_path):
    c, d = pair
    pid = add_place(c, "Thôn Xem")
    applied(imp(d, export(c, tmp_path / "u1")))
    set_place_note(c, pid, 4)
    add_place(c, "Thôn Mới")
    p = export(c, tmp_path / "u2")
    root = d.paths.root
    d.close()
    before = snapshot(root / "papi.sqlite3")
    d = AppContext(root, today=TODAY)
    rep = only(sync.dry_run(d, [p]))
    assert rep.status == "dry_run"
    assert rep.summary["new"] == 1 and rep.summary["updated"] == 1
    assert rep.summary["conflicts"] == 0 and rep.summary["ignored"] == 0
    d.close()
    assert snapshot(root / "papi.sqlite3") == before


def _district_state(d):
    return table_rows(d), sorted(conflict_ids(d)), d.db.scalar("SELECT count(*) FROM audit")


def test_a_crash_at_every_step_of_the_apply_loop_rolls_back(pair, tmp_path):
    c, d = pair
    for i in range(3):
        pid = add_place(c, f"Thôn Số {i}")
        set_place_note(c, pid, i + 10)
    p = export(c, tmp_path / "u1", full=True)
    steps: list[int] = []
    backup_to(d.db.con, tmp_path / "probe" / "papi.sqlite3")
    probe = AppContext(tmp_path / "probe", today=TODAY)
    assert only(imp(probe, p, step_hook=steps.append)).status == "applied"
    probe.close()
    assert len(steps) >= 6
    before = _district_state(d)

    class Boom(RuntimeError):
        pass

    for k in range(len(steps)):

        def hook(i: int, k: int = k) -> None:
            if i == k:
                raise Boom(f"step {k}")

        with pytest.raises(Boom):
            imp(d, p, step_hook=hook)
        assert _district_state(d) == before, f"step {k}"
        assert d.db.scalar("PRAGMA integrity_check") == "ok"
    rep = only(imp(d, p))
    assert rep.status == "applied" and rep.summary["per_table"]["place"] == {
        "new": 3,
        "unchanged": 1,
    }


def test_cancel_stops_with_nothing_changed(pair, tmp_path):
    c, d = pair
    add_place(c, "Thôn Hủy")
    p = export(c, tmp_path / "u1")
    before = _district_state(d)
    stop = threading.Event()

    def hook(i: int) -> None:
        if i == 1:
            stop.set()

    with pytest.raises(UserError):
        imp(d, p, cancel=stop, step_hook=hook)
    assert _district_state(d) == before
    assert only(imp(d, p)).status == "applied"


def test_kill_9_during_import_leaves_the_database_as_before(pair, tmp_path):
    c, d = pair
    for i in range(5):
        add_place(c, f"Thôn Chín {i}")
    p = export(c, tmp_path / "u1")
    root = d.paths.root
    d.close()
    before = snapshot(root / "papi.sqlite3")
    marker = tmp_path / "paused"
    script = textwrap.dedent(
        f"""
        import time, pathlib
        from datetime import date
        from papi_desktop.services import sync
        from papi_desktop.services.context import AppContext
        ctx = AppContext({str(root)!r}, today=date(2026, 11, 20))
        def hook(i):
            if i == 3:
                pathlib.Path({str(marker)!r}).write_text("x")
                time.sleep(600)
        sync.import_packages(ctx, [{str(p)!r}], trust_new=True, step_hook=hook)
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", script], env=dict(os.environ))
    try:
        for _ in range(1200):
            if marker.exists() or proc.poll() is not None:
                break
            time.sleep(0.05)
        assert marker.exists(), "the child never reached the paused step"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    db_file = root / "papi.sqlite3"
    assert integrity(db_file) == "ok"
    AppContext(root, today=TODAY).close()  # recovery on open, then a clean close
    assert snapshot(db_file) == before
    d = AppContext(root, today=TODAY)
    assert only(imp(d, p)).status == "applied"
    assert d.db.scalar("SELECT count(*) FROM place WHERE name LIKE 'Thôn Chín%'") == 5
    d.close()


def test_commune_restored_from_an_old_backup(pair, tmp_path):
    c, d = pair
    t = tasks.framework_tasks(c)[0]
    period = tasks.valid_periods(t, 2026)[0]
    rid = tasks.set_result(c, t.code, period, status="doing", note="bản đầu")
    applied(imp(d, export(c, tmp_path / "u1")))
    applied(imp(c, export(d, tmp_path / "u1b")))
    old = tmp_path / "c-old.sqlite3"
    backup_to(c.db.con, old)
    # Work done after the backup, sent to the office, then lost with the PC's disk.
    tasks.set_result(c, t.code, period, status="done", note="bản bị mất ở xã")
    t2 = tasks.framework_tasks(c)[1]
    p2 = tasks.valid_periods(t2, 2026)[0]
    lost_id = tasks.set_result(c, t2.code, p2, status="done", note="chỉ còn ở cơ quan")
    applied(imp(d, export(c, tmp_path / "u2")))
    root = c.paths.root
    c.close()
    restore_file(root / "papi.sqlite3", old, root / "backups")
    c = AppContext(root, today=TODAY)
    # The commune keeps working on the old state.
    tasks.set_result(c, t.code, period, status="review", note="làm lại sau khôi phục")
    new_id = tasks.set_result(c, t2.code, p2, status="doing", note="tạo lại")
    assert new_id != lost_id
    rep = only(imp(d, export(c, tmp_path / "u3")))
    assert rep.status == "applied" and rep.summary["conflicts"] == 2
    # Nothing at the office is lost: every lost version is listed and restorable.
    lost = {(x["row_id"], x["loser_row"]["note"]) for x in sync.conflicts(d)}
    assert (rid, "bản bị mất ở xã") in lost and (lost_id, "chỉ còn ở cơ quan") in lost
    assert d.db.scalar("SELECT note FROM task_result WHERE id = ?", (rid,)) == (
        "làm lại sau khôi phục"
    )
    # The conflicts surface at the commune too, and it can restore a lost version.
    applied(imp(c, export(d, tmp_path / "u4")))
    at_commune = {x["id"]: x for x in sync.conflicts(c)}
    assert set(at_commune) == conflict_ids(d)
    lost_note = next(x for x in at_commune.values() if x["row_id"] == rid)
    sync.restore_conflict(c, lost_note["id"])
    assert c.db.scalar("SELECT note FROM task_result WHERE id = ?", (rid,)) == "bản bị mất ở xã"
    rep = only(imp(d, export(c, tmp_path / "u5")))
    assert rep.summary["updated"] >= 1 and rep.summary["conflicts"] == 0
    assert d.db.scalar("SELECT note FROM task_result WHERE id = ?", (rid,)) == "bản bị mất ở xã"
    # The office can give the commune back everything it holds of it.
    rep = only(imp(c, export(d, tmp_path / "u6", for_unit=c.site.unit_code)))
    assert rep.status == "applied", rep.message_en
    assert table_rows(c, {c.site.id}) == table_rows(d, {c.site.id})
    assert conflict_ids(c) == conflict_ids(d)
    c.close()


def _fork(c, tmp_path, name):
    path = tmp_path / f"{name}.sqlite3"
    backup_to(c.db.con, path)
    return path


def _restore(c, path):
    root = c.paths.root
    c.close()
    restore_file(root / "papi.sqlite3", path, root / "backups")
    return AppContext(root, today=TODAY)


@pytest.mark.parametrize("delete_first", [True, False])
def test_edit_concurrent_with_delete_is_a_conflict_not_a_silent_resurrection(
    pair, tmp_path, delete_first
):
    c, d = pair
    pid = add_place(c, "Thôn Tranh Chấp")
    applied(imp(d, export(c, tmp_path / "u1")))
    snap = _fork(c, tmp_path, "fork")

    def delete(ctx):
        with ctx.db.transaction():
            rows.tombstone(ctx.db, "place", pid)

    def edit(ctx):
        set_place_note(ctx, pid, 42)

    first, second = (delete, edit) if delete_first else (edit, delete)
    first(c)
    applied(imp(d, export(c, tmp_path / "u2")))
    c = _restore(c, snap)
    second(c)
    rep = only(imp(d, export(c, tmp_path / "u3")))
    assert rep.summary["conflicts"] == 1
    row = d.db.one("SELECT deleted, sort_order FROM place WHERE id = ?", (pid,))
    (conf,) = sync.conflicts(d)
    # The later change wins on every site; the other one is listed, never dropped.
    if delete_first:
        assert (row["deleted"], row["sort_order"]) == (0, 42)
        assert conf["loser_row"]["deleted"] == 1
    else:
        assert row["deleted"] == 1
        assert conf["loser_row"]["sort_order"] == 42 and conf["loser_row"]["deleted"] == 0
    c.close()


def test_framework_upgrade_sent_down(pair, tmp_path):
    c, d = pair
    t0 = tasks.framework_tasks(c)[0]
    period = tasks.valid_periods(t0, 2026)[0]
    tasks.set_result(c, t0.code, period, status="done", result="met", note="giữ lại")
    v1 = tasks.current_framework(d)
    with d.db.transaction():
        fid = rows.insert(
            d.db, "framework",
            {k: v1[k] for k in ("index_name", "level", "title_vi", "title_en", "issuer_vi",
                                "decision_no", "decision_date", "years", "note_vi")}
            | {"fw_version": v1["fw_version"] + 1, "is_current": 1},
        )  # fmt: skip
        old_tasks = d.db.query(
            "SELECT * FROM task WHERE framework_id = ? ORDER BY sort_order", (v1["id"],)
        )
        cols = [k for k in old_tasks[0].keys() if k not in rows.SYSTEM_COLUMNS]  # noqa: SIM118
        for t in old_tasks[1:]:  # the first task is retired in the new version
            values = {k: t[k] for k in cols}
            rows.insert(d.db, "task", values | {"framework_id": fid})
        new = {k: old_tasks[0][k] for k in cols}
        rows.insert(d.db, "task", new | {"framework_id": fid, "code": "9.9.9",
                                         "title_vi": "Nhiệm vụ mới của năm"})  # fmt: skip
        rows.insert(d.db, "task", {**{k: old_tasks[0][k] for k in new}, "framework_id": fid,
                                   "retired": 1})  # fmt: skip
        rows.update(d.db, "framework", v1["id"], {"is_current": 0})
    rep = only(imp(c, export(d, tmp_path / "down")))
    assert rep.status == "applied" and rep.summary["new"] >= len(old_tasks) + 2
    fw = tasks.current_framework(c)
    assert fw["fw_version"] == v1["fw_version"] + 1
    assert c.db.scalar("SELECT is_current FROM framework WHERE id = ?", (v1["id"],)) == 0
    codes = {t.code for t in tasks.framework_tasks(c)}
    assert "9.9.9" in codes and t0.code not in codes
    # The answer recorded against v1 is kept (keyed by task code), read-only for reports.
    kept = c.db.one(
        "SELECT note, framework_version FROM task_result WHERE task_code = ?", (t0.code,)
    )
    assert (kept["note"], kept["framework_version"]) == ("giữ lại", v1["fw_version"])
    # An older framework state arriving later changes nothing.
    assert c.db.scalar("SELECT count(*) FROM framework WHERE is_current = 1") == 1


def test_a_synced_table_added_later_flows_with_one_ownership_line(pair, tmp_path, monkeypatch):
    """A later synced table needs no merge code, only its line in the ownership table;
    without that line its rows are refused (nobody may write an undeclared table)."""
    from papi_desktop.store import schema
    from papi_desktop.sync import incoming, merge, ownership

    c, d = pair
    ddl = f"CREATE TABLE field_visit ({schema.SYNC_COLUMNS}, unit_code TEXT NOT NULL, note TEXT)"
    for ctx in (c, d):
        ctx.db.con.execute(ddl)
    monkeypatch.setattr(merge, "SYNCED_TABLES", (*schema.SYNCED_TABLES, "field_visit"))
    monkeypatch.setattr(incoming, "SYNCED_TABLES", (*schema.SYNCED_TABLES, "field_visit"))
    monkeypatch.setattr(rows, "SYNCED_TABLES", (*schema.SYNCED_TABLES, "field_visit"))
    with c.db.transaction():
        vid = rows.insert(c.db, "field_visit", {"unit_code": c.site.unit_code, "note": "Đã đến"})
    monkeypatch.setitem(
        ownership.TABLES,
        "field_visit",
        ownership.Ownership(
            "field_visit", ownership.COMMUNE, "chuyến thăm", "field visits", unit_column="unit_code"
        ),
    )
    rep = only(imp(d, export(c, tmp_path / "u1")))
    assert rep.summary["per_table"]["field_visit"] == {"new": 1}
    assert d.db.scalar("SELECT note FROM field_visit WHERE id = ?", (vid,)) == "Đã đến"


def test_a_pulled_stick_during_export_leaves_nothing(pair, tmp_path):
    c, d = pair
    add_place(c, "Thôn USB")
    usb = tmp_path / "usb"
    usb.mkdir()
    seq_before = c.db.get_setting("sync.out_seq")

    class Flaky:
        def __init__(self, path: Path) -> None:
            self.fh = open(path, "wb")  # noqa: SIM115 - closed in __exit__
            self.written = 0

        def write(self, data):
            self.written += len(data)
            if self.written > 200:
                raise OSError(5, "Input/output error")
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    with pytest.raises(UserError) as err:
        sync.export_package(c, usb, opener=Flaky)
    assert "USB" in err.value.message_vi
    assert list(usb.iterdir()) == []
    assert c.db.get_setting("sync.out_seq") == seq_before
    assert c.db.scalar("SELECT count(*) FROM sync_package WHERE direction = 'out'") == 1
    # A retry works and nothing was skipped.
    rep = only(imp(d, export(c, usb)))
    assert rep.summary["new"] == 1


def test_private_key_is_private_and_peers_listed(pair):
    c, d = pair
    key = next(c.paths.keys.iterdir())
    if os.name == "posix":
        assert key.stat().st_mode & 0o077 == 0
    (peer,) = sync.peers(d)
    assert peer["unit_code"] == c.site.unit_code and peer["status"] == "trusted"
    assert peer["fingerprint"] == sync.ensure_identity(c)["fingerprint"]
    assert "public_key" not in peer


def test_silence_warning_after_35_days(pair, tmp_path):
    c, d = pair
    assert sync.silence_warnings(d) == []
    from datetime import timedelta

    d.set_today(TODAY + timedelta(days=40))
    (w,) = sync.silence_warnings(d)
    assert w["unit_code"] == c.site.unit_code and w["days"] >= 36
    c.set_today(TODAY + timedelta(days=40))
    assert sync.silence_warnings(c)[0]["site_id"] == c.site.id


def test_removable_drives_lists_media_mounts(monkeypatch, tmp_path):
    drives = sync.removable_drives()
    assert isinstance(drives, list)
    for dr in drives:
        assert Path(dr["path"]).is_dir()


def test_json_of_reports_is_plain(pair, tmp_path):
    c, d = pair
    add_place(c, "Thôn JSON")
    rep = only(imp(d, export(c, tmp_path / "u1")))
    data = json.loads(json.dumps(rep.as_dict()))
    assert data["from"]["unit_code"] == c.site.unit_code and data["status"] == "applied"
