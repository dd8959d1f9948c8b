"""GUI tests of the "Nhiệm vụ PAPI" page, driving the real widgets under Xvfb."""

from __future__ import annotations

from pathlib import Path

import pytest

from papi_desktop.services import task_tree, tasks
from tests.gui.conftest import pump


@pytest.fixture
def page(window):
    # key events only reach a viewable window: show the session root during the test
    window.root.deiconify()
    window.root.geometry("1366x800+0+0")
    window.shell.open_page("tasks")
    pump(window.root)
    yield window.shell.page("tasks")
    window.root.withdraw()


def choose(box, label: str) -> None:
    """Pick ``label`` in a readonly combobox the way a click does."""
    values = list(box.cget("values"))
    box.current(values.index(label))
    box.event_generate("<<ComboboxSelected>>")
    box.update()


def press(widget, sequence: str) -> None:
    widget.focus_force()
    widget.update()
    widget.event_generate(sequence)
    widget.update()


def saved_row(ctx, code: str, period: str) -> dict:
    return next(
        r
        for r in tasks.list_results(ctx, year=int(period[:4]))
        if (r["code"], r["period"]) == (code, period)
    )


def test_mark_a_task_done_with_an_evidence_file(page, gui_ctx, fake_dialogs, tmp_path):
    evidence = tmp_path / "Ảnh buổi tuyên truyền.jpg"
    evidence.write_bytes(b"jpeg bytes")
    assert page.select_task("D1.1-01", "2026-11")
    editor = page.editor
    assert editor.row["code"] == "D1.1-01" and editor.row["period"] == "2026-11"
    assert not page.has_unsaved_changes()

    choose(editor.status_box, "Đã xong")
    assert editor.done_field.entry.get() == "20/11/2026"  # today filled in for "done"
    choose(editor.result_box, "Đạt")
    editor.note_box.insert("1.0", "Đã phát 4 buổi trên loa")
    fake_dialogs.answer("ask_open_files", [str(evidence)])
    editor.attach_button.invoke()
    assert [editor.evidence_tree.item(i, "text") for i in editor.evidence_tree.get_children()] == [
        evidence.name
    ]
    assert page.has_unsaved_changes()
    editor.save_button.invoke()
    pump(page)

    row = saved_row(gui_ctx, "D1.1-01", "2026-11")
    assert (row["status"], row["result"], row["done_on"]) == ("done", "met", "2026-11-20")
    assert row["note"] == "Đã phát 4 buổi trên loa"
    files = tasks.attachments_of(gui_ctx, "task_result", row["result_id"])
    assert [f["file_name"] for f in files] == [evidence.name]
    assert not page.has_unsaved_changes()
    assert editor.error_label.cget("text") == ""

    # the list line shows the new state and the file count; the history tab the change
    iid = task_tree.result_iid(row)
    assert page.tree.selection() == (iid,)
    values = page.tree.item(iid, "values")
    assert values[3] == "Đã xong" and values[4] == "Đạt" and values[7] == "1"
    history = [editor.history_tree.item(i, "values") for i in editor.history_tree.get_children()]
    # readable columns: by, field, before, after — the file attached is a line too
    assert any(v[1] == "Trạng thái" or v[1] == "Tạo mới" for v in history)
    assert "Đã xong" in " ".join(v[3] for v in history)
    assert ("Tệp minh chứng", "—", evidence.name) in {v[1:] for v in history}
    assert editor.notebook.tab(editor.history_tab, "text").startswith("Lịch sử (")

    # the stored file opens through a verified copy under its own name
    editor.evidence_tree.selection_set(editor.evidence_tree.get_children()[0])
    editor.open_button.invoke()
    opened = [m for k, m in fake_dialogs.calls if k == "open_path"]
    assert len(opened) == 1 and Path(opened[0]).name == evidence.name

    # a saved file can be removed, after a yes, and the removal is in the history
    editor.evidence_tree.selection_set(editor.evidence_tree.get_children()[0])
    editor.unattach_button.invoke()  # asked; the default answer is no
    assert tasks.attachments_of(gui_ctx, "task_result", row["result_id"])
    fake_dialogs.answer("ask_yes_no", True)
    editor.evidence_tree.selection_set(editor.evidence_tree.get_children()[0])
    editor.unattach_button.invoke()
    pump(page)
    assert tasks.attachments_of(gui_ctx, "task_result", row["result_id"]) == []
    assert page.tree.item(iid, "values")[7] in ("", "0")
    history = [editor.history_tree.item(i, "values") for i in editor.history_tree.get_children()]
    assert history[0][1:] == ("Tệp minh chứng", evidence.name, "—")
    assert Path(opened[0]).read_bytes() == b"jpeg bytes"


def test_not_applicable_needs_a_reason(page, gui_ctx):
    assert page.select_task("D1.2-02", "2026")
    editor = page.editor
    choose(editor.result_box, "Không áp dụng")
    assert str(editor.reason_entry.cget("state")) == "normal"
    editor.save_button.invoke()
    assert "phải ghi lý do" in editor.error_label.cget("text")
    assert saved_row(gui_ctx, "D1.2-02", "2026")["result_id"] is None
    assert page.has_unsaved_changes()

    editor.reason_entry.insert(0, "Năm nay không tổ chức hội nghị theo chỉ đạo của tỉnh")
    press(editor.reason_entry, "<Return>")  # Enter saves the form
    pump(page)
    row = saved_row(gui_ctx, "D1.2-02", "2026")
    assert row["result"] == "na"
    assert row["na_reason"] == "Năm nay không tổ chức hội nghị theo chỉ đạo của tỉnh"
    assert not row["overdue"]


def test_a_wrong_done_date_is_explained_and_nothing_saved(page, gui_ctx):
    assert page.select_task("D1.3-01", "2026")
    editor = page.editor
    choose(editor.status_box, "Đang làm")
    fields_entry = editor.done_field.entry
    fields_entry.delete(0, "end")
    fields_entry.insert(0, "31/02/2026")
    assert not editor.save()
    assert "31/02/2026 không tồn tại" in editor.error_label.cget("text")
    assert saved_row(gui_ctx, "D1.3-01", "2026")["result_id"] is None
    fields_entry.delete(0, "end")
    fields_entry.insert(0, "01/12/2026")
    assert not editor.save()
    assert "ở tương lai" in editor.error_label.cget("text")
    # Escape drops the edits and shows the stored values again
    press(editor.status_box, "<Escape>")
    assert not page.has_unsaved_changes()
    assert editor.status_box.get() == "Chưa làm"


def test_filters_and_folded_search(page, gui_ctx):
    tasks.set_result(gui_ctx, "D1.1-01", "2026-03", status="done", result="met")
    page.on_show()
    # the default shows each task's current period: one line per task
    shown = list(page._shown.values())
    assert len(shown) == len({r["code"] for r in shown}) == len(tasks.framework_tasks(gui_ctx))

    page.focus_search()
    page.search_var.set("tuyen truyen")
    page.apply_filters()
    shown = list(page._shown.values())
    assert shown and {r["code"] for r in shown} >= {"D1.1-01"}
    assert all("tuyên truyền" in r["title"].casefold() for r in shown)

    page.search_var.set("")
    choose(page.period_box, "Tất cả các kỳ")
    choose(page.status_box, "Đã xong")
    assert [(r["code"], r["period"]) for r in page._shown.values()] == [("D1.1-01", "2026-03")]

    choose(page.status_box, "Tất cả")
    page.overdue_var.set(True)
    page.overdue_check.invoke()  # toggles it off again and re-filters
    assert not page.overdue_var.get()
    page.overdue_check.invoke()
    late = list(page._shown.values())
    assert late and all(r["overdue"] for r in late)
    assert all("overdue" in page.tree.item(iid, "tags") for iid in page._shown)
    assert "quá hạn" in page.count_label.cget("text")

    page.overdue_check.invoke()
    choose(page.dimension_box, page.dimension_box.cget("values")[3])  # dimension 3
    assert {r["dimension"] for r in page._shown.values()} == {"3"}
    choose(page.dimension_box, "Tất cả")
    choose(page.period_box, "Quý 2/2026")
    assert {r["period"] for r in page._shown.values()} == {"2026Q2"}


def test_leaving_with_unsaved_edits_asks_first(window, page, fake_dialogs, gui_ctx):
    assert page.select_task("D1.3-02", "2026")
    choose(page.editor.status_box, "Đang làm")
    assert page.has_unsaved_changes()
    fake_dialogs.answer("ask_save_discard_cancel", "cancel")
    assert not window.shell.open_page("home")
    assert window.shell.current == "tasks"
    fake_dialogs.answer("ask_save_discard_cancel", "save")
    assert window.shell.open_page("home")
    assert saved_row(gui_ctx, "D1.3-02", "2026")["status"] == "doing"


def test_supervising_office_sees_a_read_only_page_with_a_commune_selector(
    district_ctx, make_window
):
    from papi_desktop.services import demo

    demo.mark_demo_folder(district_ctx)

    demo.generate(district_ctx, communes=2, years=1)
    window = make_window(district_ctx)
    window.shell.open_page("tasks")
    pump(window.root)
    page = window.shell.page("tasks")
    # The office's own checklist comes first (issue 14), then the communes, read-only.
    assert not page.read_only and page.unit_box is not None
    units = list(page.unit_box.cget("values"))
    assert len(units) == 3 and units[0].startswith("office – ")
    choose(page.unit_box, units[2])
    assert page.read_only
    shown = list(page._shown.values())
    assert shown and {r["unit"] for r in shown} == {units[2].split(" ", 1)[0]}
    page.tree.selection_set(next(iter(page._shown)))
    pump(page)
    assert page.editor.row is not None
    assert str(page.editor.status_box.cget("state")) == "disabled"
    assert not page.editor.save_button.winfo_ismapped()
    assert not page.has_unsaved_changes()


def test_keyboard_into_the_list_selects_a_line(page):
    tree = page.tree
    tree.selection_set(())
    tree.focus("")
    press(tree, "<FocusIn>")
    first = tree.focus()
    assert first and tree.selection() == (first,)
    press(tree, "<Down>")
    assert tree.focus() and tree.focus() != first


def test_odd_answers_are_refused_and_a_change_after_submitting_is_marked(page, gui_ctx):
    from papi_desktop.services import review

    assert page.select_task("D1.3-01", "2026")
    editor = page.editor
    choose(editor.result_box, "Đạt")  # with the status still "Chưa làm"
    before = list(gui_ctx.db.con.iterdump())
    assert not editor.save()
    assert "không đi cùng trạng thái" in editor.error_label.cget("text")
    editor.done_field.entry.delete(0, "end")
    editor.done_field.entry.insert(0, "31/12/2025")
    choose(editor.status_box, "Đã xong")
    assert not editor.save()
    assert "trước khi kỳ 2026 bắt đầu" in editor.error_label.cget("text")
    assert list(gui_ctx.db.con.iterdump()) == before
    editor.done_field.entry.delete(0, "end")
    editor.done_field.entry.insert(0, "02/01/2026")
    tasks.set_result(gui_ctx, "D1.1-02", "2026", status="doing")  # a year with results
    review.submit(gui_ctx, 2026)
    assert editor.save(), editor.error_label.cget("text")
    assert "đã sửa sau khi gửi báo cáo" in editor.saved_label.cget("text")
    unit = gui_ctx.require_site().unit_code
    assert review.state_of(gui_ctx, unit, 2026).changed_since_submitted


def test_supervising_office_edits_its_own_checklist(district_ctx, make_window, fake_dialogs,
                                                    tmp_path):  # fmt: skip
    from papi_desktop.services import demo

    demo.mark_demo_folder(district_ctx)
    demo.generate(district_ctx, communes=1, years=1)
    district_ctx.db.set_setting("office_tracking_from", "2026-01-01")
    window = make_window(district_ctx)
    window.root.deiconify()
    window.root.geometry("1366x800+0+0")
    window.shell.open_page("tasks")
    pump(window.root)
    page = window.shell.page("tasks")
    choose(page.period_box, "Tất cả các kỳ")
    shown = list(page._shown.values())
    assert shown and {r["unit"] for r in shown} == {tasks.OFFICE_UNIT}
    assert {r["code"] for r in shown} >= {"CQ-01", "CQ-14"}
    assert not [r for r in shown if r["code"].startswith("D")]  # no commune task here

    # Overdue like a commune's: the report to the provincial People's Committee (29/9).
    assert page.select_task("CQ-14", "2026", tasks.OFFICE_UNIT)
    editor = page.editor
    assert editor.row["overdue"] and editor.save_button.winfo_ismapped()
    evidence = tmp_path / "Báo cáo 29-9.pdf"
    evidence.write_bytes(b"%PDF-1.4")
    choose(editor.status_box, "Đã xong")
    choose(editor.result_box, "Đạt")
    editor.note_box.insert("1.0", "Báo cáo số 312/BC-SNV")
    fake_dialogs.answer("ask_open_files", [str(evidence)])
    editor.attach_button.invoke()
    editor.save_button.invoke()
    pump(page)
    row = next(
        r
        for r in tasks.list_results(district_ctx, year=2026, unit=tasks.OFFICE_UNIT)
        if (r["code"], r["period"]) == ("CQ-14", "2026")
    )
    assert (row["status"], row["result"], row["overdue"]) == ("done", "met", False)
    files = tasks.attachments_of(district_ctx, "task_result", row["result_id"])
    assert [f["file_name"] for f in files] == [evidence.name]
    iid = task_tree.result_iid(row)
    assert page.tree.item(iid, "values")[3] == "Đã xong"
    history = [editor.history_tree.item(i, "values") for i in editor.history_tree.get_children()]
    assert ("Tệp minh chứng", "—", evidence.name) in {v[1:] for v in history}

    # A commune's checklist is read-only; back on the office's own, editing again.
    units = list(page.unit_box.cget("values"))
    choose(page.unit_box, units[1])
    pump(page)
    assert page.read_only and not page.editor.save_button.winfo_ismapped()
    choose(page.unit_box, units[0])
    pump(page)
    assert not page.read_only
    assert page.select_task("CQ-13", "2026Q3", tasks.OFFICE_UNIT)
    pump(page)
    assert page.editor.save_button.winfo_ismapped()
    assert str(page.editor.status_box.cget("state")) != "disabled"
    window.root.withdraw()


def test_a_wrong_done_date_is_explained_under_the_field(page, gui_ctx):
    # The task page uses the one shared date field: the reason shows under the field itself
    # as well as in the editor's message, and nothing is saved.
    assert page.select_task("D1.1-01", "2026-11")
    editor = page.editor
    choose(editor.status_box, "Đã xong")
    before = list(gui_ctx.db.con.iterdump())
    editor.done_field.entry.delete(0, "end")
    editor.done_field.entry.insert(0, "31/02/2026")
    assert not editor.save()
    assert "tháng 2 năm 2026 chỉ có 28 ngày" in editor.done_field.error
    assert "Ngày hoàn thành" in editor.error_label.cget("text")
    assert list(gui_ctx.db.con.iterdump()) == before
    editor.done_field.entry.delete(0, "end")
    editor.done_field.entry.insert(0, "5/11/2026")
    assert editor.save(), editor.error_label.cget("text")
    assert editor.done_field.error == ""
    assert saved_row(gui_ctx, "D1.1-01", "2026-11")["done_on"] == "2026-11-05"
