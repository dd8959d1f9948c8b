"""The command-line contract of the core issue, end to end, including bad input."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE, KHANH_HOA, run_cli_subprocess


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.fixture
def commune(cli):
    assert (
        cli(
            "init",
            "--role",
            "commune",
            "--unit-code",
            DEMO_COMMUNE,
            "--user",
            "Lê Thị Hoa",
            "--tracking-from",
            "01/01/2026",
        ).code
        == 0
    )
    assert cli("places", "add", "Thôn Phú Hòa", "Tổ dân phố 3").code == 0
    return cli


def test_init_and_units_search(cli):
    r = cli("units", "search", "ninh hoa", "--json")
    assert r.code == 0
    assert r.json()[0]["code"] == DEMO_COMMUNE and r.json()[0]["name"] == "Phường Ninh Hòa"
    r = cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE)
    assert r.code == 0 and "Phường Ninh Hòa" in r.out
    again = cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE)
    assert again.code == 2 and "đã được thiết lập" in again.err


def test_init_district(cli):
    r = cli(
        "init",
        "--role",
        "district",
        "--unit-name",
        "Sở Nội vụ tỉnh Khánh Hòa",
        "--province-code",
        KHANH_HOA,
    )
    assert r.code == 0
    r = cli("tasks", "set", "D1.1-01", "--period", "2026-01", "--status", "done")
    assert r.code == 2 and "chỉ làm trên máy của xã" in r.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("init", "--role", "commune", "--unit-code", "99999"), "Không có xã/phường mã"),
        (
            ("init", "--role", "district", "--unit-name", "Sở", "--province-code", "7"),
            "Không có tỉnh",
        ),
        (("init", "--role", "commune"), "Thiếu mã xã"),
    ],
)
def test_init_bad_input(cli, data_dir, args, message):
    r = cli(*args)
    assert r.code == 2 and message in r.err and r.err.count("\n") == 1


def test_tasks_list_json_contract(commune):
    r = commune("tasks", "list", "--year", "2026", "--json")
    assert r.code == 0
    rows = r.json()
    assert len(rows) > 100
    keys = {"code", "title", "dimension", "period", "status", "result", "due", "overdue", "unit"}
    assert keys <= set(rows[0])
    periods = {row["period"] for row in rows}
    assert {"2026", "2026H1", "2026Q3", "2026-03"} <= periods
    assert all(row["unit"] == DEMO_COMMUNE for row in rows)
    monthly = [row for row in rows if row["code"] == "D1.1-01"]
    assert len(monthly) == 12
    # today is pinned to 20/11/2026: January is overdue, December is not
    by_period = {row["period"]: row for row in monthly}
    assert by_period["2026-01"]["overdue"] is True and by_period["2026-12"]["overdue"] is False


def test_tasks_set_with_evidence_and_filters(commune, tmp_path):
    ev = tmp_path / "bien-ban.pdf"
    ev.write_bytes(b"%PDF-1.4 minutes")
    r = commune(
        "tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done", "--result", "met",
        "--done-on", "25/03/2026", "--note", "Đã tuyên truyền tại 8 thôn", "--evidence", str(ev),
    )  # fmt: skip
    assert r.code == 0, r.err
    rows = commune("tasks", "list", "--year", "2026", "--status", "done", "--json").json()
    assert [(x["code"], x["period"], x["done_on"]) for x in rows] == [
        ("D1.1-01", "2026-03", "2026-03-25")
    ]
    dim2 = commune("tasks", "list", "--year", "2026", "--dimension", "2", "--json").json()
    assert dim2 and {x["dimension"] for x in dim2} == {"2"}


@pytest.mark.parametrize(
    "args, message",
    [
        (("tasks", "set", "D9.9-99", "--period", "2026", "--status", "done"), "Không có nhiệm vụ mã"),
        (("tasks", "set", "D1.1-01", "--period", "2026Q1", "--status", "done"), "không có kỳ"),
        (("tasks", "set", "D1.1-01", "--period", "2026-13", "--status", "done"), "2026-13"),
        (("tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done", "--done-on", "31/02/2026"), "không tồn tại"),
        (("tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done", "--result", "na"), "lý do"),
        (("tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done", "--evidence", "/no/such.pdf"), "Không tìm thấy tệp"),
        (("disclosures", "add", "--type", "KHONG-CO", "--title", "x"), "Không có loại công khai"),
        (("disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "x", "--trigger-date", "2026-02-30"), "không tồn tại"),
        (("disclosures", "post", "abcdef123456", "--place", "Thôn 1", "--on", "01/11/2026"), "Không có nội dung"),
        (("tasks", "list", "--dimension", "9"), "Chỉ số nội dung"),
    ],
)  # fmt: skip
def test_bad_input_exits_2_and_changes_nothing(commune, data_dir, args, message):
    before = dump(data_dir)
    r = commune(*args)
    assert r.code == 2, (r.out, r.err)
    assert message in r.err
    assert r.err.strip().count("\n") == 0  # one line
    assert dump(data_dir) == before


def test_disclosure_flow_multi_village(commune):
    r = commune(
        "disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "Kết quả rà soát hộ nghèo 2026",
        "--trigger-date", "05/11/2026", "--json",
    )  # fmt: skip
    assert r.code == 0, r.err
    item = r.json()
    # the poverty review posts at the commune office and every village by default
    assert [p["place"] for p in item["places"]] == [
        "Trụ sở UBND phường Ninh Hòa",
        "Thôn Phú Hòa",
        "Tổ dân phố 3",
    ]
    did = item["id"]
    assert (
        commune(
            "disclosures",
            "post",
            did,
            "--place",
            "Trụ sở UBND phường Ninh Hòa",
            "--on",
            "06/11/2026",
        ).code
        == 0
    )
    # a new place name is added to the commune's places only on purpose (--new-place)
    r = commune("disclosures", "post", did, "--new-place", "Thôn Mới", "--on", "2026-11-09")
    assert r.code == 0 and "Thôn Mới" in r.err
    listed = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}[did]
    places = {p["place"]: p for p in listed["places"]}
    # 3 working days: posted Fri 06/11 -> Mon 9, Tue 10, Wed 11
    assert places["Trụ sở UBND phường Ninh Hòa"]["ends_on"] == "2026-11-11"
    assert places["Thôn Mới"]["ends_on"] == "2026-11-12"
    assert places["Thôn Phú Hòa"]["posted_on"] is None
    assert listed["status"] == "posting"
    assert "Thôn Mới" in commune("places", "list").out
    r = commune("disclosures", "end", did, "--place", "Thôn Mới", "--on", "10/11/2026")
    assert r.code == 0 and "Cảnh báo" in r.err
    listed = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}[did]
    assert listed["status"] == "violation"


def test_disclosures_types_json(commune):
    types = commune("disclosures", "types", "--json").json()
    assert len(types) >= 25
    keys = {"code", "name_vi", "name_en", "legal_basis", "deadline_days", "deadline_unit",
            "period_days", "period_unit", "confidence"}  # fmt: skip
    assert keys <= set(types[0])
    assert {t["period_unit"] for t in types} <= {"calendar", "working", "permanent"}


def test_plan_is_generated_and_matched(commune):
    did = commune(
        "disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "Thực hiện dự toán quý I/2026",
        "--trigger-date", "31/03/2026",
    ).out.strip()  # fmt: skip
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    q1 = [p for p in plan if p["type"] == "NS-THUCHIEN-QUY" and p["period"] == "Q1"]
    # Matched, but recorded only: never posted anywhere, so not "done".
    assert q1 and q1[0]["state"] == "recorded" and q1[0]["disclosure_id"] == did
    h1 = [p for p in plan if p["type"] == "NS-THUCHIEN-QUY" and p["period"] == "H1"]
    assert h1[0]["state"] == "missing"


def test_due_within(commune):
    did = commune(
        "disclosures", "add", "--type", "LAYYKIEN-NHANDAN", "--title", "Lấy ý kiến quy hoạch",
        "--trigger-date", "01/10/2026",
    ).out.strip()  # fmt: skip
    commune(
        "disclosures", "post", did, "--place", "Trụ sở UBND phường Ninh Hòa", "--on", "23/10/2026"
    )
    soon = commune("disclosures", "list", "--due-within", "7", "--json").json()
    assert did in {i["id"] for i in soon}  # ends 23/11/2026, within 7 days of 20/11
    none = commune("disclosures", "list", "--due-within", "1", "--json").json()
    assert did not in {i["id"] for i in none if i["status"] != "overdue_post"}


def test_backup_restore_check(commune, data_dir, tmp_path):
    target = tmp_path / "b.sqlite3"
    assert commune("backup", "--to", str(target)).code == 0
    commune("places", "add", "Thôn Sau Sao Lưu")
    r = commune("restore", str(target))
    assert r.code == 0 and "khôi phục" in r.out
    assert "Thôn Sau Sao Lưu" not in commune("places", "list").out
    assert list((data_dir / "backups").glob("*before-restore*"))
    chk = commune("check", "--json")
    assert chk.code == 0 and chk.json()["ok"] is True
    bad = tmp_path / "bad.sqlite3"
    bad.write_text("not a database")
    r = commune("restore", str(bad))
    assert r.code == 2 and "không phải bản sao lưu" in r.err


def test_check_detects_tampered_attachment(commune, data_dir, tmp_path):
    ev = tmp_path / "anh.jpg"
    ev.write_bytes(b"photo bytes")
    commune(
        "tasks", "set", "D1.1-01", "--period", "2026-03", "--status", "done", "--evidence", str(ev)
    )
    blob = next(p for p in (data_dir / "attachments").rglob("*") if p.is_file())
    blob.write_bytes(b"changed")
    r = commune("check", "--json")
    assert r.code == 1 and r.json()["attachments_damaged"]


def test_demo_then_lists(cli):
    assert cli("demo").code == 0
    assert len(cli("disclosures", "list", "--json").json()) >= 10
    assert cli("demo").code == 2  # data is there already: not added twice


def test_subprocess_exit_codes(data_dir):
    r = run_cli_subprocess("--data-dir", str(data_dir), "tasks", "list")
    assert r.code == 2 and "chưa được thiết lập" in r.err
    r = run_cli_subprocess("--data-dir", str(data_dir), "--lang", "en", "tasks", "list")
    assert r.code == 2 and "not set up" in r.err


def test_corrupt_database_message(data_dir):
    (data_dir / "papi.sqlite3").write_bytes(b"garbage" * 1000)
    r = run_cli_subprocess("--data-dir", str(data_dir), "tasks", "list")
    assert r.code == 1
    assert "bị hỏng" in r.err and "Traceback" not in r.err


def test_corrupt_database_offers_newest_good_backup(cli, data_dir):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    assert cli("backup").code == 0
    (data_dir / "papi.sqlite3").write_bytes(b"garbage" * 1000)
    for extra in ("papi.sqlite3-wal", "papi.sqlite3-shm"):
        (data_dir / extra).unlink(missing_ok=True)
    r = cli("tasks", "list")
    assert r.code == 1 and "Bản sao lưu tốt gần nhất" in r.err
    backup = r.err.split("Bản sao lưu tốt gần nhất: ")[1].splitlines()[0]
    assert cli("restore", backup).code == 0
    assert cli("tasks", "list", "--json").code == 0


def test_storage_errors_are_explained():
    import sqlite3
    from pathlib import Path

    from papi_desktop.store.db import storage_error

    ro = storage_error(
        sqlite3.OperationalError("attempt to write a readonly database"), Path("/x/p.db")
    )
    assert ro.kind == "readonly" and "chỉ cho phép đọc" in ro.message_vi
    full = storage_error(sqlite3.OperationalError("database or disk is full"), Path("/x/p.db"))
    assert full.kind == "full" and "Ổ đĩa chứa /x đã đầy" in full.message_vi


def test_usage_errors_are_one_plain_line(commune):
    r = commune("disclosures", "end", "abc")
    assert r.code == 2 and r.err.count("\n") == 1 and "thiếu tham số bắt buộc --place" in r.err
    r = commune("disclosures", "post", "abc", "--on", "06/11/2026")
    assert r.code == 2 and r.err.count("\n") == 1
    assert "cần một trong các tham số --place, --new-place" in r.err
    r = commune("tasks", "set", "D1.1-01", "--period", "2026", "--status", "finished")
    assert r.code == 2 and "“finished” không hợp lệ cho --status" in r.err
    r = commune("--lang", "en", "disclosures", "list", "--due-within", "bay")
    assert r.code == 2 and "needs a whole number" in r.err


def test_new_place_is_announced_with_a_likely_match(commune):
    did = commune(
        "disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "Rà soát", "--trigger-date", "05/11/2026"
    ).out.strip()  # fmt: skip
    r = commune("disclosures", "post", did, "--place", "Thon Phu Hoa", "--on", "06/11/2026")
    assert r.code == 0 and "địa điểm mới" not in r.err  # same place, typed without tones
    r = commune("disclosures", "post", did, "--place", "Thôn Phú Hoà B", "--on", "06/11/2026")
    assert r.code == 2 and "Có phải ý bạn là: Thôn Phú Hòa?" in r.err and "--new-place" in r.err
    r = commune("disclosures", "post", did, "--new-place", "Thôn Phú Hoà B", "--on", "06/11/2026")
    assert r.code == 0 and "đã thêm địa điểm mới “Thôn Phú Hoà B”" in r.err
    assert "Đã có sẵn" in commune("places", "add", "Tổ dân phố 3").out


def test_reposting_after_an_early_take_down_restarts_the_period(commune):
    did = commune(
        "disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "Rà soát", "--trigger-date", "02/11/2026"
    ).out.strip()  # fmt: skip
    place = "Thôn Phú Hòa"
    commune("disclosures", "post", did, "--place", place, "--on", "03/11/2026")
    commune("disclosures", "end", did, "--place", place, "--on", "04/11/2026")
    item = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}[did]
    assert {p["place"]: p["state"] for p in item["places"]}[place] == "taken_down_early"
    r = commune("disclosures", "post", did, "--place", place, "--on", "05/11/2026")
    assert r.code == 0 and "Niêm yết lại" in r.err
    item = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}[did]
    p = {p["place"]: p for p in item["places"]}[place]
    assert (p["posted_on"], p["taken_down_on"], p["ends_on"]) == ("2026-11-05", None, "2026-11-10")
    r = commune("disclosures", "post", did, "--place", place, "--on", "04/11/2026")
    assert r.code == 2 and "không được sớm hơn" in r.err


def test_plan_due_dates_move_off_days_and_matching_stays_in_its_window(commune):
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    q3 = next(p for p in plan if p["type"] == "NS-THUCHIEN-QUY" and p["period"] == "Q3")
    assert q3["due"] == "2026-10-12"  # 10/10/2026 is a Saturday
    # a January report must not fulfil the year-end entry of the same type
    commune(
        "disclosures", "add", "--type", "KTXH-KETQUA", "--title", "Báo cáo KT-XH tháng 1",
        "--trigger-date", "14/01/2026",
    )  # fmt: skip
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    year_end = [p for p in plan if p["type"] == "KTXH-KETQUA"]
    assert year_end and all(p["state"] != "done" for p in year_end)


def test_plan_exists_from_init(commune, data_dir):
    import sqlite3

    con = sqlite3.connect(data_dir / "papi.sqlite3")
    assert con.execute("SELECT count(*) FROM plan_item WHERE year = 2026").fetchone()[0] > 10
    con.close()


def test_settings_show_and_set(commune):
    assert commune("settings", "set", "signer_name", "Trần Văn Hùng").code == 0
    assert commune("settings", "show", "--json").json()["signer_name"] == "Trần Văn Hùng"
    r = commune("settings", "set", "posting_day_is_day_one", "yes")
    assert r.code == 2 and "0 hoặc 1" in r.err
