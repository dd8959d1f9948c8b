"""Export: what each receiver gets (a commune's package for its office; the office's package
per commune, and restore packages) and writing the signed files safely."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from papi_desktop import __version__
from papi_desktop.domain.task_levels import OFFICE_UNIT
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.services.demo import is_demo_folder
from papi_desktop.services.sync.common import (
    SETTING_SEQ,
    Progress,
    _check_cancel,
    _report,
    _unit_label,
)
from papi_desktop.services.sync.peers import (
    _province_communes,
    _trusted_acks,
    ensure_identity,
    supervisor,
)
from papi_desktop.store import sync_state
from papi_desktop.store.attachments import blob_path, sha256_file
from papi_desktop.store.db import schema_version
from papi_desktop.sync import authorize, identity, merge, ownership
from papi_desktop.sync import package as pkgmod


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
    # A site sends only tables it may own (a commune's local catalogue edits stay local).
    mine = ownership.exportable_tables(site.role)
    for table in infos:
        if table not in mine:
            continue
        found = sync_state.rows_to_send(
            ctx.db, table, site.id, since, catalogue_edits=site.is_district
        )
        if found:
            out[table] = found
    return out


def _all_conflicts(ctx: AppContext) -> list[dict[str, Any]]:
    return sync_state.conflict_records(ctx.db, merge.CONFLICT_FIELDS)


def _commune_plan(ctx: AppContext, site: SiteInfo, full: bool) -> _Plan:
    office = supervisor(ctx)
    receiver = {
        "role": "district",
        "province_code": site.province_code,
        "site_id": office["site_id"] if office else None,
    }
    since = "" if full or office is None else office["acked_version"]
    me = ownership.Sender(site.id, site.role, site.unit_code)
    conflicts = authorize.exportable_conflicts(ctx.db, me, _all_conflicts(ctx))
    return _Plan(
        receiver, since, _owned_rows(ctx, site, since), conflicts, _trusted_acks(ctx),
        site.unit_code or site.province_code or "XX", receiver["site_id"] or "",
    )  # fmt: skip


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
            if unit == OFFICE_UNIT:
                continue  # the office's own checklist never leaves its PC
            bucket = per_unit.setdefault(unit, {}) if unit else shared
            bucket.setdefault(table, []).append(values)
    peers_by_unit: dict[str, list[dict[str, Any]]] = {}
    peer_unit: dict[str, str] = {}
    for p in sync_state.commune_pcs(db):
        if p["unit_code"]:
            peer_unit[p["site_id"]] = p["unit_code"]
            if p["status"] == "trusted":
                peers_by_unit.setdefault(p["unit_code"], []).append(p)
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
            return sync_state.unit_of(ctx.db, parent, values.get("record_id"))
    return None


def _restore_plan(ctx: AppContext, site: SiteInfo, unit: str) -> _Plan:
    if not site.is_district:
        raise UserError(
            "Chỉ cơ quan giám sát mới xuất được gói trả dữ liệu cho một xã.",
            "Only the supervising office can export a restore package for a commune.",
        )
    sites = sync_state.commune_pcs(ctx.db, unit, newest_first=True)
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
    out: dict[str, list[dict[str, Any]]] = {}
    for table in merge.table_infos(ctx.db):
        found = sync_state.rows_of_owners(ctx.db, table, owners)
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
        audit = sync_state.audit_of_sites(db, audit_sites, merge.AUDIT_FIELDS)
        sync_rows = sync_state.sync_records(db)
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
                from papi_desktop.store.db import disk_error

                disk = disk_error(exc, to_dir)
                if disk is not None:  # full or read-only: say which, not "pulled out"
                    raise UserError(disk.message_vi, disk.message_en) from exc
                raise UserError(
                    f"Không ghi được gói vào {to_dir} ({exc.strerror or exc}). USB có thể đã "
                    "bị rút hoặc đầy. Không có gì thay đổi; hãy cắm lại rồi xuất lại.",
                    f"Could not write the package to {to_dir} ({exc.strerror or exc}). The "
                    "stick may have been removed or be full. Nothing changed; retry.",
                ) from exc
            raise
        try:
            sync_state.put_sync_records(db, updates.values())
            db.set_setting(SETTING_SEQ, str(seq0 + len(written)))
            for w in written:
                m = w.manifest
                sync_state.record_package(db, {
                    "package_id": m["package_id"], "direction": "out",
                    "peer_site": w.plan.peer_site, "seq": m["seq"], "file_name": w.dest.name,
                    "sha256": w.sha256, "size": w.size, "created_at": m["created_at"],
                    "done_at": db.clock.now_iso(), "full": 1 if not w.plan.since else 0,
                    "counts": json.dumps(w.counts),
                    "summary": json.dumps({"to": str(to_dir),
                                           "unit": w.plan.receiver.get("unit_code")}),
                })  # fmt: skip
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
        "demo": is_demo_folder(ctx),  # a real installation refuses it (importer)
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
