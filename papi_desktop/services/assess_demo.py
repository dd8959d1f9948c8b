"""A PAR self-assessment season for demos, tests and benchmarks, through real USB packages.

The office publishes the SAMPLE criteria; every commune receives them in the office's
package, scores itself (deterministic pseudo-random points within each maximum and the
allowed decimals, with a note), submits and sends its package; the office imports them and
appraises every criterion (some deductions, the survey criteria scored), which ranks them.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.services import assess, assess_framework, setup, sync, units
from papi_desktop.services.context import AppContext
from papi_desktop.services.district_demo import commune_folder, init_office, province_with

INDEX = "PAR"


def _points(rng: random.Random, max_points: float, decimals: int, low: float = 0.5) -> float:
    step = 10**-decimals
    value = max_points * rng.uniform(low, 1.0)
    return round(round(value / step) * step, decimals)


def self_score_all(ctx: AppContext, year: int, *, seed: int = 0, submit: bool = True) -> None:
    """Score every self-scored criterion of this commune for ``year`` (and submit)."""
    site = ctx.require_site("commune")
    rng = random.Random(f"{seed}-{site.unit_code}-{year}")
    card = assess.list_items(ctx, INDEX, year)
    for item in card["items"]:
        if item["scorable"] and item["method"] == "self":
            pts = _points(rng, item["max_points"], item["decimals"])
            assess.set_score(ctx, item["code"], INDEX, year, pts,
                             note=f"Tự chấm theo hướng dẫn: {item['guidance'][:60]}")  # fmt: skip
    if submit:
        assess.submit(ctx, INDEX, year)


def appraise_all(ctx: AppContext, year: int, *, seed: int = 0) -> int:
    """Appraise every criterion of every submitted commune; return how many communes."""
    fw = assess_framework.current(ctx, INDEX)
    nodes = fw["nodes"]
    leaves = [c for c in fw["order"] if not nodes[c].children]
    subs = ctx.db.query(
        "SELECT unit_code FROM assess_submission WHERE index_name = ? AND year = ? "
        "AND state = 'submitted' AND deleted = 0 ORDER BY unit_code",
        (INDEX, year),
    )
    for s in subs:
        unit = s["unit_code"]
        rng = random.Random(f"appraise-{seed}-{unit}-{year}")
        own = {r["code"]: r["points"] for r in ctx.db.query(
            "SELECT code, points FROM self_score WHERE unit_code = ? AND index_name = ? "
            "AND year = ? AND deleted = 0", (unit, INDEX, year))}  # fmt: skip
        for code in leaves:
            n = nodes[code]
            if n.method == "survey":
                pts, comment = _points(rng, n.max_points, n.decimals, 0.4), "Theo kết quả khảo sát"
            else:
                pts, comment = own.get(code) or 0.0, None
                if rng.random() < 0.2 and pts > 0:
                    pts = round(max(0.0, pts - 10**-n.decimals * rng.randint(1, 5)), n.decimals)
                    comment = "Tài liệu kiểm chứng chưa đủ; trừ điểm"
            assess.appraise(ctx, unit, code, INDEX, year, pts, comment=comment)
    return len(subs)


def build_season(
    office_dir: Path,
    work: Path,
    *,
    communes: int = 30,
    year: int = 2026,
    today: date | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, Any]:
    """The office at ``office_dir`` publishes the SAMPLE PAR criteria, ``communes`` communes
    of its province (made in ``work``; Khánh Hòa, or the smallest province that has that
    many communes) self-score and submit by USB, the office appraises
    them all. Returns the codes and the office's results."""
    work = Path(work)
    down, up = work / "usb-down", work / "usb-up"
    for folder in (down, up):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    with AppContext(office_dir, auto_backup=False, today=today) as probe:
        province = probe.site.province_code if probe.site else province_with(probe, communes)[0]
    office = init_office(office_dir, today=today, province_code=province)
    try:
        try:
            assess_framework.current(office, INDEX)
        except Exception:
            assess_framework.install_sample(office)
        codes = [c["code"] for c in units.communes_of_province(office, province)]
        codes = codes[:communes]
        sync.export_package(office, down)
        incoming = sync.package_files([down])
        for i, code in enumerate(codes):
            if progress:
                progress(i / max(1, len(codes)), f"Xã {code} tự chấm điểm…")
            with AppContext(commune_folder(work, code), auto_backup=False, today=today) as ctx:
                if ctx.site is None:
                    setup.init_site(ctx, "commune", unit_code=code, user="Cán bộ văn phòng")
                sync.import_packages(ctx, incoming, trust_new=True)
                self_score_all(ctx, year)
                sync.export_package(ctx, up)
        sync.import_packages(office, sync.package_files([up]), trust_new=True)
        appraise_all(office, year)
        res = assess.results(office, INDEX, year)
    finally:
        office.close()
    return {"codes": codes, "results": res}
