"""USB sync use cases shared by the window's "Đồng bộ USB" page and the command line.

- ``export_package``: write this site's changes (since the receiver's last acknowledgement, or
  everything with ``full=True``) to a signed ``.papisync`` file in a folder (a USB stick).
- ``dry_run`` / ``import_packages``: check and (optionally) apply one or many packages; a
  folder means every package in it, in sequence order. Each package gets a ``PackageReport``.
  A refused package changes nothing in the database.

Confidentiality between communes: the supervising office writes one package per commune
(``PAPI-<commune>-…``) holding the shared rows (framework, tasks, catalogue edits, holidays)
plus its own rows about that commune only (decisions, comments — any office row with a
``unit_code`` — and conflict records about that commune's rows), each cumulative since that
commune's acknowledgement; communes it does not know yet share one package
(``PAPI-<province>-…``) of the shared rows, which lists the communes that have their own.
At the door, a commune sets aside (counts, never stores) office rows about other communes
and conflict records about rows it does not hold, so an older office cannot leak them.
- ``peers``, ``accepted_units`` / ``set_accepted_units``, ``revoke_peer``: who we trust.
- ``conflicts`` / ``restore_conflict``: the versions that lost a conflict, restorable.
- ``history``: packages sent and received; ``silence_warnings``: a commune that has sent
  nothing for more than 35 days; ``removable_drives``: USB sticks to offer.

Long functions accept ``progress(fraction, label)`` and a ``cancel`` ``threading.Event``.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
import tempfile
import threading
import uuid
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop import __version__
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.store import rows as store_rows
from papi_desktop.store.attachments import blob_path, sha256_file, store_file
from papi_desktop.store.backup import BACKUP_PREFIX, BACKUP_SUFFIX, backup_to
from papi_desktop.store.db import schema_version
from papi_desktop.store.hlc import CATALOG_SITE
from papi_desktop.sync import identity, merge, messages
from papi_desktop.sync import package as pkgmod
from papi_desktop.sync.package import PackageRefused

Progress = Callable[[float, str], None]
log = logging.getLogger(__name__)
SILENCE_DAYS = 35
SETTING_SEQ = "sync.out_seq"
SETTING_UNITS = "sync.accepted_units"

# Databases already backed up before an import during this run of the program.
_backed_up: set[str] = set()


class Cancelled(UserError):
    """The user pressed Cancel; nothing was changed."""

    def __init__(self) -> None:
        super().__init__(
            "Đã dừng theo yêu cầu; không có gì thay đổi.",
            "Stopped on request; nothing was changed.",
        )


def _check_cancel(cancel: threading.Event | None) -> None:
    if cancel is not None and cancel.is_set():
        raise Cancelled()


def _report(progress: Progress | None, fraction: float, label: str) -> None:
    if progress is not None:
        progress(max(0.0, min(1.0, fraction)), label)


# -- identity -------------------------------------------------------------------------


def ensure_identity(ctx: AppContext) -> dict[str, str]:
    """Create this site's key pair if missing; return ``{site_id, public_key, fingerprint}``."""
    site = ctx.require_site()
    public = identity.ensure_key(ctx.paths.keys, site.id)
    return {"site_id": site.id, "public_key": public, "fingerprint": identity.fingerprint(public)}


# -- peers and acknowledgements ----------------------------------------------------------


def peers(ctx: AppContext) -> list[dict[str, Any]]:
    """Known sites: role, unit, fingerprint, status, last package, acknowledgements."""
    ctx.require_site()
    out = []
    for r in ctx.db.query("SELECT * FROM sync_peer ORDER BY role, unit_code, enrolled_at"):
        d = dict(r)
        d.pop("public_key")
        out.append(d)
    return out


def _peer(ctx: AppContext, site_id: str) -> dict[str, Any] | None:
    row = ctx.db.one("SELECT * FROM sync_peer WHERE site_id = ?", (site_id,))
    return None if row is None else dict(row)


def supervisor(ctx: AppContext) -> dict[str, Any] | None:
    """The supervising office a commune enrolled with (None before the first package)."""
    row = ctx.db.one(
        "SELECT * FROM sync_peer WHERE role = 'district' AND status = 'trusted' "
        "ORDER BY enrolled_at DESC LIMIT 1"
    )
    return None if row is None else dict(row)


def accepted_units(ctx: AppContext) -> list[str] | None:
    """Commune codes a supervising office accepts; None means every commune of its province."""
    raw = ctx.db.get_setting(SETTING_UNITS)
    return None if raw in (None, "") else list(json.loads(raw))


def set_accepted_units(ctx: AppContext, codes: Iterable[str] | None) -> None:
    """Edit the supervising office's list of communes (None: the whole province)."""
    ctx.require_site("district")
    value = None if codes is None else json.dumps(sorted({c.strip() for c in codes if c}))
    ctx.db.set_setting(SETTING_UNITS, value)


def edit_accepted_units(
    ctx: AppContext,
    *,
    add: Iterable[str] = (),
    remove: Iterable[str] = (),
    whole_province: bool = False,
) -> list[dict[str, Any]]:
    """Change which communes the supervising office accepts packages from; returns the list.

    Starting from an explicit list (or, the first time, every commune of the province), adds
    and removes official commune codes; ``whole_province`` goes back to the default.
    Unknown codes are refused before anything changes.
    """
    site = ctx.require_site("district")
    from papi_desktop.services.units import unit_code

    add, remove = [unit_code(c) for c in add], [unit_code(c) for c in remove]
    for code in add + remove:
        if not ctx.db.scalar(
            "SELECT 1 FROM admin_unit WHERE level = 'commune' AND code = ?", (code,)
        ):
            raise UserError(
                f"Không có xã/phường mã “{code}” trong danh mục hành chính. "
                "Tìm mã bằng: papi-desktop units search TÊN",
                f"No commune with code “{code}”. Find it with: papi-desktop units search NAME",
            )
    for code in add:
        _same_province(ctx, site, code)
    if whole_province:
        with ctx.db.transaction():
            set_accepted_units(ctx, None)
    elif add or remove:
        current = accepted_units(ctx)
        if current is None:
            current = [
                r[0]
                for r in ctx.db.query(
                    "SELECT code FROM admin_unit WHERE level = 'commune' AND province_code = ?",
                    (site.province_code,),
                )
            ]
        codes = (set(current) | set(add)) - set(remove)
        with ctx.db.transaction():
            set_accepted_units(ctx, codes)
    codes = accepted_units(ctx)
    if codes is None:
        rows = ctx.db.query(
            "SELECT code, name FROM admin_unit WHERE level = 'commune' AND province_code = ? "
            "ORDER BY name COLLATE vi",
            (site.province_code,),
        )
    else:
        marks = ",".join("?" for _ in codes) or "''"
        rows = ctx.db.query(
            f"SELECT code, name FROM admin_unit WHERE level = 'commune' AND code IN ({marks}) "
            "ORDER BY name COLLATE vi",
            codes,
        )
    return [{"code": r["code"], "name": r["name"]} for r in rows]


def _same_province(ctx: AppContext, site: SiteInfo, code: str) -> None:
    """Refuse a commune of another province: this office supervises its own province only."""
    from papi_desktop.services.units import commune

    c = commune(ctx, code)
    if c is not None and c["province_code"] != site.province_code:
        raise UserError(
            f"{c['name']} (mã {code}) thuộc {c['province_name']}, không thuộc "
            f"{site.province_name} của cơ quan này; không thêm. Kiểm tra lại mã bằng: "
            "papi-desktop units search MÃ",
            f"{c['name']} ({code}) belongs to {c['province_name']}, not to this office's "
            f"{site.province_name}; not added. Check the code with: papi-desktop units search CODE",
        )


def _unit_accepted(ctx: AppContext, site: SiteInfo, unit_code: str | None) -> bool:
    codes = accepted_units(ctx)
    if codes is not None:
        return unit_code in codes
    return bool(
        ctx.db.scalar(
            "SELECT 1 FROM admin_unit WHERE level = 'commune' AND code = ? AND province_code = ?",
            (unit_code, site.province_code),
        )
    )


def revoke_peer(ctx: AppContext, site_id: str) -> None:
    """Stop accepting packages from a peer (lost or stolen PC)."""
    ctx.require_site()
    with ctx.db.transaction():
        cur = ctx.db.con.execute(
            "UPDATE sync_peer SET status = 'revoked' WHERE site_id = ?", (site_id,)
        )
        if not cur.rowcount:
            raise UserError(f"Không có máy nào mã {site_id}.", f"No known site with id {site_id}.")


# -- export --------------------------------------------------------------------------------


@dataclass
class PackageOut:
    """One package file written by an export."""

    path: Path
    package_id: str
    seq: int
    unit_code: str | None  # the commune it is addressed to (None: the office, or every
    # commune of the province that has no package of its own in this export)
    full: bool
    since: str
    size: int
    counts: dict[str, int]
    missing_attachments: list[str] = field(default_factory=list)
    receiver_name: str = ""  # the commune's or the office's name ("" when not known here)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        return d


@dataclass
class ExportResult:
    """What an export wrote. A commune writes one package; the supervising office writes one
    package per commune it knows (plus one for the communes not enrolled yet), listed in
    ``packages``. ``path`` is the package, or the folder holding them when there are several
    (each commune imports that folder); ``counts`` and ``size`` are totals."""

    path: Path
    package_id: str
    seq: int
    full: bool
    since: str
    size: int
    counts: dict[str, int]
    missing_attachments: list[str] = field(default_factory=list)
    packages: list[PackageOut] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        return [p.path for p in self.packages]

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["path"] = str(self.path)
        d["packages"] = [p.as_dict() for p in self.packages]
        return d


@dataclass
class _Plan:
    """One package to write: for whom, since when, and what goes in."""

    receiver: dict[str, Any]
    since: str
    rows: dict[str, list[dict[str, Any]]]
    conflicts: list[dict[str, Any]]
    acks: dict[str, str]
    name_code: str
    peer_site: str = ""
    kind: str = "data"
    restore_sites: list[str] = field(default_factory=list)


def _owned_rows(ctx: AppContext, site: SiteInfo, since: str) -> dict[str, list[dict[str, Any]]]:
    infos = merge.table_infos(ctx.db)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in infos:
        if site.is_district:
            sql = (
                f"SELECT * FROM {table} WHERE (owner_site = ? OR (owner_site = ? AND version "
                "LIKE ?)) AND version > ?"
            )
            params: tuple = (site.id, CATALOG_SITE, f"%-{site.id}", since)
        else:
            sql = f"SELECT * FROM {table} WHERE owner_site = ? AND version > ?"
            params = (site.id, since)
        found = [dict(r) for r in ctx.db.query(sql, params)]
        if found:
            out[table] = found
    return out


def _trusted_acks(ctx: AppContext, site_ids: Iterable[str] | None = None) -> dict[str, str]:
    """What this site has seen of each trusted peer (all of them, or only ``site_ids``)."""
    found = {
        r["site_id"]: r["seen_version"]
        for r in ctx.db.query("SELECT site_id, seen_version FROM sync_peer WHERE status='trusted'")
    }
    if site_ids is None:
        return found
    wanted = set(site_ids)
    return {k: v for k, v in found.items() if k in wanted}


def _all_conflicts(ctx: AppContext) -> list[dict[str, Any]]:
    return [
        dict(c)
        for c in ctx.db.query(
            f"SELECT {', '.join(merge.CONFLICT_FIELDS)} FROM sync_conflict ORDER BY id"
        )
    ]


def _commune_plan(ctx: AppContext, site: SiteInfo, full: bool) -> _Plan:
    office = supervisor(ctx)
    receiver = {
        "role": "district",
        "province_code": site.province_code,
        "site_id": office["site_id"] if office else None,
    }
    since = "" if full or office is None else office["acked_version"]
    return _Plan(
        receiver, since, _owned_rows(ctx, site, since), _all_conflicts(ctx), _trusted_acks(ctx),
        site.unit_code or site.province_code or "XX", receiver["site_id"] or "",
    )  # fmt: skip


def _province_communes(ctx: AppContext, site: SiteInfo) -> set[str]:
    codes = accepted_units(ctx)
    if codes is not None:
        return set(codes)
    return {
        r["code"]
        for r in ctx.db.query(
            "SELECT code FROM admin_unit WHERE level = 'commune' AND province_code = ?",
            (site.province_code,),
        )
    }


def _office_plans(ctx: AppContext, site: SiteInfo, full: bool) -> list[_Plan]:
    """One package per commune the office knows (an enrolled PC, or office rows about it):
    the shared rows (framework, tasks, catalogue edits, holidays…) plus the office's rows
    about that commune only, cumulative since that commune's acknowledgement; and one
    complete package of the shared rows for every other commune of the province."""
    db = ctx.db
    infos = merge.table_infos(db)
    owned = _owned_rows(ctx, site, "")
    shared: dict[str, list[dict[str, Any]]] = {}
    per_unit: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for table, found in owned.items():
        for values in found:
            unit = _row_unit(ctx, infos, table, values)
            bucket = per_unit.setdefault(unit, {}) if unit else shared
            bucket.setdefault(table, []).append(values)
    peers_by_unit: dict[str, list[dict[str, Any]]] = {}
    peer_unit: dict[str, str] = {}
    for p in db.query(
        "SELECT site_id, unit_code, status, acked_version FROM sync_peer WHERE role = 'commune' "
        "ORDER BY enrolled_at"
    ):
        if p["unit_code"]:
            peer_unit[p["site_id"]] = p["unit_code"]
            if p["status"] == "trusted":
                peers_by_unit.setdefault(p["unit_code"], []).append(dict(p))
    shared_conflicts: list[dict[str, Any]] = []
    unit_conflicts: dict[str, list[dict[str, Any]]] = {}
    for c in _all_conflicts(ctx):
        unit = merge.conflict_unit(c, site.id, peer_unit)
        if unit == "":
            shared_conflicts.append(c)
        elif unit is not None:
            unit_conflicts.setdefault(unit, []).append(c)
    units = sorted(set(per_unit) | set(peers_by_unit))
    plans = []
    for unit in units:
        pcs = peers_by_unit.get(unit, [])
        since = "" if full or not pcs else min(p["acked_version"] for p in pcs)
        mine = per_unit.get(unit, {})
        rows_for: dict[str, list[dict[str, Any]]] = {}
        for table in infos:
            found = [
                v for v in (*shared.get(table, ()), *mine.get(table, ())) if v["version"] > since
            ]
            if found:
                rows_for[table] = found
        receiver = {"role": "commune", "province_code": site.province_code, "site_id": None,
                    "unit_code": unit}  # fmt: skip
        plans.append(
            _Plan(
                receiver,
                since,
                rows_for,
                shared_conflicts + unit_conflicts.get(unit, []),
                _trusted_acks(ctx, [p["site_id"] for p in pcs]),
                unit,
                pcs[-1]["site_id"] if pcs else "",
            )
        )
    if not plans or _province_communes(ctx, site) - set(units):
        receiver = {"role": "commune", "province_code": site.province_code, "site_id": None,
                    "unit_code": None, "except_units": units}  # fmt: skip
        plans.append(_Plan(receiver, "", shared, shared_conflicts, {}, site.province_code or "XX"))
    return plans


def _row_unit(
    ctx: AppContext, infos: dict[str, merge.TableInfo], table: str, values: dict[str, Any]
) -> str | None:
    """The commune an office row concerns (None: every commune). An evidence file follows
    the record it is attached to."""
    if "unit_code" in infos[table].columns:
        return values.get("unit_code") or None
    if table == "attachment":
        parent = values.get("record_table")
        if parent in infos and "unit_code" in infos[parent].columns:
            return ctx.db.scalar(
                f"SELECT unit_code FROM {parent} WHERE id = ?", (values.get("record_id"),)
            )
    return None


def _restore_plan(ctx: AppContext, site: SiteInfo, unit: str) -> _Plan:
    if not site.is_district:
        raise UserError(
            "Chỉ cơ quan giám sát mới xuất được gói trả dữ liệu cho một xã.",
            "Only the supervising office can export a restore package for a commune.",
        )
    sites = ctx.db.query(
        "SELECT site_id, status FROM sync_peer WHERE role = 'commune' AND unit_code = ? "
        "ORDER BY enrolled_at DESC",
        (unit,),
    )
    current = [r["site_id"] for r in sites if r["status"] == "trusted"]
    if not current:
        raise UserError(
            f"Chưa nhận gói nào từ xã/phường mã {unit}. Máy của xã cần gửi một gói trước "
            "(kể cả gói trống) để được đăng ký.",
            f"No package received yet from commune {unit}. Its PC must send one first "
            "(even an empty one) to be enrolled.",
        )
    receiver = {"role": "commune", "province_code": site.province_code, "site_id": current[0],
                "unit_code": unit}  # fmt: skip
    restore_sites = sorted(r["site_id"] for r in sites)
    peer_unit = {s: unit for s in restore_sites}
    conflicts = [
        c for c in _all_conflicts(ctx) if merge.conflict_unit(c, site.id, peer_unit) in ("", unit)
    ]
    return _Plan(
        receiver, "", _rows_of_owners(ctx, restore_sites), conflicts,
        _trusted_acks(ctx, restore_sites), unit, current[0], "restore", restore_sites,
    )  # fmt: skip


def _rows_of_owners(ctx: AppContext, owners: list[str]) -> dict[str, list[dict[str, Any]]]:
    marks = ", ".join("?" for _ in owners)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in merge.table_infos(ctx.db):
        found = [
            dict(r)
            for r in ctx.db.query(f"SELECT * FROM {table} WHERE owner_site IN ({marks})", owners)
        ]
        if found:
            out[table] = found
    return out


def _dumps(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


@dataclass
class _Written:
    plan: _Plan
    dest: Path
    manifest: dict[str, Any]
    sha256: str
    size: int
    counts: dict[str, int]
    missing: list[str]


def export_package(
    ctx: AppContext,
    to_dir: Path,
    *,
    full: bool = False,
    for_unit: str | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    opener: Callable[[Path], Any] | None = None,
) -> ExportResult:
    """Write the package(s) for the receiver(s) into ``to_dir``: a commune writes one for
    its supervising office; the office writes one per commune (see ``_office_plans``), so a
    commune never receives the office's decisions, comments or conflict records about
    another commune. Cumulative since each receiver's acknowledgement unless ``full``.

    Each file is written as ``.partial``, fsynced, renamed, read back and verified; the
    bookkeeping (sequence numbers, sent history) commits only after every file is written,
    and a failure removes the files already written, so a pulled stick leaves nothing behind.

    ``for_unit`` (supervising office only): a *restore* package that gives one commune back
    all of its own rows as held here (after a lost PC or an old backup). It is addressed to
    that commune's newest enrolled PC and always complete.
    """
    site = ctx.require_site()
    to_dir = Path(to_dir)
    if not to_dir.is_dir():
        raise UserError(
            f"Không tìm thấy thư mục {to_dir}. Hãy cắm USB hoặc chọn thư mục khác.",
            f"Folder {to_dir} not found. Insert the USB stick or pick another folder.",
        )
    ident = ensure_identity(ctx)
    _report(progress, 0.0, "Đang chuẩn bị dữ liệu…")
    db = ctx.db
    with db.transaction():
        if for_unit:
            plans = [_restore_plan(ctx, site, for_unit)]
        elif site.is_district:
            plans = _office_plans(ctx, site, full)
        else:
            plans = [_commune_plan(ctx, site, full)]
        _check_cancel(cancel)
        audit_sites = {site.id}
        for plan in plans:
            audit_sites.update(plan.restore_sites)
        marks = ", ".join("?" for _ in audit_sites)
        audit = [
            dict(a)
            for a in db.query(
                f"SELECT {', '.join(merge.AUDIT_FIELDS)} FROM audit WHERE site IN ({marks}) "
                "ORDER BY seq",
                tuple(audit_sites),
            )
        ]
        sync_rows = {
            (r["table_name"], r["row_id"]): (r["version"], r["ancestry"])
            for r in db.query("SELECT table_name, row_id, version, ancestry FROM sync_row")
        }
        updates: dict[tuple[str, str], tuple[str, str, str, str]] = {}
        seq0 = int(db.get_setting(SETTING_SEQ, "0") or 0)
        when = db.clock.local_now().strftime("%Y%m%d-%H%M")
        written: list[_Written] = []
        try:
            for n, plan in enumerate(plans):
                _check_cancel(cancel)
                _report(progress, 0.1 + 0.8 * n / len(plans), "Đang ghi gói ra USB…")
                written.append(
                    _write_plan(
                        ctx,
                        site,
                        ident,
                        plan,
                        seq0 + n + 1,
                        when,
                        to_dir,
                        audit,
                        sync_rows,
                        updates,
                        opener,
                    )
                )
        except BaseException as exc:
            for w in written:
                w.dest.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise UserError(
                    f"Không ghi được gói vào {to_dir} ({exc.strerror or exc}). USB có thể đã "
                    "bị rút hoặc đầy. Không có gì thay đổi; hãy cắm lại rồi xuất lại.",
                    f"Could not write the package to {to_dir} ({exc.strerror or exc}). The "
                    "stick may have been removed or be full. Nothing changed; retry.",
                ) from exc
            raise
        try:
            db.con.executemany(
                "INSERT INTO sync_row(table_name, row_id, version, ancestry) VALUES (?,?,?,?) "
                "ON CONFLICT(table_name, row_id) DO UPDATE SET version = excluded.version, "
                "ancestry = excluded.ancestry",
                list(updates.values()),
            )
            db.con.execute(
                "INSERT INTO setting(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET "
                "value = excluded.value",
                (SETTING_SEQ, str(seq0 + len(written))),
            )
            for w in written:
                m = w.manifest
                db.con.execute(
                    "INSERT INTO sync_package(package_id, direction, peer_site, seq, file_name, "
                    "sha256, size, created_at, done_at, full, counts, summary) "
                    "VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (m["package_id"], w.plan.peer_site, m["seq"], w.dest.name, w.sha256, w.size,
                     m["created_at"], db.clock.now_iso(), 1 if not w.plan.since else 0,
                     json.dumps(w.counts),
                     json.dumps({"to": str(to_dir), "unit": w.plan.receiver.get("unit_code")})),
                )  # fmt: skip
        except BaseException:
            for w in written:
                w.dest.unlink(missing_ok=True)
            raise
    _report(progress, 1.0, "Đã xuất gói.")
    outs = [
        PackageOut(
            w.dest,
            w.manifest["package_id"],
            w.manifest["seq"],
            w.plan.receiver.get("unit_code"),
            not w.plan.since,
            w.plan.since,
            w.size,
            w.counts,
            w.missing,
            _receiver_name(ctx, site, w.plan.receiver),
        )
        for w in written
    ]
    if len(outs) == 1:
        o = outs[0]
        return ExportResult(o.path, o.package_id, o.seq, o.full, o.since, o.size, o.counts,
                            o.missing_attachments, outs)  # fmt: skip
    totals: dict[str, int] = {}
    for o in outs:
        for k, v in o.counts.items():
            totals[k] = totals.get(k, 0) + v
    missing = sorted({sha for o in outs for sha in o.missing_attachments})
    return ExportResult(
        to_dir, "", max(o.seq for o in outs), all(o.full for o in outs),
        min(o.since for o in outs), sum(o.size for o in outs), totals, missing, outs,
    )  # fmt: skip


def _receiver_name(ctx: AppContext, site: SiteInfo, receiver: dict[str, Any]) -> str:
    if receiver.get("unit_code"):
        return _unit_label(ctx, receiver["unit_code"])
    if site.is_commune:
        office = supervisor(ctx)
        return office["unit_name"] if office else ""
    return ""


def _write_plan(
    ctx: AppContext,
    site: SiteInfo,
    ident: dict[str, str],
    plan: _Plan,
    seq: int,
    when: str,
    to_dir: Path,
    audit: list[dict[str, Any]],
    sync_rows: dict[tuple[str, str], tuple[str, str]],
    updates: dict[tuple[str, str], tuple[str, str, str, str]],
    opener: Callable[[Path], Any] | None,
) -> _Written:
    """Write one planned package (rows, their audit entries, conflict records)."""
    db = ctx.db
    lines: list[str] = []
    exported: set[tuple[str, str]] = set()
    counts: dict[str, int] = {}
    max_version = plan.since
    blobs: dict[str, Path] = {}
    missing: list[str] = []
    for table, found in plan.rows.items():
        counts[table] = len(found)
        for values in found:
            key = (table, values["id"])
            exported.add(key)
            prev = sync_rows.get(key)
            anc = json.loads(prev[1]) if prev else []
            if prev and prev[0] != values["version"]:
                anc = merge.bounded([*anc, prev[0]])
            if not prev or prev[0] != values["version"]:
                updates[key] = (table, values["id"], values["version"], json.dumps(anc))
            lines.append(_dumps({"k": "row", "t": table, "r": values, "a": anc}))
            max_version = max(max_version, values["version"])
            if table == "attachment" and not values["deleted"]:
                sha = values["sha256"]
                path = blob_path(ctx.paths.attachments, sha)
                if sha in blobs or sha in missing:
                    continue
                if path.exists() and sha256_file(path) == sha:
                    blobs[sha] = path
                else:
                    missing.append(sha)
    audit_n = 0
    for a in audit:
        if (a["table_name"], a["row_id"]) in exported:
            lines.append(_dumps({"k": "audit", "r": a}))
            audit_n += 1
    counts["audit"] = audit_n
    for c in plan.conflicts:
        lines.append(_dumps({"k": "conflict", "r": c}))
    counts["conflicts"] = len(plan.conflicts)
    manifest = {
        "format": pkgmod.FORMAT_NAME,
        "format_version": pkgmod.FORMAT_VERSION,
        "package_id": str(uuid.uuid4()),
        "kind": plan.kind,
        "restore_sites": plan.restore_sites,
        "sender": {
            "site_id": site.id,
            "role": site.role,
            "unit_code": site.unit_code,
            "unit_name": site.unit_name,
            "province_code": site.province_code,
            "province_name": site.province_name,
            "public_key": ident["public_key"],
        },
        "receiver": plan.receiver,
        "seq": seq,
        "created_at": db.clock.now_iso(),
        "clock": db.hlc.last if db.hlc else "",
        "app_version": __version__,
        "schema_version": schema_version(db.con),
        "since": plan.since,
        "full": not plan.since,
        "max_version": max_version,
        "acks": plan.acks,
        "counts": counts,
        "missing_attachments": missing,
    }
    name = pkgmod.package_name(plan.name_code, when, seq)
    dest = to_dir / name
    n = 2
    while dest.exists() or dest.with_name(dest.name + ".partial").exists():
        dest = to_dir / name.replace(pkgmod.SUFFIX, f"-{n}{pkgmod.SUFFIX}")
        n += 1
    rows_bytes = ("\n".join(lines) + "\n").encode("utf-8") if lines else b""
    pkg = pkgmod.write_package(
        dest,
        manifest,
        rows_bytes,
        blobs,
        lambda data: identity.sign(ctx.paths.keys, site.id, data),
        opener=opener,
    )
    return _Written(plan, dest, manifest, pkg.sha256, pkg.size, counts, missing)


# -- import ----------------------------------------------------------------------------


@dataclass
class PackageReport:
    """The outcome for one package file (also the dry-run summary shown before applying)."""

    file: str
    status: str  # applied / already_imported / refused / skipped / dry_run
    package_id: str = ""
    sender: dict[str, Any] = field(default_factory=dict)
    seq: int = 0
    created_at: str = ""
    reason: str = ""  # the refusal's code (damaged, signature, receiver, unknown_sender…)
    detail: str = ""  # technical detail for the log and scripts; never shown in the window
    message_vi: str = ""
    message_en: str = ""
    needs_trust: bool = False
    fingerprint: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)
    warnings: list[dict[str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["from"] = d.pop("sender")
        return d


def package_files(paths: Iterable[Path | str]) -> list[Path]:
    """Expand folders to the packages they hold, ordered by sender then sequence number."""
    files: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            found = sorted(p.glob(f"*{pkgmod.SUFFIX}"))
            files.extend(sorted(found, key=_sequence_key))
        else:
            files.append(p)
    return files


def _sequence_key(path: Path) -> tuple:
    try:
        with zipfile.ZipFile(path) as zf:
            info = zf.getinfo(pkgmod.MANIFEST)
            if info.file_size > pkgmod.MAX_MANIFEST_BYTES:
                raise ValueError
            m = json.loads(zf.read(info))
        return (0, str(m["sender"]["site_id"]), int(m["seq"]), path.name)
    except Exception:
        return (1, "", 0, path.name)


def _refusal_report(
    ctx: AppContext,
    site: SiteInfo,
    file: Path,
    exc: PackageRefused,
    rep: PackageReport,
    manifest: dict[str, Any] | None,
    batch: bool,
) -> None:
    """Fill ``rep`` for a package that is not applied: ``skipped`` in a batch when it is
    addressed elsewhere, else ``refused``; the plain message from ``messages``, the technical
    one in ``detail`` and the log."""
    names = _plain_names(ctx, site, file, manifest, exc, rep)
    rep.reason, rep.detail = exc.code, exc.message_en
    if batch and getattr(exc, "skippable", False):
        rep.status, rep.needs_trust = "skipped", False
        rep.message_vi, rep.message_en = messages.skipped(names)
        log.info("sync: skipped %s (%s): %s", file.name, exc.code, exc.message_en)
        return
    rep.status = "refused"
    rep.message_vi, rep.message_en = messages.refusal(getattr(exc, "plain", exc.code), names)
    log.warning("sync: refused %s (%s): %s", file.name, exc.code, exc.message_en)


def _addressee(site: SiteInfo, manifest: dict[str, Any]) -> tuple[str | None, str | None]:
    """Where a package is addressed when it is not for this PC: (``messages`` constant,
    commune code of the intended receiver or None); ``(None, None)`` when it is for us."""
    sender = manifest.get("sender") or {}
    receiver = manifest.get("receiver") or {}
    if str(sender.get("site_id") or "") == site.id:
        return messages.OWN, None
    if receiver.get("role") != site.role:
        return messages.ROLE, None
    if receiver.get("province_code") != site.province_code:
        return messages.PROVINCE, None
    unit = receiver.get("unit_code")
    if unit not in (None, site.unit_code):
        return messages.UNIT, str(unit)
    if site.unit_code is not None and site.unit_code in (receiver.get("except_units") or []):
        return messages.OTHERS, None
    if receiver.get("site_id") not in (None, site.id):
        return messages.PC, None
    return None, None


def _refused(code: str, vi: str, en: str, **attrs: Any) -> PackageRefused:
    """A refusal carrying what the plain message needs (``where``, ``target``, ``plain``:
    the reason whose wording to use when it differs from ``code``)."""
    exc = PackageRefused(code, vi, en)
    for k, v in attrs.items():
        setattr(exc, k, v)
    return exc


def _check_sender(
    ctx: AppContext, site: SiteInfo, manifest: dict[str, Any], trust_new: bool, rep: PackageReport
) -> dict[str, Any] | None:
    """Who sent it and whether we accept it; returns the known peer row (None when new).

    A package addressed elsewhere (another unit or PC, the other side, another province, or
    exported here) is refused as ``skippable`` before anything about its sender is decided:
    a folder import skips it without storing anything from it, whoever sent it."""
    sender = manifest["sender"]
    receiver = manifest.get("receiver") or {}
    sid = str(sender.get("site_id") or "")
    where, target = _addressee(site, manifest)
    if where is not None:
        raise _refused(
            "own" if where == messages.OWN else "receiver",
            f"Addressed elsewhere ({where}): receiver {json.dumps(receiver)}, "
            f"sender {sid} ({sender.get('role')}, {sender.get('unit_code')}).",
            f"Addressed elsewhere ({where}): receiver {json.dumps(receiver)}, "
            f"sender {sid} ({sender.get('role')}, {sender.get('unit_code')}).",
            where=where, target=target, skippable=True,
        )  # fmt: skip
    want_role = "district" if site.is_commune else "commune"
    if sender.get("role") != want_role or (
        site.is_commune and sender.get("province_code") != site.province_code
    ):
        detail = (
            f"Sender role {sender.get('role')} / province {sender.get('province_code')} cannot "
            f"send to a {site.role} of province {site.province_code}."
        )
        raise _refused("receiver", detail, detail, plain="ownership")
    if site.is_district and not _unit_accepted(ctx, site, sender.get("unit_code")):
        detail = f"Commune {sender.get('unit_code')} is not on this office's list."
        raise _refused("not_allowed", detail, detail)
    fp = identity.fingerprint(sender["public_key"])
    rep.fingerprint = fp
    known = _peer(ctx, sid)
    if known is not None:
        if known["public_key"] != sender["public_key"]:
            detail = f"Site {sid} is enrolled with another public key."
            raise _refused("key_changed", detail, detail)
        if known["status"] != "trusted":
            detail = f"Site {sid} has status {known['status']}."
            raise _refused("revoked", detail, detail)
        return known
    rep.needs_trust = True
    if not trust_new:
        detail = f"Unknown site {sid}, fingerprint {fp}; confirm with --trust-new."
        raise _refused("unknown_sender", detail, detail)
    return None


def _unit_label(ctx: AppContext, code: str | None) -> str:
    """A commune's or province's name from its code ("" when unknown)."""
    if not code:
        return ""
    from papi_desktop.services import units

    found = units.commune(ctx, code) or units.province(ctx, code)
    return found["name"] if found else ""


def _plain_names(
    ctx: AppContext,
    site: SiteInfo,
    file: Path,
    manifest: dict[str, Any] | None,
    exc: PackageRefused,
    rep: PackageReport,
) -> messages.Names:
    """The names a plain message needs. A verified manifest names the sender; otherwise the
    file name (``PAPI-<code>-…``) says which commune it concerns: at the office, the sending
    commune; at a commune, the office (its own code) or another commune's upload."""
    n = messages.Names(
        file=file.name, here=site.unit_name or "", here_is_commune=site.is_commune,
        fingerprint=rep.fingerprint, where=str(getattr(exc, "where", "") or ""),
    )  # fmt: skip
    sender = (manifest or {}).get("sender") or {}
    if sender:
        n.sender = str(sender.get("unit_name") or "")
        n.sender_province = str(sender.get("province_name") or "") or _unit_label(
            ctx, sender.get("province_code")
        )
    else:
        parts = file.name.split("-")
        code = parts[1] if len(parts) > 2 and parts[0] == "PAPI" else None
        office = supervisor(ctx) if site.is_commune else None
        if site.is_commune and (code is None or code in (site.unit_code, site.province_code)):
            n.sender = office["unit_name"] if office else "cơ quan giám sát"
        elif code and code != site.province_code:
            n.sender = _unit_label(ctx, code)
    target = getattr(exc, "target", None)
    if target:
        n.target = _unit_label(ctx, target) or f"xã/phường mã {target}"
    return n


@dataclass
class _Prepared:
    pkg: pkgmod.Package
    incoming: merge.Incoming
    known: dict[str, Any] | None
    new_blobs: list[str]


def _prepare(
    ctx: AppContext, site: SiteInfo, pkg: pkgmod.Package, trust_new: bool, rep: PackageReport
) -> _Prepared:
    m = pkg.manifest
    rep.package_id = pkg.package_id
    s = m["sender"]
    rep.sender = {k: s.get(k) for k in ("site_id", "role", "unit_code", "unit_name",
                                        "province_code")}  # fmt: skip
    rep.sender["fingerprint"] = identity.fingerprint(s["public_key"])
    rep.seq = m["seq"]
    rep.created_at = str(m.get("created_at", ""))
    rep.counts = dict(m.get("counts") or {})
    known = _check_sender(ctx, site, m, trust_new, rep)
    restore_for = None
    if m.get("kind") == "restore":
        if known is None or (m.get("receiver") or {}).get("site_id") != site.id:
            detail = "Restore package not addressed to this PC or from an unenrolled office."
            raise _refused("receiver", detail, detail, where=messages.RESTORE)
        restore_for = (set(m.get("restore_sites") or []), site.unit_code)
    incoming = merge.validate(
        ctx.db, pkg.lines, sender_site=s["site_id"], sender_role=s["role"],
        sender_unit=s.get("unit_code"), restore_for=restore_for,
    )  # fmt: skip
    if site.is_commune:
        merge.set_aside_foreign(incoming, site.id, s["site_id"], site.unit_code)
    declared = {k: v for k, v in rep.counts.items() if v}
    if declared != {k: v for k, v in incoming.counts().items() if v}:
        raise PackageRefused(
            "sanity",
            "Số dòng trong gói không khớp với phần mô tả của gói. Không nhập; hãy nhờ máy gửi "
            "xuất gói đầy đủ (--full).",
            "The package's rows do not match its manifest counts. Not imported; ask the "
            "sender for a full package (--full).",
        )
    missing_ok = set(m.get("missing_attachments") or [])
    new_blobs = []
    for r in incoming.rows:
        if r.table != "attachment" or r.values.get("deleted"):
            continue
        sha = r.values.get("sha256")
        if sha in pkg.attachments:
            if not blob_path(ctx.paths.attachments, sha).exists():
                new_blobs.append(sha)
        elif sha not in missing_ok and not blob_path(ctx.paths.attachments, sha).exists():
            raise pkgmod._damaged(pkg.path, f"attachment {str(sha)[:12]} missing")
    clock = ctx.db.hlc
    top = incoming.max_version()
    if clock is not None and top and clock.is_far_ahead(top):
        rep.warnings.append({
            "code": "clock_ahead",
            "vi": "Đồng hồ của máy gửi (hoặc máy này) có thể sai: gói mang thời điểm ở tương lai.",
            "en": "The sender's (or this PC's) clock may be wrong: the package is dated ahead.",
        })  # fmt: skip
    if known is not None and not m.get("full") and m.get("since", "") > known["seen_version"]:
        rep.warnings.append({
            "code": "gap",
            "vi": "Thiếu gói trước đó từ máy gửi; dữ liệu sẽ được bổ sung ở gói sau.",
            "en": "An earlier package from the sender is missing; the next one will fill it in.",
        })  # fmt: skip
    return _Prepared(pkg, incoming, known, sorted(set(new_blobs)))


def _backup_before_import(ctx: AppContext) -> Path | None:
    key = str(ctx.paths.database.resolve())
    if key in _backed_up:
        return None
    name = f"{BACKUP_PREFIX}{ctx.clock.local_now():%Y-%m-%d-%H%M%S}-before-sync{BACKUP_SUFFIX}"
    path = backup_to(ctx.db.con, ctx.paths.backups / name)
    _backed_up.add(key)
    return path


def _store_blobs(ctx: AppContext, blobs: list[tuple[str, Path]]) -> None:
    """Move verified evidence files into the content-addressed store, durably, before the
    rows that name them commit. A blob left by a rolled-back import is harmless."""
    moved: list[Path] = []
    for sha, src in blobs:
        target = blob_path(ctx.paths.attachments, sha)
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(src, target)  # same disk: the data folder holds the work folder
        except OSError:
            store_file(ctx.paths.attachments, src)
            continue
        moved.append(target)
    if not moved:
        return
    if hasattr(os, "sync"):
        os.sync()  # one flush for all files instead of one fsync each
    else:  # pragma: no cover - Windows
        for target in moved:
            with open(target, "rb+") as fh:
                os.fsync(fh.fileno())


def _apply(
    ctx: AppContext,
    site: SiteInfo,
    prep: _Prepared,
    trust_new: bool,
    step_hook: Callable[[int], None] | None,
) -> merge.Summary:
    pkg, m = prep.pkg, prep.pkg.manifest
    s = m["sender"]
    db = ctx.db
    _store_blobs(ctx, [(sha, pkg.attachments[sha]) for sha in prep.new_blobs])
    now = db.clock.now_iso()
    with db.transaction():
        if prep.known is None:
            if site.is_commune:
                db.con.execute(
                    "UPDATE sync_peer SET status = 'replaced' WHERE role = 'district' "
                    "AND status = 'trusted'"
                )
            db.con.execute(
                "INSERT INTO sync_peer(site_id, role, unit_code, unit_name, province_code, "
                "public_key, fingerprint, status, enrolled_at) VALUES (?,?,?,?,?,?,?,?,?)",
                (s["site_id"], s["role"], s.get("unit_code"), s.get("unit_name") or "",
                 s.get("province_code"), s["public_key"], identity.fingerprint(s["public_key"]),
                 "trusted", now),
            )  # fmt: skip
        applier = merge.Applier(db, pkg.package_id, s["site_id"], step_hook)
        summary = applier.apply(prep.incoming)
        summary.attachments = len(prep.new_blobs)
        applier.step()
        peer = _peer(ctx, s["site_id"])
        seen = peer["seen_version"]
        if m.get("kind") == "restore":
            pass
        elif m.get("full") or str(m.get("since") or "") <= seen:
            seen = max(seen, str(m.get("max_version") or ""))
        acked, acked_seq = peer["acked_version"], peer["acked_seq"]
        if m["seq"] >= acked_seq:
            acked, acked_seq = str((m.get("acks") or {}).get(site.id, "")), m["seq"]
        if db.hlc is not None and acked > db.hlc.last:
            # The peer has seen versions of ours this database never issued: it was restored
            # from an old backup (or copied). Send everything next time; the peer keeps what
            # it already has and the differences surface as conflicts.
            acked = ""
        db.con.execute(
            "UPDATE sync_peer SET unit_name = ?, last_seq = max(last_seq, ?), "
            "last_package_at = CASE WHEN last_package_at IS NULL OR last_package_at < ? "
            "THEN ? ELSE last_package_at END, last_import_at = ?, seen_version = ?, "
            "acked_version = ?, acked_seq = ? WHERE site_id = ?",
            (s.get("unit_name") or peer["unit_name"], m["seq"], m["created_at"],
             m["created_at"], now, seen, acked, acked_seq, s["site_id"]),
        )  # fmt: skip
        db.con.execute(
            "INSERT INTO sync_package(package_id, direction, peer_site, seq, file_name, sha256, "
            "size, created_at, done_at, full, counts, summary) "
            "VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (pkg.package_id, s["site_id"], m["seq"], pkg.path.name.removesuffix(".incoming"),
             pkg.sha256, pkg.size, m["created_at"], now, 1 if m.get("full") else 0,
             json.dumps(m.get("counts") or {}), json.dumps(summary.as_dict())),
        )  # fmt: skip
        for v in (prep.incoming.max_version(), str(m.get("max_version") or "")):
            if v:
                db.observe_version(v)
        for v in (m.get("acks") or {}).values():
            if v:
                db.observe_version(str(v))
        applier.step()
        merge.sanity_check(db, prep.incoming, m.get("counts") or {})
    return summary


def import_packages(
    ctx: AppContext,
    paths: Iterable[Path | str],
    *,
    dry_run: bool = False,
    trust_new: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    step_hook: Callable[[int], None] | None = None,
    batch: bool | None = None,
) -> list[PackageReport]:
    """Check, then (unless ``dry_run``) apply each package; one ``PackageReport`` per file.

    A package is refused (status ``refused``, database untouched) when damaged, unsigned, from
    an unknown sender (unless ``trust_new``), for another unit, newer in format, or carrying
    data this version does not know. In a ``batch`` (default: a folder, or several paths) a
    well-formed package (signature and hashes check out against its own key) addressed to
    another unit or PC, to the other side, to another province, or exported by this PC, gets
    status ``skipped`` instead, whoever sent it: nothing from it is stored. A stick that
    toured several communes holds their uploads and the office's packages for each commune.
    Imported on its own, such a package is refused. Every message (``message_vi`` /
    ``message_en``) is one plain line saying what is wrong and what to do; the technical
    cause is in ``detail`` and the log. Re-importing gives ``already_imported``. Before the
    first import of this program run a backup is taken. ``step_hook(i)`` runs before every
    apply step (tests inject faults with it); ``cancel`` stops between steps with nothing
    changed.
    """
    site = ctx.require_site()
    paths = list(paths)
    files = package_files(paths)
    if not files:
        raise UserError(
            "Không tìm thấy gói đồng bộ (.papisync) nào ở đường dẫn đã chọn.",
            "No sync package (.papisync) found at the given path.",
        )
    reports: list[PackageReport] = []
    work_root = ctx.paths.inbox
    if batch is None:
        batch = len(files) > 1 or any(Path(p).is_dir() for p in paths)
    for n, file in enumerate(files):
        _check_cancel(cancel)
        pkg: pkgmod.Package | None = None
        base = n / len(files)
        _report(progress, base, f"Đang kiểm tra {file.name}…")
        rep = PackageReport(file=str(file), status="refused")
        reports.append(rep)
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=_mkdir(work_root)))
        try:
            if not file.is_file():
                detail = f"File {file} not found."
                raise _refused("unreadable", detail, detail, plain="not_found")
            local = pkgmod.copy_to_local(file, work)
            pkg = pkgmod.read_package(local, work)
            if ctx.db.scalar(
                "SELECT 1 FROM sync_package WHERE package_id = ? AND direction = 'in'",
                (pkg.package_id,),
            ):
                rep.package_id = pkg.package_id
                s = pkg.sender
                rep.sender = {k: s.get(k) for k in ("site_id", "role", "unit_code", "unit_name")}
                rep.seq = pkg.manifest["seq"]
                rep.counts = dict(pkg.manifest.get("counts") or {})
                rep.status = "already_imported"
                rep.message_vi = "Gói này đã được nhập trước đó; không có gì thay đổi."
                rep.message_en = "This package was already imported; nothing changed."
                continue
            prep = _prepare(ctx, site, pkg, trust_new, rep)
            if dry_run:
                rep.summary = merge.plan(
                    ctx.db, prep.incoming, pkg.sender["site_id"], len(prep.new_blobs)
                ).as_dict()
                rep.status = "dry_run"
                continue
            _backup_before_import(ctx)
            total = max(1, len(prep.incoming.rows) + len(prep.incoming.conflicts) + 10)

            label = f"Đang nhập {file.name}…"

            def hook(i: int, base: float = base, total: int = total, label: str = label) -> None:
                _check_cancel(cancel)
                if step_hook is not None:
                    step_hook(i)
                if progress is not None and i % 200 == 0:
                    progress(min(1.0, base + (i / total) / len(files)), label)

            summary = _apply(ctx, site, prep, trust_new, hook)
            rep.summary = summary.as_dict()
            rep.status = "applied"
            rep.message_vi = (
                f"Đã nhập: {summary.new} mới, {summary.updated} cập nhật, "
                f"{summary.conflicts} xung đột, {summary.ignored} bỏ qua (cũ hơn)."
            )
            rep.message_en = (
                f"Imported: {summary.new} new, {summary.updated} updated, "
                f"{summary.conflicts} conflicts, {summary.ignored} ignored as older."
            )
        except PackageRefused as exc:
            manifest = pkg.manifest if pkg is not None else None
            _refusal_report(ctx, site, file, exc, rep, manifest, batch)
        except sqlite3.IntegrityError as exc:
            detail = f"The package's data violates a constraint ({exc}); rolled back."
            manifest = pkg.manifest if pkg is not None else None
            _refusal_report(
                ctx, site, file, PackageRefused("schema", detail, detail), rep, manifest, batch
            )
        finally:
            shutil.rmtree(work, ignore_errors=True)
        ctx.invalidate_calendar()
    _report(progress, 1.0, "Xong.")
    return reports


def dry_run(
    ctx: AppContext,
    paths: Iterable[Path | str],
    *,
    trust_new: bool = False,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> list[PackageReport]:
    """What importing would do (new / updated / conflicts / ignored / attachments per package),
    without changing anything. An unknown sender gives ``refused`` with ``needs_trust`` and the
    fingerprint to confirm, unless ``trust_new``."""
    return import_packages(
        ctx, paths, dry_run=True, trust_new=trust_new, progress=progress, cancel=cancel
    )


def _mkdir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    return p


# -- conflicts -------------------------------------------------------------------------


def conflicts(ctx: AppContext, *, open_only: bool = False) -> list[dict[str, Any]]:
    """Versions that lost a conflict: table, row, the losing values and the current winner.

    ``state`` is ``open`` while the row still holds the winner recorded at detection,
    ``restored`` after ``restore_conflict`` and ``superseded`` when the row changed since.
    """
    ctx.require_site()
    out = []
    for r in ctx.db.query("SELECT * FROM sync_conflict ORDER BY table_name, row_id, loser_version"):
        d = dict(r)
        d["loser_row"] = json.loads(d["loser_row"])
        current = ctx.db.one(
            f"SELECT version, deleted FROM {d['table_name']} WHERE id = ?", (d["row_id"],)
        ) if d["table_name"] in merge.table_infos(ctx.db) else None  # fmt: skip
        d["current_version"] = current["version"] if current else None
        if d["restored_version"]:
            d["state"] = "restored"
        elif current is None or current["version"] == d["winner_version"]:
            d["state"] = "open"
        else:
            d["state"] = "superseded"
        if open_only and d["state"] != "open":
            continue
        out.append(d)
    return out


def restore_conflict(ctx: AppContext, conflict_id: str) -> dict[str, Any]:
    """Put a losing version back as a new local edit (it then syncs like any change).

    Only the site that owns the row can do it; others are told whom to ask.
    """
    site = ctx.require_site()
    rec = ctx.db.one("SELECT * FROM sync_conflict WHERE id = ?", (conflict_id,))
    if rec is None:
        raise UserError(
            f"Không có xung đột mã {conflict_id}.", f"No conflict with id {conflict_id}."
        )
    loser = json.loads(rec["loser_row"])
    table, row_id = rec["table_name"], rec["row_id"]
    if not merge.may_send(site.id, site.role, {**loser, "version": f"x-{site.id}"}):
        raise UserError(
            "Chỉ máy sở hữu dòng dữ liệu này mới khôi phục được phiên bản cũ; hãy báo cho "
            "đơn vị đã nhập dữ liệu.",
            "Only the site that owns this row can restore the old version; ask the unit "
            "that entered it.",
        )
    changes = {k: v for k, v in loser.items() if k not in store_rows.SYSTEM_COLUMNS}
    with ctx.db.transaction():
        current = ctx.db.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        if current is None:
            values = {k: v for k, v in changes.items()}
            other = merge._collision(ctx.db, merge.table_infos(ctx.db)[table], loser)
            if other is not None:
                raise UserError(
                    "Dòng đang giữ chỗ (cùng mã, cùng kỳ) phải được xóa trước; đã không đổi gì.",
                    "The row holding the same natural key must be removed first; nothing changed.",
                )
            store_rows.insert(ctx.db, table, values, row_id=row_id, owner_site=loser["owner_site"])
            if loser["deleted"]:
                store_rows.tombstone(ctx.db, table, row_id)
        else:
            if loser["deleted"] and not current["deleted"]:
                store_rows.tombstone(ctx.db, table, row_id)
            elif not loser["deleted"] and current["deleted"]:
                store_rows.restore(ctx.db, table, row_id)
            store_rows.update(ctx.db, table, row_id, changes)
        version = ctx.db.scalar(f"SELECT version FROM {table} WHERE id = ?", (row_id,))
        ctx.db.con.execute(
            "UPDATE sync_conflict SET restored_version = ? WHERE id = ?", (version, conflict_id)
        )
    return {"table": table, "row_id": row_id, "version": version}


# -- history and warnings --------------------------------------------------------------


def history(ctx: AppContext, limit: int = 200) -> list[dict[str, Any]]:
    """Packages sent (``out``) and received (``in``), newest first, with peer names
    (``peer_name``: the other side's unit, also for a package sent to a commune whose PC
    has not sent anything yet)."""
    site = ctx.require_site()
    out = []
    for r in ctx.db.query(
        "SELECT p.*, coalesce(s.unit_name, '') AS peer_name FROM sync_package p "
        "LEFT JOIN sync_peer s ON s.site_id = p.peer_site ORDER BY p.done_at DESC, p.seq DESC "
        "LIMIT ?",
        (limit,),
    ):
        d = dict(r)
        d["counts"] = json.loads(d["counts"])
        d["summary"] = json.loads(d["summary"])
        if not d["peer_name"] and d["direction"] == "out":
            d["peer_name"] = _receiver_name(
                ctx, site, {"unit_code": (d["summary"] or {}).get("unit")}
            )
        out.append(d)
    return out


def _days_since(iso: str | None, today: date) -> int | None:
    if not iso:
        return None
    return (today - date.fromisoformat(iso[:10])).days


def silence_warnings(ctx: AppContext, days: int = SILENCE_DAYS) -> list[dict[str, Any]]:
    """Communes silent for more than ``days``: at the office, each enrolled commune whose
    newest package is older; at a commune, when it has sent nothing for that long."""
    site = ctx.require_site()
    today = ctx.today()
    out = []
    if site.is_district:
        for p in ctx.db.query(
            "SELECT * FROM sync_peer WHERE role = 'commune' AND status = 'trusted' "
            "ORDER BY unit_code"
        ):
            age = _days_since(p["last_package_at"], today)
            if age is None or age > days:
                out.append({
                    "site_id": p["site_id"], "unit_code": p["unit_code"],
                    "unit_name": p["unit_name"], "days": age,
                    "vi": f"{p['unit_name']} chưa gửi gói nào trong {age or 'nhiều'} ngày qua.",
                    "en": f"{p['unit_name']} has sent nothing for {age or 'many'} days.",
                })  # fmt: skip
    else:
        last = ctx.db.scalar("SELECT max(created_at) FROM sync_package WHERE direction = 'out'")
        age = _days_since(last, today)
        if age is None or age > days:
            out.append({
                "site_id": site.id, "unit_code": site.unit_code, "unit_name": site.unit_name,
                "days": age,
                "vi": "Đã hơn 35 ngày chưa gửi dữ liệu lên cơ quan giám sát. Hãy xuất gói ra USB."
                if age is not None else "Chưa gửi dữ liệu lên cơ quan giám sát lần nào.",
                "en": "Nothing sent to the supervising office for over 35 days. Export a package."
                if age is not None else "Nothing has been sent to the supervising office yet.",
            })  # fmt: skip
    return out


# -- removable drives ------------------------------------------------------------------


def removable_drives() -> list[dict[str, str]]:
    """USB sticks and other removable drives to offer as export/import folders.

    Windows: drive letters whose type is DRIVE_REMOVABLE (GetDriveTypeW == 2). Linux: the
    folders mounted under ``/media/<user>/`` and ``/run/media/<user>/``.
    """
    found: list[dict[str, str]] = []
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes
        import string

        kernel32 = ctypes.windll.kernel32
        mask = kernel32.GetLogicalDrives()
        for i, letter in enumerate(string.ascii_uppercase):
            if mask & (1 << i):
                root = f"{letter}:\\"
                if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == 2:
                    found.append({"path": root, "label": root})
        return found
    for base in (Path("/media"), Path("/run/media")):
        with contextlib.suppress(OSError):
            for user_dir in sorted(base.iterdir()):
                with contextlib.suppress(OSError):
                    for mount in sorted(user_dir.iterdir()):
                        if mount.is_dir():
                            found.append({"path": str(mount), "label": mount.name})
    return found
