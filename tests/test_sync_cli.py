"""End to end through the command line: two communes and their supervising office exchange
USB packages — Vietnamese text typed in NFC and NFD, evidence files, a framework upgrade sent
down and the office's review comments sent back."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

from test_sync_support import COMMUNES, KHANH_HOA, TODAY

from papi_desktop.cli import main as cli_main
from papi_desktop.services import review, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows


def run(capsys, data: Path, *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = cli_main(["--data-dir", str(data), *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def run_json(capsys, data: Path, *args: str):
    code, out, _err = run(capsys, data, *args, "--json")
    return code, json.loads(out)


def _publish_v2(district_dir: Path) -> int:
    """A new framework version on the office's database, made directly with the store API."""
    with AppContext(district_dir, today=TODAY) as ctx:
        v1 = tasks.current_framework(ctx)
        with ctx.db.transaction():
            keep = ("index_name", "level", "title_vi", "title_en", "issuer_vi", "years")
            fid = rows.insert(
                ctx.db,
                "framework",
                {k: v1[k] for k in keep} | {"fw_version": v1["fw_version"] + 1, "is_current": 1},
            )
            old = ctx.db.query(
                "SELECT * FROM task WHERE framework_id = ? ORDER BY sort_order", (v1["id"],)
            )
            cols = [k for k in old[0].keys() if k not in rows.SYSTEM_COLUMNS]  # noqa: SIM118
            for t in old:
                rows.insert(ctx.db, "task", {k: t[k] for k in cols} | {"framework_id": fid})
            rows.insert(
                ctx.db,
                "task",
                {k: old[0][k] for k in cols}
                | {"framework_id": fid, "code": "8.9.1", "title_vi": "Nhiệm vụ bổ sung năm 2027"},
            )
            rows.update(ctx.db, "framework", v1["id"], {"is_current": 0})
        return v1["fw_version"] + 1


def test_two_communes_and_their_office_through_the_cli(tmp_path, capsys):
    d, a, b = tmp_path / "so-noi-vu", tmp_path / "xa-a", tmp_path / "xa-b"
    assert run(capsys, d, "init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA)[0] == 0  # fmt: skip
    assert run(capsys, a, "init", "--role", "commune", "--unit-code", COMMUNES[0])[0] == 0
    assert run(capsys, b, "init", "--role", "commune", "--unit-code", COMMUNES[1])[0] == 0
    with AppContext(a, today=TODAY) as ctx:
        task = tasks.framework_tasks(ctx)[0]
        period = tasks.valid_periods(task, 2026)[0]
    nfd_note = unicodedata.normalize("NFD", "Đã niêm yết tại nhà văn hóa thôn Phú Hòa")
    evidence = tmp_path / "biên bản.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban niem yet")
    code, _, err = run(capsys, a, "tasks", "set", task.code, "--period", period, "--status", "done",
                       "--note", nfd_note, "--evidence", str(evidence))  # fmt: skip
    assert code == 0, err
    assert run(capsys, b, "tasks", "set", task.code, "--period", period, "--status", "doing",
               "--note", "Đang chuẩn bị hồ sơ")[0] == 0  # fmt: skip

    usb = tmp_path / "usb"
    usb.mkdir()
    code, out, _ = run(capsys, a, "sync", "export", "--to", str(usb))
    pkg_a = Path(out.strip())
    assert code == 0 and pkg_a.is_file() and pkg_a.name.startswith(f"PAPI-{COMMUNES[0]}-")
    code, exp_b = run_json(capsys, b, "sync", "export", "--to", str(usb))
    assert code == 0 and exp_b["full"] is True and exp_b["counts"]["task_result"] == 1

    # Unknown senders are refused until their fingerprints are confirmed.
    code, reps = run_json(capsys, d, "sync", "import", str(usb))
    assert code == 2 and {r["reason"] for r in reps} == {"unknown_sender"}
    code, reps = run_json(capsys, d, "sync", "import", str(usb), "--dry-run", "--trust-new")
    assert code == 0 and [r["status"] for r in reps] == ["dry_run", "dry_run"]
    by_unit = {r["from"]["unit_code"]: r for r in reps}
    assert by_unit[COMMUNES[0]]["summary"]["attachments"] == 1
    per_table = by_unit[COMMUNES[0]]["summary"]["per_table"]
    for table in ("place", "task_result", "attachment"):  # head-office place, result, evidence
        assert per_table[table] == {"new": 1}
    code, reps = run_json(capsys, d, "sync", "import", str(usb), "--trust-new")
    assert code == 0 and [r["status"] for r in reps] == ["applied", "applied"]
    for r in reps:
        assert set(r) >= {"package_id", "from", "status", "reason", "counts"}
    code, reps = run_json(capsys, d, "sync", "import", str(pkg_a))
    assert code == 0 and reps[0]["status"] == "already_imported"

    # Text arrives in NFC; the evidence file arrives intact.
    code, listed = run_json(capsys, d, "tasks", "list", "--unit", COMMUNES[0], "--year", "2026")
    note = next(r["note"] for r in listed if r["code"] == task.code and r["period"] == period)
    assert note == unicodedata.normalize("NFC", nfd_note) and note != nfd_note
    code, report = run_json(capsys, d, "check")
    assert code == 0 and report["ok"] and report["attachments_checked"] == 1
    code, peers = run_json(capsys, d, "sync", "peers")
    assert sorted(p["unit_code"] for p in peers["peers"]) == sorted(COMMUNES[:2])

    # The office publishes framework v2 and comments on commune A's result.
    new_version = _publish_v2(d)
    with AppContext(d, today=TODAY) as ctx:
        review.comment_result(ctx, COMMUNES[0], task.code, period,
                              unicodedata.normalize("NFD", "Đề nghị bổ sung ảnh chụp"))  # fmt: skip
    down = tmp_path / "usb-down"
    down.mkdir()
    # One package per enrolled commune, plus one for the province's other communes: one path
    # per line.
    code, out, _ = run(capsys, d, "sync", "export", "--to", str(down))
    assert code == 0
    written = [Path(line) for line in out.splitlines()]
    assert sorted(p.name.split("-")[1] for p in written) == sorted([*COMMUNES[:2], KHANH_HOA])
    assert all(p.is_file() and p.parent == down for p in written)
    for commune, code_ in ((a, COMMUNES[0]), (b, COMMUNES[1])):
        code, reps = run_json(capsys, commune, "sync", "import", str(down), "--trust-new")
        assert code == 0
        status = {Path(r["file"]).name.split("-")[1]: r["status"] for r in reps}
        assert status == {code_: "applied"} | {
            c: "skipped" for c in (*COMMUNES[:2], KHANH_HOA) if c != code_
        }
        with AppContext(commune, today=TODAY) as ctx:
            assert tasks.current_framework(ctx)["fw_version"] == new_version
            assert "8.9.1" in {t.code for t in tasks.framework_tasks(ctx)}
            comments = ctx.db.query("SELECT unit_code, comment FROM review WHERE deleted = 0")
        # The comment on A's result reaches A only.
        expected = [(COMMUNES[0], "Đề nghị bổ sung ảnh chụp")] if commune == a else []
        assert [tuple(c) for c in comments] == expected
    # Commune A's answer survived the upgrade (same task code).
    code, listed = run_json(capsys, a, "tasks", "list", "--year", "2026")
    row = next(r for r in listed if r["code"] == task.code and r["period"] == period)
    assert row["status"] == "done" and row["framework_version"] == new_version

    # The next package from A is cumulative since the office's acknowledgement: nothing old.
    code, exp = run_json(capsys, a, "sync", "export", "--to", str(tmp_path))
    assert code == 0 and exp["full"] is False and not exp["counts"].get("task_result")
    assert [p["path"] for p in exp["packages"]] == [exp["path"]]
    code, reps = run_json(capsys, d, "sync", "import", exp["path"])
    assert code == 0 and reps[0]["status"] == "applied"
    code, conflicts = run_json(capsys, d, "sync", "conflicts")
    assert code == 0 and conflicts == []


def test_refused_import_exits_2_with_one_line(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    run(capsys, a, "init", "--role", "commune", "--unit-code", COMMUNES[0])
    run(capsys, b, "init", "--role", "commune", "--unit-code", COMMUNES[1])
    usb = tmp_path / "usb"
    usb.mkdir()
    run(capsys, a, "sync", "export", "--to", str(usb))
    (upload,) = usb.iterdir()
    # Alone, commune A's upload is refused at commune B, in one plain line naming both.
    code, out, _ = run(capsys, b, "sync", "import", str(upload))
    assert code == 2 and out.count("\n") == 1
    assert out == (
        f"TỪ CHỐI: Gói {upload.name} do Phường Ninh Hòa gửi cho cơ quan giám sát, không dành "
        "cho Xã Bắc Ninh Hòa; không nhập gì. Hãy để gói này trên USB để mang tới cơ quan "
        "giám sát.\n"
    )
    code, out, _ = run(capsys, b, "--lang", "en", "sync", "import", str(upload))
    assert code == 2 and out.startswith("REFUSED: Package PAPI-") and "nothing was imported" in out
    # The same stick as a folder: the upload is left aside for the office (exit 0).
    code, out, _ = run(capsys, b, "sync", "import", str(usb))
    assert code == 0
    assert out.splitlines() == [
        f"BỎ QUA {upload.name}: Không dành cho đơn vị này (gói Phường Ninh Hòa gửi cơ quan "
        "giám sát); không nhập gì.",
        "Không có gói nào dành cho đơn vị này; không nhập gì.",
    ]
    code, out, _err = run(capsys, b, "sync", "import", str(tmp_path / "none"))
    assert code == 2 and out.count("\n") == 1 and "Không tìm thấy tệp none" in out


def test_office_edits_its_list_of_communes(cli):
    assert (
        cli(
            "init",
            "--role",
            "district",
            "--unit-name",
            "Sở Nội vụ tỉnh Khánh Hòa",
            "--province-code",
            "56",
        ).code
        == 0
    )
    everyone = cli("sync", "communes", "--json").json()
    assert len(everyone) == 65 and {"code", "name"} <= set(everyone[0])
    # A ward of another province (Hà Nội) is not this office's: refused, nothing changed.
    r = cli("sync", "communes", "--remove", "22546", "--add", "00004", "--json")
    assert r.code == 2 and r.err.count("\n") == 1
    assert "thuộc Thành phố Hà Nội, không thuộc Tỉnh Khánh Hòa" in r.err
    r = cli("sync", "communes", "--remove", "22546", "--add", "22528", "--json")
    codes = {u["code"] for u in r.json()}
    assert "22546" not in codes and "22528" in codes and len(codes) == 64
    bad = cli("sync", "communes", "--add", "99999")
    assert bad.code == 2 and "Không có xã/phường mã" in bad.err
    assert len(cli("sync", "communes", "--whole-province", "--json").json()) == 65
