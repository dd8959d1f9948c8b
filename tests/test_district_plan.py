"""The yearly disclosure plan as the supervising office sees it: expected disclosures come
from the disclosure types' ``plan`` entries for every commune, whether or not the commune
ever generated its plan; a due date on a day off moves to the next working day; the
figures of ``communes list --json`` and of the consolidated workbook agree."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.services import disclosures, district, district_demo, setup, tasks
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE

TODAY = date(2026, 11, 20)


def set_up_last_year(folder) -> AppContext:
    with AppContext(folder, auto_backup=False, today=date(2025, 12, 1)) as ctx:
        setup.init_site(ctx, "commune", unit_code=DEMO_COMMUNE, user="Nguyễn Văn An")
    return AppContext(folder, auto_backup=False, today=TODAY)


@pytest.fixture
def silent_pair(tmp_path):
    """A commune set up in December 2025 that registered no disclosure and never opened its
    2026 plan (it only saved one task result), and the office after its first package."""
    commune = set_up_last_year(tmp_path / "commune")
    tasks.set_result(commune, "D1.1-01", "2026-01", status="done", result="met",
                     done_on="2026-01-20")  # fmt: skip
    office = district_demo.init_office(tmp_path / "office", today=TODAY)
    district_demo.exchange(commune, office, tmp_path / "usb")
    yield commune, office, tmp_path / "usb"
    commune.close()
    office.close()


def test_a_commune_that_registered_nothing_misses_every_plan_entry_already_due(silent_pair):
    commune, office, usb = silent_pair
    assert commune.db.scalar("SELECT count(*) FROM plan_item WHERE year = 2026") == 0
    assert office.db.scalar("SELECT count(*) FROM disclosure") == 0
    plan = district.expected_disclosures(office, 2026, [DEMO_COMMUNE])[DEMO_COMMUNE]
    n_entries = sum(len(t["plan"]) for t in disclosures.list_types(office))
    assert len(plan) == n_entries > 0
    assert all(p["state"] in ("missing", "expected") and not p["disclosure_id"] for p in plan)
    missing = sum(1 for p in plan if p["state"] == "missing")
    assert missing == sum(1 for p in plan if date.fromisoformat(p["due"]) < TODAY) > 0
    row = district.communes_overview(office, 2026)[0]
    assert row["unit"] == DEMO_COMMUNE and row["missing_disclosures"] == missing

    # The commune's own plan gives the same figure; reading it stores nothing.
    own = disclosures.list_plan(commune, 2026)
    assert sum(1 for p in own if p["state"] == "missing") == missing
    assert commune.db.scalar("SELECT count(*) FROM plan_item WHERE year = 2026") == 0
    district_demo.exchange(commune, office, usb)
    assert district.communes_overview(office, 2026)[0]["missing_disclosures"] == missing


def test_a_plan_entry_the_commune_fulfilled_or_removed_is_not_missing(silent_pair):
    commune, office, usb = silent_pair
    # The Q1 budget-execution report, recorded in April but never posted: it is the Q1
    # line's item ("recorded"), no longer missing, but not done either.
    item = disclosures.add(commune, "NS-THUCHIEN-QUY", "Công khai thực hiện dự toán quý I/2026",
                           trigger_date="2026-04-08")  # fmt: skip
    assert item
    # The commune takes the Q3 register check off its plan (not applicable this year).
    disclosures.generate_plan(commune, 2026)
    q3 = commune.db.one(
        "SELECT id FROM plan_item WHERE year = 2026 AND type_code = 'DANH-MUC-CK-QUY' "
        "AND period_code = 'Q3'"
    )
    from papi_desktop.store import rows

    with commune.db.transaction():
        rows.tombstone(commune.db, "plan_item", q3["id"])
    before = district.communes_overview(office, 2026)[0]["missing_disclosures"]
    district_demo.exchange(commune, office, usb)
    plan = district.expected_disclosures(office, 2026, [DEMO_COMMUNE])[DEMO_COMMUNE]
    by_key = {(p["type"], p["period"]): p for p in plan}
    assert by_key[("NS-THUCHIEN-QUY", "Q1")]["state"] == "recorded"
    assert by_key[("NS-THUCHIEN-QUY", "Q1")]["disclosure_id"] == item
    assert ("DANH-MUC-CK-QUY", "Q3") not in by_key
    assert district.communes_overview(office, 2026)[0]["missing_disclosures"] == before - 2


def test_an_unlinked_disclosure_is_matched_at_the_office_as_at_the_commune(tmp_path):
    """The commune never opened its plan, but did register the 6-month budget report: the
    office matches it to the H1 entry with the commune's rule (the line whose due date is
    closest to the item's legal deadline)."""
    commune = set_up_last_year(tmp_path / "commune")
    disclosures.add(commune, "NS-THUCHIEN-QUY", "Thực hiện dự toán 6 tháng đầu năm 2026",
                    trigger_date="2026-07-06")  # fmt: skip
    office = district_demo.init_office(tmp_path / "office", today=TODAY)
    district_demo.exchange(commune, office, tmp_path / "usb")
    assert office.db.scalar("SELECT count(*) FROM plan_item WHERE year = 2026") == 0
    plan = district.expected_disclosures(office, 2026, [DEMO_COMMUNE])[DEMO_COMMUNE]
    states = {p["period"]: p["state"] for p in plan if p["type"] == "NS-THUCHIEN-QUY"}
    # Trigger 6/7 + 10 days = deadline 16/07: 6 days from the H1 line (10/07), 88 from Q3
    # (12/10). Recorded but not posted yet: "recorded", not "done".
    assert states == {"Q1": "missing", "H1": "recorded", "Q3": "missing"}
    own = {p["period"]: p["state"] for p in disclosures.list_plan(commune, 2026)
           if p["type"] == "NS-THUCHIEN-QUY"}  # fmt: skip
    assert own == states
    commune.close()
    office.close()


def test_a_due_date_on_a_day_off_moves_to_the_next_working_day(district_ctx):
    plan = district.expected_disclosures(district_ctx, 2026, ["22528"])["22528"]
    due = {(p["type"], p["period"]): p["due"] for p in plan}
    # 10/10/2026 is a Saturday: the 9-month budget report is due Monday 12/10/2026.
    assert date(2026, 10, 10).weekday() == 5
    assert due[("NS-THUCHIEN-QUY", "Q3")] == "2026-10-12"
    # 31/01/2026 is a Saturday too; 30/04/2026 is a public holiday (Reunification Day),
    # followed by 1/5 and the weekend: the final accounts are due Monday 4/5/2026.
    assert due[("QUYCHE-DANCHU", "Y")] == "2026-02-02"
    assert due[("NS-QUYETTOAN", "Y")] == "2026-05-04"
    cal = district_ctx.calendar()
    assert all(cal.is_working_day(date.fromisoformat(d)) for d in due.values())


def test_communes_list_json_and_the_consolidated_workbook_agree(silent_pair, cli, tmp_path):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.consolidated import HEADER_ROW, SUMMARY_SHEET

    _commune, office, _usb = silent_pair
    office_dir = office.paths.root
    office.close()
    r = cli("communes", "list", "--year", "2026", "--json", data=office_dir)
    assert r.code == 0, r.err
    (row,) = r.json()
    assert row["missing_disclosures"] > 0
    out = tmp_path / "tong-hop.xlsx"
    r = cli("report", "consolidated", "--year", "2026", "-o", str(out), data=office_dir)
    assert r.code == 0, r.err
    ws = load_workbook(out, read_only=True)[SUMMARY_SHEET]
    lines = list(ws.iter_rows(min_row=HEADER_ROW, values_only=True))
    col = {h: i for i, h in enumerate(lines[0])}
    (line,) = [x for x in lines[1:] if len(x) > len(col) // 2 and x[col["Mã xã"]] == DEMO_COMMUNE]
    assert line[col["Công khai còn thiếu"]] == row["missing_disclosures"]
    assert line[col["Công khai trễ hạn"]] == row["late_disclosures"]
    assert line[col["Nhiệm vụ quá hạn"]] == row["overdue_tasks"]
