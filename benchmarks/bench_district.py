"""Supervising-office timings (issue 6 targets).

    python benchmarks/bench_district.py [--out /tmp/papi-bench-district] [--communes 100]

1. 30 demo communes built and exported, then imported at the office from their real USB
   packages (the "done when" dataset): time to build, to import, and ``communes list`` there.
2. N communes × 5 years filled directly at the office (``demo.generate``, same rows as the
   packages carry). Khánh Hòa has 65 communes: for more, the office is the Sở Nội vụ of the
   smallest province that has N (``district_demo.province_with``), so all N are real
   communes of the office's own province; the number actually built is printed and checked.
   Timings: in process, median of 5 runs after a warm-up, of
   ``district.communes_overview`` (the Xã/phường page's data), ``district.consolidated``
   (the dashboard's data), the page and dashboard drawn in a Tk window under the current
   display (skipped without one), the consolidated workbook and PDF; and ``communes list
   --json`` as a child process (wall time). Targets: page and dashboard < 1 s, workbook < 5 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 20)


def median_time(fn, runs: int = 5) -> float:
    fn()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/tmp/papi-bench-district")
    ap.add_argument("--communes", type=int, default=100)
    ap.add_argument("--years", type=int, default=5)
    args = ap.parse_args()
    os.environ["PAPI_DESKTOP_TODAY"] = TODAY.isoformat()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    from papi_desktop.services import consolidated_report, demo, district, district_demo, units
    from papi_desktop.services.context import AppContext

    # 1. Real packages.
    t0 = time.perf_counter()
    ctx0 = district_demo.init_office(out / "office30", today=TODAY, demo_data=True)
    codes = [c["code"] for c in units.communes_of_province(ctx0, "56")][:30]
    ctx0.close()
    files = district_demo.build_communes(out / "work30", codes, years=1, today=TODAY)
    built = time.perf_counter() - t0
    sizes = [f.stat().st_size for f in files]
    with AppContext(out / "office30", auto_backup=False, today=TODAY) as office:
        from papi_desktop.services import sync

        t0 = time.perf_counter()
        reports = sync.import_packages(office, files, trust_new=True)
        imported = time.perf_counter() - t0
        assert {r.status for r in reports} == {"applied"}
        t30 = median_time(lambda: district.communes_overview(office, 2026))
    print(f"30 communes from packages: build+export {built:.1f} s, "
          f"package size median {statistics.median(sizes) / 1024:.0f} KiB, "
          f"import all {imported:.2f} s, communes overview {t30 * 1000:.0f} ms")  # fmt: skip

    # 2. N communes x years, filled at the office.
    folder = out / f"office{args.communes}"
    with AppContext(out / "office30", auto_backup=False, today=TODAY) as ref:
        province, in_province = district_demo.province_with(ref, args.communes)
    with district_demo.init_office(
        folder, today=TODAY, province_code=province, demo_data=True
    ) as office:
        t0 = time.perf_counter()
        demo.generate(office, communes=args.communes, years=args.years)
        built_n = len(district.enrolled_units(office))
        print(f"office: {office.site.unit_name} (province {province}, {in_province} communes); "
              f"{built_n} communes × {args.years} years generated in "
              f"{time.perf_counter() - t0:.1f} s "
              f"({office.db.scalar('SELECT count(*) FROM task_result')} task results, "
              f"{office.db.scalar('SELECT count(*) FROM disclosure')} disclosures)")  # fmt: skip
        if built_n != args.communes:
            raise SystemExit(f"asked for {args.communes} communes, built {built_n}")
        t_over = median_time(lambda: district.communes_overview(office, 2026))
        t_cons = median_time(lambda: district.consolidated(office, 2026))
        t_xlsx = median_time(
            lambda: consolidated_report.write(office, 2026, out / "tong-hop.xlsx"), runs=3
        )
        t_pdf = median_time(
            lambda: consolidated_report.write(office, 2026, out / "tong-hop.pdf"), runs=3
        )
        print(f"communes_overview (page data, {built_n} communes): {t_over * 1000:.0f} ms")
        print(f"consolidated (dashboard data, {args.years}-year trend): {t_cons * 1000:.0f} ms")
        print(f"consolidated workbook: {t_xlsx:.2f} s "
              f"({(out / 'tong-hop.xlsx').stat().st_size / 1024:.0f} KiB)")  # fmt: skip
        print(f"consolidated PDF: {t_pdf:.2f} s")
        if os.environ.get("DISPLAY"):
            draw_page(office)
    env = dict(os.environ)
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "papi_desktop", "--data-dir", str(folder), "communes",
                    "list", "--json"], env=env, capture_output=True, check=True)  # fmt: skip
    print(f"`communes list --json` child process: {time.perf_counter() - t0:.2f} s wall")
    return 0


def draw_page(office) -> None:
    """The Xã/phường page and its dashboard drawn in a real window (first paint)."""
    from papi_desktop.ui.app import build_main_window
    from papi_desktop.ui.jobs import SyncJobRunner

    window = build_main_window(office, lang="vi", job_runner=SyncJobRunner)
    root = window.root
    shell = window.shell
    t0 = time.perf_counter()
    shell.open_page("communes")
    root.update()
    t_page = time.perf_counter() - t0
    page = shell.pages["communes"]
    t0 = time.perf_counter()
    page.tabs.select(1)
    root.update()
    t_dash = time.perf_counter() - t0
    t0 = time.perf_counter()
    page.refresh()
    root.update()
    t_refresh = time.perf_counter() - t0
    print(f"window: Xã/phường page first draw {t_page:.2f} s, dashboard tab {t_dash:.2f} s, "
          f"refresh {t_refresh:.2f} s")  # fmt: skip
    root.destroy()


if __name__ == "__main__":
    raise SystemExit(main())
