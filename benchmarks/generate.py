"""Build a realistic benchmark dataset: a supervising office with N communes × Y years.

    python benchmarks/generate.py --out /tmp/papi-bench --communes 30 --years 5

Creates ``OUT/district`` (the supervising office holding every commune's task results and
disclosures, as if their packages had been received) and ``OUT/commune`` (one commune with
Y years of its own data). Today is pinned with PAPI_DESKTOP_TODAY (default 2026-11-20) so
runs are comparable. Re-running reuses an existing dataset unless --force is given.
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

DEFAULT_TODAY = "2026-11-20"


def build(out: Path, communes: int, years: int, force: bool = False) -> dict[str, Path]:
    os.environ.setdefault("PAPI_DESKTOP_TODAY", DEFAULT_TODAY)
    from papi_desktop.services import demo, setup
    from papi_desktop.services.context import AppContext

    district, commune = out / "district", out / "commune"
    marker = out / f".built-{communes}x{years}"
    if marker.exists() and not force:
        return {"district": district, "commune": commune}
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    t0 = time.perf_counter()
    with AppContext(district, auto_backup=False) as ctx:
        setup.init_site(ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa", province_code="56")
        demo.mark_demo_folder(ctx)
        demo.generate(ctx, communes=communes, years=years)
    with AppContext(commune, auto_backup=False) as ctx:
        setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
        demo.mark_demo_folder(ctx)
        demo.generate(ctx, years=years)
    marker.write_text("ok")
    print(f"dataset built in {time.perf_counter() - t0:.1f} s at {out}")
    return {"district": district, "commune": commune}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path("/tmp/papi-bench"))
    ap.add_argument("--communes", type=int, default=30)
    ap.add_argument("--years", type=int, default=5)
    ap.add_argument("--force", action="store_true")
    a = ap.parse_args()
    build(a.out, a.communes, a.years, a.force)


if __name__ == "__main__":
    main()
