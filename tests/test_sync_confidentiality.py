"""A commune never receives another commune's business from the supervising office's USB stick.

Two communes and their office exchange real packages: the office returns commune A's year with
a comment, comments on a result of commune B and holds a conflict about one of B's rows. The
office writes one package per commune; after the exchange neither commune's database holds a
decision, comment, audit entry or conflict record about the other. A package addressed to the
other commune is skipped in a folder import but refused when imported on its own, and an
office of an older version that still sends everything is filtered at the door.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from test_sync_support import (
    COMMUNES,
    KHANH_HOA,
    TODAY,
    applied,
    forge,
    imp,
    make_commune,
    make_district,
    snapshot,
)

from papi_desktop.cli import main as cli_main
from papi_desktop.services import review, sync, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.store.backup import backup_to, restore_file
from papi_desktop.sync import package as pkgmod

A, B = COMMUNES[0], COMMUNES[1]


def _rows_of(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as zf:
        data = zf.read(pkgmod.ROWS).decode("utf-8")
    return [json.loads(x) for x in data.splitlines() if x]


def _about(ctx: AppContext, unit: str, unit_site: str) -> dict[str, int]:
    """Rows in ``ctx``'s database about ``unit``: submissions, reviews, their audit entries,
    and conflict records about that commune's rows."""
    ids = [
        r[0]
        for t in ("submission", "review")
        for r in ctx.db.query(f"SELECT id FROM {t} WHERE unit_code = ?", (unit,))
    ]
    conflicts = 0
    for r in ctx.db.query("SELECT loser_row FROM sync_conflict"):
        loser = json.loads(r["loser_row"])
        conflicts += loser.get("owner_site") == unit_site or loser.get("unit_code") == unit
    audit = sum(ctx.db.scalar("SELECT count(*) FROM audit WHERE row_id = ?", (rid,)) for rid in ids)
    return {
        "submission": ctx.db.scalar("SELECT count(*) FROM submission WHERE unit_code = ?", (unit,)),
        "review": ctx.db.scalar("SELECT count(*) FROM review WHERE unit_code = ?", (unit,)),
        "audit": audit,
        "conflicts": conflicts,
    }


@pytest.fixture
def world(tmp_path):
    """Communes A and B submitted 2026; B was restored from an old backup, so the office holds
    a conflict about B's result; the office returned A, accepted B and commented on both."""
    a, b = make_commune(tmp_path / "a", A), make_commune(tmp_path / "b", B)
    d = make_district(tmp_path / "d")
    task = tasks.framework_tasks(a)[0]
    period = tasks.valid_periods(task, 2026)[0]
    for c in (a, b):
        tasks.set_result(c, task.code, period, status="done", note="Đã làm")
        review.submit(c, 2026)
        up = tmp_path / f"up-{c.site.unit_code}"
        up.mkdir()
        applied(imp(d, sync.export_package(c, up).path))
    old = tmp_path / "b-old.sqlite3"
    backup_to(b.db.con, old)
    tasks.set_result(b, task.code, period, status="done", note="Bản bị mất ở xã B")
    applied(imp(d, sync.export_package(b, _mk(tmp_path / "up-b2")).path))
    root = b.paths.root
    b.close()
    restore_file(root / "papi.sqlite3", old, root / "backups")
    b = AppContext(root, today=TODAY)
    tasks.set_result(b, task.code, period, status="done", note="Làm lại sau khôi phục")
    rep = applied(imp(d, sync.export_package(b, _mk(tmp_path / "up-b3")).path))
    assert rep.summary["conflicts"] == 1
    review.decide(d, A, 2026, "returned", "Bổ sung biên bản họp thôn")
    review.decide(d, B, 2026, "accepted")
    review.comment_result(d, A, task.code, period, "Nhận xét cho xã A")
    review.comment_result(d, B, task.code, period, "Nhận xét riêng cho xã B")
    yield {"a": a, "b": b, "d": d, "root": tmp_path, "task": task, "period": period}
    for c in (a, b, d):
        c.close()


def _mk(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


def test_each_commune_gets_only_its_own_business(world):
    a, b, d, root = world["a"], world["b"], world["d"], world["root"]
    down = _mk(root / "down")
    res = sync.export_package(d, down)
    by_unit = {p.unit_code: p for p in res.packages}
    assert set(by_unit) == {A, B, None} and res.path == down
    with zipfile.ZipFile(by_unit[None].path) as zf:
        receiver = json.loads(zf.read(pkgmod.MANIFEST))["receiver"]
    assert receiver["unit_code"] is None and receiver["except_units"] == sorted([A, B])
    # On the stick already: A's package carries nothing about B, and the reverse.
    for mine, other, other_site, secret in (
        (A, B, b.site.id, "Nhận xét riêng cho xã B"),
        (B, A, a.site.id, "Bổ sung biên bản họp thôn"),
    ):
        lines = _rows_of(by_unit[mine].path)
        assert not [x for x in lines if x["k"] == "row" and x["r"].get("unit_code") == other]
        assert not [
            x
            for x in lines
            if x["k"] == "conflict"
            and json.loads(x["r"]["loser_row"])["owner_site"] in (other_site,)
        ]
        assert secret not in json.dumps(lines, ensure_ascii=False)
    shared = _rows_of(by_unit[None].path)
    assert not [x for x in shared if x["k"] == "row" and x["r"].get("unit_code")]
    assert not [x for x in shared if x["k"] == "conflict"]

    # Each commune imports the whole folder: its package applies, the others are skipped.
    for c, unit in ((a, A), (b, B)):
        reps = imp(c, down)
        assert {by_unit_code(r): r.status for r in reps} == {
            A: "applied" if unit == A else "skipped",
            B: "applied" if unit == B else "skipped",
            None: "skipped",
        }
    assert _about(a, B, b.site.id) == {"submission": 0, "review": 0, "audit": 0, "conflicts": 0}
    assert _about(b, A, a.site.id) == {"submission": 0, "review": 0, "audit": 0, "conflicts": 0}
    # ...and each sees its own.
    info = review.feedback(a, 2026)
    assert info["state"].state == "returned"
    assert info["state"].comment == "Bổ sung biên bản họp thôn"
    assert [c["comment"] for c in info["reviews"]] == ["Nhận xét cho xã A"]
    info = review.feedback(b, 2026)
    assert info["state"].state == "accepted"
    assert [c["comment"] for c in info["reviews"]] == ["Nhận xét riêng cho xã B"]
    assert _about(b, B, b.site.id)["conflicts"] == 1 and _about(a, A, a.site.id)["conflicts"] == 0

    # Acknowledgements keep moving per commune: after A's next package the office's package
    # for A is cumulative since A's acknowledgement, while B (no news from B since) still gets
    # everything meant for it, and only that.
    applied(imp(d, sync.export_package(a, _mk(root / "up-a2")).path))
    again = {p.unit_code: p for p in sync.export_package(d, _mk(root / "down2")).packages}
    assert not again[A].full and again[A].since and not again[A].counts.get("review")
    assert again[B].full and again[B].counts["review"] == 1
    assert again[None].full
    rep = applied([r for r in imp(a, root / "down2") if r.status != "skipped"])
    assert rep.summary["new"] == 0 and rep.summary["skipped"] == 0


def by_unit_code(rep: sync.PackageReport) -> str | None:
    name = Path(rep.file).name.split("-")[1]
    return None if name == KHANH_HOA else name


def test_another_communes_package_alone_is_refused_and_changes_nothing(world, capsys):
    a, d, root = world["a"], world["d"], world["root"]
    down = _mk(root / "down")
    pkgs = {p.unit_code: p.path for p in sync.export_package(d, down).packages}
    applied(imp(a, pkgs[A]))  # A knows its office now
    a_dir = a.paths.root
    a.close()
    before = snapshot(a_dir / "papi.sqlite3")
    for alone in (pkgs[B], pkgs[None]):
        capsys.readouterr()
        code = cli_main(["--data-dir", str(a_dir), "sync", "import", str(alone), "--json"])
        (rep,) = json.loads(capsys.readouterr().out)
        assert code == 2 and rep["status"] == "refused" and rep["reason"] == "receiver"
        assert (
            "không phải Phường Ninh Hòa" in rep["message_vi"]
            and "không nhập gì" in rep["message_vi"]
        )
        assert "\n" not in rep["message_vi"] and alone.name in rep["message_vi"]
        assert "Addressed elsewhere" in rep["detail"]
    assert rep["message_vi"].startswith(f"Gói {pkgs[None].name} dành cho các xã/phường chưa có")
    assert snapshot(a_dir / "papi.sqlite3") == before

    # In a batch, a tampered package or one from an unknown office is still refused (exit 2)
    # while the other commune's genuine package is only skipped.
    bad = root / "bad"
    bad.mkdir()
    shutil.copy(pkgs[B], bad)
    raw = bytearray(pkgs[A].read_bytes())
    raw[len(raw) // 2] ^= 0x5A
    (bad / pkgs[A].name).write_bytes(bytes(raw))
    stranger = make_district(root / "d-stranger")
    sync.export_package(stranger, bad)
    stranger.close()
    capsys.readouterr()
    code = cli_main(["--data-dir", str(a_dir), "sync", "import", str(bad), "--json"])
    reps = json.loads(capsys.readouterr().out)
    assert code == 2
    got = sorted((r["status"], r["reason"]) for r in reps)
    assert got == [("refused", "damaged"), ("refused", "unknown_sender"), ("skipped", "receiver")]
    by_reason = {r["reason"]: r for r in reps}
    assert by_reason["damaged"]["message_vi"] == (
        f"Gói dữ liệu {pkgs[A].name} bị hỏng hoặc đã bị sửa sau khi xuất (nội dung "
        "không khớp với bản kê có chữ ký, có thể do rút USB khi đang chép); không nhập gì. Hãy nhờ Sở Nội "
        "vụ tỉnh Khánh Hòa xuất lại gói và chép lại."
    )
    assert by_reason["receiver"]["message_vi"] == (
        "Không dành cho đơn vị này (gói Sở Nội vụ tỉnh Khánh Hòa gửi Xã Bắc Ninh Hòa); không "
        "nhập gì."
    )
    assert snapshot(a_dir / "papi.sqlite3") == before


def test_an_older_office_sending_everything_is_filtered_at_the_door(world):
    """Rows about B forced into A's (genuinely signed) package: counted, set aside, not
    stored; the manifest count check still holds."""
    a, d, root = world["a"], world["d"], world["root"]
    pkgs = {p.unit_code: p.path for p in sync.export_package(d, _mk(root / "down")).packages}
    lines = _rows_of(pkgs[B])
    b_rows = {x["r"]["id"] for x in lines if x["k"] == "row" and x["r"].get("unit_code") == B}
    foreign = [
        x
        for x in lines
        if (x["k"] == "row" and x["r"]["id"] in b_rows)
        or (x["k"] == "audit" and x["r"]["row_id"] in b_rows)
        or x["k"] == "conflict"
    ]
    assert {x["k"] for x in foreign} == {"row", "audit", "conflict"}

    def add(lines):
        return lines + foreign

    def recount(m):
        for x in foreign:
            key = x["t"] if x["k"] == "row" else {"audit": "audit", "conflict": "conflicts"}[x["k"]]
            m["counts"][key] = m["counts"].get(key, 0) + 1

    leaky = forge(pkgs[A], root / "leaky.papisync", lines=add, manifest=recount,
                  keys=(d.paths.keys, d.site.id))  # fmt: skip
    rep = applied(imp(a, leaky))
    rows_n = sum(1 for x in foreign if x["k"] == "row")
    assert rep.summary["skipped"] == rows_n
    assert _about(a, B, world["b"].site.id) == {
        "submission": 0, "review": 0, "audit": 0, "conflicts": 0,
    }  # fmt: skip
    assert [c["comment"] for c in review.feedback(a, 2026)["reviews"]] == ["Nhận xét cho xã A"]


def test_a_stick_that_toured_several_communes(world, capsys):
    """Commune A imports a stick holding commune B's upload and a stranger commune's upload
    (both for the office; A has never heard of either sender) and the office's packages for
    B and for communes without their own: all are skipped, nothing from them is stored, and
    A's own package applies. With only other units' packages, nothing changes at all."""
    a, b, root = world["a"], world["b"], world["root"]
    stick = _mk(root / "stick")
    b_upload = sync.export_package(b, stick).path
    stranger = make_commune(root / "c", COMMUNES[2])
    c_upload = sync.export_package(stranger, stick).path
    stranger.close()
    office = {p.unit_code: p.path for p in sync.export_package(world["d"], stick).packages}
    a_dir = a.paths.root
    a.close()
    # First without A's own package: a folder of other units' packages changes nothing.
    mine = office[A].rename(root / office[A].name)
    before = snapshot(a_dir / "papi.sqlite3")
    capsys.readouterr()
    code = cli_main(["--data-dir", str(a_dir), "sync", "import", str(stick), "--json"])
    reps = {Path(r["file"]).name: r for r in json.loads(capsys.readouterr().out)}
    assert code == 0
    assert {n: (r["status"], r["reason"]) for n, r in reps.items()} == {
        b_upload.name: ("skipped", "receiver"),
        c_upload.name: ("skipped", "receiver"),
        office[B].name: ("skipped", "receiver"),
        office[None].name: ("skipped", "receiver"),
    }
    assert not any(r["needs_trust"] for r in reps.values())
    assert reps[b_upload.name]["message_vi"] == (
        "Không dành cho đơn vị này (gói Xã Bắc Ninh Hòa gửi cơ quan giám sát); không nhập gì."
    )
    assert reps[office[None].name]["message_vi"] == (
        "Không dành cho đơn vị này (gói Sở Nội vụ tỉnh Khánh Hòa gửi các xã/phường chưa có gói "
        "riêng); không nhập gì."
    )
    code = cli_main(["--data-dir", str(a_dir), "sync", "import", str(stick)])
    assert code == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Không có gói nào dành cho đơn vị này; không nhập gì."
    )
    assert snapshot(a_dir / "papi.sqlite3") == before
    # With A's package back on the stick, it applies and the rest is still skipped.
    mine.rename(stick / mine.name)
    a = AppContext(a_dir, today=TODAY)
    try:
        rep = applied(imp(a, stick, trust_new=True))  # the office is new to A
        assert Path(rep.file).name == office[A].name
        peers = {p["unit_code"] for p in sync.peers(a)}
        assert peers == {None}  # only the office, though trust_new was given
        assert not a.db.scalar("SELECT count(*) FROM place WHERE unit_code <> ?", (A,))
    finally:
        a.close()


def test_single_file_for_another_commune_from_an_unknown_sender_is_refused(world, capsys):
    """Outside a folder import, an upload of another commune is refused (exit 2) in plain
    words, even though its sender is unknown here."""
    a, b, root = world["a"], world["b"], world["root"]
    upload = sync.export_package(b, _mk(root / "one")).path
    a_dir = a.paths.root
    a.close()
    before = snapshot(a_dir / "papi.sqlite3")
    capsys.readouterr()
    code = cli_main(["--data-dir", str(a_dir), "sync", "import", str(upload)])
    assert code == 2
    assert capsys.readouterr().out == (
        f"TỪ CHỐI: Gói {upload.name} do Xã Bắc Ninh Hòa gửi cho cơ quan giám sát, không dành cho "
        "Phường Ninh Hòa; không nhập gì. Hãy để gói này trên USB để mang tới cơ quan giám sát.\n"
    )
    assert snapshot(a_dir / "papi.sqlite3") == before
