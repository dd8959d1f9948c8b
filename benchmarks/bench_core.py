"""Core timings on the 30-commune × 5-year dataset (issue 2 targets).

    python benchmarks/bench_core.py [--out /tmp/papi-bench]

Measures, as child-process CPU time (user + system) and wall time, median of 5 runs:
CLI start-up (``--version``), ``tasks list --json`` and ``disclosures list --json`` on the
supervising office's data (30 communes × 5 years), the same on one commune, and a backup.
Target: each list under 0.5 s of process time.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import DEFAULT_TODAY, build


def run(args: list[str], env: dict) -> tuple[float, float, int]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "papi_desktop", *args], env=env, capture_output=True
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if proc.returncode != 0:
        raise SystemExit(f"{args} failed: {proc.stderr.decode()}")
    return cpu, wall, len(proc.stdout)


def measure(label: str, args: list[str], env: dict, repeat: int = 5) -> None:
    runs = [run(args, env) for _ in range(repeat)]
    cpu = statistics.median(r[0] for r in runs)
    wall = statistics.median(r[1] for r in runs)
    print(
        f"{label:<48} cpu {cpu:6.3f} s   wall {wall:6.3f} s   output {runs[0][2] / 1024:8.1f} KiB"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/papi-bench"))
    a = ap.parse_args()
    paths = build(a.out, 30, 5)
    env = {**os.environ, "PAPI_DESKTOP_TODAY": DEFAULT_TODAY}
    d, c = str(paths["district"]), str(paths["commune"])
    measure("start-up: --version", ["--version"], env)
    measure(
        "district: tasks list --json (30 communes)",
        ["--data-dir", d, "tasks", "list", "--json"],
        env,
    )
    measure(
        "district: tasks list --year 2024 --json",
        ["--data-dir", d, "tasks", "list", "--year", "2024", "--json"],
        env,
    )
    measure(
        "district: disclosures list --json (30×5)",
        ["--data-dir", d, "disclosures", "list", "--json"],
        env,
    )
    measure("commune: tasks list --json", ["--data-dir", c, "tasks", "list", "--json"], env)
    measure(
        "commune: disclosures list --json (5 years)",
        ["--data-dir", c, "disclosures", "list", "--json"],
        env,
    )
    measure(
        "district: backup",
        ["--data-dir", d, "backup", "--to", str(a.out / "bench-backup.sqlite3")],
        env,
        repeat=3,
    )
    size = Path(d, "papi.sqlite3").stat().st_size / 1e6
    print(f"district database size: {size:.1f} MB")


if __name__ == "__main__":
    main()
