"""Every refused package leaves the receiving database byte-for-byte as it was.

Each case runs the real command line (``sync import --json``) against a closed data folder and
compares the database file's hash and a logical dump before and after.
"""

from __future__ import annotations

import json
import shutil
import struct
import unicodedata
import zipfile
from pathlib import Path

import pytest
from test_sync_support import (
    COMMUNES,
    add_place,
    export,
    forge,
    imp,
    make_commune,
    make_district,
    only,
    snapshot,
)

from papi_desktop.cli import main as cli_main
from papi_desktop.services import tasks
from papi_desktop.sync import package as pkgmod


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A district that already knows commune A, and A's next package (with an attachment)."""
    root = tmp_path_factory.mktemp("refusals")
    a = make_commune(root / "a")
    d = make_district(root / "d")
    add_place(a, "Thôn Phú Hòa")
    assert only(imp(d, export(a, root / "usb0"))).status == "applied"
    assert only(imp(a, export(d, root / "usb0"))).status == "applied"
    ev = root / "bien-ban.txt"
    ev.write_text("Biên bản niêm yết", encoding="utf-8")
    t = tasks.framework_tasks(a)[0]
    tasks.set_result(a, t.code, tasks.valid_periods(t, 2026)[0], status="done",
                     note=unicodedata.normalize("NFD", "Đã niêm yết đủ"), evidence=[ev])  # fmt: skip
    good = export(a, root / "usb1")
    stranger = make_commune(root / "s", COMMUNES[1])
    add_place(stranger, "Thôn Lạ")
    strange_pkg = export(stranger, root / "usb2")
    other_d = make_district(root / "d2", province="01")
    info = {
        "root": root,
        "good": good,
        "stranger": strange_pkg,
        "keys": (a.paths.keys, a.site.id),
        "a_dir": a.paths.root,
        "d_dir": d.paths.root,
        "d2_dir": other_d.paths.root,
        "stranger_keys": (stranger.paths.keys, stranger.site.id),
    }
    for ctx in (a, d, stranger, other_d):
        ctx.close()
    return info


def _flip_member(src: Path, dest: Path, member: str) -> Path:
    raw = bytearray(src.read_bytes())
    with zipfile.ZipFile(src) as zf:
        info = zf.getinfo(member)
    name_len, extra_len = struct.unpack(
        "<HH", raw[info.header_offset + 26 : info.header_offset + 30]
    )
    start = info.header_offset + 30 + name_len + extra_len
    raw[start + info.compress_size // 2] ^= 0x5A
    dest.write_bytes(bytes(raw))
    return dest


def _member(src: Path, prefix: str) -> str:
    with zipfile.ZipFile(src) as zf:
        return next(n for n in zf.namelist() if n.startswith(prefix))


def _run_refused(target: Path, file: Path, capsys, reasons: set[str], extra=()) -> dict:
    shutil.rmtree(target.parent / "work", ignore_errors=True)
    work = target.parent / "work"
    shutil.copytree(target, work)
    db_file = work / "papi.sqlite3"
    before = snapshot(db_file)
    capsys.readouterr()
    code = cli_main(["--data-dir", str(work), "sync", "import", str(file), "--json", *extra])
    out = capsys.readouterr().out
    assert code == 2
    report = json.loads(out)[0]
    assert report["status"] == "refused"
    assert report["reason"] in reasons, report
    assert report["message_vi"] and report["message_en"]
    assert snapshot(db_file) == before
    return report


@pytest.mark.parametrize("member", ["manifest.json", "rows.jsonl", "attachments/", "manifest.sig"])
def test_one_flipped_byte_in_each_member(world, tmp_path, capsys, member):
    name = _member(world["good"], member)
    bad = _flip_member(world["good"], tmp_path / "bad.papisync", name)
    _run_refused(world["d_dir"], bad, capsys, {"damaged", "signature"})


def test_truncated_file(world, tmp_path, capsys):
    raw = world["good"].read_bytes()
    for cut in (len(raw) // 2, len(raw) - 10, 100):
        bad = tmp_path / f"cut{cut}.papisync"
        bad.write_bytes(raw[:cut])
        _run_refused(world["d_dir"], bad, capsys, {"damaged"})


def test_missing_signature(world, tmp_path, capsys):
    bad = forge(
        world["good"], tmp_path / "nosig.papisync", keys=world["keys"], drop=("manifest.sig",)
    )
    _run_refused(world["d_dir"], bad, capsys, {"signature"})


def test_signed_by_another_key(world, tmp_path, capsys):
    bad = forge(world["good"], tmp_path / "wrongkey.papisync", keys=world["stranger_keys"])
    _run_refused(world["d_dir"], bad, capsys, {"signature"})


def test_known_site_id_with_a_different_key_is_refused(world, tmp_path, capsys):
    from papi_desktop.sync import identity

    other_pub = identity.public_key_hex(*world["stranger_keys"])

    def swap_key(m):
        m["sender"]["public_key"] = other_pub

    bad = forge(world["good"], tmp_path / "swap.papisync", manifest=swap_key,
                keys=world["stranger_keys"])  # fmt: skip
    _run_refused(world["d_dir"], bad, capsys, {"key_changed"})


def test_unknown_sender_needs_confirmation(world, capsys):
    rep = _run_refused(world["d_dir"], world["stranger"], capsys, {"unknown_sender"})
    assert rep["needs_trust"] and rep["fingerprint"] in rep["message_vi"]


def test_package_meant_for_another_unit(world, capsys):
    _run_refused(world["d2_dir"], world["good"], capsys, {"receiver"}, extra=("--trust-new",))


def test_commune_package_to_a_commune_is_refused(world, capsys):
    _run_refused(world["a_dir"], world["stranger"], capsys, {"receiver"}, extra=("--trust-new",))


def test_newer_format_version(world, tmp_path, capsys):
    def newer(m):
        m["format_version"] = pkgmod.FORMAT_VERSION + 1

    bad = forge(world["good"], tmp_path / "v2.papisync", manifest=newer, keys=world["keys"])
    _run_refused(world["d_dir"], bad, capsys, {"format_version"})


def test_zip_bomb(world, tmp_path, capsys):
    zeros = b"\0" * (40 * 1024 * 1024)
    import hashlib

    name = "attachments/" + hashlib.sha256(zeros).hexdigest()
    bad = forge(world["good"], tmp_path / "bomb.papisync", keys=world["keys"], extra={name: zeros})
    assert bad.stat().st_size < 1024 * 1024
    _run_refused(world["d_dir"], bad, capsys, {"limits"})


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil", "attachments/../../x", "C:\\x"])
def test_unsafe_member_path(world, tmp_path, capsys, name):
    bad = forge(world["good"], tmp_path / "path.papisync", keys=world["keys"], extra={name: b"x"})
    _run_refused(world["d_dir"], bad, capsys, {"path", "members"})


def test_row_for_an_unknown_table(world, tmp_path, capsys):
    def add_table(lines):
        row = dict(next(x for x in lines if x["k"] == "row")["r"])
        return [*lines, {"k": "row", "t": "secret_table", "r": row, "a": []}]

    def count(m):
        m["counts"]["secret_table"] = 1

    bad = forge(world["good"], tmp_path / "table.papisync", keys=world["keys"], lines=add_table,
                manifest=count)  # fmt: skip
    _run_refused(world["d_dir"], bad, capsys, {"schema"})


def test_row_with_an_unknown_column(world, tmp_path, capsys):
    def add_col(lines):
        out = []
        for x in lines:
            if x["k"] == "row" and x["t"] == "task_result":
                x = {**x, "r": {**x["r"], "hacked": 1}}
            out.append(x)
        return out

    bad = forge(world["good"], tmp_path / "col.papisync", keys=world["keys"], lines=add_col)
    _run_refused(world["d_dir"], bad, capsys, {"schema"})


def test_row_with_a_wrong_type(world, tmp_path, capsys):
    def bad_type(lines):
        return [
            {**x, "r": {**x["r"], "follow_up": "yes"}}
            if x["k"] == "row" and x["t"] == "task_result" else x
            for x in lines
        ]  # fmt: skip

    bad = forge(world["good"], tmp_path / "type.papisync", keys=world["keys"], lines=bad_type)
    _run_refused(world["d_dir"], bad, capsys, {"schema"})


def test_row_of_another_unit_or_owner(world, tmp_path, capsys):
    def other_unit(lines):
        return [
            {**x, "r": {**x["r"], "unit_code": COMMUNES[2]}}
            if x["k"] == "row" and x["t"] == "task_result" else x
            for x in lines
        ]  # fmt: skip

    bad = forge(world["good"], tmp_path / "unit.papisync", keys=world["keys"], lines=other_unit)
    _run_refused(world["d_dir"], bad, capsys, {"ownership"})

    def other_owner(lines):
        return [
            {**x, "r": {**x["r"], "owner_site": "someone-else"}} if x["k"] == "row" else x
            for x in lines
        ]

    bad = forge(world["good"], tmp_path / "own.papisync", keys=world["keys"], lines=other_owner)
    _run_refused(world["d_dir"], bad, capsys, {"ownership"})


def test_counts_not_matching_the_manifest(world, tmp_path, capsys):
    def more(m):
        m["counts"]["task_result"] = m["counts"].get("task_result", 0) + 1

    bad = forge(world["good"], tmp_path / "count.papisync", keys=world["keys"], manifest=more)
    _run_refused(world["d_dir"], bad, capsys, {"sanity"})


def test_the_untouched_package_is_accepted(world, tmp_path, capsys):
    """The control case: the same fixture's package applies, so the refusals above are real."""
    work = tmp_path / "d"
    shutil.copytree(world["d_dir"], work)
    capsys.readouterr()
    code = cli_main(["--data-dir", str(work), "sync", "import", str(world["good"]), "--json"])
    rep = json.loads(capsys.readouterr().out)[0]
    assert code == 0 and rep["status"] == "applied"
    assert rep["summary"]["new"] >= 2 and rep["summary"]["attachments"] == 1
