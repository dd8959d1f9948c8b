"""GUI tests of the "Công khai" page, driving the real widgets under Xvfb."""

from __future__ import annotations

import pytest

from papi_desktop.services import disclosures
from tests.gui.conftest import pump


@pytest.fixture
def page(window):
    window.root.deiconify()
    window.root.geometry("1366x800+0+0")
    window.shell.open_page("disclosures")
    pump(window.root)
    yield window.shell.page("disclosures")
    window.root.withdraw()


def choose(box, label: str) -> None:
    values = list(box.cget("values"))
    box.current(values.index(label))
    box.event_generate("<<ComboboxSelected>>")
    box.update()


def type_date(field, text: str) -> None:
    field.entry.delete(0, "end")
    field.entry.insert(0, text)
    field.entry.update()
    field.entry.event_generate("<KeyRelease>")
    field.entry.update()


def add_item(page, type_code: str, title: str, trigger: str | None = None) -> str:
    page.new_item()
    form = page.form
    form.choose_type(type_code)
    form.title_entry.insert(0, title)
    if trigger:
        type_date(form.trigger_field, trigger)
    assert form.save(), form.error_label.cget("text")
    pump(page)
    return page._current_id


def test_add_a_disclosure_and_see_the_computed_deadline(page, gui_ctx):
    page.add_button.invoke()  # same as Ctrl+N
    form = page.form
    assert form is not None and form.winfo_exists()
    form.search_var.set("ke hoach phat trien kinh te")
    shown = form.type_tree.get_children()
    assert "KTXH-KEHOACH" in shown and len(shown) < len(disclosures.list_types(gui_ctx))
    form.type_tree.selection_set("KTXH-KEHOACH")
    pump(form)
    assert form.info_labels["deadline"].cget("text") == "Trong 05 ngày làm việc kể từ ngày căn cứ"
    assert form.info_labels["period"].cget("text").startswith("30 ngày liên tục")
    assert "Luật 10/2022/QH15" in form.info_labels["basis"].cget("text")
    assert form.info_labels["confidence"].cget("text").startswith("H — Đã đối chiếu")
    # defaults from the type: the commune office and every village
    assert all(v.get() for v in form.place_vars.values())

    form.title_entry.insert(0, "Kế hoạch phát triển kinh tế - xã hội năm 2027")
    form.decision_entry.insert(0, "15/NQ-HĐND")
    type_date(form.decision_field, "05/11/2026")
    type_date(form.trigger_field, "05/11/2026")
    assert form.deadline_label.cget("text") == "Hạn niêm yết: 12/11/2026"
    assert "Trong 05 ngày làm việc kể từ 05/11/2026" in form.deadline_explain.cget("text")
    type_date(form.trigger_field, "31/02/2026")
    assert "không tồn tại" in form.deadline_label.cget("text")
    type_date(form.trigger_field, "05/11/2026")
    form.title_entry.focus_force()
    form.title_entry.update()
    form.title_entry.event_generate("<Return>")  # Enter saves
    pump(page)
    assert not form.winfo_exists()

    items = disclosures.list_items(gui_ctx)
    assert [i["title"] for i in items] == ["Kế hoạch phát triển kinh tế - xã hội năm 2027"]
    item = items[0]
    assert item["post_deadline"] == "2026-11-12" and item["decision_no"] == "15/NQ-HĐND"
    assert [p["place"] for p in item["places"]] == [
        "Trụ sở UBND phường Ninh Hòa",
        "Thôn Phú Hòa",
        "Tổ dân phố 3",
    ]
    # the new item is selected and its detail shows the deadline and its explanation
    assert page.tree.selection() == (item["id"],)
    assert page.tree.item(item["id"], "values")[4] == "12/11/2026"
    assert "danger" in page.tree.item(item["id"], "tags")  # 20/11: deadline passed, not posted
    meta = page.detail.meta_label.cget("text")
    assert "Hạn niêm yết: 12/11/2026" in meta and "Quá hạn niêm yết" in meta


def test_unconfirmed_figures_are_marked_and_a_title_is_required(page):
    page.new_item()
    form = page.form
    form.choose_type("DAT-BANGGIA")  # confidence L
    conf = form.info_labels["confidence"].cget("text")
    assert conf.startswith("L — ⚠ CHƯA XÁC NHẬN")
    assert "danger" in str(form.info_labels["confidence"].cget("style")).lower()
    assert form.confidence_note.cget("text")
    assert "unconfirmed" in form.type_tree.item("DAT-BANGGIA", "tags")
    assert not form.save()
    assert "Hãy nhập tên nội dung" in form.error_label.cget("text")
    form.cancel()
    assert not form.winfo_exists()


def test_record_posting_and_taking_down_per_place(page, gui_ctx, fake_dialogs):
    item_id = add_item(page, "KTXH-KEHOACH", "Kế hoạch năm 2027", "05/11/2026")
    detail = page.detail
    assert page.tree.selection() == (item_id,)
    detail.place_tree.selection_set("1")  # Thôn Phú Hòa
    type_date(detail.act_date, "10/11/2026")
    # nothing is recorded until the user confirms
    detail.post_button.invoke()
    pump(page)
    assert (
        "Ghi niêm yết ngày 10/11/2026 tại: Thôn Phú Hòa?" in fake_dialogs.messages("ask_yes_no")[-1]
    )
    assert disclosures.get_item(gui_ctx, item_id)["places"][1]["posted_on"] is None
    fake_dialogs.answer("ask_yes_no", True)
    detail.post_button.invoke()
    pump(page)
    values = detail.place_tree.item("1", "values")
    assert values[0] == "10/11/2026" and values[1] == "10/12/2026" and values[3] == "Đang niêm yết"
    detail.place_tree.selection_set("1")
    pump(page)
    explain = detail.place_explain.cget("text")
    assert explain.startswith("Thôn Phú Hòa: Niêm yết 30 ngày liên tục từ 10/11/2026")
    assert "kết thúc 10/12/2026" in explain
    stored = disclosures.get_item(gui_ctx, item_id)["places"][1]
    assert (stored["posted_on"], stored["ends_on"]) == ("2026-11-10", "2026-12-10")

    # posting again says it is a re-posting; a future date is refused by the service
    type_date(detail.act_date, "25/11/2026")
    fake_dialogs.answer("ask_yes_no", True)
    detail.post_button.invoke()
    assert "đây là niêm yết lại" in fake_dialogs.messages("ask_yes_no")[-1]
    assert "ở tương lai" in fake_dialogs.messages("error")[-1]

    # taking down early is flagged BEFORE it is recorded; saying no records nothing
    detail.place_tree.selection_set("1")
    type_date(detail.act_date, "15/11/2026")
    detail.down_button.invoke()
    pump(page)
    assert (
        "GỠ SỚM — phải niêm yết đến hết ngày 10/12/2026" in fake_dialogs.messages("ask_yes_no")[-1]
    )
    assert disclosures.get_item(gui_ctx, item_id)["places"][1]["taken_down_on"] is None
    fake_dialogs.answer("ask_yes_no", True)
    detail.place_tree.selection_set("1")
    detail.down_button.invoke()
    pump(page)
    assert detail.place_tree.item("1", "values")[3] == "Gỡ trước hạn"
    assert disclosures.get_item(gui_ctx, item_id)["status"] == "violation"
    assert page.tree.item(item_id, "values")[6] == "Gỡ trước hạn"
    history = [detail.history_tree.item(i, "values") for i in detail.history_tree.get_children()]
    # readable: the place and field by name, before and after as dates
    assert ("Thôn Phú Hòa: Ngày gỡ / kết thúc", "—", "15/11/2026") in {v[1:] for v in history}

    # the mistake is undone (the item is posted again), and the undo is in the history
    detail.place_tree.selection_set("1")
    fake_dialogs.answer("ask_yes_no", True)
    detail.undo_button.invoke()
    pump(page)
    assert (
        "Bỏ ngày gỡ / kết thúc 15/11/2026 tại Thôn Phú Hòa"
        in fake_dialogs.messages("ask_yes_no")[-1]
    )
    assert detail.place_tree.item("1", "values")[3] == "Đang niêm yết"
    assert disclosures.get_item(gui_ctx, item_id)["places"][1]["taken_down_on"] is None
    changes = [
        h for h in disclosures.item_history(gui_ctx, item_id) if h["field"] == "taken_down_on"
    ]
    assert [(h["old"], h["new"]) for h in changes] == [(None, "2026-11-15"), ("2026-11-15", None)]


def test_one_date_for_several_places_and_a_corrected_date(page, gui_ctx, fake_dialogs):
    item_id = add_item(page, "KTXH-KEHOACH", "Kế hoạch năm 2027", "05/11/2026")
    detail = page.detail
    everywhere = detail.place_tree.get_children()
    assert len(everywhere) >= 2
    detail.place_tree.selection_set(everywhere)
    type_date(detail.act_date, "09/11/2026")
    fake_dialogs.answer("ask_yes_no", True)
    detail.post_button.invoke()
    pump(page)
    places = disclosures.get_item(gui_ctx, item_id)["places"]
    assert {p["posted_on"] for p in places} == {"2026-11-09"}
    assert set(detail.place_tree.selection()) == set(everywhere)  # the choice is kept

    # correct one place's date typed wrong
    detail.place_tree.selection_set(everywhere[0])
    type_date(detail.act_date, "10/11/2026")
    fake_dialogs.answer("ask_yes_no", True)
    detail.correct_button.invoke()
    pump(page)
    assert "từ 09/11/2026 thành 10/11/2026" in fake_dialogs.messages("ask_yes_no")[-1]
    places = disclosures.get_item(gui_ctx, item_id)["places"]
    assert places[0]["posted_on"] == "2026-11-10"
    assert {p["posted_on"] for p in places[1:]} == {"2026-11-09"}


def test_details_filters_and_search(page, gui_ctx):
    first = add_item(page, "KTXH-KEHOACH", "Kế hoạch phát triển kinh tế năm 2027", "05/11/2026")
    add_item(page, "CS-ANSINH", "Danh sách hỗ trợ an sinh quý IV", "18/11/2026")
    page.select_item(first)
    detail = page.detail
    detail.loud_days.delete(0, "end")
    detail.loud_days.insert(0, "3")
    type_date(detail.loud_from, "06/11/2026")
    detail.opinions.delete(0, "end")
    detail.opinions.insert(0, "2")
    detail.summary_box.insert("1.0", "Đề nghị làm đường thôn Phú Hòa")
    detail.web_entry.insert(0, "https://ninhhoa.khanhhoa.gov.vn/ke-hoach-2027")
    assert page.has_unsaved_changes()
    detail.save_button.invoke()
    pump(page)
    item = disclosures.get_item(gui_ctx, first)
    assert (item["loudspeaker_days"], item["loudspeaker_from"], item["opinions_count"]) == (
        3,
        "2026-11-06",
        2,
    )
    assert item["opinions_summary"] == "Đề nghị làm đường thôn Phú Hòa"
    assert not page.has_unsaved_changes()

    page.focus_search()
    page.search_var.set("an sinh")
    page.apply_filters()
    assert [page.tree.item(i, "values")[0] for i in page.tree.get_children()] == [
        "Danh sách hỗ trợ an sinh quý IV"
    ]
    page.search_var.set("")
    choose(page.status_box, "Cần niêm yết")
    assert [page.tree.item(i, "values")[0] for i in page.tree.get_children()] == [
        "Danh sách hỗ trợ an sinh quý IV"
    ]
    choose(page.status_box, "Quá hạn niêm yết")
    assert page.tree.get_children() == (first,)
    choose(page.status_box, "Tất cả")
    assert len(page.tree.get_children()) == 2


def test_yearly_plan_and_printing(page, gui_ctx, fake_dialogs, tmp_path):
    item_id = add_item(page, "KTXH-KEHOACH", "Kế hoạch năm 2027", "05/11/2026")
    page.notebook.select(page.plan_tab)
    pump(page)
    lines = list(page._plan.values())
    assert lines and {p["state"] for p in lines} <= set(disclosures.PLAN_STATE_LABELS)
    # The plan for next year, entered but not posted yet: recorded, never "done".
    (ktxh,) = [p for p in lines if p["type"] == "KTXH-KEHOACH"]
    assert ktxh["state"] == "recorded" and ktxh["disclosure_id"] == item_id
    assert "đã ghi, chưa niêm yết đủ" in page.plan_summary.cget("text")
    assert "còn thiếu" in page.plan_summary.cget("text")
    # The 2026 asset declarations are due 01/02/2027, over days off not official yet.
    (decl,) = [p for p in lines if p["type"] == "TAISAN-KEKHAI"]
    assert page.plan_tree.item(decl["id"], "values")[0] == "01/02/2027 (dự kiến) *"
    assert "chỉ có đến năm 2026" in page.plan_summary.cget("text")
    missing = next(i for i, p in page._plan.items() if p["state"] == "missing")
    page.plan_tree.selection_set(missing)
    page.open_plan_line()  # a missing line opens the add form with its type chosen
    assert page.form is not None and page.form._type["code"] == page._plan[missing]["type"]
    page.form.cancel()

    page.select_item(item_id)
    assert page.detail.print_buttons
    out = tmp_path / "thong-bao.pdf"
    fake_dialogs.answer("ask_save_file", str(out))
    page.detail.print_buttons[0].invoke()
    assert out.is_file() and out.read_bytes().startswith(b"%PDF")
    assert ("open_path", str(out)) in fake_dialogs.calls


def test_the_office_sees_the_missing_plan_of_a_commune_that_never_made_one(
    tmp_path, make_window, root
):
    """A supervising office viewing a commune that registered nothing and never generated
    its plan: the commune can be chosen, and the plan tab shows its expected disclosures
    with the same missing count as the Xã/phường list (``communes list``)."""
    from datetime import date

    from papi_desktop.services import dashboard, district, district_demo, setup, tasks
    from papi_desktop.services.context import AppContext
    from tests.conftest import DEMO_COMMUNE

    today = date(2026, 11, 20)
    with AppContext(tmp_path / "commune", auto_backup=False, today=date(2025, 12, 1)) as c:
        setup.init_site(c, "commune", unit_code=DEMO_COMMUNE, user="Nguyễn Văn An",
                        tracking_from=date(2025, 1, 1))  # fmt: skip
    commune = AppContext(tmp_path / "commune", auto_backup=False, today=today)
    office = district_demo.init_office(tmp_path / "office", today=today)
    try:
        tasks.set_result(commune, "D1.1-01", "2026-01", status="done", result="met",
                         done_on="2026-01-20")  # fmt: skip
        district_demo.exchange(commune, office, tmp_path / "usb")
        window = make_window(office)
        window.shell.open_page("disclosures")
        pump(window.root)
        page = window.shell.page("disclosures")
        assert page.read_only
        assert page.unit_box.get() == f"{DEMO_COMMUNE} – Phường Ninh Hòa"
        assert page.tree.get_children() == ()
        page.notebook.select(page.plan_tab)
        pump(page)
        shown = list(page._plan.values())
        expected = dashboard.plan_lines(office, 2026, unit=DEMO_COMMUNE)
        assert shown == expected and len(shown) == len(page.plan_tree.get_children()) > 0
        missing = district.communes_overview(office, 2026)[0]["missing_disclosures"]
        assert sum(1 for p in shown if p["state"] == "missing") == missing > 0
        assert f"{missing} còn thiếu" in page.plan_summary.cget("text")
        assert DEMO_COMMUNE in page.plan_summary.cget("text")
        # Read-only: a missing line opens no add form.
        first_missing = next(i for i, p in page._plan.items() if p["state"] == "missing")
        page.plan_tree.selection_set(first_missing)
        page.open_plan_line()
        assert page.form is None
        # A home line of that commune leads here too.
        assert page.show_item(select={"plan": first_missing, "type": "x"}) is False
        assert page.unit_box.get().startswith(DEMO_COMMUNE)
    finally:
        commune.close()
        office.close()


def test_keyboard_into_the_register_selects_an_item(page):
    tree = page.tree
    if not tree.get_children():
        add_item(page, "HO-NGHEO-RASOAT", "Rà soát hộ nghèo", "05/11/2026")
        add_item(page, "NS-DUTOAN-QD", "Dự toán 2026", "05/01/2026")
    tree.selection_set(())
    tree.focus("")
    tree.focus_force()
    tree.update()
    tree.event_generate("<FocusIn>")
    tree.update()
    first = tree.focus()
    assert first and tree.selection() == (first,)


def test_other_places_are_added_on_purpose_and_odd_dates_are_refused(page, gui_ctx):
    from papi_desktop.services import units

    page.new_item()
    form = page.form
    form.choose_type("NS-QUYETTOAN")
    form.title_entry.insert(0, "Quyết toán ngân sách năm 2025")
    type_date(form.trigger_field, "05/11/1900")
    before = list(gui_ctx.db.con.iterdump())
    assert not form.save()
    assert "nằm ngoài khoảng cho phép 01/01/2000" in form.error_label.cget("text")
    assert "nằm ngoài khoảng cho phép" in form.deadline_label.cget("text")
    assert list(gui_ctx.db.con.iterdump()) == before
    type_date(form.trigger_field, "05/11/2026")
    for var in form.place_vars.values():
        var.set(False)
    form.place_vars["Thôn Phú Hòa"].set(True)
    form.extra_entry.insert(0, "Thôn Mới Lập")  # typed in "Other places": added on purpose
    assert form.save(), form.error_label.cget("text")
    pump(page)
    item = disclosures.get_item(gui_ctx, page._current_id)
    assert [p["place"] for p in item["places"]] == ["Thôn Phú Hòa", "Thôn Mới Lập"]
    assert "Thôn Mới Lập" in [p["name"] for p in units.list_places(gui_ctx)]
