"""Every modal question and file picker of the window, in one thin facade.

Pages never call ttkbootstrap's ``Messagebox``/``Querybox`` directly: they call these
functions, so tests replace them (IDLE's ``mock_tk.Mbox`` idea) and no test blocks in a
modal ``wait_window``. The UI language comes from ``set_language`` (the shell calls it).
"""

from __future__ import annotations

from typing import Any

_lang = "vi"


def set_language(lang: str) -> None:
    global _lang
    _lang = lang


def _t(vi: str, en: str) -> str:
    return en if _lang == "en" else vi


def info(parent: Any, message: str, title: str | None = None) -> None:
    from ttkbootstrap.dialogs import Messagebox

    Messagebox.show_info(message, title or _t("Thông báo", "Information"), parent=parent)


def warning(parent: Any, message: str, title: str | None = None) -> None:
    from ttkbootstrap.dialogs import Messagebox

    Messagebox.show_warning(message, title or _t("Chú ý", "Warning"), parent=parent)


def error(parent: Any, message: str, title: str | None = None) -> None:
    from ttkbootstrap.dialogs import Messagebox

    Messagebox.show_error(message, title or _t("Có lỗi", "Error"), parent=parent)


def ask_yes_no(parent: Any, message: str, title: str | None = None) -> bool:
    """Yes/No question; closing the box counts as No."""
    from ttkbootstrap.dialogs import Messagebox

    answer = Messagebox.yesno(message, title or _t("Xác nhận", "Confirm"), parent=parent)
    return answer in ("Yes", "Có", _t("Có", "Yes"))


def ask_save_discard_cancel(parent: Any, message: str, title: str | None = None) -> str:
    """ "save", "discard" or "cancel" (closing the box = cancel: nothing is lost)."""
    from ttkbootstrap.dialogs import MessageDialog

    save, discard, cancel = _t("Lưu", "Save"), _t("Không lưu", "Don't save"), _t("Hủy", "Cancel")
    dialog = MessageDialog(
        message,
        title or _t("Chưa lưu thay đổi", "Unsaved changes"),
        buttons=[f"{cancel}:secondary", f"{discard}:danger", f"{save}:primary"],
        parent=parent,
        default=save,
        localize=False,
        icon="question-circle-fill",
    )
    dialog.show()
    return {save: "save", discard: "discard"}.get(dialog.result or "", "cancel")


def ask_string(parent: Any, prompt: str, title: str | None = None, initial: str = "") -> str | None:
    from ttkbootstrap.dialogs import Querybox

    return Querybox.get_string(prompt, title or " ", initial, parent=parent)


def ask_open_file(
    parent: Any, title: str | None = None, filetypes: list[tuple[str, str]] | None = None
) -> str | None:
    from ttkbootstrap.dialogs import Querybox

    return Querybox.get_open_filename(
        parent, title=title or _t("Chọn tệp", "Choose a file"), filetypes=filetypes or []
    )


def ask_open_files(
    parent: Any, title: str | None = None, filetypes: list[tuple[str, str]] | None = None
) -> list[str]:
    from ttkbootstrap.dialogs import Querybox

    found = Querybox.get_open_filenames(
        parent, title=title or _t("Chọn tệp", "Choose files"), filetypes=filetypes or []
    )
    return list(found or [])


def ask_save_file(
    parent: Any,
    title: str | None = None,
    initialfile: str = "",
    defaultextension: str = "",
    filetypes: list[tuple[str, str]] | None = None,
) -> str | None:
    from ttkbootstrap.dialogs import Querybox

    return Querybox.get_save_filename(
        parent,
        title=title or _t("Lưu thành", "Save as"),
        initialfile=initialfile,
        defaultextension=defaultextension,
        filetypes=filetypes or [],
    )


def ask_directory(parent: Any, title: str | None = None) -> str | None:
    """A folder the user chose; a path typed in the dialog's box wins over the listing."""
    import sys

    from ttkbootstrap.dialogs import Querybox

    title = title or _t("Chọn thư mục", "Choose a folder")
    if sys.platform.startswith("win") or sys.platform == "darwin":
        return Querybox.get_directory(parent, title=title)
    return _folder_dialog_class()(parent, title=title, mode="directory").show() or None


def typed_folder(text: str, cwd: str) -> str | None:
    """The folder a typed path names (relative to ``cwd``, ``~`` expanded), if it exists."""
    import os

    text = text.strip().strip('"')
    if not text:
        return None
    path = os.path.abspath(os.path.join(cwd, os.path.expanduser(text)))
    return path if os.path.isdir(path) else None


def _folder_dialog_class() -> Any:
    """ttkbootstrap's themed file dialog, where OK in folder mode honours a typed path
    (ttkbootstrap 2.2.6 returns the listed folder and ignores what was typed)."""
    from ttkbootstrap.dialogs.filedialog import FileDialog

    class FolderDialog(FileDialog):
        def _on_ok(self) -> None:
            text = self._name_var.get().strip()
            if not text:
                return super()._on_ok()
            chosen = typed_folder(text, self._cwd)
            if chosen is None:
                self._toplevel.bell()
                self._name_var.set(text)
                return
            self._accept(chosen)

    return FolderDialog


def open_path(path: str) -> None:
    """Open a file with the system's program (PDF viewer, image viewer…)."""
    import os
    import subprocess
    import sys

    if sys.platform.startswith("win"):
        os.startfile(path)  # type: ignore[attr-defined]
    elif sys.platform == "darwin":
        subprocess.Popen(["open", path])
    else:
        subprocess.Popen(["xdg-open", path])
