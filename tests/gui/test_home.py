"""Tổng quan: the lists, the chart, and each line opening its item on the right page."""

from __future__ import annotations

from papi_desktop.services import disclosures, tasks
from papi_desktop.ui.pages.base import Page
from tests.gui.conftest import pump


class Recorder(Page):
    def __init__(self, master, shell, key):
        super().__init__(master, shell)
        self.key = key
        self.shown = []

    def show_item(self, **kwargs):
        self.shown.append(kwargs)


def _recorders(shell):
    out = {}
    for key in ("tasks", "disclosures"):
        out[key] = shell.pages[key] = Recorder(shell.main, shell, key)
    return out


def test_home_lists_overdue_tasks_and_opens_the_task(window, gui_ctx, root):
    shell = window.shell
    home = shell.current_page()
    assert home.key == "home"
    overdue = tasks.list_results(gui_ctx, year=2026, overdue_only=True)
    section = home.tree.item("section:overdue_tasks", "text")
    assert section == f"Nhiệm vụ quá hạn ({len(overdue)})"
    rec = _recorders(shell)
    first = home.tree.get_children("section:overdue_tasks")[0]
    line = home.lines[first]
    home.tree.selection_set(first)
    home.open_button.invoke()
    assert shell.current == "tasks"
    assert rec["tasks"].shown == [
        {"select": {"code": line.select["code"], "period": line.select["period"], "unit": "22528"}}
    ]
    assert (line.select["code"], line.select["period"]) in {
        (r["code"], r["period"]) for r in overdue
    }


def test_home_disclosure_line_opens_the_disclosure(gui_ctx, make_window, root):
    item_id = disclosures.add(
        gui_ctx, "TOCAO-KETLUAN", "Kết luận tố cáo số 01", trigger_date="05/11/2026"
    )
    window = make_window(gui_ctx)
    shell = window.shell
    home = shell.current_page()
    children = home.tree.get_children("section:postings_to_start")
    assert [home.lines[c].select["id"] for c in children] == [item_id]
    assert "Kết luận tố cáo số 01" in home.tree.item(children[0], "text")
    rec = _recorders(shell)
    root.deiconify()  # key events need a mapped window with focus
    home.tree.selection_set(children[0])
    home.tree.focus(children[0])
    home.tree.focus_force()
    pump(root)
    home.tree.event_generate("<Return>")
    pump(root)
    assert shell.current == "disclosures"
    assert rec["disclosures"].shown == [{"select": {"id": item_id}}]


def test_chart_is_drawn_after_first_paint_and_matches_progress(window, root):
    home = window.shell.current_page()
    pump(root)
    assert home.canvas is not None
    fig = home.canvas.figure
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == [p.label_vi for p in home.data.progress]
    assert "Tham gia" in labels[0]
