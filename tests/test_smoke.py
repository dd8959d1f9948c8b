"""The ``--smoke-test OUTDIR`` self-check, run from source in a child process under Xvfb
(pytest-xvfb provides DISPLAY); the frozen bundle runs the same code in .ci/bundle_smoke.sh."""

from __future__ import annotations

import sqlite3
import zipfile

import pytest

from papi_desktop import smoke
from tests.conftest import run_cli_subprocess


@pytest.mark.slow
@pytest.mark.gui
def test_smoke_test_from_source_writes_every_file(tmp_path):
    out = tmp_path / "smoke"
    result = run_cli_subprocess("--smoke-test", str(out), timeout=600)
    assert result.code == 0, result.out + result.err
    assert "SMOKE TEST PASSED" in result.out

    pdf = out / "progress-report.pdf"
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    assert b"/Subtype /Image" in data  # the progress chart
    assert (out / "chart.pdf").read_bytes().startswith(b"%PDF-")
    assert b"<svg" in (out / "chart.svg").read_bytes()[:512]

    with zipfile.ZipFile(out / "progress-report.xlsx") as z:
        assert "xl/workbook.xml" in z.namelist()

    packages = [p for p in (out / "usb").rglob("*") if p.is_file()]
    assert packages and all(p.stat().st_size > 0 for p in packages)

    con = sqlite3.connect(out / "data" / "papi.sqlite3")
    try:
        unit = con.execute("SELECT unit_code FROM site").fetchone()[0]
        results = con.execute("SELECT count(*) FROM task_result WHERE deleted = 0").fetchone()[0]
    finally:
        con.close()
    assert unit == smoke.SMOKE_UNIT
    assert results > 0

    report = (out / smoke.REPORT_FILE).read_text(encoding="utf-8")
    for path in (pdf, out / "progress-report.xlsx", out / "data" / "papi.sqlite3", *packages):
        assert str(path) in result.out
        assert str(path) in report


BROKEN_PAGE_SCRIPT = """
import sys
from dataclasses import replace

from papi_desktop import smoke
from papi_desktop.ui import shell

key = sys.argv[2]
shell.PAGE_SPECS = tuple(
    replace(s, module="papi_desktop.ui.pages.no_such_page") if s.key == key else s
    for s in shell.PAGE_SPECS
)
smoke.STEPS = [(n, f) for n, f in smoke.STEPS if f in (smoke.step_data_folder, smoke.step_window)]
sys.exit(smoke.run_smoke_test(sys.argv[1]))
"""


@pytest.mark.gui
@pytest.mark.parametrize("key", ["tasks", "home"])  # home: the page the window opens first
def test_a_page_missing_from_the_build_fails_the_window_step_by_name(tmp_path, key):
    import subprocess
    import sys

    out = tmp_path / "smoke"
    proc = subprocess.run(
        [sys.executable, "-c", BROKEN_PAGE_SCRIPT, str(out), key],
        capture_output=True, text=True, encoding="utf-8", timeout=300,
    )  # fmt: skip
    assert proc.returncode == 1, proc.stdout + proc.stderr
    report = (out / smoke.REPORT_FILE).read_text(encoding="utf-8")
    assert "[OK] data folder + commune 22528" in report
    fail = [line for line in report.splitlines() if line.startswith("[FAIL] main window")]
    assert len(fail) == 1, report
    assert f"could not be built / trang không dựng được: {key} " in fail[0]
    assert "papi_desktop.ui.pages.no_such_page" in fail[0] and "ModuleNotFoundError" in fail[0]
    assert "SMOKE TEST FAILED" in proc.stdout and "main window" in report.splitlines()[-1]


def test_smoke_test_refuses_a_folder_that_is_not_empty(tmp_path):
    out = tmp_path / "busy"
    out.mkdir()
    (out / "keep.txt").write_text("user file", encoding="utf-8")
    result = run_cli_subprocess("--smoke-test", str(out))
    assert result.code == 1
    assert "must be empty" in result.err
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert (out / "keep.txt").read_text(encoding="utf-8") == "user file"


@pytest.mark.parametrize(
    ("name", "content", "kind", "problem"),
    [
        ("a.pdf", b"", "pdf", "is empty"),
        ("b.pdf", b"<html>not a pdf</html>", "pdf", "no %PDF header"),
        ("c.xlsx", b"PK not really a zip", "xlsx", "not a zip"),
        ("d.svg", b"%PDF-1.4", "svg", "not an SVG"),
    ],
)
def test_file_check_rejects_bad_output(tmp_path, name, content, kind, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(smoke.SmokeError, match=problem):
        smoke.check_file(path, kind)


def test_file_check_rejects_a_workbook_without_a_workbook_part(tmp_path):
    path = tmp_path / "e.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("docProps/app.xml", "<x/>")
    with pytest.raises(smoke.SmokeError, match=r"no xl/workbook\.xml"):
        smoke.check_file(path, "xlsx")


def test_missing_piece_is_named_with_its_file():
    with pytest.raises(smoke.MissingPiece, match=r"papi_desktop/services/no_such_piece\.py"):
        smoke.require("papi_desktop.services.no_such_piece", "an unbuilt piece")


def test_a_missing_third_party_module_is_not_reported_as_an_unbuilt_piece():
    with pytest.raises(ModuleNotFoundError):
        smoke.require("no_such_library_for_papi", "a library")


def _load_make_portable():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "installer" / "make_portable.py"
    spec = importlib.util.spec_from_file_location("make_portable", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_portable_zip_adds_the_marker_and_never_ships_a_data_folder(tmp_path):
    from papi_desktop.config import PORTABLE_MARKER

    mp = _load_make_portable()
    build = tmp_path / "papi-desktop"
    (build / "_internal" / "papi_desktop").mkdir(parents=True)
    (build / "papi-desktop.exe").write_bytes(b"MZ fake program")
    (build / "_internal" / "papi_desktop" / "x.json").write_text("{}", encoding="utf-8")
    # A builder who ran the build in portable mode left data and a marker behind.
    (build / "PAPI-data").mkdir()
    (build / "PAPI-data" / "papi.sqlite3").write_bytes(b"someone's records")
    (build / PORTABLE_MARKER).write_text("old", encoding="utf-8")

    out = mp.make_portable(build, tmp_path / "p.zip", "PAPI-Desktop-9.9")
    with zipfile.ZipFile(out) as z:
        names = set(z.namelist())
        marker = z.read(f"PAPI-Desktop-9.9/{PORTABLE_MARKER}").decode("utf-8")
    assert names == {
        "PAPI-Desktop-9.9/papi-desktop.exe",
        "PAPI-Desktop-9.9/_internal/papi_desktop/x.json",
        f"PAPI-Desktop-9.9/{PORTABLE_MARKER}",
    }
    assert mp.DATA_FOLDER in marker


def test_portable_zip_refuses_a_folder_that_is_not_a_build(tmp_path):
    mp = _load_make_portable()
    with pytest.raises(SystemExit, match="no papi-desktop program"):
        mp.make_portable(tmp_path, tmp_path / "p.zip", "X")
