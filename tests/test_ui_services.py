"""Service functions the window calls instead of reaching into domain/store: the deadline
preview of the add form, the status-bar facts, window preferences, the re-exported
formatting helpers, and the layering rule itself (checked on the source)."""

from __future__ import annotations

import ast
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import catalogs, dashboard, disclosures, formatting, task_tree

ROOT = Path(__file__).resolve().parents[1] / "papi_desktop"


def test_preview_deadline_moves_off_a_weekend_and_explains_it(commune_ctx):
    # 30 calendar days after 30/04/2026 is Saturday 30/05/2026 -> Monday 01/06/2026.
    p = disclosures.preview_deadline(commune_ctx, "NS-QUYETTOAN", "30/04/2026")
    assert p["deadline"] == date(2026, 6, 1)
    assert p["deadline_text"] == "01/06/2026"
    assert "30/05/2026" in p["explain_vi"] and "01/06/2026" in p["explain_vi"]
    assert "next working day" in p["explain_en"]


def test_preview_deadline_without_trigger_and_with_a_bad_one(commune_ctx):
    p = disclosures.preview_deadline(commune_ctx, "NS-QUYETTOAN", None)
    assert p["deadline"] is None and p["deadline_text"] == ""
    assert "Chưa có ngày căn cứ" in p["explain_vi"]
    with pytest.raises(UserError):
        disclosures.preview_deadline(commune_ctx, "NS-QUYETTOAN", "31/02/2026")
    with pytest.raises(UserError):
        disclosures.preview_deadline(commune_ctx, "KHONG-CO", "01/02/2026")


def test_preview_deadline_matches_the_saved_item(commune_ctx):
    item_id = disclosures.add(
        commune_ctx, "NS-QUYETTOAN", "Quyết toán ngân sách 2025", trigger_date="30/04/2026"
    )
    saved = disclosures.get_item(commune_ctx, item_id)
    preview = disclosures.preview_deadline(commune_ctx, "NS-QUYETTOAN", date(2026, 4, 30))
    assert saved["post_deadline"] == preview["deadline"].isoformat()


def test_units_with_items_and_results(commune_ctx):
    assert disclosures.units_with_items(commune_ctx) == []
    disclosures.add(commune_ctx, "NS-QUYETTOAN", "Quyết toán", trigger_date="30/04/2026")
    unit = commune_ctx.site.unit_code
    assert disclosures.units_with_items(commune_ctx) == [unit]
    assert task_tree.units_with_results(commune_ctx) in ([], [unit])


def test_status_facts(commune_ctx):
    facts = dashboard.status_facts(commune_ctx)
    assert facts["today"] == commune_ctx.today()
    assert facts["quarter"] == (commune_ctx.today().month - 1) // 3 + 1
    assert facts["framework_version"] is not None
    assert facts["last_sync"] is None


def test_change_stamp_moves_with_every_write(commune_ctx):
    before = dashboard.change_stamp(commune_ctx)
    assert dashboard.change_stamp(commune_ctx) == before
    disclosures.add(commune_ctx, "NS-QUYETTOAN", "Quyết toán", trigger_date="30/04/2026")
    assert dashboard.change_stamp(commune_ctx) != before


def test_preferences_round_trip_and_reject_unknown_keys(commune_ctx):
    catalogs.set_preferences(commune_ctx, ui_language="en", theme="dark")
    assert catalogs.get_preference(commune_ctx, "ui_language") == "en"
    assert catalogs.get_preference(commune_ctx, "theme") == "dark"
    with pytest.raises(KeyError):
        catalogs.set_preferences(commune_ctx, signer_name="X")
    with pytest.raises(KeyError):
        catalogs.get_preference(commune_ctx, "site_id")


def test_signer_without_title_only_when_asked(commune_ctx):
    with pytest.raises(UserError):
        catalogs.set_signer(commune_ctx, "Trần Văn B", "  ", "")
    catalogs.set_signer(commune_ctx, "Trần Văn B", "", "", require_title=False)
    assert catalogs.get_signer(commune_ctx)["signer_name"] == "Trần Văn B"


def test_formatting_helpers():
    assert formatting.iso_to_text("2026-11-20") == "20/11/2026"
    assert formatting.iso_to_text("2026-11-20T08:00:00Z") == "20/11/2026"
    assert formatting.iso_to_text(None) == "" and formatting.iso_to_text("abc") == "abc"
    assert formatting.parse_date("5/1/2026") == date(2026, 1, 5)
    assert formatting.fold("Ninh Hòa") == formatting.fold("ninh hoa")


def test_period_helpers():
    rows = [{"period": "2026Q4"}, {"period": "2026Q1"}, {"period": "2026"}]
    assert task_tree.period_year("2026Q4") == 2026
    shown = task_tree.current_period_rows(rows, date(2026, 11, 20))
    assert [r["period"] for r in shown] == ["2026Q4", "2026"]
    # A task whose periods leave a gap (the budget execution report follows its disclosure
    # type: Q1, H1, 9 months) shows its next period due, else its last one.
    gaps = [{"code": "D2.3-03", "period": p, "due": d} for p, d in
            (("2026Q1", "2026-04-10"), ("2026H1", "2026-07-10"), ("2026Q3", "2026-10-12"))]  # fmt: skip
    assert [r["period"] for r in task_tree.current_period_rows(gaps, date(2026, 11, 20))] == [
        "2026Q3"
    ]
    assert [r["period"] for r in task_tree.current_period_rows(gaps, date(2026, 4, 20))] == [
        "2026H1"
    ]


def test_office_charts_for_the_window_are_the_reports_own():
    from papi_desktop.reports import district_charts

    # One colour scale for the screen and the PDF: the same functions, not copies.
    assert dashboard.heat_colour is district_charts.heat_colour
    assert dashboard.completion_colour is district_charts.completion_colour
    assert dashboard.heat_colour(None) == district_charts.HEAT_NONE
    assert dashboard.completion_colour(85.0) == "#2e7d32"
    fig = dashboard.scores_figure([2022, 2023], [43.44, None], [None, 45.0], "PAPI", width_in=6)
    assert fig.get_size_inches()[0] == 6
    ax = fig.axes[0]
    assert ax.get_title() == "PAPI"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2022", "2023"]
    assert "43.44" in [t.get_text() for t in ax.texts]


FORBIDDEN = ("papi_desktop.domain", "papi_desktop.store", "papi_desktop.reports",
             "papi_desktop.sync")  # fmt: skip


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


def test_ui_reaches_data_only_through_services():
    bad = []
    for path in sorted((ROOT / "ui").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        bad += [f"{rel}: {m}" for m in _imports(path) if m.startswith(FORBIDDEN)]
    assert bad == []


def test_only_the_ui_imports_tkinter():
    bad = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("ui/"):
            continue
        bad += [
            f"{rel}: {m}"
            for m in _imports(path)
            if m.split(".")[0] in ("tkinter", "ttkbootstrap", "_tkinter")
        ]
    assert bad == []
