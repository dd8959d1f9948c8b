"""The one clock: a pinned day moves every stamp together, and no code reads the PC's clock."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path

from papi_desktop.clock import Clock
from papi_desktop.services import setup
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE

PACKAGE = Path(__file__).resolve().parent.parent / "papi_desktop"


def test_pinned_day_pins_today_and_now(monkeypatch):
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2031-02-03")
    clock = Clock()
    assert clock.today() == date(2031, 2, 3)
    assert clock.local_now().date() == date(2031, 2, 3)
    # UTC may be a day either side of the local day, never further.
    assert abs((clock.now().date() - date(2031, 2, 3)).days) <= 1
    assert clock.now_iso().startswith(clock.now().strftime("%Y-%m-%d"))
    assert clock.now_iso().endswith("Z")
    assert abs(clock.now_ms() - clock.now().timestamp() * 1000) < 5000


def test_explicit_pin_wins_over_environment_and_can_be_moved(monkeypatch):
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2031-02-03")
    clock = Clock(date(2025, 1, 2))
    assert clock.today() == date(2025, 1, 2)
    clock.pin(date(2027, 6, 30))
    assert clock.today() == date(2027, 6, 30)
    clock.pin(None)
    assert clock.today() == date(2031, 2, 3)


def test_unpinned_clock_follows_the_pc(monkeypatch):
    monkeypatch.delenv("PAPI_DESKTOP_TODAY", raising=False)
    clock = Clock()
    real = datetime.now(UTC)  # the one place a test may read the real clock: to compare
    assert abs((clock.now() - real).total_seconds()) < 5


def test_every_stamp_of_an_open_context_uses_the_pinned_day(tmp_path, monkeypatch):
    """Rows, audit lines, row versions and backups all carry the pinned day, not the PC's."""
    monkeypatch.delenv("PAPI_DESKTOP_TODAY", raising=False)
    pinned = date(2030, 5, 17)
    with AppContext(tmp_path / "d", today=pinned) as ctx:
        setup.init_site(ctx, role="commune", unit_code=DEMO_COMMUNE, user="Cán bộ")
        stamps = [r[0] for r in ctx.db.query("SELECT at FROM audit")]
        stamps += [r[0] for r in ctx.db.query("SELECT created_at FROM site")]
        stamps += [r[0] for r in ctx.db.query("SELECT updated_at FROM place")]
        assert stamps
        for stamp in stamps:
            day = date.fromisoformat(stamp[:10])
            assert abs((day - pinned).days) <= 1, stamp
        version_ms = int(ctx.db.hlc.last.split("-")[0])
        version_day = datetime.fromtimestamp(version_ms / 1000, UTC).date()
        assert abs((version_day - pinned).days) <= 1
        from papi_desktop.services import maintenance

        path = maintenance.backup(ctx)
        assert pinned.isoformat() in path.name


def test_no_module_reads_the_real_clock():
    """Only papi_desktop/clock.py may ask the PC for the time; everything else asks the clock."""
    pattern = re.compile(r"datetime\.now\(|date\.today\(|utcnow\(|time\.time\(\)|localtime\(")
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "clock.py" and path.parent == PACKAGE:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line) and not line.lstrip().startswith("#"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{n}: {line.strip()}")
    assert offenders == []
