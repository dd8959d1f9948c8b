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
    assert "quá hạn" in d.overdue_tasks[0].text_vi
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
