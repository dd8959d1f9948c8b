"""Import: check each package (on the stick first, then a local copy), authorize every row, then
apply it in one transaction; a folder is imported package by package."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.services.demo import is_demo_folder
from papi_desktop.services.sync.authorization import _admit, _describe, _refusal_report, _refused
from papi_desktop.services.sync.common import (
    PackageReport,
    Progress,
    _check_cancel,
    _mkdir,
    _report,
    log,
)
from papi_desktop.services.sync.peers import _peer
from papi_desktop.store import sync_state
from papi_desktop.store.attachments import blob_path, store_file
from papi_desktop.store.backup import BACKUP_PREFIX, BACKUP_SUFFIX, backup_to
from papi_desktop.sync import authorize, identity, merge, ownership
from papi_desktop.sync import package as pkgmod
from papi_desktop.sync.package import PackageRefused

# Databases already backed up before an import during this run of the program.
_backed_up: set[str] = set()


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


@dataclass
class _Prepared:
    pkg: pkgmod.Package
    incoming: merge.Incoming
    known: dict[str, Any] | None
    new_blobs: list[str]
    sender: ownership.Sender


def _prepare(
    ctx: AppContext,
    site: SiteInfo,
    pkg: pkgmod.Package,
    known: dict[str, Any] | None,
    sender: ownership.Sender,
    rep: PackageReport,
) -> _Prepared:
    m = pkg.manifest
    s = m["sender"]
    if m.get("demo") and not is_demo_folder(ctx):
        # Demo rows never reach real data (a demo office takes demo communes' packages).
        detail = "Package from a demo data folder."
        raise PackageRefused("demo", detail, detail)
    restore_for = None
    if m.get("kind") == "restore":
        restore_for = (set(sender.restore_owners), site.unit_code)
    incoming = merge.validate(ctx.db, pkg.lines, sender_site=s["site_id"], restore_for=restore_for)
    authorize.check_rows(ctx.db, sender, [(r.table, r.values) for r in incoming.rows], here=site.id)
    authorize.check_audit(((r.table, r.id) for r in incoming.rows), incoming.audit)
    if site.is_commune:
        merge.set_aside_foreign(incoming, site.id, s["site_id"], site.unit_code)
    authorize.check_conflicts(
        ctx.db, sender, incoming.conflicts, here=site.id, here_unit=site.unit_code
    )
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
    return _Prepared(pkg, incoming, known, sorted(set(new_blobs)), sender)


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
    replace: bool,
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
                sync_state.retire_trusted(db, "district")
            elif replace:  # the commune's new PC: the old one's later packages are refused
                sync_state.retire_trusted(db, "commune", prep.sender.unit_code)
            sync_state.add_peer(db, {
                "site_id": s["site_id"], "role": s["role"], "unit_code": s.get("unit_code"),
                "unit_name": prep.sender.name, "province_code": s.get("province_code"),
                "public_key": s["public_key"], "fingerprint": identity.fingerprint(s["public_key"]),
                "status": "trusted", "enrolled_at": now,
            })  # fmt: skip
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
        office_name = s["role"] == "district" and s.get("unit_name")
        sync_state.note_import(
            db, s["site_id"], unit_name=office_name or peer["unit_name"], seq=m["seq"],
            created_at=m["created_at"], now=now, seen=seen, acked=acked, acked_seq=acked_seq,
        )  # fmt: skip
        sync_state.record_package(db, {
            "package_id": pkg.package_id, "direction": "in", "peer_site": s["site_id"],
            "seq": m["seq"], "file_name": pkg.path.name.removesuffix(".incoming"),
            "sha256": pkg.sha256, "size": pkg.size, "created_at": m["created_at"],
            "done_at": now, "full": 1 if m.get("full") else 0,
            "counts": json.dumps(m.get("counts") or {}), "summary": json.dumps(summary.as_dict()),
        })  # fmt: skip
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
    replace: bool = False,
) -> list[PackageReport]:
    """Check, then (unless ``dry_run``) apply each package; one ``PackageReport`` per file.

    A package is refused (status ``refused``, database untouched) when damaged, unsigned, from
    an unknown sender (unless ``trust_new``), for another unit, newer in format, or carrying
    data this version does not know; also when the sender — a trusted PC — tries to write
    what it does not own (``sync.ownership``: another unit's rows, the office's rows, another
    site's row or natural key, a planted conflict), claims another unit than the one it was
    enrolled for, is a second PC of an enrolled commune (unless ``replace``, which retires the
    old PC), breaks a limit, or has a malformed manifest. Trust and the manifest are checked
    on the stick before anything is copied or parsed. In a ``batch`` (default: a folder, or
    several paths) a well-formed package (signature and hashes check out against its own
    key) addressed to another unit or PC, to the other side, to another province, or exported
    by this PC, gets status ``skipped`` instead, whoever sent it: nothing from it is stored. A stick that
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
        manifest: dict[str, Any] | None = None
        base = n / len(files)
        _report(progress, base, f"Đang kiểm tra {file.name}…")
        rep = PackageReport(file=str(file), status="refused")
        reports.append(rep)
        work = Path(tempfile.mkdtemp(prefix=".work-", dir=_mkdir(work_root)))
        try:
            if not file.is_file():
                detail = f"File {file} not found."
                raise _refused("unreadable", detail, detail, plain="not_found")
            head, head_bytes = pkgmod.read_head(file)  # on the stick: nothing copied yet
            if sync_state.package_known(ctx.db, head["package_id"]):
                # Still verified whole (nothing extracted): a damaged copy says so.
                local, digest = pkgmod.copy_to_local(file, work)
                pkgmod.read_package(local, None, expected_manifest=head_bytes, sha256=digest)
                _describe(rep, head)
                rep.sender.pop("province_code", None)
                rep.sender.pop("fingerprint", None)
                rep.created_at = ""
                rep.status = "already_imported"
                rep.message_vi = "Gói này đã được nhập trước đó; không có gì thay đổi."
                rep.message_en = "This package was already imported; nothing changed."
                continue
            manifest = head
            known, sender = _admit(ctx, site, head, trust_new, replace, rep)
            local, digest = pkgmod.copy_to_local(file, work)
            pkg = pkgmod.read_package(local, work, expected_manifest=head_bytes, sha256=digest)
            # Rows parsed, attachments extracted: drop the copy now, so the flush that makes
            # the evidence files durable does not also write this soon-deleted file.
            local.unlink(missing_ok=True)
            prep = _prepare(ctx, site, pkg, known, sender, rep)
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

            summary = _apply(ctx, site, prep, replace, hook)
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
            _refusal_report(ctx, site, file, exc, rep, manifest, batch)
        except sqlite3.IntegrityError as exc:
            detail = f"The package's data violates a constraint ({exc}); rolled back."
            _refusal_report(
                ctx, site, file, PackageRefused("schema", detail, detail), rep, manifest, batch
            )
        except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
            # Data shaped in a way no check foresaw: this package is refused (rolled back),
            # the traceback goes to the log, and a folder import goes on with the next one.
            log.exception("sync: unexpected content in %s", file.name)
            detail = f"Unexpected package content ({type(exc).__name__}: {exc}); rolled back."
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
    replace: bool = False,
) -> list[PackageReport]:
    """What importing would do (new / updated / conflicts / ignored / attachments per package),
    without changing anything. An unknown sender gives ``refused`` with ``needs_trust`` and the
    fingerprint to confirm, unless ``trust_new``."""
    return import_packages(
        ctx,
        paths,
        dry_run=True,
        trust_new=trust_new,
        progress=progress,
        cancel=cancel,
        replace=replace,
    )
