"""The window as a whole: every page opens for both roles (a missing page module is an error,
not a placeholder), the year-report panel on the tasks page, a missing plan line on the
home page opening the add form, and sorting the disclosure register."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from papi_desktop.services import demo, district_demo, review
from papi_desktop.services.context import AppContext
from papi_desktop.ui import shell as shell_module
from papi_desktop.ui.pages.base import Page
from tests.conftest import DEMO_COMMUNE
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)


def _open_every_page(window) -> list[str]:
    shell = window.shell
    opened = []
    for spec in shell.specs:
        assert shell.open_page(spec.key), spec.key
        pump(window.root)
        page = shell.current_page()
        assert isinstance(page, Page) and page.key == spec.key
        assert type(page).__module__ == spec.module
        assert page.winfo_children(), f"{spec.key} shows nothing"
        opened.append(spec.key)
    return opened


def test_every_page_opens_on_a_commune_with_demo_data(gui_ctx, make_window):
    demo.mark_demo_folder(gui_ctx)
    demo.generate(gui_ctx, years=1)
    window = make_window(gui_ctx)
    assert _open_every_page(window) == [
        "home", "tasks", "disclosures", "reports", "sync", "inspections", "assess", "catalog",
        "settings",
    ]  # fmt: skip
    window.shell.set_language("en")
    assert window.shell.nav_buttons["tasks"].cget("text") == "PAPI tasks"
    assert len(_open_every_page(window)) == 9


def test_every_page_opens_at_the_supervising_office(district_ctx, make_window):
    demo.mark_demo_folder(district_ctx)
    demo.generate(district_ctx, communes=2, years=1)
    window = make_window(district_ctx)
    opened = _open_every_page(window)
    assert "communes" in opened and len(opened) == 10
    tasks_page = window.shell.pages["tasks"]
    # The office's own checklist is chosen first (editable); no report panel at the office.
    assert not tasks_page.read_only and tasks_page.review_panel is None
    assert tasks_page.unit_box.get().startswith("office – ")
    assert tasks_page.tree.get_children()


def test_a_missing_page_module_is_a_loud_error(window, monkeypatch):
    specs = tuple(
        dataclasses.replace(s, module="papi_desktop.ui.pages.not_there") if s.key == "catalog"
        else s
        for s in shell_module.PAGE_SPECS
    )  # fmt: skip
    monkeypatch.setattr(shell_module, "PAGE_SPECS", specs)
    with pytest.raises(ModuleNotFoundError):
        window.shell.open_page("catalog")
    assert "catalog" not in window.shell.pages


def test_tasks_page_shows_the_returned_report_and_its_comments(tmp_path, make_window):
    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    commune = AppContext(
        district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False, today=TODAY
    )
    try:
        review.submit(commune, 2026)
        district_demo.exchange(commune, office, tmp_path / "usb")
        review.decide(office, DEMO_COMMUNE, 2026, "returned", "Thiếu minh chứng quý III")
        review.comment_result(office, DEMO_COMMUNE, "D1.1-01", "2026-03", "Chưa có ảnh")
        window = make_window(commune)
        shell = window.shell
        shell.open_page("tasks")
        panel = shell.current_page().review_panel
        assert panel is not None and panel.winfo_manager() == "grid"
        assert "Thiếu minh chứng" not in panel.status.cget("text")  # not arrived yet
        assert "Đã gửi, chờ duyệt" in panel.status.cget("text")

        # The return arrives by USB while another page is shown; coming back shows it.
        shell.open_page("home")
        district_demo.exchange(office, commune, tmp_path / "usb")
        shell.open_page("tasks")
        assert "Trả lại" in panel.status.cget("text")
        assert "Thiếu minh chứng quý III" in panel.status.cget("text")
        assert "D1.1-01" in panel.comments.cget("text")
        assert "Chưa có ảnh" in panel.comments.cget("text")
        assert str(panel.submit_btn.cget("state")) == "normal"

        # Changing the year shows that year's (empty) report state.
        page = shell.current_page()
        page.year_box.set("2025")
        page.year_box.event_generate("<<ComboboxSelected>>")
        pump(window.root)
        assert panel.year == 2025 and "Thiếu minh chứng" not in panel.status.cget("text")
    finally:
        commune.close()
        office.close()


def test_home_missing_plan_line_opens_the_add_form_for_it(gui_ctx, make_window, root):
    window = make_window(gui_ctx)
    shell = window.shell
    home = shell.current_page()
    children = home.tree.get_children("section:missing_disclosures")
    plan_lines = [c for c in children if "plan" in home.lines[c].select]
    assert plan_lines, "a fresh commune has expected disclosures missing this quarter"
    line = home.lines[plan_lines[0]]
    home.tree.selection_set(plan_lines[0])
    home.open_button.invoke()
    pump(root)
    assert shell.current == "disclosures"
    page = shell.current_page()
    form = page.form
    assert form is not None and form.winfo_exists()
    assert form._type["code"] == line.select["type"]
    title = form.title_entry.get()
    assert title and title in line.text_vi  # the plan item's label, as a suggestion
    form.trigger_field.entry.insert(0, f"{line.when:%d/%m/%Y}")  # inside the plan period
    assert form.save(), form.error_label.cget("text")
    pump(root)
    item = page._by_id[page._current_id]
    assert item["type"] == line.select["type"] and item["title"] == title
    # The plan line is now met, so it leaves the home page's missing list.
    shell.open_page("home")
    pump(root)
    assert all(
        home.lines[c].select.get("plan") != line.select["plan"]
        for c in home.tree.get_children("section:missing_disclosures")
    )


def test_disclosure_register_sorts_by_a_column_both_ways(gui_ctx, make_window, root):
    demo.mark_demo_folder(gui_ctx)
    demo.generate(gui_ctx, years=1)
    window = make_window(gui_ctx)
    window.shell.open_page("disclosures")
    page = window.shell.current_page()
    page.year_box.current(0)  # every year
    page.reload()
    index = list(page.tree.cget("columns")).index("title")
    titles = [page.tree.item(i, "values")[index] for i in page.tree.get_children()]
    assert len(titles) > 5
    from papi_desktop.services.formatting import vi_sort_key

    page.sort_by("title", False)
    shown = [page.tree.item(i, "values")[index] for i in page.tree.get_children()]
    assert shown == sorted(titles, key=vi_sort_key)
    page.sort_by("title", True)
    shown = [page.tree.item(i, "values")[index] for i in page.tree.get_children()]
    assert shown == sorted(titles, key=vi_sort_key, reverse=True)
    assert [i["id"] for i in page._items] == list(page.tree.get_children())


def test_home_lines_that_do_not_fit_end_with_an_ellipsis(gui_ctx, make_window):
    from papi_desktop.ui.pages.home import _ellipsize

    def width(s):
        return 10 * len(s)

    assert _ellipsize("Tổ dân phố 3", 200, width) == "Tổ dân phố 3"
    assert _ellipsize("abcdefghij", 50, width) == "abcd…"
    assert _ellipsize("abc   defghij", 60, width) == "abc…"  # no space before "…"

    demo.mark_demo_folder(gui_ctx)

    demo.generate(gui_ctx, years=1)
    window = make_window(gui_ctx)
    home = window.shell.current_page()
    home.tree.column("#0", width=300)
    home._fit_lines()
    # each line is (what, when): each of its two text lines is cut on its own
    cut = 0
    for iid, parts in home._full_text.items():
        shown = home.tree.item(iid, "text").split("\n")
        for full, line in zip([p for p in parts if p], shown, strict=True):
            if line != full:
                cut += 1
                assert line.endswith("…") and full.startswith(line[:-1])
        assert home.lines[iid].lines("vi") == parts  # opening uses the line
    assert cut
