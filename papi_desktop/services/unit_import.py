"""Importing a newer official list of administrative units (``units import``).

The list replaces the national one every PC searches and names units with, so an import is
checked against what this PC already holds before anything is written:
- units this PC uses (its own unit, the office's communes, any unit with rows here) must
  stay in the list, otherwise the import is refused naming them;
- a list that drops more than a few percent of the current communes is taken for a partial
  file and needs ``replace_all`` (``--replace-all``), with the number that would go;
- the version must be newer than the one loaded, unless ``force`` (``--force``);
- ``dry_run`` reports what would change (added, renamed, removed) and what would be
  refused, and writes nothing.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext

# More communes than this share of the current list missing means a partial file.
MAX_DROPPED_SHARE = 0.03
_SHOWN = 5


def _version_key(version: str) -> tuple[int, ...] | None:
    """ "2026-10-01", "2026.10" or "3" as numbers; None for a version that is not numeric."""
    parts = re.split(r"[-./]", version.strip())
    if not parts or not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def _current(ctx: AppContext) -> tuple[dict[str, str], dict[str, str]]:
    provinces: dict[str, str] = {}
    communes: dict[str, str] = {}
    for r in ctx.db.query("SELECT level, code, name FROM admin_unit"):
        (provinces if r["level"] == "province" else communes)[r["code"]] = r["name"]
    return provinces, communes


def units_in_use(ctx: AppContext) -> set[str]:
    """Codes of every unit this PC refers to: its own unit and province, and the unit of any
    row in any table (results, disclosures, the office's communes, sync peers...)."""
    codes: set[str] = set()
    site = ctx.db.one("SELECT unit_code, province_code FROM site LIMIT 1")
    if site is not None:
        codes.update(c for c in (site["unit_code"], site["province_code"]) if c)
    tables = [
        r["name"]
        for r in ctx.db.query(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'admin_unit'"
        )
    ]
    for table in tables:
        columns = {c["name"] for c in ctx.db.query(f'PRAGMA table_info("{table}")')}
        for column in ("unit_code", "province_code"):
            if column in columns:
                codes.update(
                    r[0] for r in ctx.db.query(f'SELECT DISTINCT {column} FROM "{table}"') if r[0]
                )
    return codes


def _named(codes: list[str], names: dict[str, str]) -> str:
    shown = [f"{names.get(c, c)} ({c})" for c in codes[:_SHOWN]]
    more = len(codes) - _SHOWN
    return ", ".join(shown) + (f" … (+{more})" if more > 0 else "")


def import_units(
    ctx: AppContext,
    path: Path,
    *,
    version: str | None = None,
    dry_run: bool = False,
    replace_all: bool = False,
    force: bool = False,
) -> dict[str, Any]:
    """Check and load a unit list file; return what changed (or would change).

    Refusals raise ``UserError`` with nothing written; with ``dry_run`` they are listed in
    ``refusals`` (Vietnamese, English) instead and nothing is written either.
    """
    from papi_desktop.catalog.admin_units import parse_unit_list_file
    from papi_desktop.catalog.loaders import load_admin_units, loaded_version

    units = parse_unit_list_file(Path(path), version=version, today=ctx.today())
    old_provinces, old_communes = _current(ctx)
    new_provinces = {p["code"]: p["name"] for p in units.provinces}
    new_communes = {c["code"]: c["name"] for c in units.communes}
    removed = sorted(set(old_communes) - set(new_communes))
    removed_provinces = sorted(set(old_provinces) - set(new_provinces))
    report: dict[str, Any] = {
        "version": units.version,
        "loaded_version": loaded_version(ctx.db, "admin-units"),
        "provinces": len(new_provinces),
        "communes": len(new_communes),
        "added": len(set(new_communes) - set(old_communes)),
        "renamed": sum(
            1 for c, name in new_communes.items() if c in old_communes and old_communes[c] != name
        ),
        "removed": len(removed),
        "provinces_added": len(set(new_provinces) - set(old_provinces)),
        "provinces_removed": len(removed_provinces),
        "dry_run": dry_run,
        "refusals": [],
    }
    refusals: list[tuple[str, str]] = []
    in_use = units_in_use(ctx)
    dropped_in_use = [c for c in removed if c in in_use]
    dropped_in_use += [c for c in removed_provinces if c in in_use]
    if dropped_in_use:
        shown = _named(dropped_in_use, {**old_communes, **old_provinces})
        refusals.append(
            (
                f"Danh sách mới không có {len(dropped_in_use)} đơn vị máy này đang dùng: {shown}. "
                "Hãy dùng danh sách đầy đủ của Cục Thống kê có các đơn vị này.",
                f"The new list lacks {len(dropped_in_use)} units this PC uses: {shown}. "
                "Use the full National Statistics Office list that holds them.",
            )
        )
    if old_communes and len(removed) > MAX_DROPPED_SHARE * len(old_communes) and not replace_all:
        refusals.append(
            (
                f"Danh sách mới sẽ bỏ {len(removed)} trong {len(old_communes)} xã/phường hiện có "
                f"(còn {len(new_communes)}): có thể tệp chỉ là một phần danh sách. Nếu đúng là "
                "danh sách đầy đủ mới, chạy lại với --replace-all.",
                f"The new list would drop {len(removed)} of the {len(old_communes)} current "
                f"communes ({len(new_communes)} left): the file may be only part of the list. If "
                "it is the complete new list, run again with --replace-all.",
            )
        )
    loaded = report["loaded_version"]
    if loaded and not force:
        new_key, old_key = _version_key(units.version), _version_key(loaded)
        if new_key is None or old_key is None or new_key <= old_key:
            refusals.append(
                (
                    f"Phiên bản {units.version} không mới hơn phiên bản đang dùng ({loaded}). "
                    "Hãy ghi phiên bản mới bằng --version (ví dụ ngày ban hành 2026-12-01), "
                    "hoặc thêm --force nếu cố ý nạp lại bản cũ.",
                    f"Version {units.version} is not newer than the loaded one ({loaded}). "
                    "Give the new version with --version (e.g. its date, 2026-12-01), or add "
                    "--force to load an older list on purpose.",
                )
            )
    if dry_run:
        report["refusals"] = [{"vi": vi, "en": en} for vi, en in refusals]
        return report
    if refusals:
        vi, en = refusals[0]
        raise UserError(vi + " Không có gì được thay đổi.", en + " Nothing was changed.")
    with ctx.db.transaction():
        load_admin_units(ctx.db, units)
    return report
