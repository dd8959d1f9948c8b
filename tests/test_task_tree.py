"""Tests for the checklist helpers: in-memory filters, the tree rows, evidence counts and
viewable copies of evidence files."""

from __future__ import annotations

import pytest

from papi_desktop.errors import StorageError
from papi_desktop.services import task_tree, tasks
from papi_desktop.store.attachments import blob_path


@pytest.fixture
def year_rows(commune_ctx):
    return tasks.list_results(commune_ctx, year=2026)


def test_search_is_folded_and_needs_every_word(commune_ctx, year_rows):
    keys = task_tree.search_keys(commune_ctx)
    found = task_tree.filter_results(year_rows, keys, search="tuyen truyen")
    assert found
    assert all("tuyên truyền" in r["title"].casefold() for r in found[:1])
    codes = {r["code"] for r in found}
    assert "D1.1-01" in codes
    # every word must match: a word no task has empties the list
    assert task_tree.filter_results(year_rows, keys, search="tuyen zzqx") == []
    # searching by code works too
    assert {r["code"] for r in task_tree.filter_results(year_rows, keys, search="d1.1-01")} == {
        "D1.1-01"
    }


def test_filters_match_the_service_filters(commune_ctx, year_rows):
    keys = task_tree.search_keys(commune_ctx)
    tasks.set_result(commune_ctx, "D1.1-01", "2026-03", status="done", result="met")
    rows = tasks.list_results(commune_ctx, year=2026)
    for kwargs in (
        {"status": "done"},
        {"dimension": "3"},
        {"overdue_only": True},
        {"period": "2026-03"},
        {"period": "2026Q2", "status": "todo"},
    ):
        mine = task_tree.filter_results(rows, keys, **kwargs)
        theirs = tasks.list_results(commune_ctx, year=2026, **kwargs)
        assert [(r["code"], r["period"]) for r in mine] == [
            (r["code"], r["period"]) for r in theirs
        ], kwargs
    assert [r["code"] for r in task_tree.filter_results(rows, keys, status="done")] == ["D1.1-01"]


def test_period_options_are_in_time_order(year_rows):
    opts = task_tree.period_options(year_rows)
    assert opts[0] == "2026"
    assert opts.index("2026H1") < opts.index("2026Q1") < opts.index("2026-01")
    assert opts.index("2026-03") < opts.index("2026Q2") < opts.index("2026-04")
    assert opts.index("2026-12") == len(opts) - 1
    assert task_tree.period_label("2026Q3") == "Quý 3/2026"
    assert task_tree.period_label("2026H2", "en") == "Second half of 2026"


def test_tree_groups_dimension_criterion_task_period(commune_ctx, year_rows):
    crit = tasks.criteria(commune_ctx)
    rows = task_tree.build_tree(crit, year_rows)
    iids = [r.iid for r in rows]
    assert len(iids) == len(set(iids))
    seen: set[str] = set()
    for r in rows:  # parents always come before their children
        assert r.parent == "" or r.parent in seen
        seen.add(r.iid)
    results = [r for r in rows if r.kind == "result"]
    assert len(results) == len(year_rows)
    monthly = [r for r in rows if r.parent == "t:D1.1-01"]
    assert [r.text for r in monthly][:2] == ["Tháng 01/2026", "Tháng 02/2026"]
    assert len(monthly) == 12
    dims = [r for r in rows if r.kind == "dimension"]
    assert dims[0].text.startswith("Chỉ số 1. Tham gia")
    assert [d.iid for d in dims] == sorted((d.iid for d in dims), key=lambda s: int(s[2:]))
    # a dimension summary counts its rows; nothing is done yet, today is 20/11/2026
    assert dims[0].values[3].startswith("0/") and dims[0].values[3].endswith("xong")
    assert dims[0].values[4].endswith("quá hạn")


def test_tree_of_one_period_has_single_result_lines_and_marks(commune_ctx, tmp_path):
    f = tmp_path / "anh.jpg"
    f.write_bytes(b"photo")
    rid = tasks.set_result(
        commune_ctx, "D1.1-01", "2026-10", status="done", result="met", evidence=[f]
    )
    rows = tasks.list_results(commune_ctx, year=2026)
    keys = task_tree.search_keys(commune_ctx)
    shown = task_tree.filter_results(rows, keys, period="2026-10")
    ev = task_tree.evidence_counts(commune_ctx, [r["result_id"] for r in shown])
    assert ev == {rid: 1}
    tree = task_tree.build_tree(tasks.criteria(commune_ctx), shown, evidence=ev)
    line = next(r for r in tree if r.iid == task_tree.result_iid(shown[0]))
    assert line.kind == "result" and line.parent.startswith("c:")
    assert line.values[0] == "D1.1-01"
    assert line.values[3] == "Đã xong" and line.values[4] == "Đạt"
    assert line.values[5] == "20/11/2026" and line.values[7] == "1"
    assert line.tags == ("done",)
    assert not [r for r in tree if r.kind == "task"]
    late = [r for r in tree if r.kind == "result" and "overdue" in r.tags]
    assert late and all(r.row["overdue"] for r in late)
    en = task_tree.build_tree(tasks.criteria(commune_ctx), shown, lang="en", evidence=ev)
    line_en = next(r for r in en if r.iid == line.iid)
    assert line_en.values[3] == "Done" and line_en.values[1] == "Oct 2026"
    assert task_tree.period_short("2026H2") == "6 tháng cuối 2026"
    assert task_tree.period_short("2026-03") == "Tháng 03/2026"


def test_viewable_copy_keeps_the_name_and_refuses_damaged_files(commune_ctx, tmp_path):
    f = tmp_path / "Biên bản họp.pdf"
    f.write_bytes(b"%PDF-1.4 minutes")
    rid = tasks.set_result(commune_ctx, "D1.1-01", "2026-10", status="doing", evidence=[f])
    att = tasks.attachments_of(commune_ctx, "task_result", rid)[0]
    copy = task_tree.viewable_copy(commune_ctx, att)
    assert copy.name == "Biên bản họp.pdf"
    assert copy.read_bytes() == b"%PDF-1.4 minutes"
    blob_path(commune_ctx.paths.attachments, att["sha256"]).write_bytes(b"tampered")
    with pytest.raises(StorageError):
        task_tree.viewable_copy(commune_ctx, att)
