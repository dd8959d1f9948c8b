"""Every refused package leaves the receiving database byte-for-byte as it was, and says so in
one plain line.

Each case runs the real command line (``sync import --json``, then the same import as plain
text in English) against a closed data folder, compares the database file's hash and a
logical dump before and after, and checks the exact Vietnamese message an official reads:
what is wrong and what to do, naming the sender (Phường Ninh Hòa) — never a temporary
file, a ZIP library error or a table name; those stay in ``detail``. Damaged copies keep the
file name of the package they were made from, as on a real stick.
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
from papi_desktop.services import sync, tasks
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
        "stranger_fp": sync.ensure_identity(stranger)["fingerprint"],
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


# Words that belong to the log, not to an official's screen.
TECHNICAL = (".incoming", ".work-", "CRC", "zip", "Zip", "jsonl", "manifest", "sqlite", "Error",
             "{", "secret_table", "hacked", "owner_site", "unit_code")  # fmt: skip
SENDER = "Phường Ninh Hòa"


def expected_vi(reason: str, name: str) -> str:
    """The message the receiving office must show for ``reason`` (sender: Phường Ninh Hòa)."""
    s = SENDER
    return {
        "damaged": f"Gói dữ liệu {name} bị hỏng hoặc đã bị sửa sau khi xuất (nội dung "
        f"không khớp với bản kê có chữ ký, có thể do rút USB khi đang chép); không nhập gì. Hãy nhờ {s} "
        "xuất lại gói và chép lại.",
        "signature": f"Gói {name} đã bị thay đổi sau khi xuất hoặc không do {s} tạo ra (chữ ký "
        f"không khớp); không nhập gì. Hãy nhờ {s} xuất lại gói và chép lại.",
        "limits": f"Gói {name} có nội dung bất thường (có thể đã bị sửa hoặc là tệp độc hại); "
        f"không nhập gì. Hãy xóa tệp này khỏi USB và nhờ {s} xuất lại gói.",
        "format_version": f"Gói {name} do phiên bản PAPI Desktop mới hơn tạo ra nên máy này chưa "
        "đọc được; không nhập gì. Hãy cập nhật PAPI Desktop trên máy này rồi nhận lại.",
        "schema": f"Gói {name} của {s} có dữ liệu mà phiên bản PAPI Desktop trên máy này chưa "
        f"hiểu; không nhập gì. Hãy cập nhật PAPI Desktop trên máy này, hoặc nhờ {s} xuất lại gói.",
        "ownership": f"Gói {name} mang tên {s} nhưng chứa dữ liệu không phải của đơn vị đó (có "
        f"thể đã bị sửa); không nhập gì. Hãy gọi điện cho {s} để kiểm tra và nhờ xuất lại gói.",
        "sanity": f"Gói {name} của {s} không đầy đủ (số bản ghi không khớp); không nhập gì. Hãy "
        f"nhờ {s} xuất lại gói, chọn “Gửi toàn bộ dữ liệu”.",
        "key_changed": f"Gói {name} mang tên {s} nhưng được ký bằng khóa khác với máy đã đăng ký "
        f"(có thể là gói giả mạo, hoặc {s} đã cài lại máy); không nhập gì. Hãy gọi điện cho {s} "
        "để hỏi.",
    }[reason]


def _run_refused(
    target: Path, file: Path, capsys, reasons: set[str], extra=(), expect: str | None = None
) -> dict:
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
    vi, en = report["message_vi"], report["message_en"]
    if expect is None and report["reason"] != "path":
        expect = expected_vi("limits" if report["reason"] == "members" else report["reason"],
                             file.name)  # fmt: skip
    if expect is not None:
        assert vi == expect
    assert "\n" not in vi and "\n" not in en and "Hãy" in vi and "Hãy" not in en
    assert not [w for w in TECHNICAL if w in vi or w in en], (vi, en)
    assert report["detail"]  # the technical cause, for the log and scripts
    # The same refusal as plain text in English: one line, the English message.
    code = cli_main(["--lang", "en", "--data-dir", str(work), "sync", "import", str(file), *extra])
    assert code == 2 and capsys.readouterr().out == f"REFUSED: {en}\n"
    assert snapshot(db_file) == before
    return report


@pytest.mark.parametrize("member", ["manifest.json", "rows.jsonl", "attachments/", "manifest.sig"])
def test_one_flipped_byte_in_each_member(world, tmp_path, capsys, member):
    name = _member(world["good"], member)
    bad = _flip_member(world["good"], tmp_path / world["good"].name, name)
    _run_refused(world["d_dir"], bad, capsys, {"damaged", "signature"})


def test_truncated_file(world, tmp_path, capsys):
    raw = world["good"].read_bytes()
    for cut in (len(raw) // 2, len(raw) - 10, 100):
        (tmp_path / str(cut)).mkdir()
        bad = tmp_path / str(cut) / world["good"].name
        bad.write_bytes(raw[:cut])
        _run_refused(world["d_dir"], bad, capsys, {"damaged"})


def test_missing_signature(world, tmp_path, capsys):
    bad = forge(
        world["good"], tmp_path / world["good"].name, keys=world["keys"], drop=("manifest.sig",)
    )
    _run_refused(world["d_dir"], bad, capsys, {"signature"})


def test_signed_by_another_key(world, tmp_path, capsys):
    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["stranger_keys"])
    _run_refused(world["d_dir"], bad, capsys, {"signature"})


def test_known_site_id_with_a_different_key_is_refused(world, tmp_path, capsys):
    from papi_desktop.sync import identity

    other_pub = identity.public_key_hex(*world["stranger_keys"])

    def swap_key(m):
        m["sender"]["public_key"] = other_pub

    bad = forge(world["good"], tmp_path / world["good"].name, manifest=swap_key,
                keys=world["stranger_keys"])  # fmt: skip
    _run_refused(world["d_dir"], bad, capsys, {"key_changed"})


def test_unknown_sender_needs_confirmation(world, capsys):
    fp = world["stranger_fp"]
    rep = _run_refused(world["d_dir"], world["stranger"], capsys, {"unknown_sender"}, expect=(
        f"Xã Bắc Ninh Hòa gửi gói tới máy này lần đầu; mã nhận dạng của máy gửi là {fp}. Hãy gọi "
        "điện cho Xã Bắc Ninh Hòa để đối chiếu mã này rồi xác nhận (dòng lệnh: thêm "
        "--trust-new); chưa nhập gì."
    ))  # fmt: skip
    assert rep["needs_trust"] and rep["fingerprint"] == fp


def test_package_meant_for_another_unit(world, capsys):
    """An office of another province names the sender and its province, not a code."""
    name = world["good"].name
    _run_refused(world["d2_dir"], world["good"], capsys, {"receiver"}, extra=("--trust-new",),
                 expect=f"Gói {name} do Phường Ninh Hòa (tỉnh Khánh Hòa) gửi, không thuộc danh "
                 "sách xã/phường của cơ quan này; không nhập gì. Hãy để gói này trên USB để mang "
                 "tới cơ quan giám sát của tỉnh Khánh Hòa.")  # fmt: skip


def test_commune_package_to_a_commune_is_refused(world, capsys):
    name = world["stranger"].name
    _run_refused(world["a_dir"], world["stranger"], capsys, {"receiver"}, extra=("--trust-new",),
                 expect=f"Gói {name} do Xã Bắc Ninh Hòa gửi cho cơ quan giám sát, không dành cho "
                 "Phường Ninh Hòa; không nhập gì. Hãy để gói này trên USB để mang tới cơ quan "
                 "giám sát.")  # fmt: skip


def test_commune_outside_the_offices_list(world, capsys):
    """A commune of the province the office does not follow (its list was narrowed)."""
    from papi_desktop.services import sync
    from papi_desktop.services.context import AppContext

    edited = world["root"] / "d-narrow"
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(world["d_dir"], edited)
    with AppContext(edited) as ctx:
        sync.set_accepted_units(ctx, [COMMUNES[2]])
    name = world["good"].name
    _run_refused(edited, world["good"], capsys, {"not_allowed"}, expect=(
        f"Gói {name} do Phường Ninh Hòa (tỉnh Khánh Hòa) gửi, không thuộc danh sách xã/phường "
        "của cơ quan này; không nhập gì. Hãy kiểm tra lại USB; nếu cơ quan này có theo dõi "
        "Phường Ninh Hòa, hãy nhờ cán bộ kỹ thuật thêm vào danh sách."
    ))  # fmt: skip


def test_newer_format_version(world, tmp_path, capsys):
    def newer(m):
        m["format_version"] = pkgmod.FORMAT_VERSION + 1

    bad = forge(world["good"], tmp_path / world["good"].name, manifest=newer, keys=world["keys"])
    _run_refused(world["d_dir"], bad, capsys, {"format_version"})


def test_zip_bomb(world, tmp_path, capsys):
    zeros = b"\0" * (40 * 1024 * 1024)
    import hashlib

    name = "attachments/" + hashlib.sha256(zeros).hexdigest()
    bad = forge(
        world["good"], tmp_path / world["good"].name, keys=world["keys"], extra={name: zeros}
    )
    assert bad.stat().st_size < 1024 * 1024
    _run_refused(world["d_dir"], bad, capsys, {"limits"})


@pytest.mark.parametrize("name", ["../../evil.txt", "/etc/evil", "attachments/../../x", "C:\\x"])
def test_unsafe_member_path(world, tmp_path, capsys, name):
    bad = forge(
        world["good"], tmp_path / world["good"].name, keys=world["keys"], extra={name: b"x"}
    )
    _run_refused(world["d_dir"], bad, capsys, {"path", "members"})


def test_row_for_an_unknown_table(world, tmp_path, capsys):
    def add_table(lines):
        row = dict(next(x for x in lines if x["k"] == "row")["r"])
        return [*lines, {"k": "row", "t": "secret_table", "r": row, "a": []}]

    def count(m):
        m["counts"]["secret_table"] = 1

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], lines=add_table,
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

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], lines=add_col)
    _run_refused(world["d_dir"], bad, capsys, {"schema"})


def test_row_with_a_wrong_type(world, tmp_path, capsys):
    def bad_type(lines):
        return [
            {**x, "r": {**x["r"], "follow_up": "yes"}}
            if x["k"] == "row" and x["t"] == "task_result" else x
            for x in lines
        ]  # fmt: skip

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], lines=bad_type)
    _run_refused(world["d_dir"], bad, capsys, {"schema"})


def test_row_of_another_unit_or_owner(world, tmp_path, capsys):
    def other_unit(lines):
        return [
            {**x, "r": {**x["r"], "unit_code": COMMUNES[2]}}
            if x["k"] == "row" and x["t"] == "task_result" else x
            for x in lines
        ]  # fmt: skip

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], lines=other_unit)
    _run_refused(world["d_dir"], bad, capsys, {"other_unit"}, expect=(
        f"Gói {bad.name} của Phường Ninh Hòa chứa dữ liệu của Phường Bắc Nha Trang (kết quả nhiệm vụ); "
        "không nhập gì. Hãy gọi điện cho Phường Ninh Hòa để kiểm tra máy gửi."
    ))  # fmt: skip

    def other_owner(lines):
        return [
            {**x, "r": {**x["r"], "owner_site": "someone-else"}} if x["k"] == "row" else x
            for x in lines
        ]

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], lines=other_owner)
    _run_refused(world["d_dir"], bad, capsys, {"ownership"})


def test_counts_not_matching_the_manifest(world, tmp_path, capsys):
    def more(m):
        m["counts"]["task_result"] = m["counts"].get("task_result", 0) + 1

    bad = forge(world["good"], tmp_path / world["good"].name, keys=world["keys"], manifest=more)
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


def test_not_a_package_at_all(world, tmp_path, capsys):
    """A text file named like a package: Python's "File is not a zip file" stays in detail."""
    bad = tmp_path / "ghi-chu.papisync"
    bad.write_text("Danh sách thôn", encoding="utf-8")
    rep = _run_refused(world["d_dir"], bad, capsys, {"damaged"}, expect=(
        "Gói dữ liệu ghi-chu.papisync bị hỏng hoặc đã bị sửa sau khi xuất (nội dung "
        "không khớp với bản kê có chữ ký, có thể do rút USB khi đang chép); không nhập gì. Hãy nhờ máy gửi "
        "xuất lại gói và chép lại."
    ))  # fmt: skip
    assert "not a zip file" in rep["detail"]


def test_another_programs_file(world, tmp_path, capsys):
    def other(m):
        m["format"] = "other-sync"

    bad = forge(world["good"], tmp_path / world["good"].name, manifest=other, keys=world["keys"])
    _run_refused(world["d_dir"], bad, capsys, {"format"}, expect=(
        f"Tệp {bad.name} không phải gói dữ liệu của PAPI Desktop; không nhập gì. Hãy kiểm tra lại "
        "tệp trên USB (gói đúng có đuôi .papisync do PAPI Desktop xuất ra)."
    ))  # fmt: skip


def test_own_package_alone(world, capsys):
    _run_refused(world["a_dir"], world["good"], capsys, {"own"}, expect=(
        f"Gói {world['good'].name} do chính máy này xuất ra; không cần nhận. Hãy mang USB tới cơ "
        "quan giám sát."
    ))  # fmt: skip


def test_revoked_sender(world, capsys):
    from papi_desktop.services.context import AppContext

    edited = world["root"] / "d-revoked"
    shutil.rmtree(edited, ignore_errors=True)
    shutil.copytree(world["d_dir"], edited)
    with AppContext(edited) as ctx:
        sync.revoke_peer(ctx, world["keys"][1])
    _run_refused(edited, world["good"], capsys, {"revoked"}, expect=(
        f"Máy đã xuất gói {world['good'].name} của Phường Ninh Hòa đã bị thu hồi hoặc được thay "
        "bằng máy khác; không nhập gì. Hãy nhờ Phường Ninh Hòa xuất gói từ máy đang dùng."
    ))  # fmt: skip
