"""Danh mục and Cài đặt: holidays change computed deadlines, villages, disclosure types,
signer, theme, posting-day rule, backup and restore."""

from __future__ import annotations

from papi_desktop.services import disclosures, units
from tests.gui.conftest import pump


def test_holiday_added_on_the_page_moves_a_deadline(window, gui_ctx, root):
    item = disclosures.add(gui_ctx, "TOCAO-KETLUAN", "Kết luận số 01", trigger_date="12/11/2026")
    before = disclosures.get_item(gui_ctx, item)["post_deadline"]
    shell = window.shell
    shell.open_page("catalog")
    tab = shell.current_page().holidays
    tab.new_button.invoke()
    tab.day_field.entry.insert(0, "16/11/2026")
    tab.name_vi.insert(0, "Nghỉ đột xuất")
    assert shell.current_page().has_unsaved_changes()
    tab.save_button.invoke()
    assert "Đã lưu" in tab.message.cget("text")
    assert "16/11/2026" in [
        r["day"] and tab.list._cell(tab.list.columns[0], r) for r in tab.list.rows
    ]
    after = disclosures.get_item(gui_ctx, item)["post_deadline"]
    assert after > before
    assert not shell.current_page().has_unsaved_changes()
    # Who published the year's list and how far the official days off go.
    origin = tab.origin_label.cget("text")
    assert "máy này" in origin and "chỉ có đến năm 2026" in origin


def test_holiday_form_shows_date_errors_in_vietnamese(window, root):
    shell = window.shell
    shell.open_page("catalog")
    tab = shell.current_page().holidays
    tab.new_button.invoke()
    tab.day_field.entry.insert(0, "31/02/2026")
    tab.name_vi.insert(0, "Sai")
    tab.save_button.invoke()
    assert "tháng 2 năm 2026 chỉ có 28 ngày" in tab.day_field.error
    assert tab.editing_id is None


def test_edit_and_delete_a_holiday(window, gui_ctx, root, fake_dialogs):
    shell = window.shell
    shell.open_page("catalog")
    tab = shell.current_page().holidays
    assert tab.list.select(lambda r: r["day"] == "2026-09-02")
    tab.load_selected()
    assert tab.day_field.text == "02/09/2026"
    tab.name_vi.insert("end", " (sửa)")
    tab.save_button.invoke()
    assert (
        gui_ctx.calendar()
        .day_off(__import__("datetime").date(2026, 9, 2))
        .name_vi.endswith("(sửa)")
    )
    tab.list.select(lambda r: r["day"] == "2026-09-02")
    fake_dialogs.answer("ask_yes_no", True)
    tab.delete_button.invoke()
    assert gui_ctx.calendar().day_off(__import__("datetime").date(2026, 9, 2)) is None


def test_villages_tab_adds_and_removes(window, gui_ctx, root, fake_dialogs):
    shell = window.shell
    shell.open_page("catalog")
    tab = shell.current_page().places
    tab.name_entry.insert(0, "Thôn Vạn Khê")
    tab.add_button.invoke()
    names = [p["name"] for p in units.list_places(gui_ctx)]
    assert "Thôn Vạn Khê" in names
    tab.list.select(lambda r: r["name"] == "Thôn Vạn Khê")
    fake_dialogs.answer("ask_yes_no", True)
    tab.remove_button.invoke()
    assert "Thôn Vạn Khê" not in [p["name"] for p in units.list_places(gui_ctx)]


def test_disclosure_type_shows_confidence_and_saves_figures(window, gui_ctx, root):
    shell = window.shell
    shell.open_page("catalog")
    tab = shell.current_page().types
    low = next(t for t in disclosures.list_types(gui_ctx) if t["confidence"] == "L")
    tab.search_entry.insert(0, low["code"])
    tab.list.filter(low["code"])
    assert tab.list.select(lambda r: r["code"] == low["code"])
    tab.load_selected()
    assert "CHƯA XÁC NHẬN" in tab.confidence_label.cget("text")
    assert tab.note_label.cget("text") == low["confidence_note_vi"]
    assert "low" in tab.list.tree.item(tab.list.tree.selection()[0], "tags")
    tab.fields["loudspeaker_days"].delete(0, "end")
    tab.fields["loudspeaker_days"].insert(0, "3")
    assert shell.current_page().has_unsaved_changes()
    tab.save_button.invoke()
    assert disclosures.get_type(gui_ctx, low["code"])["loudspeaker_days"] == 3
    tab.fields["period_days"].delete(0, "end")
    tab.fields["period_days"].insert(0, "mười")
    tab.save_button.invoke()
    assert "không phải là số" in tab.message.cget("text")


def test_settings_signer_theme_and_day_one(window, gui_ctx, root):
    import ttkbootstrap as ttk

    shell = window.shell
    shell.open_page("settings")
    page = shell.current_page()
    assert page.entries["user_name"].get() == "Nguyễn Văn An"
    page.entries["signer_name"].insert(0, "Trần Văn Hùng")
    assert page.has_unsaved_changes()
    page.save_button.invoke()
    assert gui_ctx.db.get_setting("signer_name") == "Trần Văn Hùng"
    assert not page.has_unsaved_changes()
    page.theme_var.set("dark")
    shell.set_theme("dark")
    assert ttk.Style().theme_use() == "bootstrap-dark"
    assert gui_ctx.db.get_setting("theme") == "dark"
    page.day_one_var.set(True)
    page._day_one()
    assert gui_ctx.posting_day_is_day_one


def test_backup_now_and_restore_reopens_the_data(window, gui_ctx, root, fake_dialogs):
    shell = window.shell
    shell.open_page("settings")
    page = shell.current_page()
    page.backup_button.invoke()
    assert page.backup_list.rows, "the new backup is listed"
    assert "Đã sao lưu" in page.backup_message.cget("text")
    units.add_places(gui_ctx, ["Thôn Sau Sao Lưu"])
    page.backup_list.select(lambda r: True)
    fake_dialogs.answer("ask_yes_no", True)
    page.restore_button.invoke()
    new_ctx = shell.ctx
    try:
        assert new_ctx is not gui_ctx and window.ctx is new_ctx
        names = [p["name"] for p in units.list_places(new_ctx)]
        assert "Thôn Sau Sao Lưu" not in names and "Thôn Phú Hòa" in names
        assert new_ctx.today() == gui_ctx.today()
        assert shell.current == "settings"
        assert "Đã khôi phục" in fake_dialogs.messages("info")[-1]
    finally:
        new_ctx.close()


def test_dark_theme_restyles_open_pages_at_once(window, root):
    """Rows, legend and sidebar take the dark colours without a restart."""
    import ttkbootstrap as ttk

    from papi_desktop.ui.pages import fields

    shell = window.shell
    shell.open_page("tasks")
    light_overdue = fields.tint("warning", 0.35)
    assert str(shell.pages["tasks"].tree.tag_configure("overdue", "background")) == light_overdue
    shell.open_page("settings")
    shell.set_theme("dark")
    pump(root)
    assert ttk.Style().theme_mode == "dark"
    shell.open_page("tasks")
    tasks_page = shell.pages["tasks"]
    dark_overdue = fields.tint("warning", 0.35)
    assert dark_overdue != light_overdue
    assert str(tasks_page.tree.tag_configure("overdue", "background")) == dark_overdue
    legend = [w for w in tasks_page.winfo_children() if w.winfo_class() == "TFrame"][-1]
    assert str(legend.winfo_children()[0].cget("background")) == dark_overdue
    assert str(shell.sidebar.cget("style")) != "light.TFrame"
    assert shell.current == "tasks" and shell.nav_buttons["tasks"].winfo_exists()


def test_contact_person_and_phone_are_saved_for_the_notices(window, gui_ctx, root):
    from papi_desktop.services import reports

    shell = window.shell
    shell.open_page("settings")
    page = shell.current_page()
    before = gui_ctx.db.get_setting("contact")
    page.entries["contact_person"].insert(0, "Công chức Văn phòng – Thống kê")
    page.entries["contact_phone"].insert(0, "12ab")
    page.save_button.invoke()
    assert "không hợp lệ" in page.people_message.cget("text")
    assert gui_ctx.db.get_setting("contact") == before  # nothing saved
    page.entries["contact_phone"].delete(0, "end")
    page.entries["contact_phone"].insert(0, "0258 3840 123")
    page.save_button.invoke()
    assert page.people_message.cget("text") == "Đã lưu."
    assert reports._contact(gui_ctx, {}) == ("", "Công chức Văn phòng – Thống kê", "0258 3840 123")
    shell.open_page("home")
    shell.open_page("settings")
    assert page.entries["contact_phone"].get() == "0258 3840 123"
