"""A supervising office filled from real USB packages, for demos, tests and benchmarks.

``build_from_packages`` sets up N commune installations in a work folder (each with its own
site id and key pair), fills each with the commune demo data, exports each one's package
to a "USB" folder with the sync service, and imports them all at the office, exactly as an
office receives them. ``exchange`` carries packages one way or the other afterwards.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.services import demo, setup, sync, units
from papi_desktop.services.context import AppContext

OFFICE_NAME = "Sở Nội vụ tỉnh Khánh Hòa"
OFFICE_PROVINCE = "56"
OFFICE_USER = "Trần Thị Bình"


def commune_folder(work: Path, code: str) -> Path:
    return Path(work) / "communes" / code


def init_office(
    folder: Path,
    *,
    today: date | None = None,
    province_code: str = OFFICE_PROVINCE,
    demo_data: bool = False,
) -> AppContext:
    """An initialised supervising office at ``folder``: Sở Nội vụ tỉnh Khánh Hòa, or the
    Sở Nội vụ of ``province_code``. ``demo_data``: a demo folder, which takes the packages
    of demo communes (``build_communes``) and demo data; a real office refuses them."""
    ctx = AppContext(folder, auto_backup=False, today=today)
    if ctx.site is None:
        name = OFFICE_NAME
        if province_code != OFFICE_PROVINCE:
            province = units.province(ctx, province_code)
            if province is not None:  # else init_site says the code is unknown
                name = f"Sở Nội vụ {province['name'][:1].lower()}{province['name'][1:]}"
        setup.init_site(
            ctx,
            "district",
            unit_name=name,
            province_code=province_code,
            user=OFFICE_USER,
        )
        if demo_data:
            demo.mark_demo_folder(ctx)
    return ctx


def province_with(ctx: AppContext, communes: int) -> tuple[str, int]:
    """(code, number of communes) of the demo office's province (Khánh Hòa) when it has at
    least ``communes`` communes, else of the smallest province that has that many (so a
    100-commune demo is 100 real communes of one province, all of them the office's own).
    Raises ``UserError`` when no province has that many."""
    from papi_desktop.errors import UserError

    sizes = {
        p["code"]: len(units.communes_of_province(ctx, p["code"])) for p in units.provinces(ctx)
    }
    if sizes.get(OFFICE_PROVINCE, 0) >= communes:
        return OFFICE_PROVINCE, sizes[OFFICE_PROVINCE]
    fits = sorted((n, code) for code, n in sizes.items() if n >= communes)
    if not fits:
        biggest = max(sizes.values())
        raise UserError(
            f"Không tỉnh, thành phố nào có {communes} xã/phường (nhiều nhất {biggest}).",
            f"No province has {communes} communes (at most {biggest}).",
        )
    return fits[0][1], fits[0][0]


def build_communes(
    work: Path,
    codes: list[str],
    *,
    years: int = 1,
    today: date | None = None,
    progress: Callable[[float, str], None] | None = None,
    submitted: int = 0,
) -> list[Path]:
    """Create one commune installation per code with demo data; export each one's full
    package into ``work/usb``. The first ``submitted`` communes send their report of this
    year for review first (so the office has reports to accept or return). Returns the
    package files."""
    from papi_desktop.services import review

    usb = Path(work) / "usb"
    usb.mkdir(parents=True, exist_ok=True)
    files: list[Path] = []
    for i, code in enumerate(codes):
        if progress:
            progress(i / max(1, len(codes)), f"Đang tạo dữ liệu mẫu xã {code}…")
        folder = commune_folder(work, code)
        with AppContext(folder, auto_backup=False, today=today) as ctx:
            if ctx.site is None:
                setup.init_site(ctx, "commune", unit_code=code, user="Cán bộ văn phòng")
                demo.mark_demo_folder(ctx)
                demo.generate(ctx, years=years)
                if i < submitted:
                    review.submit(ctx, ctx.today().year, note="Báo cáo kết quả thực hiện năm")
            files.append(Path(sync.export_package(ctx, usb).path))
    return files


def build_from_packages(
    office_dir: Path,
    work: Path,
    *,
    communes: int = 30,
    years: int = 1,
    today: date | None = None,
    progress: Callable[[float, str], None] | None = None,
    submitted: int = 0,
) -> dict[str, Any]:
    """The office at ``office_dir`` receives the packages of ``communes`` demo communes of
    Khánh Hòa, built in ``work``. Returns the codes, the package files and the reports."""
    ctx = init_office(office_dir, today=today, demo_data=True)
    try:
        codes = [c["code"] for c in units.communes_of_province(ctx, OFFICE_PROVINCE)][:communes]
        files = build_communes(
            work, codes, years=years, today=today, progress=progress, submitted=submitted
        )
        if progress:
            progress(0.95, "Đang nhập các gói vào máy cơ quan giám sát…")
        reports = sync.import_packages(ctx, files, trust_new=True)
    finally:
        ctx.close()
    return {"codes": codes, "packages": files, "reports": reports}


def exchange(sender: AppContext, receiver: AppContext, usb: Path) -> list[Any]:
    """Export from ``sender`` into an empty ``usb`` folder and import at ``receiver``."""
    usb = Path(usb)
    if usb.exists():
        shutil.rmtree(usb)
    usb.mkdir(parents=True)
    result = sync.export_package(sender, usb)
    return sync.import_packages(receiver, [Path(result.path)], trust_new=True)


def prepare_district_demo(folder: Path, *, communes: int = 30, years: int = 1) -> Path:
    """Create (once) a supervising-office demo at ``folder`` from real commune packages."""
    folder = Path(folder)
    with AppContext(folder, auto_backup=False) as ctx:
        ready = ctx.site is not None
    if not ready:
        # a third of the communes have sent their year report: the review has work to show
        build_from_packages(
            folder,
            folder / "demo-communes",
            communes=communes,
            years=years,
            submitted=max(1, communes // 3),
        )
        # and a PAR self-assessment season (SAMPLE criteria): every commune scored itself
        # and submitted by USB, the office appraised and ranked them (issue 15)
        from papi_desktop.services import assess_demo

        with AppContext(folder, auto_backup=False) as ctx:
            year = ctx.today().year
        assess_demo.build_season(folder, folder / "demo-communes", communes=communes, year=year)
    return folder
