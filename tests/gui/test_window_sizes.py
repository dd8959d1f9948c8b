"""Every page, commune and office, at a netbook's 1024x600 and a laptop's 1366x768 (and while
the window is shrunk from one to the other): the window settles — the Tk event queue runs dry
within a bounded number of events and no more <Configure> events arrive — and memory stays
flat when the pages are shown a second time.

The window runs in a child process with a time limit: a wrap/<Configure> feedback loop (the
Tasks page freeze of issue 13) can spin inside one Tk call that never returns, so only a
separate process can be stopped and reported. Events are pumped one at a time with a limit,
never with ``update()``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from papi_desktop.ui.app import MIN_SIZE

ROOT = Path(__file__).resolve().parents[2]

CHECK = r"""
import _tkinter, json, resource, sys, time
from datetime import date
from pathlib import Path
from papi_desktop.services import demo, district_demo, setup
from papi_desktop.services.context import AppContext
from papi_desktop.ui.app import build_main_window
from papi_desktop.ui.jobs import SyncJobRunner

SIZES = ("1024x600", "1366x768")
EVENT_LIMIT = 20000  # a settled page needs a few hundred; a feedback loop never stops
TODAY = date(2026, 11, 20)
role, folder = sys.argv[1], Path(sys.argv[2])
if role == "commune":
    ctx = AppContext(folder, today=TODAY, auto_backup=False)
    setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
    demo.mark_demo_folder(ctx)
    demo.generate(ctx, years=2)
else:
    district_demo.build_from_packages(folder / "office", folder / "work", communes=3, today=TODAY)
    ctx = AppContext(folder / "office", auto_backup=False, today=TODAY)

window = build_main_window(ctx, job_runner=SyncJobRunner)
root, shell = window.root, window.shell
configures = [0]
root.bind_all("<Configure>", lambda e: configures.__setitem__(0, configures[0] + 1), add="+")
problems = []

def drain(what):
    handled = quiet = 0
    while quiet < 3:
        ran = 0
        while root.tk.dooneevent(_tkinter.ALL_EVENTS | _tkinter.DONT_WAIT):
            ran += 1
            handled += 1
            if handled > EVENT_LIMIT:
                problems.append(f"{what}: does not settle ({handled} events, still busy)")
                return
        quiet = quiet + 1 if ran == 0 else 0
        time.sleep(0.01)

def settled(what):
    drain(what)
    before = configures[0]
    drain(what)
    if configures[0] != before:
        problems.append(f"{what}: <Configure> events keep arriving")

def rss_kb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024

CONTROLS = ("TButton", "TEntry", "TCombobox", "TCheckbutton", "TRadiobutton", "Text", "Treeview")

def unreachable(page, body):
    # controls a too-small window cuts off: squeezed out by pack/grid, or lying outside
    # a container that holds them (the page area's body scrolls, nothing else does)
    out = []
    stack = list(page.winfo_children())
    while stack:
        w = stack.pop()
        stack.extend(w.winfo_children())
        if w.winfo_class() not in CONTROLS or w.winfo_manager() not in ("pack", "grid", "place"):
            continue
        parent = w.nametowidget(w.winfo_parent())
        if not parent.winfo_ismapped():
            continue  # on a tab that is not shown
        name = f"{w.winfo_class()} {w.cget('text') if 'text' in w.keys() else ''} {w}"
        if not w.winfo_ismapped():
            out.append(f"squeezed out: {name}")
            continue
        x, y = w.winfo_rootx(), w.winfo_rooty()
        x2, y2 = x + w.winfo_width(), y + w.winfo_height()
        a = parent
        while True:
            ax, ay = a.winfo_rootx(), a.winfo_rooty()
            if x2 > ax + a.winfo_width() + 2 or y2 > ay + a.winfo_height() + 2:
                out.append(f"cut off by {a.winfo_class()} {a}: {name}")
                break
            if a is body:
                break
            a = a.nametowidget(a.winfo_parent())
    return out

def show_everything(label):
    for size in (*SIZES, SIZES[0]):  # the last one shrinks the window with a page open
        root.geometry(f"{size}+0+0")
        settled(f"{label}: resize to {size}")
        for spec in shell.specs:
            shell.open_page(spec.key)
            settled(f"{label}: page {spec.key} at {size}")
            if size == SIZES[0] and label == "first round":
                for problem in unreachable(shell.pages[spec.key], shell.areas[spec.key].body):
                    problems.append(f"page {spec.key} at {size}: {problem}")
            shown = f"{root.winfo_width()}x{root.winfo_height()}"
            if shown != size:
                problems.append(f"{label}: page {spec.key} wanted {size}, window is {shown}")
        if any("settle" in p for p in problems):
            return

show_everything("first round")
memory = rss_kb()
if not problems:
    show_everything("second round")
grown = rss_kb() - memory
print(json.dumps({"problems": problems, "grown_kb": grown, "pages": [s.key for s in shell.specs]}))
"""


def run_check(role: str, folder: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PAPI_DESKTOP_TODAY="2026-11-20")
    try:
        out = subprocess.run(
            [sys.executable, "-c", CHECK, role, str(folder)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{role} window still busy after 120 s: it never settles")
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_minimum_size_fits_a_1024x600_screen():
    assert MIN_SIZE[0] <= 1024 and MIN_SIZE[1] <= 600 - 40  # title bar and taskbar


@pytest.mark.parametrize("role", ["commune", "office"])
def test_every_page_settles_at_small_and_common_sizes(role, tmp_path):
    result = run_check(role, tmp_path)
    assert result["problems"] == []
    assert len(result["pages"]) >= 6
    assert result["grown_kb"] < 20_000, f"memory grew by {result['grown_kb']} KB"
