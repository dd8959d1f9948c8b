"""GUI test fixtures: one withdrawn ttkbootstrap root for the whole session (ttkbootstrap 2.x
allows one root per process), per-test cleanup of the widgets a test made, modal dialogs
replaced by a recorder, background jobs run synchronously, and any exception raised in a
Tk callback fails the test (Porcupine's pattern).
"""

from __future__ import annotations

import tkinter
from collections import deque
from datetime import date

import pytest

from tests.conftest import DEMO_COMMUNE, TRACKED_FROM


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/gui/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(scope="session")
def tk_root():
    import ttkbootstrap as ttk

    root = ttk.App(title="PAPI Desktop tests", theme="bootstrap-light")
    root.withdraw()
    root.tk.call("tk", "scaling", 96 / 72)
    yield root
    root.update_idletasks()
    root.destroy()


@pytest.fixture
def root(tk_root):
    """The session root; widgets the test creates are destroyed afterwards."""
    import ttkbootstrap as ttk

    before = set(tk_root.winfo_children())
    yield tk_root
    for child in tk_root.winfo_children():
        if child not in before:
            child.destroy()
    for seq in tk_root.bind():
        tk_root.unbind(seq)
    tk_root.__dict__.pop("report_callback_exception", None)
    tk_root.protocol("WM_DELETE_WINDOW", "")
    tk_root.withdraw()
    tk_root.update_idletasks()
    if ttk.Style().theme_use() != "bootstrap-light":
        ttk.Style().theme_use("bootstrap-light")


class CallbackErrors(list):
    """Exceptions raised inside Tk callbacks during one test."""


@pytest.fixture(autouse=True)
def callback_errors(request, monkeypatch):
    """Fail the test when a Tk callback raised — also through the app's own handler,
    unless the test is marked ``allow_callback_errors`` (the handler's own test)."""
    errors = CallbackErrors()

    def record(self, exc_type, exc, tb):
        errors.append(exc)

    monkeypatch.setattr(tkinter.Tk, "report_callback_exception", record)
    if request.node.get_closest_marker("allow_callback_errors") is None:
        from papi_desktop.ui import app

        monkeypatch.setattr(app.CallbackErrorHandler, "__call__", record)
    yield errors
    if errors and request.node.get_closest_marker("allow_callback_errors") is None:
        raise errors[0]


class FakeDialogs:
    """Stands in for ``papi_desktop.ui.dialogs``: records messages, answers from queues."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str]] = []
        self.answers: dict[str, deque] = {}

    def answer(self, kind: str, *values) -> None:
        self.answers.setdefault(kind, deque()).extend(values)

    def _next(self, kind: str, default):
        q = self.answers.get(kind)
        return q.popleft() if q else default

    def messages(self, kind: str) -> list[str]:
        return [m for k, m in self.calls if k == kind]


@pytest.fixture(autouse=True)
def fake_dialogs(monkeypatch):
    from papi_desktop.ui import dialogs

    fake = FakeDialogs()

    def recorder(kind, default=None):
        def fn(parent, message="", title=None, *args, **kwargs):
            fake.calls.append((kind, message))
            return fake._next(kind, default)

        return fn

    monkeypatch.setattr(dialogs, "info", recorder("info"))
    monkeypatch.setattr(dialogs, "warning", recorder("warning"))
    monkeypatch.setattr(dialogs, "error", recorder("error"))
    monkeypatch.setattr(dialogs, "ask_yes_no", recorder("ask_yes_no", False))
    monkeypatch.setattr(
        dialogs, "ask_save_discard_cancel", recorder("ask_save_discard_cancel", "cancel")
    )
    monkeypatch.setattr(dialogs, "ask_string", recorder("ask_string", None))

    def picker(kind, default):
        def fn(parent, *args, **kwargs):
            fake.calls.append((kind, kwargs.get("title") or ""))
            return fake._next(kind, default)

        return fn

    monkeypatch.setattr(dialogs, "ask_open_file", picker("ask_open_file", None))
    monkeypatch.setattr(dialogs, "ask_open_files", picker("ask_open_files", []))
    monkeypatch.setattr(dialogs, "ask_save_file", picker("ask_save_file", None))
    monkeypatch.setattr(dialogs, "ask_directory", picker("ask_directory", None))
    monkeypatch.setattr(dialogs, "open_path", lambda path: fake.calls.append(("open_path", path)))

    def saved_or_exists(kind, default):
        def fn(parent, path, *args, **kwargs):
            fake.calls.append((kind, str(path)))
            return fake._next(kind, default)

        return fn

    monkeypatch.setattr(dialogs, "ask_overwrite", saved_or_exists("ask_overwrite", "cancel"))
    monkeypatch.setattr(dialogs, "document_saved", saved_or_exists("document_saved", None))
    # the window never opens folders or prints for real in tests
    from papi_desktop.services import desktop_open

    def os_call(kind, default):
        def fn(path, **kwargs):
            fake.calls.append((kind, str(path)))
            return fake._next(kind, default)

        return fn

    monkeypatch.setattr(desktop_open, "open_folder", os_call("open_folder", None))
    monkeypatch.setattr(desktop_open, "print_file", os_call("print_file", desktop_open.PRINTED))
    return fake


@pytest.fixture
def gui_ctx(data_dir):
    """An initialised commune (Phường Ninh Hòa), today = 20/11/2026."""
    from papi_desktop.services import setup, units
    from papi_desktop.services.context import AppContext

    ctx = AppContext(data_dir, today=date(2026, 11, 20))
    setup.init_site(
        ctx, "commune", unit_code=DEMO_COMMUNE, user="Nguyễn Văn An", tracking_from=TRACKED_FROM
    )
    units.add_places(ctx, ["Thôn Phú Hòa", "Tổ dân phố 3"])
    yield ctx
    ctx.close()


@pytest.fixture
def make_window(root):
    """Build the main window on a context, with jobs run synchronously."""
    from papi_desktop.ui.app import build_main_window
    from papi_desktop.ui.jobs import SyncJobRunner

    def make(ctx, lang=None):
        window = build_main_window(ctx, root, lang=lang, job_runner=SyncJobRunner)
        root.update()
        return window

    return make


@pytest.fixture
def window(gui_ctx, make_window):
    return make_window(gui_ctx)


def pump(widget, times: int = 3) -> None:
    for _ in range(times):
        widget.update()


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "allow_callback_errors: the test checks the app's own callback-error handler"
    )
