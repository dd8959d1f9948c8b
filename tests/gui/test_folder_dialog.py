"""The folder dialog (ttkbootstrap's themed chooser on Linux): a path the user types wins
over the folder listed, a typed folder that does not exist is refused, and the listing's
"Size" column reads "Kích thước" in Vietnamese (not the font dialog's "Cỡ chữ")."""

from __future__ import annotations

import os

from papi_desktop.ui import dialogs, i18n


def open_dialog(root, start):
    dialog = dialogs._folder_dialog_class()(root, title="Chọn thư mục", mode="directory",
                                            initialdir=str(start))  # fmt: skip
    dialog._build()
    dialog._navigate(str(start))
    return dialog


def test_a_typed_usb_folder_is_the_one_chosen(root, tmp_path):
    start, usb = tmp_path / "start", tmp_path / "USB" / "PAPI"
    start.mkdir()
    usb.mkdir(parents=True)
    dialog = open_dialog(root, start)
    dialog._name_var.set(str(usb))
    dialog._on_ok()
    assert os.path.normpath(dialog.result) == str(usb)


def test_a_relative_typed_folder_is_taken_from_the_listed_folder(root, tmp_path):
    (tmp_path / "start" / "usb").mkdir(parents=True)
    dialog = open_dialog(root, tmp_path / "start")
    dialog._name_var.set("usb")
    dialog._on_ok()
    assert os.path.normpath(dialog.result) == str(tmp_path / "start" / "usb")


def test_a_typed_folder_that_does_not_exist_is_refused(root, tmp_path):
    dialog = open_dialog(root, tmp_path)
    dialog._name_var.set(str(tmp_path / "missing"))
    dialog._on_ok()
    assert dialog.result is None
    assert dialog._toplevel.winfo_exists()  # still open, the typed text kept
    assert dialog._name_var.get() == str(tmp_path / "missing")
    dialog._cancel()


def test_without_typing_the_listed_folder_is_chosen(root, tmp_path):
    dialog = open_dialog(root, tmp_path)
    dialog._name_var.set("")
    dialog._on_ok()
    assert os.path.normpath(dialog.result) == str(tmp_path)


def test_the_size_column_says_kich_thuoc(root, tmp_path):
    i18n.apply_language("vi")
    dialog = open_dialog(root, tmp_path)
    assert dialog._tree.heading("size")["text"] == "Kích thước"
    dialog._cancel()
