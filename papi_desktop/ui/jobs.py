"""Long work off the Tk thread: a worker thread, a queue polled with ``after`` and a
progress dialog with a Cancel button (Thonny's pattern).

A job is a function ``work(job: Job) -> result``. It runs in a worker thread, reports with
``job.progress(fraction, text)``, checks ``job.cancelled`` (or calls ``job.check()``, which
raises ``Cancelled``) and must not touch Tk widgets. SQLite connections belong to the thread
that opened them, so a job that reads or writes data opens its own context with
``job.open_context()`` (closed when the job ends). Results and errors come back to the Tk
thread through a queue drained every 30 ms; ``on_done(result)`` then runs there.

Tests replace the threaded runner with ``SyncJobRunner`` (Porcupine's FakeThreadPool idea).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

from papi_desktop.errors import StorageError, UserError

log = logging.getLogger("papi_desktop.ui")

POLL_MS = 30


class Cancelled(Exception):
    """The user pressed Cancel; the job stopped cleanly."""


class Job:
    """What the worker function sees: progress reporting, cancellation, its own context."""

    def __init__(
        self,
        data_dir: Any = None,
        report: Callable[[float | None, str], None] | None = None,
        today: Any = None,
    ):
        self.cancelled = threading.Event()
        self._data_dir = data_dir
        self._today = today
        self._report = report
        self._contexts: list[Any] = []

    def progress(self, fraction: float | None = None, text: str = "") -> None:
        """Report progress (0..1, or None for 'working…') and a line of text."""
        if self._report is not None:
            self._report(fraction, text)

    def check(self) -> None:
        """Raise ``Cancelled`` if the user pressed Cancel."""
        if self.cancelled.is_set():
            raise Cancelled()

    def open_context(self):
        """An AppContext on the same data folder, owned by this job's thread."""
        from papi_desktop.services.context import open_context

        ctx = open_context(self._data_dir, auto_backup=False)
        if self._today is not None:
            ctx.set_today(self._today)
        self._contexts.append(ctx)
        return ctx

    def close(self) -> None:
        for ctx in self._contexts:
            try:
                ctx.close()
            except Exception:  # pragma: no cover - closing must not hide the real error
                log.exception("closing a job context failed")
        self._contexts.clear()


def _job_for(shell: Any, report: Callable[[float | None, str], None] | None) -> Job:
    ctx = shell.ctx
    return Job(ctx.paths.root, report, today=ctx.pinned_today)


def friendly_message(exc: BaseException, lang: str = "vi") -> str:
    """The message to show for an error raised by a job or a callback."""
    if isinstance(exc, UserError | StorageError):
        return exc.message(lang)
    if isinstance(exc, PermissionError):
        return (
            "Không có quyền ghi vào thư mục hoặc tệp đã chọn. Hãy chọn nơi khác, hoặc đóng tệp "
            "đang mở trong chương trình khác rồi thử lại."
            if lang != "en"
            else "No permission to write there. Choose another place or close the file in "
            "the other program, then try again."
        )
    if isinstance(exc, OSError) and exc.filename:
        from papi_desktop.services.maintenance import disk_problem

        disk = disk_problem(exc)
        if disk is not None:
            return disk.message(lang)
    if isinstance(exc, OSError):
        detail = exc.strerror or str(exc)
        return (
            f"Không đọc/ghi được tệp ({detail}). Kiểm tra ổ đĩa hoặc USB rồi thử lại."
            if lang != "en"
            else f"Could not read or write a file ({detail}). Check the disk or USB and retry."
        )
    return (
        "Có lỗi không mong muốn. Công việc chưa hoàn thành; dữ liệu đã lưu trước đó vẫn an "
        "toàn. Chi tiết lỗi đã được ghi vào tệp nhật ký (thư mục logs trong thư mục dữ liệu)."
        if lang != "en"
        else "An unexpected error occurred. The work did not finish; data saved before is "
        "safe. Details are in the log file (logs folder inside the data folder)."
    )


class SyncJobRunner:
    """Runs jobs at once on the calling thread (tests, and tiny jobs)."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell
        self.reports: list[tuple[float | None, str]] = []

    def run(
        self,
        title: str,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
    ) -> None:
        job = _job_for(self.shell, lambda f, t: self.reports.append((f, t)))
        try:
            result = work(job)
        except Cancelled:
            return
        except BaseException as exc:
            (on_error or self.shell.show_error)(exc)
            return
        finally:
            job.close()
        if on_done is not None:
            on_done(result)

    def run_background(
        self,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.run("", work, on_done=on_done, on_error=on_error, cancellable=False)


class ThreadJobRunner:
    """Runs each job in a worker thread with a modal progress dialog."""

    def __init__(self, shell: Any) -> None:
        self.shell = shell

    def run(
        self,
        title: str,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        cancellable: bool = True,
    ) -> None:
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        job = _job_for(self.shell, lambda f, t: events.put(("progress", (f, t))))
        dialog = ProgressDialog(self.shell, title, job.cancelled if cancellable else None)

        def worker() -> None:
            try:
                events.put(("done", work(job)))
            except Cancelled:
                events.put(("cancelled", None))
            except BaseException as exc:
                log.exception("job %r failed", title)
                events.put(("error", exc))
            finally:
                job.close()

        thread = threading.Thread(target=worker, name=f"job: {title}", daemon=True)

        def poll() -> None:
            try:
                while True:
                    kind, payload = events.get_nowait()
                    if kind == "progress":
                        dialog.update_progress(*payload)
                        continue
                    dialog.close()
                    if kind == "done" and on_done is not None:
                        on_done(payload)
                    elif kind == "error":
                        (on_error or self.shell.show_error)(payload)
                    return
            except queue.Empty:
                pass
            dialog.after(POLL_MS, poll)

        thread.start()
        dialog.after(POLL_MS, poll)

    def run_background(
        self,
        work: Callable[[Job], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Quiet work (no dialog), e.g. loading a page's data after the window is drawn."""
        events: queue.Queue[tuple[str, Any]] = queue.Queue()
        job = _job_for(self.shell, None)

        def worker() -> None:
            try:
                events.put(("done", work(job)))
            except BaseException as exc:
                log.exception("background work failed")
                events.put(("error", exc))
            finally:
                job.close()

        def poll() -> None:
            try:
                kind, payload = events.get_nowait()
            except queue.Empty:
                self.shell.after(POLL_MS, poll)
                return
            if kind == "done":
                on_done(payload)
            else:
                (on_error or self.shell.show_error)(payload)

        threading.Thread(target=worker, name="background", daemon=True).start()
        self.shell.after(POLL_MS, poll)


class ProgressDialog:
    """A small modal window: title, a progress bar, a line of text and Cancel."""

    def __init__(self, shell: Any, title: str, cancel_event: threading.Event | None) -> None:
        import ttkbootstrap as ttk

        self.shell = shell
        root = shell.winfo_toplevel()
        self.top = ttk.Toplevel(title=title)
        self.top.transient(root)
        self.top.resizable(False, False)
        frame = ttk.Frame(self.top, padding=16)
        frame.pack(fill="both", expand=True)
        ttk.Label(frame, text=title, font="-weight bold").pack(anchor="w")
        self.bar = ttk.Progressbar(frame, length=360, mode="indeterminate", bootstyle="info")
        self.bar.pack(fill="x", pady=(10, 6))
        self.bar.start(15)
        self.text = ttk.Label(frame, text=shell.tr("Đang làm…", "Working…"), width=52)
        self.text.pack(anchor="w")
        self._cancel_event = cancel_event
        if cancel_event is not None:
            self.cancel_button = ttk.Button(
                frame, text=shell.tr("Hủy", "Cancel"), command=self.cancel, bootstyle="secondary"
            )
            self.cancel_button.pack(anchor="e", pady=(10, 0))
            self.top.bind("<Escape>", lambda _e: self.cancel())
        self.top.protocol("WM_DELETE_WINDOW", self.cancel)
        self.top.update_idletasks()
        x = root.winfo_rootx() + max(0, (root.winfo_width() - self.top.winfo_reqwidth()) // 2)
        y = root.winfo_rooty() + max(0, (root.winfo_height() - self.top.winfo_reqheight()) // 3)
        self.top.geometry(f"+{x}+{y}")
        try:
            self.top.grab_set()
        except Exception:  # the window may not be viewable yet under some WMs
            pass

    def after(self, ms: int, fn: Callable[[], None]) -> None:
        self.top.after(ms, fn)

    def update_progress(self, fraction: float | None, text: str) -> None:
        if fraction is None:
            if str(self.bar.cget("mode")) != "indeterminate":
                self.bar.configure(mode="indeterminate")
                self.bar.start(15)
        else:
            if str(self.bar.cget("mode")) != "determinate":
                self.bar.stop()
                self.bar.configure(mode="determinate", maximum=100)
            self.bar.configure(value=max(0.0, min(1.0, fraction)) * 100)
        if text:
            self.text.configure(text=text)

    def cancel(self) -> None:
        if self._cancel_event is None:
            return
        self._cancel_event.set()
        self.text.configure(text=self.shell.tr("Đang dừng…", "Stopping…"))
        self.cancel_button.configure(state="disabled")

    def close(self) -> None:
        try:
            self.top.grab_release()
            self.bar.stop()
        finally:
            self.top.destroy()
