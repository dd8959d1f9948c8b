"""One source of truth for recurring disclosures (issue 12): a framework task that refers to a
disclosure type is due when the type's catalogue plan says, and ``tasks list``, ``disclosures
plan`` and ``disclosures types`` give the same dates; the plan's states tell the truth.

Every date below is worked by hand from the calendar (BLDS 2015 Điều 148 khoản 5: a due
date on a day off moves to the next working day) and the catalogue rule."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE
from tests.test_pdf_layout import flat, needs_poppler, pdf_text

HQ = "Trụ sở UBND phường Ninh Hòa"
PLACES = (HQ, "Thôn Phú Hòa", "Tổ dân phố 3")

# (type, obligation period) → due date, for every plan line a framework task follows.
HAND_WORKED = {
    2025: {
        # 31/01/2025 is a Friday but Tết (27–31/01/2025); 1–2/02 weekend → Mon 03/02/2025.
        ("QUYCHE-DANCHU", "2025"): "2025-02-03",
        ("PAPI-KHUNG", "2025"): "2025-02-03",
        ("NS-DUTOAN-QD", "2025"): "2025-02-03",
        ("TTHC-XA", "2025"): "2025-02-03",
        # Quarter ends: Mon 31/03, Mon 30/06, Tue 30/09, Wed 31/12/2025.
        ("DANH-MUC-CK-QUY", "2025Q1"): "2025-03-31",
        ("DANH-MUC-CK-QUY", "2025Q2"): "2025-06-30",
        ("DANH-MUC-CK-QUY", "2025Q3"): "2025-09-30",
        ("DANH-MUC-CK-QUY", "2025Q4"): "2025-12-31",
        # NĐ 73/2026 Đ37(3): 10 days after the period: Thu 10/04, Thu 10/07, Fri 10/10/2025.
        ("NS-THUCHIEN-QUY", "2025Q1"): "2025-04-10",
        ("NS-THUCHIEN-QUY", "2025H1"): "2025-07-10",
        ("NS-THUCHIEN-QUY", "2025Q3"): "2025-10-10",
        # 30/04 and 01/05 holidays, 02/05 swapped day off, 3–4/05 weekend → Mon 05/05/2025.
        ("NS-QUYETTOAN", "2025"): "2025-05-05",
        # 30/11/2025 is a Sunday → Mon 01/12/2025.
        ("HO-NGHEO-RASOAT", "2025"): "2025-12-01",
        ("NS-DUTOAN-TRINH", "2025"): "2025-12-15",  # Monday
        ("KTXH-KEHOACH", "2025"): "2025-12-31",
        ("CS-HOTRO-KETQUA", "2025"): "2025-12-31",
        # 2025 declarations published by 31/01/2026, a Saturday → Mon 02/02/2026.
        ("TAISAN-KEKHAI", "2025"): "2026-02-02",
    },
    2026: {
        # 31/01/2026 is a Saturday → Mon 02/02/2026.
        ("QUYCHE-DANCHU", "2026"): "2026-02-02",
        ("PAPI-KHUNG", "2026"): "2026-02-02",
        ("NS-DUTOAN-QD", "2026"): "2026-02-02",
        ("TTHC-XA", "2026"): "2026-02-02",
        ("DANH-MUC-CK-QUY", "2026Q1"): "2026-03-31",
        ("DANH-MUC-CK-QUY", "2026Q2"): "2026-06-30",
        ("DANH-MUC-CK-QUY", "2026Q3"): "2026-09-30",
        ("DANH-MUC-CK-QUY", "2026Q4"): "2026-12-31",
        # Finding 1: Q1 2026 → 31/03 + 10 = Fri 10/04/2026 (not 15/04); H1 → Fri 10/07;
        # 9 months → 10/10/2026 is a Saturday → Mon 12/10/2026.
        ("NS-THUCHIEN-QUY", "2026Q1"): "2026-04-10",
        ("NS-THUCHIEN-QUY", "2026H1"): "2026-07-10",
        ("NS-THUCHIEN-QUY", "2026Q3"): "2026-10-12",
        # Finding 1: final accounts: 30/04 and 01/05 holidays, 2–3/05 weekend → Mon 04/05/2026
        # (the task used to say 31/07).
        ("NS-QUYETTOAN", "2026"): "2026-05-04",
        # Finding 1: poverty review results: Mon 30/11/2026 (the task said 15/12).
        ("HO-NGHEO-RASOAT", "2026"): "2026-11-30",
        ("NS-DUTOAN-TRINH", "2026"): "2026-12-15",  # Tuesday
        ("KTXH-KEHOACH", "2026"): "2026-12-31",
        ("CS-HOTRO-KETQUA", "2026"): "2026-12-31",
        # 31/01/2027 is a Sunday → Mon 01/02/2027.
        ("TAISAN-KEKHAI", "2026"): "2027-02-01",
    },
    2027: {
        # 31/01/2027 is a Sunday → Mon 01/02/2027 (2027 days off are provisional).
        ("QUYCHE-DANCHU", "2027"): "2027-02-01",
        ("PAPI-KHUNG", "2027"): "2027-02-01",
        ("NS-DUTOAN-QD", "2027"): "2027-02-01",
        ("TTHC-XA", "2027"): "2027-02-01",
        ("DANH-MUC-CK-QUY", "2027Q1"): "2027-03-31",
        ("DANH-MUC-CK-QUY", "2027Q2"): "2027-06-30",
        ("DANH-MUC-CK-QUY", "2027Q3"): "2027-09-30",
        ("DANH-MUC-CK-QUY", "2027Q4"): "2027-12-31",
        # 10/04/2027 Saturday → Mon 12/04; 10/07/2027 Saturday → Mon 12/07;
        # 10/10/2027 Sunday → Mon 11/10/2027.
        ("NS-THUCHIEN-QUY", "2027Q1"): "2027-04-12",
        ("NS-THUCHIEN-QUY", "2027H1"): "2027-07-12",
        ("NS-THUCHIEN-QUY", "2027Q3"): "2027-10-11",
        # 30/04 Fri holiday, 1–2/05 weekend, 03/05 compensatory day off → Tue 04/05/2027.
        ("NS-QUYETTOAN", "2027"): "2027-05-04",
        ("HO-NGHEO-RASOAT", "2027"): "2027-11-30",  # Tuesday
        ("NS-DUTOAN-TRINH", "2027"): "2027-12-15",  # Wednesday
        ("KTXH-KEHOACH", "2027"): "2027-12-31",
        ("CS-HOTRO-KETQUA", "2027"): "2027-12-31",
        # 31/01/2028 is a Monday; no official 2028 days off yet (provisional).
        ("TAISAN-KEKHAI", "2027"): "2028-01-31",
    },
}


@pytest.fixture
def commune(cli):
    assert (
        cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--user", "Lê Thị Hoa").code
        == 0
    )
    assert cli("places", "add", "Thôn Phú Hòa", "Tổ dân phố 3").code == 0
    return cli


def dump(data_dir) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


@pytest.mark.parametrize("year", [2025, 2026, 2027])
def test_task_plan_and_catalogue_give_the_same_date_for_every_period(commune, year):
    types = commune("disclosures", "types", "--year", str(year), "--json").json()
    catalogue = {(t["code"], p["obligation_period"]): p["due"] for t in types for p in t["plan"]}
    plan = commune("disclosures", "plan", "--year", str(year), "--json").json()
    planned = {(p["type"], p["obligation_period"]): p["due"] for p in plan}
    assert planned == catalogue

    tasks = commune("tasks", "list", "--year", str(year), "--json").json()
    refs = {r["code"]: r["disclosure_type"] for r in tasks if r["disclosure_type"]}
    planned_types = {t["code"] for t in types if t["plan"]}
    walked = []
    for code, type_code in sorted(refs.items()):
        if type_code not in planned_types:
            continue  # an event-driven type (no yearly plan): the task keeps its own rule
        got = {(type_code, r["period"]): r["due"] for r in tasks if r["code"] == code}
        want = {k: v for k, v in catalogue.items() if k[0] == type_code}
        assert got == want, code
        assert all(HAND_WORKED[year][key] == due for key, due in got.items()), code
        walked.append(code)
    # Every task whose type has a yearly plan was walked; the hand-worked table is complete.
    assert walked == ["D1.1-03", "D2.1-02", "D2.1-03", "D2.1-04", "D2.2-01", "D2.2-03",
                      "D2.3-01", "D2.3-02", "D2.3-03", "D2.3-04", "D4.1-01", "D5.4-01"]  # fmt: skip
    assert {k for k in catalogue if k[0] in set(refs.values())} == set(HAND_WORKED[year])


def _line(plan: list[dict], type_code: str, period: str) -> dict:
    (line,) = [p for p in plan if p["type"] == type_code and p["obligation_period"] == period]
    return line


def test_finding_1_budget_tasks_follow_decree_73(commune):
    tasks = commune("tasks", "list", "--year", "2026", "--json").json()
    due = {(r["code"], r["period"]): r["due"] for r in tasks}
    title = {r["code"]: r["title"] for r in tasks}
    # D2.3-03: Q1 2026 ends 31/03; + 10 days (NĐ 73/2026 Đ37(3)) = Fri 10/04/2026.
    assert due[("D2.3-03", "2026Q1")] == "2026-04-10"
    # The yearly report follows its own rule (NS-THUCHIEN-NAM), so no Q4 line due 15/01/2027.
    assert ("D2.3-03", "2026Q4") not in due and "10 ngày" in title["D2.3-03"]
    # D2.3-04: final accounts 30/04 → 04/05/2026 (holidays 30/04, 01/05, then the weekend).
    assert due[("D2.3-04", "2026")] == "2026-05-04"
    # D2.3-01: trigger is the session's opening day (NĐ 73/2026 Đ37(1)), not the sending.
    assert "khai mạc kỳ họp" in title["D2.3-01"] and "gửi đại biểu" not in title["D2.3-01"]
    # PAPI framework posting and the poverty list: one date in tasks and plan.
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    assert due[("D2.1-02", "2026")] == _line(plan, "PAPI-KHUNG", "2026")["due"] == "2026-02-02"
    assert due[("D2.2-01", "2026")] == _line(plan, "HO-NGHEO-RASOAT", "2026")["due"]
    assert due[("D2.2-01", "2026")] == "2026-11-30"
    # The task editor's refusal names the periods the type's plan gives.
    r = commune("tasks", "set", "D2.3-03", "--period", "2026Q4", "--status", "done")
    assert r.code == 2 and "2026Q1, 2026H1, 2026Q3" in r.err


def test_finding_2_recorded_but_never_posted_is_not_done(commune):
    # Final accounts approved 25/03/2026; + 30 days = 24/04/2026 (Friday). Posted nowhere.
    did = commune(
        "disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Quyết toán ngân sách 2025",
        "--trigger-date", "25/03/2026",
    ).out.strip()  # fmt: skip
    (item,) = commune("disclosures", "list", "--json").json()
    assert item["status"] == "overdue_post" and item["post_deadline"] == "2026-04-24"
    line = _line(commune("disclosures", "plan", "--year", "2026", "--json").json(),
                 "NS-QUYETTOAN", "2026")  # fmt: skip
    assert line["disclosure_id"] == did
    assert line["state"] == "recorded" and line["overdue"]
    assert "chưa niêm yết ở nơi nào" in line["reason_vi"] and "24/04/2026" in line["reason_vi"]
    # Posted at the office on time but not at the villages: still recorded, naming them.
    commune("disclosures", "post", did, "--place", HQ, "--on", "20/04/2026")
    line = _line(commune("disclosures", "plan", "--year", "2026", "--json").json(),
                 "NS-QUYETTOAN", "2026")  # fmt: skip
    assert line["state"] == "recorded" and line["unposted"] == ["Thôn Phú Hòa", "Tổ dân phố 3"]
    # The villages on 28/04 (after 24/04): late, whatever the office did.
    for place in PLACES[1:]:
        commune("disclosures", "post", did, "--place", place, "--on", "28/04/2026")
    line = _line(commune("disclosures", "plan", "--year", "2026", "--json").json(),
                 "NS-QUYETTOAN", "2026")  # fmt: skip
    assert line["state"] == "late" and "Thôn Phú Hòa" in line["reason_vi"]
    text = commune("disclosures", "plan", "--year", "2026").out
    assert "Công khai trễ hạn" in text


def test_finding_3_the_estimate_decided_in_december_fulfils_next_years_line(commune):
    # The 2026 estimate is decided 20/12/2025; + 30 days = Mon 19/01/2026. Posted 10/01/2026
    # everywhere; 30 days from 10/01 end on 09/02/2026; on 20/11/2026 it ran its full period.
    did = commune(
        "disclosures", "add", "--type", "NS-DUTOAN-QD", "--title", "Dự toán ngân sách năm 2026",
        "--trigger-date", "20/12/2025",
    ).out.strip()  # fmt: skip
    for place in PLACES:
        assert commune("disclosures", "post", did, "--place", place, "--on", "10/01/2026").code == 0
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    line = _line(plan, "NS-DUTOAN-QD", "2026")
    assert line["disclosure_id"] == did and line["state"] == "done", line["reason_vi"]
    # It does not count for 2025 (the 2025 estimate was decided in December 2024).
    old = commune("disclosures", "plan", "--year", "2025", "--json").json()
    assert _line(old, "NS-DUTOAN-QD", "2025")["disclosure_id"] is None


def test_an_item_can_name_its_obligation_period(commune, data_dir):
    # Budget execution for Q1, entered with the period it fulfils: it matches the Q1 line
    # even without a trigger date.
    did = commune(
        "disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "Thực hiện dự toán quý I",
        "--period", "2026Q1",
    ).out.strip()  # fmt: skip
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    assert _line(plan, "NS-THUCHIEN-QUY", "2026Q1")["disclosure_id"] == did
    # A period the type's plan does not have is refused, nothing changed.
    before = dump(data_dir)
    r = commune(
        "disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "Quý II", "--period", "2026Q2"
    )
    assert r.code == 2 and "2026Q1, 2026H1, 2026Q3" in r.err and len(r.err.splitlines()) == 1
    r = commune("disclosures", "add", "--type", "NS-THUCHIEN-QUY", "--title", "x", "--period", "26")
    assert r.code == 2 and len(r.err.splitlines()) == 1
    assert dump(data_dir) == before


@needs_poppler
def test_finding_9_a_place_still_to_post_keeps_the_item_due(
    commune, monkeypatch, tmp_path, data_dir
):
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2026-12-03")
    commune("places", "add", "Thôn Tân Phong")
    did = commune(
        "disclosures", "add", "--type", "DUAN-DAUTU", "--title", "Tiến độ đường liên thôn",
        "--trigger-date", "01/12/2026",
    ).out.strip()  # fmt: skip
    # 01/12 (Tue) + 5 working days: 02, 03, 04, 07, 08/12 → deadline Tue 08/12/2026.
    for place in PLACES:
        commune("disclosures", "post", did, "--place", place, "--on", "02/12/2026")
    soon = commune("disclosures", "list", "--due-within", "7", "--json").json()
    (item,) = [i for i in soon if i["id"] == did]
    assert item["post_deadline"] == "2026-12-08" and item["status"] == "posting"
    judged = {p["place"]: p["judgement"] for p in item["places"]}
    assert judged == {**{p: "posting" for p in PLACES}, "Thôn Tân Phong": "due"}
    # The disclosure checklist's "Địa điểm" shows where it was actually posted, and where not.
    out = tmp_path / "bang-kiem.pdf"
    r = commune("report", "disclosure-checklist", "--year", "2026", "-o", str(out))
    assert r.code == 0, r.err
    text = flat(pdf_text(out))  # cells interleave line by line, so check pieces in a cell
    assert "Đã niêm yết:" in text and "Thôn Phú Hòa (02/12/2026); Tổ dân phố 3 (02/12/2026)" in text
    assert "Chưa niêm yết: Thôn Tân Phong" in text and "Còn 1 nơi chưa niêm yết" in text
    reg = tmp_path / "danh-muc.pdf"
    r = commune("report", "register", "--quarter", "2026Q4", "-o", str(reg))
    assert r.code == 0, r.err
    assert "Chưa niêm yết tại Thôn Tân Phong" in flat(pdf_text(reg))
    # The home page (3 days ahead, so on 07/12) lists it among the postings to start,
    # naming the place still to post.
    from datetime import date

    from papi_desktop.services import dashboard
    from papi_desktop.services.context import AppContext

    with AppContext(data_dir, auto_backup=False, today=date(2026, 12, 7)) as ctx:
        lines = [x.text_vi for x in dashboard.build(ctx).postings_to_start]
    assert any("Tiến độ đường liên thôn (Thôn Tân Phong)" in x and "08/12/2026" in x for x in lines)
    # Once the fourth place is posted nothing is due within 7 days (postings end 01/01/2027).
    commune("disclosures", "post", did, "--place", "Thôn Tân Phong", "--on", "03/12/2026")
    soon = commune("disclosures", "list", "--due-within", "7", "--json").json()
    assert did not in {i["id"] for i in soon}


def test_before_rules_are_late_only_after_the_legal_date(commune):
    # Community meeting Mon 04/05/2026, notice "at least 2 days before" (HOP-CONGDONG-TB):
    # legal date Sat 02/05/2026; the advised "post by" date moves back over 02/05 (Sat),
    # 01/05 and 30/04 (holidays) to Wed 29/04/2026.
    did = commune(
        "disclosures", "add", "--type", "HOP-CONGDONG-TB", "--title", "Họp thôn Phú Hòa",
        "--trigger-date", "04/05/2026", "--place", "Thôn Phú Hòa",
    ).out.strip()  # fmt: skip
    commune("disclosures", "post", did, "--place", "Thôn Phú Hòa", "--on", "02/05/2026")
    (item,) = commune("disclosures", "list", "--json").json()
    assert item["post_deadline"] == "2026-04-29"  # advice
    assert item["legal_deadline"] == "2026-05-02"
    assert item["posted_late"] is False  # judged against 02/05/2026
    assert item["places"][0]["judgement"] == "posting"
    shown = commune("disclosures", "list").out
    assert "Quá hạn" not in shown and "Trễ" not in shown
    r = commune("disclosures", "add", "--type", "HOP-CONGDONG-TB", "--title", "Họp tổ 3",
                "--trigger-date", "04/05/2026", "--place", "Tổ dân phố 3")  # fmt: skip
    assert "29/04/2026 (khuyến nghị)" in r.err and "hạn luật định 02/05/2026" in r.err


def test_changing_the_day_counting_setting_does_not_rewrite_recorded_postings(commune):
    did = commune(
        "disclosures", "add", "--type", "LAYYKIEN-NHANDAN", "--title", "Lấy ý kiến",
        "--trigger-date", "01/10/2026", "--place", HQ,
    ).out.strip()  # fmt: skip
    commune("disclosures", "post", did, "--place", HQ, "--on", "20/10/2026")
    # 20/10 + 30 days = Thu 19/11/2026 (posting day not counted, BLDS Đ147).
    ends = commune("disclosures", "list", "--json").json()[0]["places"][0]["ends_on"]
    assert ends == "2026-11-19"
    r = commune("settings", "set", "posting_day_is_day_one", "1")
    assert r.code == 0, r.err
    assert commune("disclosures", "list", "--json").json()[0]["places"][0]["ends_on"] == ends
    # A posting recorded after the change counts its posting day as day 1:
    # 20/10 + 29 days = Wed 18/11/2026.
    other = commune(
        "disclosures", "add", "--type", "LAYYKIEN-NHANDAN", "--title", "Lấy ý kiến 2",
        "--trigger-date", "01/10/2026", "--place", HQ,
    ).out.strip()  # fmt: skip
    commune("disclosures", "post", other, "--place", HQ, "--on", "20/10/2026")
    by_id = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}
    assert by_id[other]["places"][0]["ends_on"] == "2026-11-18"
    assert by_id[did]["places"][0]["ends_on"] == "2026-11-19"


@pytest.mark.parametrize("setting", ["0", "1", None])
def test_migration_fixes_the_current_setting_on_existing_postings(tmp_path, setting):
    from papi_desktop.store.db import migrate

    con = sqlite3.connect(tmp_path / "old.sqlite3")
    migrate(con, 4)
    if setting is not None:
        con.execute("INSERT INTO setting VALUES ('posting_day_is_day_one', ?)", (setting,))
    sync = "owner_site, version, updated_at"
    con.execute(
        f"INSERT INTO disclosure (id, {sync}, unit_code, type_code, title) "
        "VALUES ('d1', 's', 'v', 't', '22528', 'LAYYKIEN-NHANDAN', 'x')"
    )
    for pid, posted in (("p1", "2026-10-20"), ("p2", None)):
        con.execute(
            f"INSERT INTO disclosure_place (id, {sync}, disclosure_id, place_name, posted_on) "
            "VALUES (?, 's', 'v', 't', 'd1', ?, ?)",
            (pid, pid, posted),
        )
    con.commit()
    assert migrate(con) >= 5
    got = dict(con.execute("SELECT id, day_one FROM disclosure_place").fetchall())
    assert got == {"p1": 1 if setting == "1" else 0, "p2": None}
    assert con.execute("SELECT period FROM disclosure").fetchone() == ("",)
    con.close()


def test_finding_8_a_commune_set_up_today_sees_nothing_overdue_from_before(
    cli, data_dir, monkeypatch, tmp_path
):
    from datetime import date

    from papi_desktop.services import district, district_demo
    from papi_desktop.services.context import AppContext

    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2026-12-03")
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE).code == 0
    assert cli("tasks", "list", "--year", "2026", "--overdue", "--json").json() == []
    rows = cli("tasks", "list", "--year", "2026", "--json").json()
    # D2.3-03 Q1 was due 10/04/2026, long before 03/12/2026: before tracking, not overdue.
    (q1,) = [r for r in rows if r["code"] == "D2.3-03" and r["period"] == "2026Q1"]
    assert q1["overdue"] is False and q1["before_tracking"] is True
    assert "(trước khi theo dõi)" in cli("tasks", "list", "--year", "2026").out
    # The 2026 declarations are due 01/02/2027: a date over days off not yet official.
    (decl,) = [r for r in rows if r["code"] == "D4.1-01"]
    assert decl["due"] == "2027-02-01" and decl["provisional"] is True and not q1["provisional"]
    plan = cli("disclosures", "plan", "--year", "2026", "--json").json()
    assert not [p for p in plan if p["state"] == "missing"]
    assert _line(plan, "NS-THUCHIEN-QUY", "2026Q1")["state"] == "before_tracking"
    # 15/12/2026 (the estimate to the Council) is still ahead: expected.
    assert _line(plan, "NS-DUTOAN-TRINH", "2026")["state"] == "expected"
    assert "Trước khi theo dõi" in cli("disclosures", "plan", "--year", "2026").out

    # The office judges the commune by the same start date.
    commune = AppContext(data_dir, auto_backup=False, today=date(2026, 12, 3))
    office = district_demo.init_office(tmp_path / "office", today=date(2026, 12, 3))
    try:
        district_demo.exchange(commune, office, tmp_path / "usb")
        (row,) = district.communes_overview(office, 2026)
        assert row["overdue_tasks"] == 0 and row["missing_disclosures"] == 0
        checklist = district.unit_checklist(office, DEMO_COMMUNE, 2026)
        assert not [r for r in checklist if r["overdue"]]
        from papi_desktop.services import dashboard

        # The office's home lists communes needing attention: this one needs none (its
        # 15/12 and 31/12 lines are still ahead), so it has no line there.
        home = dashboard.build(office)
        assert home.office and home.communes == []
    finally:
        commune.close()
        office.close()

    # Filling in the history later: the commune moves its start back; the year's earlier
    # periods become overdue again (here and, after the next exchange, at the office).
    assert cli("settings", "set", "tracking_from", "01/01/2026").code == 0
    overdue = cli("tasks", "list", "--year", "2026", "--overdue", "--json").json()
    assert ("D2.3-03", "2026Q1") in {(r["code"], r["period"]) for r in overdue}
    r = cli("settings", "set", "tracking_from", "01/01/2027")
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1


def test_the_pdf_and_the_workbook_of_a_report_name_states_alike():
    from papi_desktop.domain.labels import OUTCOME_LABELS
    from papi_desktop.reports.pdf.report import STATUS_LABELS
    from papi_desktop.reports.xlsx.progress import STATUS_TEXT

    assert STATUS_LABELS == STATUS_TEXT == {k: v["vi"] for k, v in OUTCOME_LABELS.items()}


@needs_poppler
def test_a_printed_date_that_depends_on_provisional_days_off_says_so(commune, tmp_path):
    # The 2026 asset declarations are due 01/02/2027 (31/01/2027 is a Sunday), a 2027 date:
    # the 2027 days off are not official yet.
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    assert _line(plan, "TAISAN-KEKHAI", "2026")["provisional"] is True
    assert _line(plan, "NS-THUCHIEN-QUY", "2026Q1")["provisional"] is False
    r = commune("disclosures", "plan", "--year", "2026")
    assert "01/02/2027 (dự kiến) [lịch nghỉ tạm tính]" in r.out
    assert "chỉ có đến năm 2026" in r.err
    out = tmp_path / "bang-kiem.pdf"
    r = commune("report", "disclosure-checklist", "--year", "2026", "-o", str(out))
    assert r.code == 0, r.err
    assert "Hạn tính theo lịch ngày nghỉ chưa chính thức" in flat(pdf_text(out))


def test_disclosure_types_say_which_catalogue_version_they_come_from(commune):
    import json
    from importlib import resources

    shipped = json.loads(
        resources.files("papi_desktop.catalog")
        .joinpath("data/disclosure_types.json")
        .read_text(encoding="utf-8")
    )["version"]
    r = commune("disclosures", "types")
    assert r.code == 0 and f"bản {shipped} kèm phần mềm" in r.err


def test_the_missing_plan_rules_have_basis_and_confidence(commune):
    plan = commune("disclosures", "plan", "--year", "2026", "--json").json()
    qs = _line(plan, "NGHIAVU-QS", "2026")
    assert qs["estimated"] and qs["confidence"] == "L" and "Điều 11 khoản 9" in qs["basis"]
    ht = _line(plan, "CS-HOTRO-KETQUA", "2026")
    assert ht["estimated"] and "Điều 37 khoản 4" in ht["basis"] and ht["due"] == "2026-12-31"
    est = _line(plan, "NS-DUTOAN-TRINH", "2026")
    assert est["estimated"] and "dự kiến" in est["label"] and est["state"] == "expected"
    # A legal date, not an estimate: the quarterly budget execution report.
    q1 = _line(plan, "NS-THUCHIEN-QUY", "2026Q1")
    assert not q1["estimated"] and q1["confidence"] == "H"
    text = commune("disclosures", "plan", "--year", "2026").out
    assert "15/12/2026 (dự kiến)" in text and "[L]" in text


def test_a_pc_set_up_with_the_first_version_gets_the_corrected_tasks(commune, data_dir):
    # A PC set up before the corrections holds the first version's task rows (D4.1-01 with no
    # disclosure type and due 31/12; D2.3-04 titled for 31/07) and the framework marked as
    # loaded at "1". The next start refreshes the shipped framework's rows that nobody edited,
    # keeps the framework's number, and leaves an edited row alone.
    from papi_desktop.catalog.loaders import shipped_version
    from papi_desktop.services.context import AppContext

    with sqlite3.connect(data_dir / "papi.sqlite3") as con:
        con.execute("UPDATE task SET disclosure_type = NULL, due_rule = 'yearly:12-31' "
                    "WHERE code = 'D4.1-01'")  # fmt: skip
        con.execute("UPDATE task SET title_vi = 'Sửa tại máy này', version = 'x' "
                    "WHERE code = 'D1.1-02'")  # fmt: skip
        con.execute("UPDATE catalog_version SET version = '1' "
                    "WHERE name = 'framework-commune-default'")  # fmt: skip
    with AppContext(data_dir):  # the next start of the window or of any command
        pass
    tasks = commune("tasks", "list", "--year", "2026", "--json").json()
    row = {(r["code"], r["period"]): r for r in tasks}
    # 2026 declarations published by 31/01/2027, a Sunday → Mon 01/02/2027 (TAISAN-KEKHAI);
    # the first version said 31/12/2026.
    assert row[("D4.1-01", "2026")]["disclosure_type"] == "TAISAN-KEKHAI"
    assert row[("D4.1-01", "2026")]["due"] == "2027-02-01"
    assert row[("D1.1-02", "2026")]["title"] == "Sửa tại máy này"
    assert {r["framework_version"] for r in tasks} == {1}
    with sqlite3.connect(data_dir / "papi.sqlite3") as con:
        marker = con.execute("SELECT version FROM catalog_version "
                             "WHERE name = 'framework-commune-default'").fetchone()[0]  # fmt: skip
    assert marker == shipped_version("framework-commune-default") == "1.2"
