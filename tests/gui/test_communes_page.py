"""The Xã/phường page on an office with demo communes from real packages: rows and figures
equal the service's, flags for another framework version, accept/return through the page,
the dashboard and scores tabs draw, the drill-down is read-only with comments; and the
commune-side review panel shows a returned report."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.services import district, district_demo, review, scores
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)


@pytest.fixture
def office(tmp_path):
    built = district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=4, today=TODAY
    )
    ctx = AppContext(tmp_path / "office", auto_backup=False, today=TODAY)
    ctx.work = tmp_path / "work"
    ctx.codes = built["codes"]
    yield ctx
    ctx.close()


def test_page_rows_equal_the_service_and_review_works(office, make_window, fake_dialogs):
    window = make_window(office)
    shell = window.shell if hasattr(window, "shell") else window
    assert shell.open_page("communes")
    pump(shell)
    page = shell.pages["communes"]
    expected = {r["unit"]: r for r in district.communes_overview(office, 2026)}
    shown = {r["unit"]: r for r in page.table.rows}
    assert shown.keys() == expected.keys()
    for unit, r in shown.items():
        assert r["completion"] == expected[unit]["completion"]
        assert r["overdue_tasks"] == expected[unit]["overdue_tasks"]
        assert r["late_disclosures"] == expected[unit]["late_disclosures"]
    assert len(page.table.tree.get_children()) == 4

    # Accept needs a submitted report: the page shows the service's message.
    unit = office.codes[0]
    page.table.select(lambda r: r["unit"] == unit)
    fake_dialogs.answer("ask_yes_no", True)
    page.accept_selected()
    assert any("chưa gửi" in m for m in fake_dialogs.messages("error"))
    assert review.state_of(office, unit, 2026).state == "draft"

    page.tabs.select(1)
    pump(page)
    assert page._charts_for == page._stamp and page.data["totals"]["communes"] == 4
    # The heat grid writes the same completion figures as the list, one row per commune.
    assert [name for name, _ in page.heat.rows] == [r["name"] for r in page.table.rows]
    first = page.table.rows[0]
    assert page.heat.cell_text(0, 8) == (
        "—" if first["completion"] is None else f"{first['completion']:.0f}"
    )
    # Shown again with nothing changed: not redrawn (same widgets).
    heat = page.heat
    page.tabs.select(0)
    pump(page)
    shell.open_page("communes")
    page.tabs.select(1)
    pump(page)
    assert page.heat is heat
    # Any write changes the data: the dashboard is drawn again when next shown.
    scores.add(office, 2022, total=43.44, rank=16, of_n=61)
    page.tabs.select(0)
    pump(page)
    page.tabs.select(1)
    pump(page)
    assert page.heat is not heat and page._charts_for == page._stamp
    page.tabs.select(2)
    pump(page)
    assert page.scores_table.rows[0]["rank_text"] == "16/61"

    detail = page.open_detail(shown[unit])
    pump(detail)
    assert detail.checklist.rows and all(r["unit"] == unit for r in detail.checklist.rows)
    first = detail.checklist.rows[0]
    fake_dialogs.answer("ask_string", "Cần bổ sung biên bản")
    detail.comment(first)
    assert review.reviews(office, unit=unit)[0]["comment"] == "Cần bổ sung biên bản"
    detail.destroy()


def test_an_accepted_report_is_never_reversed_silently_in_the_window(
    office, make_window, fake_dialogs, tmp_path
):
    unit = office.codes[1]
    commune = AppContext(district_demo.commune_folder(office.work, unit), auto_backup=False,
                         today=TODAY)  # fmt: skip
    try:
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
    finally:
        commune.close()
    window = make_window(office)
    shell = window.shell if hasattr(window, "shell") else window
    shell.open_page("communes")
    pump(shell)
    page = shell.pages["communes"]
    assert page.table.select(lambda r: r["unit"] == unit)

    fake_dialogs.answer("ask_yes_no", True)
    page.accept_selected()
    assert review.state_of(office, unit, 2026).state == "accepted"
    accepted_on = review.date_text(review.state_of(office, unit, 2026).decided_at)

    # Accepting again: said so, nothing asked, nothing changed.
    asked = len(fake_dialogs.messages("ask_yes_no"))
    page.table.select(lambda r: r["unit"] == unit)
    page.accept_selected()
    assert len(fake_dialogs.messages("ask_yes_no")) == asked
    assert "đã chấp nhận rồi" in fake_dialogs.messages("info")[-1]
    assert review.state_of(office, unit, 2026).state == "accepted"

    # Returning it: the window asks in plain words (no "--force" advice), "no" keeps it.
    page.table.select(lambda r: r["unit"] == unit)
    fake_dialogs.answer("ask_yes_no", False)
    page.return_selected()
    question = fake_dialogs.messages("ask_yes_no")[-1]
    assert question == (
        f"Báo cáo năm 2026 đã được chấp nhận ngày {accepted_on}. Vẫn trả lại để xã sửa?"
    )
    assert fake_dialogs.messages("ask_string") == []
    assert review.state_of(office, unit, 2026).state == "accepted"

    # "Yes" and a reason: returned, the override logged.
    page.table.select(lambda r: r["unit"] == unit)
    fake_dialogs.answer("ask_yes_no", True)
    fake_dialogs.answer("ask_string", "Thiếu biên bản quý IV")
    page.return_selected()
    st = review.state_of(office, unit, 2026)
    assert st.state == "returned" and st.comment == "Thiếu biên bản quý IV"
    assert office.db.scalar("SELECT count(*) FROM audit WHERE field = 'override'") == 1
    assert not any("--force" in m for m in fake_dialogs.messages("error"))
    assert fake_dialogs.messages("error") == []
    assert "có ghi nhật ký" in fake_dialogs.messages("info")[-1]


def test_communes_on_an_older_framework_are_flagged(office, make_window, tmp_path):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.framework_template import SHEET
    from papi_desktop.services import framework_io

    src = framework_io.export_framework(office, tmp_path / "khung.xlsx")
    wb = load_workbook(src)
    wb[SHEET]["D4"] = "2"
    wb.save(tmp_path / "v2.xlsx")
    district.publish_framework(office, tmp_path / "v2.xlsx")
    window = make_window(office)
    shell = window.shell if hasattr(window, "shell") else window
    shell.open_page("communes")
    pump(shell)
    page = shell.pages["communes"]
    assert all(r["framework_current"] is False for r in page.table.rows)
    assert all(r["version_text"] == "v1 ⚠" for r in page.table.rows)
    assert "phiên bản" in page.warning.cget("text")
    tags = {page.table.tree.item(i, "tags")[0] for i in page.table.tree.get_children()}
    assert tags == {"version"}


def test_review_panel_shows_a_returned_report(tmp_path, root):
    import ttkbootstrap as ttk

    from papi_desktop.ui.pages.review_panel import ReviewPanel

    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    commune = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                         today=TODAY)  # fmt: skip
    try:
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
        review.decide(office, DEMO_COMMUNE, 2026, "returned", "Thiếu minh chứng quý III")
        review.comment_result(office, DEMO_COMMUNE, "D1.1-01", "2026-03", "Chưa có ảnh")
        district_demo.exchange(office, commune, tmp_path / "usb")

        class FakePage:
            ctx = commune

            def tr(self, vi, en):
                return vi

        frame = ttk.Frame(root)
        panel = ReviewPanel(frame, FakePage())
        panel.refresh(2026)
        assert "Trả lại" in panel.status.cget("text")
        assert "Thiếu minh chứng quý III" in panel.status.cget("text")
        assert "D1.1-01" in panel.comments.cget("text")
        assert str(panel.submit_btn.cget("state")) == "normal"
        assert str(panel.reopen_btn.cget("state")) == "disabled"
    finally:
        commune.close()
        office.close()


def test_review_buttons_follow_the_report_and_keep_reason_and_selection(
    office, make_window, fake_dialogs, tmp_path
):
    unit = office.codes[2]
    commune = AppContext(district_demo.commune_folder(office.work, unit), auto_backup=False,
                         today=TODAY)  # fmt: skip
    try:
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
    finally:
        commune.close()
    window = make_window(office)
    shell = window.shell
    shell.open_page("communes")
    pump(shell)
    page = shell.pages["communes"]
    # a commune that sent nothing: neither button can be pressed
    page.table.select(lambda r: r["unit"] == office.codes[0])
    pump(page)
    assert str(page.accept_btn.cget("state")) == "disabled"
    assert str(page.return_btn.cget("state")) == "disabled"
    # the one waiting for review: both
    page.table.select(lambda r: r["unit"] == unit)
    pump(page)
    assert str(page.accept_btn.cget("state")) == "normal"
    assert str(page.return_btn.cget("state")) == "normal"
    # a reason the service refuses (too long) is offered again, not lost
    long_reason = "Thiếu minh chứng. " * 200
    fake_dialogs.answer("ask_string", long_reason)
    page.return_btn.invoke()
    assert fake_dialogs.messages("error")
    assert page._reasons[unit] == long_reason
    fake_dialogs.answer("ask_string", "Thiếu minh chứng quý III")
    page.return_btn.invoke()
    pump(page)
    assert review.state_of(office, unit, 2026).state == "returned"
    assert unit not in page._reasons
    # the selection stays on the commune after the action; a returned report cannot be
    # accepted, so Accept is greyed out
    assert page.selected()["unit"] == unit
    assert str(page.accept_btn.cget("state")) == "disabled"
    # messages name the commune, not its code
    page.table.select(lambda r: r["unit"] == office.codes[0])
    fake_dialogs.answer("ask_yes_no", True)
    page.accept_selected()
    name = page.selected()["name"]
    assert any(m.startswith(name) for m in fake_dialogs.messages("error"))
