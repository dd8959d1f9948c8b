"""The pre-filled inspection checklist for a commune with 5 years of data (issue 14 target:
under 1 s).

    python benchmarks/bench_inspections.py [--out /tmp/papi-bench]

On the supervising office of the 30-commune × 5-year dataset (benchmarks/generate.py), plans
a visit to one commune on a copy of the data and times, median of 5: building the checklist
lines (``inspections.checklist``) and printing the PDF, in process (wall time), and the whole
``inspections checklist`` command as a child process (CPU and wall time).
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DEFAULT_TODAY, build


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/papi-bench"))
    a = ap.parse_args()
    os.environ.setdefault("PAPI_DESKTOP_TODAY", DEFAULT_TODAY)
    data = build(a.out, 30, 5)
    from papi_desktop.services import inspection_documents, inspections
    from papi_desktop.services.context import AppContext

    work = Path(tempfile.mkdtemp(prefix="papi-insp-"))
    office = work / "office"
    shutil.copytree(data["district"], office)
    with AppContext(office, auto_backup=False) as ctx:
        unit = ctx.db.scalar("SELECT unit_code FROM task_result GROUP BY unit_code LIMIT 1")
        iid = inspections.plan(ctx, unit, DEFAULT_TODAY, "Nguyễn Văn An; Trần Thị Bình")
        lines = len(inspections.checklist(ctx, iid)["lines"])
        build_t, pdf_t = [], []
        for i in range(5):
            t0 = time.perf_counter()
            inspections.checklist(ctx, iid)
            build_t.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            inspection_documents.write_checklist(ctx, iid, work / f"c{i}.pdf")
            pdf_t.append(time.perf_counter() - t0)
    cpu_t, wall_t = [], []
    env = dict(os.environ)
    for i in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t0 = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "papi_desktop", "--data-dir", str(office), "inspections",
             "checklist", iid, "-o", str(work / f"cli{i}.pdf")],
            env=env, check=True, capture_output=True,
        )  # fmt: skip
        wall_t.append(time.perf_counter() - t0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu_t.append((after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime))
    print(f"commune {unit}: {lines} checklist lines (5 years of data held at the office)")
    print(f"checklist lines (service)            wall {statistics.median(build_t):6.3f} s")
    print(f"checklist PDF (lines + layout)       wall {statistics.median(pdf_t):6.3f} s")
    print(
        f"inspections checklist (CLI process)  cpu {statistics.median(cpu_t):6.3f} s   "
        f"wall {statistics.median(wall_t):6.3f} s   target < 1 s"
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
