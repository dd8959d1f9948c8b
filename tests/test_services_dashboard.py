"""The home page's "what needs doing now" lists, computed without Tk."""

from __future__ import annotations

from datetime import date

from papi_desktop.services import dashboard, disclosures, tasks


def test_overdue_and_due_soon_tasks_come_from_the_results(commune_ctx):
    rows = tasks.list_results(commune_ctx, year=2026)
    overdue = {(r["code"], r["period"]) for r in rows if r["overdue"]}
    soon = {
        (r["code"], r["period"])
        for r in rows
        if not r["overdue"]
        and date(2026, 11, 20) <= date.fromisoformat(r["due"]) <= date(2026, 12, 4)
    }
    assert overdue and soon
    d = dashboard.build(commune_ctx)
    assert {(x.select["code"], x.select["period"]) for x in d.overdue_tasks} == overdue
    assert {(x.select["code"], x.select["period"]) for x in d.tasks_due_soon} == soon
    assert all(x.page == "tasks" for x in d.overdue_tasks + d.tasks_due_soon)
    assert "Quá hạn" in d.overdue_tasks[0].text_vi
    # doing one removes it from the list
    code, period = sorted(overdue)[0]
    tasks.set_result(commune_ctx, code, period, status="done", result="met")
    d2 = dashboard.build(commune_ctx)
    assert (code, period) not in {(x.select["code"], x.select["period"]) for x in d2.overdue_tasks}


def test_progress_by_dimension_counts_done_over_applicable(commune_ctx):
    d = dashboard.build(commune_ctx)
    assert [p.code for p in d.progress] == [str(i) for i in range(1, 9)]
    assert all(p.progress.done == 0 for p in d.progress)
    first = tasks.list_results(commune_ctx, year=2026, dimension="1", overdue_only=True)[0]
    tasks.set_result(commune_ctx, first["code"], first["period"], status="done", result="met")
    after = {p.code: p.progress for p in dashboard.build(commune_ctx).progress}
    assert after["1"].done == 1
    assert after["1"].applicable == d.progress[0].progress.applicable


def test_postings_to_start_and_ending(commune_ctx):
    # 7 working days from 05/11/2026 -> already past on 20/11/2026
    late = disclosures.add(
        commune_ctx, "TOCAO-KETLUAN", "Kết luận tố cáo số 01", trigger_date="05/11/2026"
    )
    # from 19/11/2026 the deadline is more than 3 days away
    later = disclosures.add(
        commune_ctx, "TOCAO-KETLUAN", "Kết luận tố cáo số 02", trigger_date="19/11/2026"
    )
    ending = disclosures.add(
        commune_ctx, "TOCAO-KETLUAN", "Kết luận tố cáo số 03", trigger_date="09/11/2026"
    )
    item = disclosures.get_item(commune_ctx, ending)
    for p in item["places"]:
        disclosures.record_posting(commune_ctx, ending, p["place"], "10/11/2026")
    d = dashboard.build(commune_ctx)
    to_start = {x.select["id"] for x in d.postings_to_start}
    assert late in to_start and later not in to_start
    assert ending not in to_start
    ends = {x.select["id"]: x for x in d.postings_ending}
    assert ending in ends
    ends_on = disclosures.get_item(commune_ctx, ending)["places"][0]["ends_on"]
    assert ends[ending].when == date.fromisoformat(ends_on)
    assert "hết niêm yết" in ends[ending].text_vi
    assert all(x.page == "disclosures" for x in d.postings_to_start + d.postings_ending)


def test_missing_disclosures_of_the_quarter(commune_ctx):
    expected = disclosures.missing_this_quarter(commune_ctx)
    d = dashboard.build(commune_ctx)
    assert len(d.missing_disclosures) == len(expected) > 0
    assert {x.select["type"] for x in d.missing_disclosures} == {p["type"] for p in expected}
    assert d.total >= len(d.missing_disclosures)


def test_the_office_sees_every_expected_disclosure_of_a_commune_without_a_plan(tmp_path):
    """A commune that never generated its 2026 plan (it sent one task result only): the
    office's plan lines and home lines come from ``district.expected_disclosures``, the same
    missing entries as ``communes list``, not from the commune's (absent) plan items."""
    from papi_desktop.services import district, district_demo, setup
    from papi_desktop.services.context import AppContext
    from tests.conftest import DEMO_COMMUNE

    today = date(2026, 11, 20)
    with AppContext(tmp_path / "commune", auto_backup=False, today=date(2025, 12, 1)) as c:
        setup.init_site(c, "commune", unit_code=DEMO_COMMUNE, user="Nguyễn Văn An")
    commune = AppContext(tmp_path / "commune", auto_backup=False, today=today)
    office = district_demo.init_office(tmp_path / "office", today=today)
    try:
        tasks.set_result(commune, "D1.1-01", "2026-01", status="done", result="met",
                         done_on="2026-01-20")  # fmt: skip
        district_demo.exchange(commune, office, tmp_path / "usb")
        lines = dashboard.plan_lines(office, 2026, unit=DEMO_COMMUNE)
        expected = district.expected_disclosures(office, 2026, [DEMO_COMMUNE])[DEMO_COMMUNE]
        # The office computes the commune's plan by the commune's own rule.
        assert disclosures.list_plan(office, 2026, unit=DEMO_COMMUNE) == expected
        assert sorted((p["type"], p["period"], p["due"], p["state"]) for p in lines) == sorted(
            (e["type"], e["period"], e["due"], e["state"]) for e in expected
        )
        assert {p["unit"] for p in lines} == {DEMO_COMMUNE}
        assert all(p["type_name"] and p["id"] for p in lines)
        missing = sum(1 for p in lines if p["state"] == "missing")
        row = district.communes_overview(office, 2026)[0]
        assert missing == row["missing_disclosures"] > 0
        assert dashboard.plan_lines(office, 2026) == lines  # every enrolled commune: just this one
        # A line's id leads back to it (the home page opens plan lines by id).
        assert dashboard.plan_line(office, lines[0]["id"]) == lines[0]
        assert dashboard.plan_line(office, "expected|99999|2026|X|Q1") is None

        # Home: one line for the commune, saying how many expected disclosures are missing,
        # opening that commune (not one line per missing entry).
        d = dashboard.build(office)
        assert d.office and d.missing_disclosures == []
        (line,) = d.communes
        assert line.unit == DEMO_COMMUNE and line.page == "communes"
        assert line.select == {"unit": DEMO_COMMUNE}
        assert line.text_vi.startswith("Phường Ninh Hòa: ")
        assert f"{missing} nội dung công khai còn thiếu" in line.text_vi

        # The commune's own plan, once received, gives the same lines (states and dates).
        own = disclosures.list_plan(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
        again = dashboard.plan_lines(office, 2026, unit=DEMO_COMMUNE)
        assert sorted((p["type"], p["period"], p["due"], p["state"]) for p in again) == sorted(
            (p["type"], p["period"], p["due"], p["state"]) for p in own
        )
    finally:
        commune.close()
        office.close()


def test_task_lines_lead_with_when_and_period(tmp_path):
    from datetime import date

    from papi_desktop.services import dashboard

    row = {"due": "2026-10-31", "period": "2026-10", "code": "D1.1-01", "title": "Tuyên truyền",
           "unit": "22528"}  # fmt: skip
    line = dashboard._task_line("overdue_task", row, date(2026, 11, 20), who="Phường Ninh Hòa · ")
    assert line.text_vi.startswith("Phường Ninh Hòa · Quá hạn 20 ngày (hạn 31/10/2026) · Tháng")
    assert line.text_vi.endswith("D1.1-01 Tuyên truyền")
