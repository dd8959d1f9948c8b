"""Home pages that help: on a commune, a returned report comes first with its comment, then
what to post or take down, then overdue and due tasks; each task line says what the task
is (title on the first line, when on the second, whole text in the tooltip); an old
quarter's missing disclosure is red. On the office, one line per commune needing attention,
ranked, each opening that commune."""

from __future__ import annotations

from datetime import date

from papi_desktop.services import dashboard, district_demo, review
from papi_desktop.services.context import AppContext
from papi_desktop.ui.pages.home import TEXT_COLORS
from tests.conftest import DEMO_COMMUNE
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)


def test_commune_home_order_lines_and_returned_report(tmp_path, make_window):
    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    commune = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                         today=TODAY)  # fmt: skip
    try:
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
        review.decide(office, DEMO_COMMUNE, 2026, "returned", "Thiếu minh chứng quý III")
        district_demo.exchange(office, commune, tmp_path / "usb")

        window = make_window(commune)
        home = window.shell.current_page()
        pump(home)
        sections = [iid.split(":")[1] for iid in home.tree.get_children()]
        assert sections == [
            "returned_reports", "postings_to_start", "postings_ending",
            "overdue_tasks", "tasks_due_soon", "missing_disclosures",
        ]  # fmt: skip
        (returned,) = home.tree.get_children("section:returned_reports")
        assert "Thiếu minh chứng quý III" in home.tree.item(returned, "text")
        assert home.tree.item(returned, "tags") == ("danger",)

        overdue = home.tree.get_children("section:overdue_tasks")
        assert overdue
        line = home.lines[overdue[0]]
        head, when = home.tree.item(overdue[0], "text").split("\n")
        assert head.startswith(f"{line.select['code']} ")  # what the task is, first
        assert when.startswith("Quá hạn ")
        tip = home._tip_text[overdue[0]]
        assert tip == f"{line.head_vi}\n{line.sub_vi}" and len(line.head_vi) > 20

        # a missing disclosure due before this quarter is red, this quarter's amber
        missing = [home.lines[i] for i in home.tree.get_children("section:missing_disclosures")]
        tags = {
            line.when < date(2026, 10, 1): home.tree.item(i, "tags")
            for i, line in zip(
                home.tree.get_children("section:missing_disclosures"), missing, strict=True
            )
        }
        if True in tags:
            assert tags[True] == ("danger",)
        if False in tags:
            assert tags[False] == ("warning",)
        assert True in tags  # the demo commune has an old quarter's gap
        assert str(home.tree.tag_configure("danger", "foreground")) == TEXT_COLORS["danger"]

        # two text lines a row, enough for the marks below bold Vietnamese letters
        from tkinter import font as tkfont

        import ttkbootstrap as ttk

        rowheight = int(ttk.Style().lookup(str(home.tree.cget("style")), "rowheight"))
        bold = tkfont.Font(font="TkDefaultFont")
        bold.configure(weight="bold")
        assert rowheight >= 2 * bold.metrics("linespace")
    finally:
        commune.close()
        office.close()


def test_office_home_is_one_ranked_line_per_commune(tmp_path, make_window, fake_dialogs):
    built = district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=4, today=TODAY
    )
    office = AppContext(tmp_path / "office", auto_backup=False, today=TODAY)
    try:
        commune = AppContext(district_demo.commune_folder(tmp_path / "work", built["codes"][2]),
                             auto_backup=False, today=TODAY)  # fmt: skip
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
        commune.close()

        d = dashboard.build(office)
        # Communes first, then the office's own overdue and due tasks (issue 14).
        assert [k for k, *_ in d.sections()] == ["communes", "overdue_tasks", "tasks_due_soon"]
        units = [line.unit for line in d.communes]
        assert len(units) == len(set(units)) <= 4  # one line per commune
        assert units[0] == built["codes"][2]  # the report waiting for review ranks first
        assert "chờ duyệt" in d.communes[0].text_vi

        window = make_window(office)
        home = window.shell.current_page()
        pump(home)
        lines = home.tree.get_children("section:communes")
        assert len(lines) == len(d.communes)
        home.tree.selection_set(lines[0])
        home.open_button.invoke()
        pump(home)
        assert window.shell.current == "communes"
        page = window.shell.pages["communes"]
        assert page.table.selected()["unit"] == built["codes"][2]
    finally:
        office.close()


def test_office_home_lists_its_own_tasks_and_opens_them(district_ctx, make_window):
    """Issue 14: the office's own overdue and due tasks, each opening its Tasks page on the
    office's own checklist with the task selected."""
    from papi_desktop.services import tasks

    district_ctx.db.set_setting("office_tracking_from", "2026-01-01")
    tasks.set_result(district_ctx, "CQ-14", "2026", status="done", result="met")
    window = make_window(district_ctx)
    home = window.shell.current_page()
    pump(home)
    overdue = home.tree.get_children("section:overdue_tasks")
    soon = home.tree.get_children("section:tasks_due_soon")
    codes = {home.lines[i].select["code"] for i in overdue}
    assert "CQ-05" in codes and "CQ-14" not in codes  # done tasks are not listed
    assert {home.lines[i].select["code"] for i in soon} == {"CQ-12"}
    home.tree.selection_set(soon[0])
    home.open_button.invoke()
    pump(home)
    assert window.shell.current == "tasks"
    page = window.shell.pages["tasks"]
    assert not page.read_only and page.editor.row["code"] == "CQ-12"
    assert page.editor.row["unit"] == tasks.OFFICE_UNIT
