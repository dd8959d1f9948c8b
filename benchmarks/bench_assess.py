"""PAR self-assessment timings (issue 15 targets).

    python benchmarks/bench_assess.py [--out /tmp/papi-bench-assess] [--communes 100]

A whole season through real USB packages (``assess_demo.build_season``): the office
publishes the SAMPLE criteria, N communes receive them, self-score every criterion, submit
and send their packages, the office imports them and appraises every criterion. Khánh Hòa
has 65 communes: for more, the office is the Sở Nội vụ of the smallest province with N.
Then, median of 5 runs after a warm-up: the appraisal workbook and PDF for N communes
(target: workbook < 5 s), ``assess.results`` and, at one commune, ``assess.list_items``
in process and ``assess list --json`` as a child process (target ≤ 0.5 s).
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
    ap.add_argument("--out", default="/tmp/papi-bench-assess")
    ap.add_argument("--communes", type=int, default=100)
    args = ap.parse_args()
    os.environ["PAPI_DESKTOP_TODAY"] = TODAY.isoformat()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)

    from papi_desktop.services import assess, assess_demo, assess_reports
    from papi_desktop.services.context import AppContext
    from papi_desktop.services.district_demo import commune_folder

    t0 = time.perf_counter()
    built = assess_demo.build_season(
        out / "office", out / "work", communes=args.communes, today=TODAY
    )
    season = time.perf_counter() - t0
    codes = built["codes"]
    assert len(codes) == args.communes, len(codes)
    res = built["results"]["communes"]
    assert len(res) == args.communes and all(c["state"] == "appraised" for c in res)
    print(f"{len(codes)} communes: season through USB (publish, score, submit, import, "
          f"appraise) {season:.1f} s")  # fmt: skip
    with AppContext(out / "office", auto_backup=False, today=TODAY) as office:
        t_res = median_time(lambda: assess.results(office, "PAR", 2026))
        t_xlsx = median_time(
            lambda: assess_reports.appraisal(office, "PAR", 2026, out / "tham-dinh.xlsx")
        )
        t_pdf = median_time(
            lambda: assess_reports.appraisal(office, "PAR", 2026, out / "tham-dinh.pdf"), runs=3
        )
    print(f"office: assess results {t_res * 1000:.0f} ms, appraisal workbook {t_xlsx:.2f} s "
          f"(target < 5 s), appraisal PDF {t_pdf:.2f} s")  # fmt: skip
    folder = commune_folder(out / "work", codes[0])
    with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
        t_list = median_time(lambda: assess.list_items(ctx, "PAR", 2026))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    cmd = [sys.executable, "-m", "papi_desktop", "--data-dir", str(folder), "assess", "list",
           "--index", "PAR", "--year", "2026", "--json"]  # fmt: skip

    def child() -> None:
        subprocess.run(cmd, check=True, capture_output=True, env=env)

    t_cli = median_time(child)
    print(
        f"commune: assess.list_items {t_list * 1000:.1f} ms in process; "
        f"`assess list --json` {t_cli:.2f} s wall as a child process (target ≤ 0.5 s)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
