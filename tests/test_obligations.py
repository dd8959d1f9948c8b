"""One source of truth for recurring disclosures (issue 12): a framework task that refers to a
disclosure type is due when the type's catalogue plan says, and ``tasks list``, ``disclosures
plan`` and ``disclosures types`` give the same dates; the plan's states tell the truth.

Every date below is worked by hand from the calendar (BLDS 2015 Điều 148 khoản 5: a due
date on a day off moves to the next working day) and the catalogue rule."""

from __future__ import annotations

import sqlite3

import pytest

from tests.conftest import DEMO_COMMUNE

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
