"""First run: the wizard end to end (commune and supervising office) and the demo."""

from __future__ import annotations

from papi_desktop.services import units
from papi_desktop.services.context import AppContext


def _fresh(data_dir):
    return AppContext(data_dir / "fresh")


def test_commune_wizard_end_to_end(data_dir, make_window, root, fake_dialogs):
    ctx = _fresh(data_dir)
    try:
        window = make_window(ctx)
        wiz = window.wizard
        assert window.shell is None and wiz is not None
        assert "Bước 1/4" in wiz.step_label.cget("text")
        wiz.next_button.invoke()
        # step 2: type-ahead without tones finds the commune
        wiz.province_box.set("khanh hoa")
        found = wiz.province_box.filter("khanh hoa")
        assert found[0][0] == "Tỉnh Khánh Hòa"
        wiz.province_box.set(found[0][0])
        wiz.province_box.event_generate("<<ComboboxSelected>>")
        root.update()
        hits = wiz.unit_box.filter("ninh hoa")
        labels = [label for label, _code in hits]
        # the exact name first, before "Xã Đông Ninh Hòa" / "Xã Bắc Ninh Hòa"
        assert labels[0] == "Phường Ninh Hòa — Tỉnh Khánh Hòa"
        assert len(labels) > 1
        # Next without a choice says what is missing
        wiz.unit_box.set("ninh hoa")
        wiz.next_button.invoke()
        assert "Hãy chọn xã/phường" in wiz.error_label.cget("text")
        # Enter picks the first (exact) match and the message goes away
        wiz.unit_box._on_return()
        assert wiz.unit_box.get() == "Phường Ninh Hòa — Tỉnh Khánh Hòa"
        assert wiz.error_label.cget("text") == ""
        wiz.next_button.invoke()
        assert "Bước 3/4" in wiz.step_label.cget("text")
        wiz.next_button.invoke()  # the name is required
        assert "họ tên" in wiz.error_label.cget("text")
        wiz.user_var.set("Lê Thị Hoa")
        wiz.signer_name_var.set("Trần Văn Hùng")
        wiz.next_button.invoke()
        wiz.villages_text.insert("1.0", "Thôn Phú Hòa\nTổ dân phố 3\n\n")
        wiz.back_button.invoke()  # going back keeps what was typed
        assert wiz.user_var.get() == "Lê Thị Hoa"
        wiz.next_button.invoke()
        assert "Tổ dân phố 3" in wiz.villages_text.get("1.0", "end")
        assert wiz.next_button.cget("text") == "Hoàn tất ✔"
        wiz.next_button.invoke()
        root.update()
        site = ctx.site
        assert (site.role, site.unit_code, site.unit_name) == (
            "commune",
            "22528",
            "Phường Ninh Hòa",
        )
        assert site.user_name == "Lê Thị Hoa"
        assert ctx.db.get_setting("signer_name") == "Trần Văn Hùng"
        assert ctx.db.get_setting("signer_title") == "CHỦ TỊCH"
        assert ctx.db.get_setting("signer_authority") == "TM. ỦY BAN NHÂN DÂN"
        names = [p["name"] for p in units.list_places(ctx)]
        assert names == ["Trụ sở UBND phường Ninh Hòa", "Thôn Phú Hòa", "Tổ dân phố 3"]
        assert window.wizard is None and window.shell is not None
        assert window.shell.current == "home"
    finally:
        ctx.close()


def test_supervising_office_wizard(data_dir, make_window, root):
    ctx = _fresh(data_dir)
    try:
        window = make_window(ctx)
        wiz = window.wizard
        wiz.role_var.set("district")
        wiz.next_button.invoke()
        assert wiz.unit_box is None
        wiz.province_box.set("Tỉnh Khánh Hòa")
        wiz.province_box.event_generate("<<ComboboxSelected>>")
        root.update()
        assert wiz.supervisor_var.get() == "Sở Nội vụ tỉnh Khánh Hòa"
        wiz.next_button.invoke()
        wiz.user_var.set("Trần Thị Bình")
        assert wiz.next_button.cget("text") == "Hoàn tất ✔"
        wiz.next_button.invoke()
        site = ctx.site
        assert (site.role, site.province_code, site.unit_name) == (
            "district", "56", "Sở Nội vụ tỉnh Khánh Hòa",
        )  # fmt: skip
        assert site.supervisor_label == "Sở Nội vụ tỉnh Khánh Hòa"
        assert window.shell is not None
    finally:
        ctx.close()


def test_wizard_in_english(data_dir, make_window, root):
    ctx = _fresh(data_dir)
    try:
        window = make_window(ctx)
        wiz = window.wizard
        wiz.lang_var.set("en")
        wiz._lang_changed()
        assert wiz.next_button.cget("text") == "Next ▶"
        assert "Step 1 of 4" in wiz.step_label.cget("text")
    finally:
        ctx.close()


def test_demo_data_button(data_dir, make_window, root, fake_dialogs):
    ctx = _fresh(data_dir)
    try:
        window = make_window(ctx)
        fake_dialogs.answer("ask_yes_no", False)
        window.wizard.demo_button.invoke()
        assert ctx.site is None  # said no: nothing happened
        fake_dialogs.answer("ask_yes_no", True)
        window.wizard.demo_button.invoke()
        assert ctx.site.unit_code == "22528"
        assert ctx.db.scalar("SELECT count(*) FROM task_result") > 0
        assert ctx.db.scalar("SELECT count(*) FROM disclosure") > 0
        assert "dữ liệu mẫu" in fake_dialogs.messages("info")[0]
        assert window.shell is not None and window.shell.current == "home"
    finally:
        ctx.close()
