"""Shared test fixtures: temporary data folders, a fixed 'today', and the CLI runner.

GUI fixtures (one shared ttkbootstrap root, failing on Tk callback errors) live in
``tests/gui/conftest.py``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.cli import main as cli_main

DEMO_COMMUNE = "22528"  # Phường Ninh Hòa, Tỉnh Khánh Hòa
OTHER_COMMUNE = "22546"  # Xã Bắc Ninh Hòa, Tỉnh Khánh Hòa
KHANH_HOA = "56"
TRACKED_FROM = date(2026, 1, 1)  # the fixtures' communes track the whole of 2026


@pytest.fixture(autouse=True)
def _isolated_env(tmp_path_factory, monkeypatch):
    """Never touch the real user data folder; pin 'today' unless a test changes it."""
    monkeypatch.setenv("PAPI_DESKTOP_DATA", str(tmp_path_factory.mktemp("default-data")))
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2026-11-20")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path_factory.mktemp("xdg")))
    # documents saved from the window go to the user's Documents (platformdirs): not the real one
    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path_factory.mktemp("documents")))


@pytest.fixture
def data_dir(tmp_path) -> Path:
    d = tmp_path / "data"
    d.mkdir()
    return d


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(data_dir, capsys):
    """Run the CLI in-process against ``data_dir``: ``cli("tasks", "list", "--json")``."""

    def run(*args: str, data: Path | None = None) -> CliResult:
        capsys.readouterr()
        code = cli_main(["--data-dir", str(data or data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


def run_cli_subprocess(*args: str, env: dict | None = None, timeout: float = 120) -> CliResult:
    """Run ``python -m papi_desktop`` in a child process (for exit codes, kill tests)."""
    proc = subprocess.run(
        [sys.executable, "-m", "papi_desktop", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def commune_ctx(data_dir):
    """An initialised commune (Phường Ninh Hòa) with two villages, today = 20/11/2026,
    tracking since 01/01/2026 (so the year's earlier periods can be overdue)."""
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
def district_ctx(tmp_path):
    from papi_desktop.services import setup
    from papi_desktop.services.context import AppContext

    ctx = AppContext(tmp_path / "district", today=date(2026, 11, 20))
    setup.init_site(
        ctx,
        "district",
        unit_name="Sở Nội vụ tỉnh Khánh Hòa",
        province_code=KHANH_HOA,
        user="Trần Thị Bình",
    )
    yield ctx
    ctx.close()
