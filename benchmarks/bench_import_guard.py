"""How fast an oversized spreadsheet is refused (issue 10, section 5).

    python benchmarks/bench_import_guard.py [--out /tmp/papi-bench-guard]

Builds a 1,000,000-row .xlsx twice (once declaring its size, as Excel does, once without a
``<dimension>``) and a 30,000-row CSV, then times ``units import`` on each in a child
process (CPU and wall time, peak memory of the child; median of 3 runs). Before the guard
the 1M-row sheet took 197 s and 1.2 GB. Target: refused in under 1 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
import zipfile
from pathlib import Path


def sheet_xml(n_rows: int, *, declare: bool) -> bytes:
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + (f'<dimension ref="A1:C{n_rows}"/>' if declare else "")
        + "<sheetData>"
    )
    body = "".join(
        f'<row r="{i}"><c r="A{i}"><v>{i}</v></c><c r="B{i}"><v>1</v></c>'
        f'<c r="C{i}"><v>2</v></c></row>'
        for i in range(1, n_rows + 1)
    )
    return (head + body + "</sheetData></worksheet>").encode()


def build(out: Path) -> dict[str, Path]:
    from openpyxl import Workbook

    out.mkdir(parents=True, exist_ok=True)
    small = out / "small.xlsx"
    wb = Workbook()
    wb.active.append(["x"])
    wb.save(small)
    files = {}
    for name, declare in (("declared", True), ("undeclared", False)):
        path = out / f"million-{name}.xlsx"
        if not path.exists():
            with (
                zipfile.ZipFile(small) as zin,
                zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout,
            ):
                for info in zin.infolist():
                    data = zin.read(info.filename)
                    if info.filename == "xl/worksheets/sheet1.xml":
                        data = sheet_xml(1_000_000, declare=declare)
                    zout.writestr(info.filename, data)
        files[f"1M-row xlsx, size {name}"] = path
    csv_path = out / "rows-30000.csv"
    csv_path.write_text("".join(f"{i},x,y\n" for i in range(30_000)), encoding="utf-8")
    files["30,000-row csv"] = csv_path
    return files


def run(data: Path, file: Path) -> tuple[float, float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "papi_desktop", "--data-dir", str(data), "units", "import",
         str(file)],
        capture_output=True, text=True, encoding="utf-8",
    )  # fmt: skip
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 2:
        raise SystemExit(f"{file.name} was not refused: {proc.returncode} {proc.stderr}")
    return cpu, wall, after.ru_maxrss / 1024, proc.stderr.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/papi-bench-guard"))
    a = ap.parse_args()
    files = build(a.out)
    data = a.out / "data"
    env_ok = subprocess.run(
        [sys.executable, "-m", "papi_desktop", "--data-dir", str(data), "init", "--role",
         "commune", "--unit-code", "22528"],
        capture_output=True, env={**os.environ},
    )  # fmt: skip
    del env_ok
    for label, path in files.items():
        runs = [run(data, path) for _ in range(3)]
        cpu = statistics.median(r[0] for r in runs)
        wall = statistics.median(r[1] for r in runs)
        print(
            f"{label:<34} {path.stat().st_size / 1e6:6.1f} MB  cpu {cpu:6.3f} s  "
            f"wall {wall:6.3f} s  peak rss (any child) {runs[-1][2]:6.0f} MB"
        )
        print(f"    {runs[0][3]}")


if __name__ == "__main__":
    main()
