"""Authorization of USB packages: a trusted sender may change only what it owns.

The refusal matrix runs every synced table against five attempts, each in a package built and
signed with the real key of an enrolled PC (``signed_package``, on the real package writer):

- other unit: Phường Ninh Hòa sends a row of Xã Bắc Ninh Hòa (or claims an office row);
- office-owned: Ninh Hòa changes an office row; for commune tables the reverse — the office
  sends a commune its own row back, changed;
- owner change: Ninh Hòa re-sends another site's row id as its own with a newer version;
- natural-key takeover: a new row id holding another owner's natural key;
- planted conflict: a conflict line whose "losing" row Ninh Hòa never owned.

Every attempt is refused whole with the receiving database byte-for-byte unchanged; the
control package from the same PC is accepted.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
import sqlite3
import uuid
import zipfile
from pathlib import Path

import pytest
from test_sync_support import (
    COMMUNES,
    TODAY,
    export,
    imp,
    make_commune,
    make_district,
    only,
    row_line,
    signed_package,
    snapshot,
)

from papi_desktop.cli import main as cli_main
from papi_desktop.services import sync
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.schema import SYNCED_TABLES
from papi_desktop.sync import ownership

A, B = COMMUNES[0], COMMUNES[1]  # Phường Ninh Hòa, and the commune it must not touch
COMMUNE_TABLES = [t for t in SYNCED_TABLES if ownership.TABLES[t].owner == "commune"]
OFFICE_TABLES = [t for t in SYNCED_TABLES if t not in COMMUNE_TABLES]


def _seed_commune(ctx: AppContext) -> None:
    """One row in every commune-owned table (a report round too)."""
    unit = ctx.site.unit_code
    with ctx.db.transaction():
        rows.insert(ctx.db, "place", {"unit_code": unit, "name": "Thôn Một", "kind": "village",
                                      "search_key": "thon mot"})  # fmt: skip
        tr = rows.insert(ctx.db, "task_result", {"unit_code": unit, "task_code": "1.1",
                                                 "period": "2026", "status": "done",
                                                 "note": "Đã làm"})  # fmt: skip
        did = rows.insert(ctx.db, "disclosure", {"unit_code": unit, "type_code": "ngan_sach",
                                                 "title": "Dự toán ngân sách 2026"})  # fmt: skip
        rows.insert(ctx.db, "disclosure_place", {"disclosure_id": did, "place_name": "Thôn Một"})
        rows.insert(ctx.db, "plan_item", {"unit_code": unit, "year": 2026, "type_code": "ngan_sach",
                                          "period_code": "Y", "due_date": "2026-12-31"})  # fmt: skip
        rows.insert(ctx.db, "attachment", {"sha256": "ab" * 32, "file_name": "bien-ban.pdf",
                                           "size": 10, "record_table": "task_result",
                                           "record_id": tr})  # fmt: skip
        rows.insert(ctx.db, "submission", {"unit_code": unit, "period": "2026", "kind": "submit",
                                           "round": 1, "state": "submitted",
                                           "acted_at": "2026-11-20T08:00:00Z"})  # fmt: skip
        rows.insert(ctx.db, "self_score", {"unit_code": unit, "index_name": "PAR", "year": 2026,
                                           "code": "1.1", "framework_version": 1,
                                           "points": 2.5})  # fmt: skip
        rows.insert(ctx.db, "assess_submission", {"unit_code": unit, "index_name": "PAR",
                                                  "year": 2026, "state": "submitted",
                                                  "framework_version": 1, "self_total": 2.5,
                                                  "acted_at": "2026-11-20T08:00:00Z"})  # fmt: skip


def _seed_office(ctx: AppContext) -> None:
    with ctx.db.transaction():
        for unit in (A, B):
            rows.insert(ctx.db, "review", {"unit_code": unit, "task_code": "1.1", "period": "2026",
                                           "year": 2026, "comment": "Cần bổ sung",
                                           "acted_at": "2026-11-20T09:00:00Z"})  # fmt: skip
        rows.insert(ctx.db, "submission", {"unit_code": B, "period": "2026", "kind": "decision",
                                           "round": 1, "state": "accepted",
                                           "acted_at": "2026-11-20T09:00:00Z"})  # fmt: skip
        rows.insert(ctx.db, "score", {"index_name": "PAPI", "province_code": "56", "year": 2025,
                                      "dimension": "", "score": 42.5})  # fmt: skip
        fid = rows.insert(ctx.db, "scored_framework", {"index_name": "PAR", "fw_version": 1,
                                                       "title_vi": "Chỉ số CCHC cấp xã",
                                                       "total_points": 100.0})  # fmt: skip
        rows.insert(ctx.db, "scored_criterion", {"framework_id": fid, "code": "1",
                                                 "level": "field", "title_vi": "Chỉ đạo",
                                                 "max_points": 100.0})  # fmt: skip
        for unit in (A, B):
            rows.insert(ctx.db, "appraisal", {"unit_code": unit, "index_name": "PAR",
                                              "year": 2026, "code": "1.1", "points": 2.0,
                                              "acted_at": "2026-11-20T09:00:00Z"})  # fmt: skip
            rows.insert(ctx.db, "assess_return", {"unit_code": unit, "index_name": "PAR",
                                                  "year": 2026, "submission_version": "v",
                                                  "comment": "Bổ sung minh chứng",
                                                  "acted_at": "2026-11-20T09:00:00Z"})  # fmt: skip
        for unit in (A, B):
            iid = rows.insert(ctx.db, "inspection", {"unit_code": unit, "year": 2026,
                                                     "visit_on": "2026-11-20", "state": "open"})  # fmt: skip
            rows.insert(ctx.db, "inspection_finding", {"inspection_id": iid, "unit_code": unit,
                                                       "item": "1.1@2026", "finding": "issue",
                                                       "note": "Thiếu biên bản"})  # fmt: skip


def _seed_fix(ctx: AppContext) -> None:
    """The commune's answer to the office's finding about it (after the office's package)."""
    unit = ctx.site.unit_code
    fid = ctx.db.scalar("SELECT id FROM inspection_finding WHERE unit_code = ?", (unit,))
    with ctx.db.transaction():
        rows.insert(ctx.db, "inspection_fix", {"finding_id": fid, "unit_code": unit,
                                               "fixed_on": "2026-11-20"})  # fmt: skip


def _read(db_file: Path, sql: str, params=()) -> list[dict]:
    con = sqlite3.connect(db_file)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute(sql, params)]
    finally:
        con.close()


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("auth")
    d = make_district(root / "d")
    a = make_commune(root / "a", A)
    b = make_commune(root / "b", B)
    _seed_commune(a)
    _seed_commune(b)
    _seed_office(d)
    for c in (a, b):
        assert only(imp(d, export(c, root / f"up-{c.site.unit_code}"))).status == "applied"
    down = export(d, root / "down")
    for c in (a, b):
        reps = imp(c, down)
        assert [r.status for r in reps if r.status != "skipped"] == ["applied"]
        _seed_fix(c)
        assert only(imp(d, export(c, root / f"fix-{c.site.unit_code}"))).status == "applied"
    info = {
        "root": root, "d": d.paths.root, "a": a.paths.root, "b": b.paths.root,
        "d_site": d.site.id, "a_site": a.site.id, "b_site": b.site.id,
    }  # fmt: skip
    for ctx in (a, b, d):
        ctx.close()
    dfile = info["d"] / "papi.sqlite3"
    victims, own = {}, {}
    for t in SYNCED_TABLES:
        found = _read(dfile, f"SELECT * FROM {t} ORDER BY id")
        rule = ownership.TABLES[t]
        if t in COMMUNE_TABLES:
            victims[t] = next(r for r in found if r["owner_site"] == info["b_site"]
                              and ownership.owner_role(t, r) == "commune")  # fmt: skip
            own[t] = next(r for r in found if r["owner_site"] == info["a_site"]
                          and ownership.owner_role(t, r) == "commune")  # fmt: skip
        else:
            victims[t] = next(r for r in found if ownership.owner_role(t, r) == "district")
        assert rule
    info["victims"], info["own"] = victims, own
    return info


def _high(site: str) -> str:
    return f"{9_000_000_000_000:013d}-0000-{site}"


def _new_id() -> str:
    return str(uuid.uuid4())


def _as(world, sender: str, row: dict, **changes) -> dict:
    """``row`` changed as ``sender`` would send it: with a version newer than anything."""
    return {**row, "version": _high(world[f"{sender}_site"]), **changes}


def _to_a_parent(world, table: str, values: dict) -> dict:
    """Point a child row at Ninh Hòa's own parent record (so only the owner differs)."""
    own = world["own"][table]
    if table == "attachment":
        return {**values, "record_table": own["record_table"], "record_id": own["record_id"]}
    if table == "disclosure_place":
        return {**values, "disclosure_id": own["disclosure_id"]}
    return {**values, "unit_code": A} if "unit_code" in values else values


def _attempt(world, table: str, kind: str) -> tuple[str, str, list[dict], set[str]]:
    """(sender, receiver, lines, accepted refusal codes) for one cell of the matrix."""
    a = world["a_site"]
    victim = world["victims"][table]
    commune_table = table in COMMUNE_TABLES
    if kind == "other_unit":
        if commune_table:
            row = _as(world, "a", victim, id=_new_id(), owner_site=a)
            if "search_key" in row:
                row["search_key"] = "thon khac"
            return "a", "d", [row_line(table, row)], {"other_unit"}
        row = _as(world, "a", victim, id=_new_id(), owner_site=world["b_site"])
        return "a", "d", [row_line(table, row)], {"office_owned"}
    if kind == "office_owned":
        if commune_table:  # the office changes Ninh Hòa's own row, at Ninh Hòa
            own = world["own"][table]
            row = _as(world, "d", own, updated_by="Sở Nội vụ")
            return "d", "a", [row_line(table, row)], {"commune_owned"}
        row = _as(world, "a", victim, updated_by="Phường Ninh Hòa")
        return "a", "d", [row_line(table, row)], {"office_owned"}
    if kind == "owner_change":
        if commune_table:
            row = _to_a_parent(world, table, _as(world, "a", victim, owner_site=a))
            return "a", "d", [row_line(table, row)], {"owner_change"}
        row = _as(world, "a", victim, owner_site=a)
        return "a", "d", [row_line(table, row)], {"owner_change"}
    if kind == "takeover":
        row = _as(world, "a", victim, id=_new_id(), owner_site=a)
        codes = {"other_unit", "takeover"} if commune_table else {"office_owned"}
        return "a", "d", [row_line(table, row)], codes
    assert kind == "planted_conflict"
    loser = {**victim, "version": _high(world["b_site"]), "deleted": 1}
    rec = {
        "id": _new_id(), "table_name": table, "row_id": victim["id"],
        "loser_version": loser["version"], "loser_row": json.dumps(loser, ensure_ascii=False),
        "winner_version": victim["version"], "detected_at": "2026-11-20T08:00:00Z",
        "detected_by": a,
    }  # fmt: skip
    return "a", "d", [{"k": "conflict", "r": rec}], {"planted_conflict"}


def _import_into(world, receiver: str, package: Path, tmp_path: Path, **kw):
    work = tmp_path / "receiver"
    shutil.copytree(world[receiver], work)
    db_file = work / "papi.sqlite3"
    before = snapshot(db_file)
    with AppContext(work, today=TODAY) as ctx:
        reps = sync.import_packages(ctx, [package], **kw)
    return reps, before, snapshot(db_file)


def _build(world, sender: str, lines: list[dict], folder: Path) -> Path:
    receiver = None
    if sender == "d":
        receiver = {"role": "commune", "province_code": "56", "site_id": None, "unit_code": A}
    with AppContext(world[sender], today=TODAY) as ctx:
        return signed_package(ctx, folder, lines, receiver=receiver)


KINDS = ["other_unit", "office_owned", "owner_change", "takeover", "planted_conflict"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("table", SYNCED_TABLES)
def test_refusal_matrix(world, tmp_path, table, kind):
    sender, receiver, lines, codes = _attempt(world, table, kind)
    package = _build(world, sender, lines, tmp_path / "usb")
    reps, before, after = _import_into(world, receiver, package, tmp_path)
    rep = only(reps)
    assert rep.status == "refused" and rep.reason in codes, (rep.reason, rep.detail)
    assert "\n" not in rep.message_vi and "không nhập gì" in rep.message_vi
    assert rep.message_vi.startswith((f"Gói {package.name} của ", f"Gói {package.name} mang tên"))
    technical = ["{", "owner_site", "unit_code", "site_id", *[t for t in SYNCED_TABLES if "_" in t]]
    assert not [w for w in technical if w in rep.message_vi + rep.message_en], rep.message_en
    assert rep.detail  # the technical cause, for the log
    assert after == before


def test_control_package_from_the_same_pc_is_accepted(world, tmp_path):
    """The same forging helper with an honest row: applied, so the refusals above are real."""
    own = world["own"]["place"]
    row = {**own, "id": _new_id(), "name": "Thôn Mới", "search_key": "thon moi",
           "version": _high(world["a_site"])}  # fmt: skip
    package = _build(world, "a", [row_line("place", row)], tmp_path / "usb")
    reps, before, after = _import_into(world, "d", package, tmp_path)
    assert only(reps).status == "applied" and after != before


def test_message_names_the_sender_and_the_other_commune(world, tmp_path, capsys, caplog):
    """The CLI: exit 2, one Vietnamese line naming both communes; English with --lang en;
    the attempt is in the log; the database unchanged."""
    _, _, lines, _ = _attempt(world, "task_result", "other_unit")
    package = _build(world, "a", lines, tmp_path / "usb")
    work = tmp_path / "d"
    shutil.copytree(world["d"], work)
    before = snapshot(work / "papi.sqlite3")
    capsys.readouterr()
    with caplog.at_level(logging.WARNING):
        code = cli_main(["--data-dir", str(work), "sync", "import", str(package)])
    out = capsys.readouterr().out
    assert code == 2
    assert out == (
        f"TỪ CHỐI: Gói {package.name} của Phường Ninh Hòa chứa dữ liệu của Xã Bắc Ninh Hòa "
        "(kết quả nhiệm vụ); không nhập gì. Hãy gọi điện cho Phường Ninh Hòa để kiểm tra máy "
        "gửi.\n"
    )
    assert "other_unit" in caplog.text and "task_result of unit" in caplog.text
    code = cli_main(["--lang", "en", "--data-dir", str(work), "sync", "import", str(package)])
    assert code == 2 and capsys.readouterr().out == (
        f"REFUSED: Package {package.name} from Phường Ninh Hòa holds data of Xã Bắc Ninh Hòa "
        "(task results); nothing was imported. Call Phường Ninh Hòa to have the sending PC "
        "checked.\n"
    )
    assert snapshot(work / "papi.sqlite3") == before


def test_manifest_claiming_another_commune_is_refused(world, tmp_path):
    """Signed by Ninh Hòa's enrolled PC, the manifest says Bắc Ninh Hòa: refused, and the
    peer list still shows the PC as Ninh Hòa."""

    def claim(m):
        m["sender"]["unit_code"] = B
        m["sender"]["unit_name"] = "Xã Bắc Ninh Hòa"

    with AppContext(world["a"], today=TODAY) as ctx:
        package = signed_package(ctx, tmp_path / "usb", [], edit=claim)
    reps, before, after = _import_into(world, "d", package, tmp_path)
    rep = only(reps)
    assert rep.reason == "unit_mismatch" and after == before
    assert rep.message_vi == (
        f"Gói {package.name} được ký bằng máy của Phường Ninh Hòa nhưng ghi là của Xã Bắc Ninh "
        "Hòa; không nhập gì. Hãy gọi điện cho Phường Ninh Hòa để kiểm tra máy gửi."
    )


def test_mixed_package_one_bad_row_refuses_everything(world, tmp_path):
    """Honest rows plus one row of another commune: nothing of it is applied."""
    own = world["own"]["place"]
    good = {**own, "id": _new_id(), "name": "Thôn Mới", "search_key": "thon moi",
            "version": _high(world["a_site"])}  # fmt: skip
    _, _, bad, _ = _attempt(world, "plan_item", "other_unit")
    package = _build(world, "a", [row_line("place", good), *bad], tmp_path / "usb")
    reps, before, after = _import_into(world, "d", package, tmp_path)
    assert only(reps).reason == "other_unit" and after == before


def test_may_write_rules_directly():
    """The pure rule, case by case (no database)."""
    ninh = ownership.Sender("site-a", "commune", A, "Phường Ninh Hòa")
    office = ownership.Sender("site-d", "district", None, "Sở Nội vụ")
    mine = {"id": "r1", "owner_site": "site-a", "unit_code": A, "version": "v"}
    assert ownership.may_write(ninh, "task_result", mine, None) is None
    assert ownership.may_write(ninh, "task_result", mine, mine) is None
    other = ownership.may_write(ninh, "task_result", {**mine, "unit_code": B}, None)
    assert other is not None and other.code == "other_unit" and other.unit == B
    moved = ownership.may_write(ninh, "task_result", mine, {**mine, "owner_site": "site-b",
                                                            "unit_code": B})  # fmt: skip
    assert moved is not None and moved.code == "owner_change" and moved.unit == B
    held = {**mine, "id": "r0", "owner_site": "site-old"}
    taken = ownership.may_write(ninh, "task_result", mine, None, holder=held)
    assert taken is not None and taken.code == "takeover"
    heir = ownership.Sender("site-a", "commune", A, predecessors=frozenset({"site-old"}))
    assert ownership.may_write(heir, "task_result", mine, None, holder=held) is None
    hol = {"id": "h", "owner_site": "site-d", "day": "2026-09-02", "version": "x-site-d"}
    assert ownership.may_write(ninh, "holiday", hol, None).code == "office_owned"
    assert ownership.may_write(office, "holiday", hol, None) is None
    local = {**hol, "id": "h0", "owner_site": "site-a"}  # the commune's own local edit
    assert ownership.may_write(office, "holiday", hol, None, holder=local, here="site-a") is None
    assert ownership.may_write(office, "task_result", mine, None).code == "commune_owned"
    cat = {"id": "c", "owner_site": "catalog", "code": "x", "version": "1-0001-site-d"}
    assert ownership.may_write(office, "disclosure_type", cat, None) is None
    assert ownership.may_write(office, "disclosure_type", {**cat, "version": "1-0001-x"}, None)
    decision = {"id": "s", "owner_site": "site-d", "unit_code": A, "kind": "decision"}
    assert ownership.may_write(ninh, "submission", decision, None).code == "office_owned"
    assert (
        ownership.may_write(
            ninh, "submission", {**decision, "kind": "submit", "owner_site": "site-a"}, None
        )
        is None
    )


def _plant_local_conflict(data_dir: Path, table: str, row: dict) -> str:
    """A conflict record as this site would have computed it (a losing version of ``row``)."""
    loser = {**row, "version": "0000000000001-0000-old", "updated_by": "Người cũ"}
    cid = f"c-{table}-{row['id'][:8]}"
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    with con:
        con.execute(
            "INSERT INTO sync_conflict(id, table_name, row_id, loser_version, loser_row, "
            "winner_version, detected_at, detected_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (cid, table, row["id"], loser["version"], json.dumps(loser, ensure_ascii=False),
             row["version"], "2026-11-20T08:00:00Z", "here"),
        )  # fmt: skip
    con.close()
    return cid


@pytest.mark.parametrize(
    ("site", "table", "whose", "allowed"),
    [
        ("d", "task_result", "own", False),  # the office may not rewrite a commune's result
        ("d", "review", "victims", True),  # its own comment: fine
        ("a", "holiday", "victims", False),  # a commune may not restore an office holiday
        ("a", "task_result", "own", True),  # its own result: fine
    ],
)
def test_restore_only_what_this_site_may_write(world, tmp_path, capsys, site, table, whose,
                                               allowed):  # fmt: skip
    work = tmp_path / site
    shutil.copytree(world[site], work)
    row = world[whose][table]
    if whose == "victims" and table == "review":
        row = _read(work / "papi.sqlite3", "SELECT * FROM review WHERE owner_site = ?",
                    (world["d_site"],))[0]  # fmt: skip
    if site == "a":
        row = _read(work / "papi.sqlite3", f"SELECT * FROM {table} WHERE id = ?", (row["id"],))[0]
    cid = _plant_local_conflict(work, table, row)
    before = snapshot(work / "papi.sqlite3")
    capsys.readouterr()
    code = cli_main(["--data-dir", str(work), "sync", "conflicts", "--restore", cid])
    out = capsys.readouterr()
    if allowed:
        assert code == 0, out
        assert snapshot(work / "papi.sqlite3") != before
    else:
        assert code == 2 and "Chỉ máy sở hữu" in out.err + out.out
        assert snapshot(work / "papi.sqlite3") == before


# -- validation before heavy work, limits --------------------------------------------------

MALFORMED = {
    "unit as a list": lambda m: m["sender"].update(unit_code=[A]),
    "no created_at": lambda m: m.pop("created_at"),
    "created_at not a time": lambda m: m.update(created_at="hôm qua"),
    "seq as text": lambda m: m.update(seq="7"),
    "counts as a list": lambda m: m.update(counts=[1, 2]),
    "ack not text": lambda m: m.update(acks={"x": 5}),
    "no receiver": lambda m: m.pop("receiver"),
    "package id a number": lambda m: m.update(package_id=12),
    "role a list": lambda m: m["sender"].update(role=["commune"]),
    "restore sites not a list": lambda m: m.update(kind="restore", restore_sites="all"),
    "unknown kind": lambda m: m.update(kind="everything"),
    "full as text": lambda m: m.update(full="yes"),
}


@pytest.mark.parametrize("variant", sorted(MALFORMED))
def test_malformed_manifest_is_a_refusal_not_a_traceback(world, tmp_path, variant):
    with AppContext(world["a"], today=TODAY) as ctx:
        package = signed_package(ctx, tmp_path / "usb", [], edit=MALFORMED[variant])
    reps, before, after = _import_into(world, "d", package, tmp_path)
    rep = only(reps)
    assert (rep.status, rep.reason) == ("refused", "manifest"), (rep.reason, rep.detail)
    assert rep.message_vi.startswith(f"Phần mô tả của gói {package.name} của Phường Ninh Hòa")
    assert after == before


def test_one_bad_package_in_a_folder_does_not_stop_the_others(world, tmp_path):
    own = world["own"]["place"]
    honest = {**own, "id": _new_id(), "name": "Thôn Mới", "search_key": "thon moi",
              "version": _high(world["a_site"])}  # fmt: skip
    folder = tmp_path / "usb"
    with AppContext(world["a"], today=TODAY) as ctx:
        signed_package(ctx, folder, [], edit=MALFORMED["no created_at"])
        _, _, bad, _ = _attempt(world, "task_result", "other_unit")
        signed_package(ctx, folder, bad)
        signed_package(ctx, folder, [row_line("place", honest)])
    work = tmp_path / "d"
    shutil.copytree(world["d"], work)
    with AppContext(work, today=TODAY) as ctx:
        reps = sync.import_packages(ctx, [folder])
        got = sorted((r.status, r.reason) for r in reps)
        assert got == [("applied", ""), ("refused", "manifest"), ("refused", "other_unit")]
        assert ctx.db.scalar("SELECT name FROM place WHERE id = ?", (honest["id"],)) == "Thôn Mới"


@pytest.mark.parametrize("limit", ["text", "rows", "attachment"])
def test_limits_are_refused_naming_the_limit(world, tmp_path, limit):
    own = world["own"]
    edit = None
    if limit == "text":
        lines = [row_line("task_result", _as(world, "a", own["task_result"], note="x" * 20_001))]
    elif limit == "attachment":
        big = _as(world, "a", own["attachment"], size=300 * 1024 * 1024)
        lines = [row_line("attachment", big)]
    else:
        lines = []

        def edit(m):
            m["counts"] = {"place": 300_001}

    with AppContext(world["a"], today=TODAY) as ctx:
        package = signed_package(ctx, tmp_path / "usb", lines, edit=edit)
    reps, before, after = _import_into(world, "d", package, tmp_path)
    rep = only(reps)
    assert (rep.status, rep.reason) == ("refused", "too_large") and after == before
    words = {"text": "20.000 ký tự", "rows": "300.000 bản ghi", "attachment": "200 MB"}[limit]
    assert words in rep.message_vi and "vượt giới hạn" in rep.message_vi


def test_an_unknown_sender_is_refused_before_anything_is_copied_or_parsed(
    world, tmp_path, monkeypatch
):
    """Trust is decided from the manifest on the stick: nothing is copied off the stick and
    the rows (here garbage of the declared size, not even JSON) are never read."""
    stranger = make_commune(tmp_path / "s", COMMUNES[2])
    row = {"id": "p1", "owner_site": stranger.site.id, "version": _high(stranger.site.id),
           "deleted": 0, "updated_at": "2026-11-20T08:00:00Z", "updated_by": "",
           "unit_code": COMMUNES[2], "name": "Thôn Lạ", "kind": "village",
           "search_key": "thon la", "sort_order": 0}  # fmt: skip
    package = signed_package(stranger, tmp_path / "usb", [row_line("place", row)])
    stranger.close()
    with zipfile.ZipFile(package) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members["rows.jsonl"] = b"{" * len(members["rows.jsonl"])
    garbage = tmp_path / package.name
    with zipfile.ZipFile(garbage, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)

    def no_copy(*a, **k):
        raise AssertionError("copied before trust was decided")

    from papi_desktop.sync import package as pkgmod

    monkeypatch.setattr(pkgmod, "copy_to_local", no_copy)
    reps, before, after = _import_into(world, "d", garbage, tmp_path)
    assert only(reps).reason == "unknown_sender" and after == before


# -- a second PC for the same commune ------------------------------------------------------


def test_a_second_pc_for_the_same_commune_needs_replace(world, tmp_path, capsys):
    """Not a first contact: the unit already has a trusted key. Refused by default (saying
    which key and since when); ``--replace`` retires the old PC, whose later packages are
    then refused; the new PC may take over the old PC's natural keys."""
    work = tmp_path / "d"
    shutil.copytree(world["d"], work)
    a2 = make_commune(tmp_path / "a2", A)
    with a2.db.transaction():  # the same result the old PC holds, under a new id
        rows.insert(a2.db, "task_result", {"unit_code": A, "task_code": "1.1",
                                           "period": "2026", "status": "doing",
                                           "note": "máy mới"})  # fmt: skip
    fp2 = sync.ensure_identity(a2)["fingerprint"]
    package = export(a2, tmp_path / "usb")
    a2.close()
    with AppContext(world["a"], today=TODAY) as old_pc:
        old_fp = sync.ensure_identity(old_pc)["fingerprint"]
        old_package = signed_package(old_pc, tmp_path / "usb-old", [])
    since = _read(work / "papi.sqlite3", "SELECT enrolled_at FROM sync_peer WHERE site_id = ?",
                  (world["a_site"],))[0]["enrolled_at"]  # fmt: skip
    since = f"{since[8:10]}/{since[5:7]}/{since[:4]}"
    before = snapshot(work / "papi.sqlite3")
    capsys.readouterr()
    code = cli_main(["--data-dir", str(work), "sync", "import", str(package), "--trust-new"])
    out = capsys.readouterr().out
    assert code == 2 and snapshot(work / "papi.sqlite3") == before
    assert out == (
        f"TỪ CHỐI: Phường Ninh Hòa đã có một máy được tin cậy (mã {old_fp}, từ {since}); "
        f"gói {package.name} đến từ một máy khác (mã {fp2}); chưa nhập gì. Nếu Phường Ninh Hòa "
        "đã thay máy, hãy gọi điện đối chiếu mã rồi nhận lại với --replace (máy cũ sẽ bị thu "
        "hồi).\n"
    )
    code = cli_main(["--data-dir", str(work), "sync", "import", str(package), "--replace",
                     "--json"])  # fmt: skip
    rep = json.loads(capsys.readouterr().out)[0]
    assert code == 0 and rep["status"] == "applied", rep
    assert rep["summary"]["per_table"]["task_result"] == {"conflicts": 1}
    with AppContext(work, today=TODAY) as ctx:
        status = {p["fingerprint"]: p["status"] for p in sync.peers(ctx)}
        assert status[old_fp] == "replaced" and status[fp2] == "trusted"
        assert [p["status"] for p in sync.peers(ctx) if p["unit_code"] == A].count("trusted") == 1
        rep = only(sync.import_packages(ctx, [old_package]))
        assert (rep.status, rep.reason) == ("refused", "revoked")
        # The conflict, in words: unit, task, period, both values, who and when.
        c = next(x for x in sync.conflicts(ctx) if x["table_name"] == "task_result")
        assert (c["unit_name"], c["item"], c["period"]) == (
            "Phường Ninh Hòa",
            "kết quả nhiệm vụ 1.1",
            "2026",
        )
        assert {"field": "note", "kept": "máy mới", "lost": "Đã làm"} in c["changes"] or {
            "field": "note",
            "kept": "Đã làm",
            "lost": "máy mới",
        } in c["changes"]
    code = cli_main(["--data-dir", str(work), "sync", "conflicts"])
    line = next(x for x in capsys.readouterr().out.splitlines() if "1.1" in x)
    assert line.startswith("Phường Ninh Hòa · kết quả nhiệm vụ 1.1 · kỳ 2026: giữ bản của ")
    assert "ghi chú: “" in line and "máy mới" in line and "Đã làm" in line and "mã " in line
    assert re.search(r"\(\d\d/\d\d/20\d\d \d\d:\d\d\)", line)


def test_a_new_office_pc_may_take_over_the_old_offices_natural_keys(world, tmp_path):
    """The office reinstalled: its new key replaces the old one at the commune, and a
    holiday it adds for a day the old office had listed is a conflict, not a refusal."""
    from papi_desktop.services import catalogs

    d_dir, a_dir = tmp_path / "d", tmp_path / "a"
    shutil.copytree(world["d"], d_dir)
    shutil.copytree(world["a"], a_dir)
    with AppContext(d_dir, today=TODAY) as d:
        catalogs.add_holiday(d, "2027-03-10", "holiday", "Nghỉ của máy cũ")
        old_pkg = export(d, tmp_path / "old", for_unit=None)
    with AppContext(a_dir, today=TODAY) as a:
        assert [r.status for r in imp(a, old_pkg) if r.status != "skipped"] == ["applied"]
    d2 = make_district(tmp_path / "d2")
    catalogs.add_holiday(d2, "2027-03-10", "holiday", "Nghỉ của máy mới")
    new_pkg = export(d2, tmp_path / "new")
    d2.close()
    with AppContext(a_dir, today=TODAY) as a:
        rep = only(imp(a, new_pkg))
        assert rep.status == "applied", (rep.reason, rep.detail)
        names = [r[0] for r in a.db.query("SELECT name_vi FROM holiday WHERE day = '2027-03-10'")]
        assert len(names) == 1


def test_the_pc_after_a_revoked_one_enrols_and_inherits_its_keys(world, tmp_path):
    """A stolen PC is revoked; the commune's next PC needs no --replace and may answer the
    same task for the same period (a conflict the office can review), not a takeover."""
    work = tmp_path / "d"
    shutil.copytree(world["d"], work)
    with AppContext(work, today=TODAY) as d:
        sync.revoke_peer(d, world["a_site"])
    a3 = make_commune(tmp_path / "a3", A)
    with a3.db.transaction():
        rows.insert(a3.db, "task_result", {"unit_code": A, "task_code": "1.1", "period": "2026",
                                           "status": "doing", "note": "máy thứ ba"})  # fmt: skip
    package = export(a3, tmp_path / "usb")
    a3.close()
    with AppContext(work, today=TODAY) as d:
        rep = only(imp(d, package))
        assert rep.status == "applied", (rep.reason, rep.detail)
        assert rep.summary["per_table"]["task_result"] == {"conflicts": 1}


def test_content_no_check_foresaw_refuses_that_package_only(world, tmp_path, monkeypatch):
    """A package that breaks the importer in an unforeseen way is refused (rolled back, the
    traceback in the log) and the folder's other packages are still imported."""
    from papi_desktop.sync import authorize

    own = world["own"]["place"]
    folder = tmp_path / "usb"
    with AppContext(world["a"], today=TODAY) as ctx:
        for n in range(2):
            row = {**own, "id": _new_id(), "name": f"Thôn {n}", "search_key": f"thon {n}",
                   "version": _high(world["a_site"])}  # fmt: skip
            signed_package(ctx, folder, [row_line("place", row)])
    real, calls = authorize.check_audit, []

    def flaky(*args, **kw):
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("site")
        return real(*args, **kw)

    monkeypatch.setattr(authorize, "check_audit", flaky)
    reps, _, _ = _import_into(world, "d", folder, tmp_path)
    assert sorted((r.status, r.reason) for r in reps) == [("applied", ""), ("refused", "schema")]
    assert "KeyError" in next(r.detail for r in reps if r.status == "refused")


def test_evidence_hung_on_an_office_record_is_refused(world, tmp_path):
    own = world["own"]["attachment"]
    framework = world["victims"]["framework"]
    row = _as(world, "a", own, id=_new_id(), record_table="framework", record_id=framework["id"])
    package = _build(world, "a", [row_line("attachment", row)], tmp_path / "usb")
    reps, before, after = _import_into(world, "d", package, tmp_path)
    assert only(reps).reason == "ownership" and after == before


def test_an_enrolled_key_under_a_new_site_id_is_refused(world, tmp_path):
    """Ninh Hòa's key presented as a new PC of Bắc Ninh Hòa: not a first contact."""

    def other_site(m):
        m["sender"].update(site_id=str(uuid.uuid4()), unit_code=B, unit_name="Xã Bắc Ninh Hòa")

    with AppContext(world["a"], today=TODAY) as ctx:
        package = signed_package(ctx, tmp_path / "usb", [], edit=other_site)
    reps, before, after = _import_into(world, "d", package, tmp_path, trust_new=True)
    rep = only(reps)
    assert rep.reason == "unit_mismatch" and after == before
    assert "được ký bằng máy của Phường Ninh Hòa nhưng ghi là của Xã Bắc Ninh Hòa" in (
        rep.message_vi
    )


def test_more_lines_than_any_package_may_hold_are_not_parsed(world, tmp_path, monkeypatch):
    """Counts declared small, rows.jsonl long: refused by the line count, before parsing."""
    from papi_desktop.sync import package as pkgmod

    own = world["own"]["place"]
    lines = [row_line("place", {**own, "id": _new_id(), "name": f"Thôn {n}",
                                "search_key": f"thon {n}", "version": _high(world["a_site"])})
             for n in range(5)]  # fmt: skip
    with AppContext(world["a"], today=TODAY) as ctx:
        package = signed_package(ctx, tmp_path / "usb", lines)
    monkeypatch.setattr(pkgmod, "MAX_LINES", 3)
    reps, before, after = _import_into(world, "d", package, tmp_path)
    rep = only(reps)
    assert (rep.reason, after) == ("too_large", before) and "300.000 bản ghi" in rep.message_vi
