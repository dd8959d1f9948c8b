"""Open a file, open its folder, or print it, with the computer's own programs.

The only place the window calls the operating system for this. Each function takes the
OS calls as keyword arguments (``platform``, ``which``, ``startfile``, ``popen``, ``run``)
so tests check the choice of call on every platform without opening anything.

- Windows: ``os.startfile(path)`` opens, ``os.startfile(path, "print")`` sends the file
  to the default printer through its program; the folder opens in Explorer with the file
  selected.
- macOS: ``open``; Linux and others: ``xdg-open``. Printing uses ``lp`` where it exists.
- Printing that cannot be done (no ``lp``, no printer, no print verb for the file) opens
  the file instead, so the user prints from the viewer; the result says which happened.
- No program to open the file: ``NoViewer``, a ``UserError`` saying so in one line.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError

PRINTED, OPENED = "printed", "opened"


class NoViewer(UserError):
    """No program on this computer opens this kind of file."""

    def __init__(self, path: Path) -> None:
        kind = path.suffix.lower() or path.name
        super().__init__(
            f"Máy này chưa có chương trình mở tệp {kind} ({path.name}). Hãy cài chương trình "
            "xem tệp (ví dụ trình đọc PDF, Word hoặc LibreOffice) rồi mở lại.",
            f"No program on this computer opens {kind} files ({path.name}). Install a viewer "
            "(a PDF reader, Word or LibreOffice) and try again.",
        )


def _defaults(kw: dict[str, Any]) -> tuple[str, Callable, Callable | None, Callable, Callable]:
    return (
        kw.get("platform") or sys.platform,
        kw.get("which") or shutil.which,
        kw["startfile"] if "startfile" in kw else getattr(os, "startfile", None),
        kw.get("popen") or subprocess.Popen,
        kw.get("run") or subprocess.run,
    )


def _missing(path: Path) -> None:
    if not path.exists():
        raise UserError(
            f"Không tìm thấy tệp “{path}” (có thể đã bị xóa hoặc chuyển đi).",
            f"File not found: “{path}”.",
        )


def open_file(path: str | Path, **os_calls: Any) -> None:
    """Open ``path`` with the program the computer uses for its kind."""
    path = Path(path)
    _missing(path)
    platform, which, startfile, popen, _run = _defaults(os_calls)
    if platform.startswith("win"):
        try:
            startfile(str(path))  # type: ignore[misc]
        except OSError:  # WinError 1155: no application is associated with the file
            raise NoViewer(path) from None
        return
    opener = "open" if platform == "darwin" else "xdg-open"
    if not which(opener):
        raise NoViewer(path)
    try:
        popen([opener, str(path)])
    except OSError:
        raise NoViewer(path) from None


def open_folder(path: str | Path, **os_calls: Any) -> None:
    """Open the folder holding ``path`` (on Windows with the file selected)."""
    path = Path(path)
    platform, which, startfile, popen, _run = _defaults(os_calls)
    folder = path if path.is_dir() else path.parent
    if platform.startswith("win"):
        if path.is_file():
            popen(["explorer", f"/select,{path}"])
        else:
            startfile(str(folder))  # type: ignore[misc]
        return
    opener = "open" if platform == "darwin" else "xdg-open"
    if not which(opener):
        raise UserError(
            f"Không mở được thư mục; tệp nằm ở: {folder}",
            f"Cannot open the folder; the file is in: {folder}",
        )
    popen([opener, str(folder)])


def print_file(path: str | Path, **os_calls: Any) -> str:
    """Send ``path`` to the default printer; ``PRINTED``, or ``OPENED`` when it could only
    be opened (print from the viewer). ``NoViewer`` when neither works."""
    path = Path(path)
    _missing(path)
    platform, which, startfile, _popen, run = _defaults(os_calls)
    if platform.startswith("win"):
        try:
            startfile(str(path), "print")  # type: ignore[misc]
            return PRINTED
        except OSError:
            pass  # no "print" verb for this kind of file, or no printer
    elif which("lp"):
        try:
            done = run(["lp", str(path)], capture_output=True, timeout=20)
            if done.returncode == 0:
                return PRINTED
        except (OSError, subprocess.SubprocessError):
            pass
    open_file(path, **os_calls)
    return OPENED
