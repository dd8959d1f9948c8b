"""Self-test of a build: ``papi-desktop --smoke-test OUTDIR`` (from source or frozen).

It proves that the pieces a frozen bundle can lose (Tk and ttkbootstrap assets, matplotlib
backends, reportlab fonts, openpyxl, cryptography, SQLite, the catalogue JSON) are really
there: in OUTDIR it creates a fresh data folder, sets up a commune (22528, Phường Ninh Hòa),
fills it with demo data, builds the main window and draws every page, saves a chart with
matplotlib's PDF and SVG backends, writes the progress report as PDF and as xlsx, exports
a USB sync package, and checks the database. It prints what it wrote and returns 0 only if
every file exists, is non-empty and has the right signature; otherwise it names the step
(or the piece missing from this build; a window page that cannot be imported or built is
named with its module and error) and returns 1. The same report is written to
``OUTDIR/smoke-report.txt``, because a windowed Windows build has no console.
"""

from __future__ import annotations

import importlib
import os
import sys
import threading
import time
import traceback
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SMOKE_UNIT = "22528"  # Phường Ninh Hòa, Tỉnh Khánh Hòa
SMOKE_USER = "Kiểm thử tự động"
TIMEOUT_SECONDS = 300
REPORT_FILE = "smoke-report.txt"


class SmokeError(Exception):
    """A step failed; the message says what is wrong."""


class MissingPiece(SmokeError):
    """A part of the app this step needs is not in this build (or checkout) yet."""


@dataclass
class StepResult:
    name: str
    ok: bool
    detail: str
    seconds: float


@dataclass
class SmokeRun:
    """State shared by the steps."""

    out: Path
    ctx: Any = None
    files: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    @property
    def data_dir(self) -> Path:
        return self.out / "data"

    def need_ctx(self) -> Any:
        if self.ctx is None:
            raise SmokeError("skipped: the data folder was not set up / bỏ qua: chưa có dữ liệu")
        return self.ctx


def require(module: str, piece: str) -> Any:
    """Import ``module``; if it is not part of this build, say which piece is missing."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        ours = (exc.name or "").startswith("papi_desktop")
        if ours and (module == exc.name or module.startswith(f"{exc.name}.")):
            path = exc.name.replace(".", "/") + ".py"
            raise MissingPiece(
                f"MISSING PIECE / THIẾU THÀNH PHẦN: {piece} ({path}) is not in this build"
            ) from exc
        raise


def require_function(module: Any, name: str, piece: str) -> Callable[..., Any]:
    fn = getattr(module, name, None)
    if not callable(fn):
        raise MissingPiece(
            f"MISSING PIECE / THIẾU THÀNH PHẦN: {piece}: {module.__name__}.{name}() not found"
        )
    return fn


# -- file checks -----------------------------------------------------------------------


def check_file(path: Path, kind: str) -> int:
    """Raise SmokeError unless ``path`` exists, is non-empty and looks like ``kind``."""
    if not path.is_file():
        raise SmokeError(f"{path.name} was not written")
    size = path.stat().st_size
    if size == 0:
        raise SmokeError(f"{path.name} is empty")
    head = path.read_bytes()[:512]
    if kind == "pdf" and not head.startswith(b"%PDF-"):
        raise SmokeError(f"{path.name} has no %PDF header")
    if kind == "svg" and b"<svg" not in head:
        raise SmokeError(f"{path.name} is not an SVG file")
    if kind == "xlsx":
        if not zipfile.is_zipfile(path):
            raise SmokeError(f"{path.name} is not a zip (xlsx) file")
        with zipfile.ZipFile(path) as z:
            names = set(z.namelist())
            if "xl/workbook.xml" not in names:
                raise SmokeError(f"{path.name} has no xl/workbook.xml")
            bad = z.testzip()
            if bad:
                raise SmokeError(f"{path.name}: damaged member {bad}")
    return size


def pdf_has_image(path: Path) -> bool:
    """True when the PDF embeds a raster image (the chart is drawn as a PNG)."""
    return b"/Subtype /Image" in path.read_bytes()


# -- steps -------------------------------------------------------------------------------


def step_data_folder(run: SmokeRun) -> str:
    from papi_desktop.services import setup
    from papi_desktop.services.context import AppContext

    run.ctx = AppContext(run.data_dir, auto_backup=False)
    setup.init_site(run.ctx, "commune", unit_code=SMOKE_UNIT, user=SMOKE_USER)
    site = run.ctx.require_site("commune")
    return f"{site.unit_name} ({site.unit_code}), {site.province_name}"


def step_demo(run: SmokeRun) -> str:
    ctx = run.need_ctx()
    demo = require("papi_desktop.services.demo", "demo data")
    generate = require_function(demo, "generate", "demo data")
    require_function(demo, "mark_demo_folder", "demo data")(ctx)  # the smoke folder is a demo
    result = generate(ctx, communes=1, years=1)
    results = int(result.get("results", 0))
    disclosures = int(result.get("disclosures", 0))
    if results <= 0 or disclosures <= 0:
        raise SmokeError(f"demo data is empty: {result}")
    return f"{results} task results, {disclosures} disclosures"


def _pump(root: Any, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        root.update()
        if time.monotonic() >= deadline:
            return
        time.sleep(0.02)


def _page_error(spec: Any, exc: BaseException) -> str:
    return f"{spec.key} ({spec.module}): {type(exc).__name__}: {exc}"


def _broken_pages(specs: list[Any], broken: dict[str, str]) -> SmokeError:
    return SmokeError(
        "window pages that could not be built / trang không dựng được: "
        + "; ".join(broken[s.key] for s in specs if s.key in broken)
    )


def step_window(run: SmokeRun) -> str:
    ctx = run.need_ctx()
    app = require("papi_desktop.ui.app", "the main window")
    shell_module = require("papi_desktop.ui.shell", "the main window")
    build = require_function(app, "build_main_window", "the main window")
    # Every page module of this role is imported first, so a page lost from the build is
    # named even when it is the one the window opens first.
    role = ctx.require_site().role
    specs = [s for s in shell_module.PAGE_SPECS if role in s.roles]
    broken: dict[str, str] = {}
    for spec in specs:
        try:
            module = importlib.import_module(spec.module)
            if shell_module.find_page_class(module, spec.key) is None:
                raise LookupError(f"{spec.module} defines no Page with key {spec.key!r}")
        except Exception as exc:
            broken[spec.key] = _page_error(spec, exc)
    try:
        window = build(ctx, lang="vi")
    except Exception as exc:
        if broken:
            raise _broken_pages(specs, broken) from exc
        raise SmokeError(
            "the main window could not be built (first page: "
            f"{specs[0].key if specs else '?'}):\n{traceback.format_exc().rstrip()}"
        ) from exc
    root = window.root
    errors: list[str] = []

    def collect(exc_type: Any, exc: BaseException, tb: Any) -> None:
        errors.append("".join(traceback.format_exception(exc_type, exc, tb)))

    root.report_callback_exception = collect
    try:
        _pump(root, 0.3)
        shell = getattr(window, "shell", None)
        if shell is None:
            raise SmokeError("the window shows no main shell (first-run wizard instead?)")
        keys = [spec.key for spec in shell.specs]
        for spec in shell.specs:
            if spec.key in broken:
                continue
            try:
                opened = shell.open_page(spec.key)
            except Exception as exc:
                broken[spec.key] = _page_error(spec, exc)
                continue
            if not opened:
                broken[spec.key] = f"{spec.key} ({spec.module}): did not open"
                continue
            _pump(root, 0.4)
        if broken:
            raise _broken_pages(list(shell.specs), broken)
        shell.open_page(keys[0])
        _pump(root, 0.3)
        if errors:
            raise SmokeError("a window callback failed:\n" + errors[0])
        if not root.winfo_ismapped():
            raise SmokeError("the main window was not drawn on screen")
        width, height = root.winfo_width(), root.winfo_height()
        tkagg = "matplotlib.backends.backend_tkagg" in sys.modules
        if "home" in keys and not tkagg:
            raise SmokeError("the overview page drew no chart (matplotlib TkAgg not loaded)")
        return f"{width}x{height}, pages: {', '.join(keys)}; chart in window: {tkagg}"
    finally:
        root.destroy()


def step_chart_files(run: SmokeRun) -> str:
    from papi_desktop.reports.charts import progress_by_dimension_figure

    fig = progress_by_dimension_figure(
        ["Tham gia ở cấp cơ sở", "Công khai, minh bạch", "Trách nhiệm giải trình"],
        [92.0, 61.5, None],
        "Tiến độ theo lĩnh vực — kiểm thử",
    )
    pdf, svg = run.out / "chart.pdf", run.out / "chart.svg"
    fig.savefig(pdf, format="pdf")
    fig.savefig(svg, format="svg")
    run.files["chart (matplotlib PDF backend)"] = pdf
    run.files["chart (matplotlib SVG backend)"] = svg
    check_file(pdf, "pdf")
    check_file(svg, "svg")
    return "matplotlib PDF and SVG backends work"


def _report_year(ctx: Any) -> int:
    return ctx.today().year


def step_pdf(run: SmokeRun) -> str:
    ctx = run.need_ctx()
    reports = require("papi_desktop.services.reports", "PDF/Excel reports")
    make = require_function(reports, "progress", "the progress report")
    path = run.out / "progress-report.pdf"
    run.files["progress report (PDF)"] = path
    make(ctx, _report_year(ctx), path)
    check_file(path, "pdf")
    if not pdf_has_image(path):
        raise SmokeError(f"{path.name} has no embedded chart image")
    return "with the progress chart"


def step_xlsx(run: SmokeRun) -> str:
    ctx = run.need_ctx()
    reports = require("papi_desktop.services.reports", "PDF/Excel reports")
    make = require_function(reports, "progress", "the progress workbook")
    path = run.out / "progress-report.xlsx"
    run.files["progress workbook (xlsx)"] = path
    make(ctx, _report_year(ctx), path)
    check_file(path, "xlsx")
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True)
    try:
        sheets = wb.sheetnames
    finally:
        wb.close()
    return "sheets: " + ", ".join(sheets)


def step_sync(run: SmokeRun) -> str:
    ctx = run.need_ctx()
    sync = require("papi_desktop.services.sync", "USB sync")
    export = require_function(sync, "export_package", "USB sync export")
    target = run.out / "usb"
    target.mkdir(parents=True, exist_ok=True)
    result = export(ctx, target)
    path = Path(result["path"] if isinstance(result, dict) else getattr(result, "path", result))
    run.files["sync package"] = path
    check_file(path, "any")
    return path.name


def step_database(run: SmokeRun) -> str:
    import sqlite3

    if run.ctx is not None:
        run.ctx.close()
        run.ctx = None
    from papi_desktop.config import DataPaths

    db = DataPaths(run.data_dir).database
    run.files["database"] = db
    check_file(db, "any")
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        status = con.execute("PRAGMA quick_check").fetchone()[0]
        results = con.execute("SELECT count(*) FROM task_result WHERE deleted = 0").fetchone()[0]
        disclosures = con.execute("SELECT count(*) FROM disclosure WHERE deleted = 0").fetchone()[0]
    finally:
        con.close()
    if status != "ok":
        raise SmokeError(f"database check failed: {status}")
    if results == 0:
        raise SmokeError("database has no task results")
    return f"quick_check ok; {results} task results, {disclosures} disclosures"


STEPS: list[tuple[str, Callable[[SmokeRun], str]]] = [
    ("data folder + commune 22528", step_data_folder),
    ("demo data", step_demo),
    ("main window", step_window),
    ("chart files", step_chart_files),
    ("progress report PDF", step_pdf),
    ("progress workbook xlsx", step_xlsx),
    ("USB sync package", step_sync),
    ("database", step_database),
]


# -- the run -------------------------------------------------------------------------------


def _describe_environment() -> str:
    frozen = "frozen" if getattr(sys, "frozen", False) else "from source"
    from papi_desktop import __version__

    return f"PAPI Desktop {__version__}, {frozen}, Python {sys.version.split()[0]}, {sys.platform}"


def _start_watchdog(out: Path, current: dict[str, str]) -> threading.Timer:
    """A modal dialog or a hung job must not hang CI: give up after TIMEOUT_SECONDS."""

    def give_up() -> None:
        message = (
            f"SMOKE TEST TIMEOUT after {TIMEOUT_SECONDS} s in step: {current.get('step', '?')}\n"
        )
        try:
            sys.stderr.write(message)
            sys.stderr.flush()
            (out / REPORT_FILE).write_text(message, encoding="utf-8")
        finally:
            os._exit(1)

    timer = threading.Timer(TIMEOUT_SECONDS, give_up)
    timer.daemon = True
    timer.start()
    return timer


def run_smoke_test(outdir: str | os.PathLike[str]) -> int:
    """Run every step in ``outdir`` (must be empty or new); 0 only if all passed."""
    out = Path(outdir).expanduser().resolve()
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        sys.stderr.write(
            f"Lỗi: thư mục kiểm thử phải trống hoặc chưa có: {out}\n"
            f"Error: the smoke-test folder must be empty or not exist yet: {out}\n"
        )
        return 1
    out.mkdir(parents=True, exist_ok=True)
    lines = [f"Smoke test: {_describe_environment()}", f"Output folder: {out}"]
    print(lines[0], flush=True)
    print(lines[1], flush=True)
    run = SmokeRun(out)
    results: list[StepResult] = []
    current: dict[str, str] = {}
    watchdog = _start_watchdog(out, current)
    try:
        for name, fn in STEPS:
            current["step"] = name
            start = time.perf_counter()
            try:
                detail = fn(run)
                ok = True
            except SmokeError as exc:
                detail, ok = str(exc), False
            except Exception:
                detail, ok = traceback.format_exc().rstrip(), False
            result = StepResult(name, ok, detail, time.perf_counter() - start)
            results.append(result)
            line = f"[{'OK' if ok else 'FAIL'}] {name} ({result.seconds:.1f} s): {detail}"
            lines.append(line)
            print(line, flush=True)
    finally:
        watchdog.cancel()
        if run.ctx is not None:
            try:
                run.ctx.close()
            except Exception:
                pass
    lines.append("Files written / Tệp đã ghi:")
    for label, path in run.files.items():
        size = path.stat().st_size if path.is_file() else 0
        lines.append(f"  {path}  {size:,} B  ({label})")
    failed = [r for r in results if not r.ok]
    if failed:
        lines.append(
            f"SMOKE TEST FAILED / KIỂM THỬ KHÔNG ĐẠT: {len(failed)} of {len(results)} steps failed: "
            + ", ".join(r.name for r in failed)
        )
    else:
        lines.append(f"SMOKE TEST PASSED / KIỂM THỬ ĐẠT: {len(results)} steps")
    for line in lines[2 + len(results) :]:
        print(line, flush=True)
    (out / REPORT_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if failed else 0
