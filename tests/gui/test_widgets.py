"""Widgets: dd/mm/yyyy date field, folded search, Vietnamese-ordered list; the Vietnamese
ttkbootstrap catalogue covers every library string."""

from __future__ import annotations

from datetime import date

import ttkbootstrap as ttk

from papi_desktop.ui import i18n
from papi_desktop.ui.widgets import Column, DateField, FoldedCombobox, SortableList


def test_every_ttkbootstrap_string_has_a_vietnamese_translation(root):
    assert i18n.missing_keys() == []
    i18n.apply_language("vi")
    from ttkbootstrap.localization import MessageCatalog

    for key in ("OK", "Cancel", "Yes", "No", "December", "Su", "Page", "of", "Search"):
        assert MessageCatalog.translate(key) == i18n.translate_vi(key)
    assert MessageCatalog.translate("Cancel") == "Hủy"
    assert MessageCatalog.translate("December") == "Tháng 12"


def test_date_field_reads_and_explains(root):
    f = DateField(root)
    f.entry.insert(0, "5/1/2026")
    assert f.validate() and f.get() == date(2026, 1, 5) and f.text == "05/01/2026"
    f.set(None)
    f.entry.insert(0, "31/02/2026")
    assert not f.validate()
    assert "tháng 2 năm 2026 chỉ có 28 ngày" in f.error
    f_en = DateField(root, lang="en", required=True)
    assert not f_en.validate() and "No date given" in f_en.error
    assert f.date_entry._firstweekday == 0


def test_folded_combobox_ignores_tones(root):
    box = FoldedCombobox(root, [("Tỉnh Khánh Hòa", "56"), ("Thành phố Đà Nẵng", "48")])
    assert box.filter("da nang") == [("Thành phố Đà Nẵng", "48")]
    box.set("Tỉnh Khánh Hòa")
    assert box.value == "56"


def test_sortable_list_sorts_in_vietnamese_order_and_filters(root):
    lst = SortableList(root, [Column("name", "Tên")], id_key="name")
    lst.set_rows([{"name": n} for n in ("Zương", "Đinh", "Ánh", "Dũng", "Bình")])
    lst.sort_by("name")
    assert [r["name"] for r in lst.shown] == ["Ánh", "Bình", "Dũng", "Đinh", "Zương"]
    assert lst.filter("dinh") == 1
    assert lst.tree.item(lst.tree.get_children()[0], "values")[0] == "Đinh"
    assert isinstance(lst.tree, ttk.Treeview)
