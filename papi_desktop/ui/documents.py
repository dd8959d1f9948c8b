"""One way to save a document, from every page that makes one.

``save_document`` takes a ``ReportSpec`` of ``services.reports.registry``, the request and
the format, and:

1. names the file for what it is, in the documents folder of Cài đặt (``files``);
2. if that file exists, asks: save a new copy "name (2).pdf", replace it, or cancel;
3. builds it off the Tk thread (progress bar, Cancel);
4. then offers Mở (open), Mở thư mục (open folder) and In (print), and does it through
   ``services.desktop_open``; a failure is one plain line in an error box.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.ui import dialogs


def target_path(ctx: Any, spec: Any, request: Any, suffix: str) -> Path:
    """Where ``spec`` would be saved now (it may exist already)."""
    return spec.default_path(ctx, request, suffix)


def choose_path(parent: Any, path: Path) -> Path | None:
    """``path``, or after asking when it exists: a free "name (n)" path, the same path
    (replace), or None (cancelled)."""
    from papi_desktop.services.reports.files import free_path

    if not path.exists():
        return path
    alternative = free_path(path)
    answer = dialogs.ask_overwrite(parent, str(path), str(alternative))
    if answer == "new":
        return alternative
    if answer == "overwrite":
        return path
    return None


def after_saved(parent: Any, path: Path, tr: Callable[[str, str], str], lang: str) -> str | None:
    """Offer open / open folder / print for the saved ``path`` and do the chosen one;
    returns the choice."""
    from papi_desktop.services import desktop_open

    choice = dialogs.document_saved(parent, str(path))
    try:
        if choice == "open":
            dialogs.open_path(str(path))
        elif choice == "folder":
            desktop_open.open_folder(path)
        elif choice == "print" and desktop_open.print_file(path) == desktop_open.OPENED:
            dialogs.info(
                parent,
                tr(
                    "Máy chưa gửi được tệp tới máy in mặc định; đã mở tệp để in từ "
                    "chương trình xem (Ctrl+P).",
                    "Could not send it to the default printer; the file is open, print "
                    "it from the viewer (Ctrl+P).",
                ),
            )
    except (UserError, OSError) as exc:
        message = exc.message(lang) if isinstance(exc, UserError) else str(exc)
        dialogs.error(parent, message)
    return choice


def save_document(
    page: Any,
    spec: Any,
    request: Any,
    suffix: str,
    *,
    on_saved: Callable[[Path], None] | None = None,
    on_error: Callable[[str], None] | None = None,
) -> Path | None:
    """Save ``spec`` for ``request`` as ``suffix`` (".pdf", ".docx", ".xlsx") the one way
    (see the module docstring). ``page`` gives ``ctx``, ``shell``, ``tr`` and ``lang``.
    Returns the path it is being written to, or None when refused or cancelled (the
    reason goes to ``on_error``, else to an error box)."""
    parent = page.winfo_toplevel()
    lang = page.shell.lang

    def fail(message: str) -> None:
        if on_error is not None:
            on_error(message)
        else:
            dialogs.error(parent, message)

    try:
        path = target_path(page.ctx, spec, request, suffix)
        path = choose_path(parent, path)
        if path is None:
            return None
        path.parent.mkdir(parents=True, exist_ok=True)
    except UserError as exc:
        fail(exc.message(lang))
        return None
    except OSError as exc:
        fail(
            page.tr(
                f"Không tạo được thư mục lưu tài liệu ({exc.strerror}); hãy chọn thư mục khác "
                "trong Cài đặt.",
                f"Cannot create the documents folder ({exc.strerror}); choose another one in "
                "Settings.",
            )
        )
        return None

    def work(job: Any) -> Path:
        ctx = job.open_context()
        return spec.make(ctx, request, path, progress=job.progress, cancel=job.cancelled)

    def done(result: Path) -> None:
        if on_saved is not None:
            on_saved(Path(result))
        after_saved(parent, Path(result), page.tr, lang)

    page.shell.run_job(page.tr("Đang tạo tài liệu", "Making the document"), work, on_done=done)
    return path
