"""USB sync timings on 30 communes × 5 years of data.

    python benchmarks/bench_sync.py [--out /tmp/papi-bench-sync] [--communes 30] [--years 5]

Builds (once, then reuses) 30 commune data folders with the real services (``demo.generate``:
task results, disclosures with their places, the disclosure plan) plus two scanned evidence
files per month (150 KB each, incompressible like JPEG scans), and an empty supervising
office. Then measures:

- export of one commune's full data (target < 1 s),
- importing all 30 communes' full packages into the office (target < 10 s), and the share of
  it spent on the authorization checks (target < 10 %),
- the size of a package after one day's typical edits, against the full package (< 5 %);
- also the office's export (one package per commune) and a commune importing that folder.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import time
from pathlib import Path

os.environ.setdefault("PAPI_DESKTOP_TODAY", "2026-11-20")

EVIDENCE_BYTES = 150 * 1024


def _communes(n: int) -> list[str]:
    from papi_desktop.catalog.admin_units import load_shipped

    units = load_shipped()
    return [c["code"] for c in units.communes if c["province_code"] == "56"][:n]


def _add_evidence(ctx, years: int, rnd: random.Random) -> int:
    from papi_desktop.store import rows
    from papi_desktop.store.attachments import store_bytes

    results = [r[0] for r in ctx.db.query("SELECT id FROM task_result ORDER BY id")]
    n = 0
    with ctx.db.transaction():
        for year in range(2026 - years + 1, 2027):
            for month in range(1, 13):
                for k in range(2):
                    data = rnd.randbytes(EVIDENCE_BYTES)
                    sha = store_bytes(ctx.paths.attachments, data)
                    rows.insert(ctx.db, "attachment", {
                        "sha256": sha, "file_name": f"bien-ban-{year}-{month:02d}-{k}.jpg",
                        "mime": "image/jpeg", "size": len(data),
                        "evidence_date": f"{year}-{month:02d}-15", "record_table": "task_result",
                        "record_id": rnd.choice(results),
                    })  # fmt: skip
                    n += 1
    return n


def build(out: Path, communes: int, years: int) -> dict[str, object]:
    from papi_desktop.services import demo, setup
    from papi_desktop.services.context import AppContext

    marker = out / f".built-{communes}x{years}"
    codes = _communes(communes)
    dirs = [out / f"commune-{c}" for c in codes]
    if not marker.exists():
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir(parents=True)
        t0 = time.perf_counter()
        rnd = random.Random(2026)
        for code, d in zip(codes, dirs, strict=True):
            with AppContext(d, auto_backup=False) as ctx:
                setup.init_site(ctx, "commune", unit_code=code, user="Nguyễn Văn An")
                demo.mark_demo_folder(ctx)
                demo.generate(ctx, years=years)
                _add_evidence(ctx, years, rnd)
        with AppContext(out / "district", auto_backup=False) as ctx:
            setup.init_site(ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa",
                            province_code="56")  # fmt: skip
            demo.mark_demo_folder(ctx)  # receives the demo communes' packages
        marker.write_text("ok")
        print(f"dataset built in {time.perf_counter() - t0:.1f} s")
    return {"communes": dirs, "district": out / "district"}


def _day_of_edits(ctx) -> None:
    """One office day: eight results updated, a disclosure posted at two places, one scan."""
    from papi_desktop.services import disclosures, tasks
    from papi_desktop.store import rows
    from papi_desktop.store.attachments import store_bytes

    saved = ctx.db.query(
        "SELECT task_code, period FROM task_result WHERE period LIKE '2026%' AND status != 'done' "
        "ORDER BY id LIMIT 8"
    )
    for r in saved:
        tasks.set_result(ctx, r["task_code"], r["period"], status="done", note="Đã hoàn thành")
    types = disclosures.list_types(ctx)
    did = disclosures.add(ctx, types[0]["code"], "Kế hoạch sử dụng đất năm 2027",
                          trigger_date="2026-11-20")  # fmt: skip
    for place in disclosures.get_item(ctx, did)["places"][:2]:
        disclosures.record_posting(ctx, did, place["place"], "2026-11-20")
    data = random.Random(7).randbytes(EVIDENCE_BYTES)
    with ctx.db.transaction():
        rows.insert(ctx.db, "attachment", {
            "sha256": store_bytes(ctx.paths.attachments, data), "file_name": "anh-niem-yet.jpg",
            "mime": "image/jpeg", "size": len(data), "evidence_date": "2026-11-20",
            "record_table": "disclosure", "record_id": did,
        })  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/papi-bench-sync"))
    ap.add_argument("--communes", type=int, default=30)
    ap.add_argument("--years", type=int, default=5)
    a = ap.parse_args()
    from papi_desktop.services import sync
    from papi_desktop.services.context import AppContext

    data = build(a.out, a.communes, a.years)
    work = a.out / "run"
    shutil.rmtree(work, ignore_errors=True)
    usb = work / "usb"
    usb.mkdir(parents=True)
    communes = []
    for d in data["communes"]:
        dest = work / d.name
        shutil.copytree(d, dest)
        communes.append(dest)
    office_dir = work / "district"
    shutil.copytree(data["district"], office_dir)

    # 1. Export of one commune's full data.
    times, packages = [], []
    with AppContext(communes[0], auto_backup=False) as ctx:
        rows_n = sum(ctx.db.scalar(f"SELECT count(*) FROM {t}") for t in
                     ("task_result", "disclosure", "disclosure_place", "plan_item", "attachment"))  # fmt: skip
        for i in range(3):
            target = work / f"export-{i}"
            target.mkdir()
            t0 = time.perf_counter()
            res = sync.export_package(ctx, target, full=True)
            times.append(time.perf_counter() - t0)
        full_size = res.size
    print(f"export one commune (full, {rows_n} rows, {res.counts.get('attachment', 0)} scans): "
          f"median {statistics.median(times):.3f} s, package {full_size / 1e6:.2f} MB")  # fmt: skip

    # 2. Import all communes' packages at the office.
    for d in communes:
        with AppContext(d, auto_backup=False) as ctx:
            packages.append(sync.export_package(ctx, usb).path)
    total = sum(p.stat().st_size for p in packages)
    from papi_desktop.sync import authorize

    spent = {"auth": 0.0}

    def timed(fn):
        def run(*args, **kw):
            t = time.perf_counter()
            try:
                return fn(*args, **kw)
            finally:
                spent["auth"] += time.perf_counter() - t

        return run

    saved = {n: getattr(authorize, n) for n in ("check_rows", "check_conflicts", "check_audit",
                                                  "check_manifest_limits")}  # fmt: skip
    for n, fn in saved.items():
        setattr(authorize, n, timed(fn))
    if hasattr(os, "sync"):
        # The packages were just written here; on a real stick they were written on other
        # PCs. Flush them now so the import's one os.sync() is not charged for them.
        os.sync()
    with AppContext(office_dir, auto_backup=False) as office:
        t0 = time.perf_counter()
        reports = sync.import_packages(office, [usb], trust_new=True)
        elapsed = time.perf_counter() - t0
        for n, fn in saved.items():
            setattr(authorize, n, fn)
        assert all(r.status == "applied" for r in reports), [r.reason for r in reports]
        n_rows = sum(r.summary["new"] for r in reports)
        down = work / "down"
        down.mkdir()
        t0 = time.perf_counter()
        sent = sync.export_package(office, down)
        office_s = time.perf_counter() - t0
        ack = sent.path  # the folder: each commune imports it and skips the others' packages
    print(f"import {len(packages)} communes' packages ({total / 1e6:.1f} MB, {n_rows} rows): "
          f"{elapsed:.2f} s (includes the backup taken before the first import); "
          f"authorization checks {spent['auth']:.2f} s = {spent['auth'] / elapsed:.1%}")  # fmt: skip
    print(f"office export: {len(sent.packages)} packages (one per commune + one for the rest) "
          f"in {office_s:.2f} s, {sent.size / 1e3:.0f} kB in all")  # fmt: skip

    # 3. A package after one day's typical edits, once the office has acknowledged.
    with AppContext(communes[0], auto_backup=False) as ctx:
        t0 = time.perf_counter()
        got = sync.import_packages(ctx, [ack], trust_new=True)
        print(f"commune imports the office's folder: {time.perf_counter() - t0:.2f} s "
              f"({sum(r.status == 'applied' for r in got)} applied, "
              f"{sum(r.status == 'skipped' for r in got)} skipped)")  # fmt: skip
        _day_of_edits(ctx)
        day = work / "day"
        day.mkdir()
        res = sync.export_package(ctx, day)
    ratio = res.size / full_size
    print(f"one day's package: {res.size / 1e3:.1f} kB = {ratio:.2%} of the full package "
          f"({res.counts})")  # fmt: skip


if __name__ == "__main__":
    main()
