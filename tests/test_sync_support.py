"""Helpers shared by the sync tests (sites, package forging, database snapshots), with tests
showing that the snapshot used by the refusal tests does notice a change."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import zipfile
from datetime import date
from pathlib import Path

from papi_desktop.services import setup, sync
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.sync import identity
from papi_desktop.sync import package as pkgmod

KHANH_HOA = "56"
COMMUNES = ("22528", "22546", "22333")
TODAY = date(2026, 11, 20)
SYNC_DATA_TABLES = (
    "criterion", "framework", "task", "holiday", "disclosure_type", "place", "task_result",
    "attachment", "disclosure", "disclosure_place", "plan_item",
)  # fmt: skip


def make_commune(root: Path, code: str = COMMUNES[0], user: str = "Nguyễn Văn An") -> AppContext:
    ctx = AppContext(root, today=TODAY)
    setup.init_site(ctx, "commune", unit_code=code, user=user)
    return ctx


def make_district(root: Path, province: str = KHANH_HOA) -> AppContext:
    ctx = AppContext(root, today=TODAY)
    setup.init_site(
        ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa", province_code=province,
        user="Trần Thị Bình",
    )  # fmt: skip
    return ctx


def reopen(ctx: AppContext) -> AppContext:
    root = ctx.paths.root
    ctx.close()
    return AppContext(root, today=TODAY)


def add_place(ctx: AppContext, name: str) -> str:
    from papi_desktop.services import units

    site = ctx.require_site("commune")
    with ctx.db.transaction():
        stored = units.ensure_place(ctx, site.unit_code, name)
    return ctx.db.scalar(
        "SELECT id FROM place WHERE unit_code = ? AND name = ?", (site.unit_code, stored)
    )


def set_place_note(ctx: AppContext, place_id: str, order: int) -> None:
    with ctx.db.transaction():
        rows.update(ctx.db, "place", place_id, {"sort_order": order})


def export(ctx: AppContext, folder: Path, **kw) -> Path:
    """The package written (a commune's), or the folder of the office's packages."""
    folder.mkdir(parents=True, exist_ok=True)
    return sync.export_package(ctx, folder, **kw).path


def imp(ctx: AppContext, *paths: Path, trust_new: bool = True, **kw) -> list[sync.PackageReport]:
    return sync.import_packages(ctx, list(paths), trust_new=trust_new, **kw)


def only(reports: list[sync.PackageReport]) -> sync.PackageReport:
    """The one package of an import meant for this PC (others in the folder were skipped)."""
    kept = [r for r in reports if r.status != "skipped"]
    assert len(kept) == 1, [(r.file, r.status, r.reason) for r in reports]
    return kept[0]


def applied(reports: list[sync.PackageReport]) -> sync.PackageReport:
    rep = only(reports)
    assert rep.status == "applied", (rep.reason, rep.message_en)
    return rep


def table_rows(ctx: AppContext, owners: set[str] | None = None) -> dict[str, list[tuple]]:
    """Every synced table's rows (optionally only some owners), sorted, for comparisons."""
    from papi_desktop.store.hlc import CATALOG_VERSION

    out = {}
    for t in SYNC_DATA_TABLES:
        cols = [r["name"] for r in ctx.db.query(f"PRAGMA table_info({t})")]
        at, owner = cols.index("updated_at"), cols.index("owner_site")
        found = []
        for r in ctx.db.query(f"SELECT * FROM {t} ORDER BY id"):
            r = list(r)
            if r[cols.index("version")] == CATALOG_VERSION:
                r[at] = ""  # load time of the shipped catalogue on that PC; never synced
            if owners is None or r[owner] in owners:
                found.append(tuple(r))
        out[t] = found
    return out


def conflict_ids(ctx: AppContext, owners: set[str] | None = None) -> set[str]:
    out = set()
    for r in ctx.db.query("SELECT id, loser_row FROM sync_conflict"):
        if owners is None or json.loads(r["loser_row"])["owner_site"] in owners:
            out.add(r["id"])
    return out


def snapshot(db_file: Path) -> tuple[str, str]:
    """(sha256 of the closed database file, logical dump) — taken from a copy, so looking
    never changes the file."""
    assert (
        not Path(str(db_file) + "-wal").exists() or Path(str(db_file) + "-wal").stat().st_size == 0
    )
    raw = Path(db_file).read_bytes()
    copy = Path(str(db_file) + ".snapshot-copy")
    copy.write_bytes(raw)
    try:
        con = sqlite3.connect(copy)
        dump = "\n".join(con.iterdump())
        con.close()
    finally:
        copy.unlink(missing_ok=True)
    return hashlib.sha256(raw).hexdigest(), dump


def integrity(db_file: Path) -> str:
    con = sqlite3.connect(db_file)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def forge(
    src: Path,
    dest: Path,
    *,
    manifest=None,
    lines=None,
    extra: dict[str, bytes] | None = None,
    drop: tuple[str, ...] = (),
    keys: tuple[Path, str] | None = None,
    sign_with=None,
) -> Path:
    """Rebuild a package with changes and a fresh (valid) signature by ``keys`` (the real
    sender's key folder and site id), so a test reaches the check it is aimed at."""
    with zipfile.ZipFile(src) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    m = json.loads(members[pkgmod.MANIFEST])
    rows_lines = [json.loads(x) for x in members[pkgmod.ROWS].decode().splitlines() if x]
    if lines:
        rows_lines = lines(rows_lines)
        members[pkgmod.ROWS] = ("\n".join(json.dumps(x, ensure_ascii=False) for x in rows_lines)
                                + "\n").encode()  # fmt: skip
    m["members"][pkgmod.ROWS] = {
        "sha256": hashlib.sha256(members[pkgmod.ROWS]).hexdigest(),
        "size": len(members[pkgmod.ROWS]),
    }
    if manifest:
        manifest(m)
    mbytes = pkgmod.encode_manifest(m)
    sig = sign_with(mbytes) if sign_with is not None else identity.sign(keys[0], keys[1], mbytes)
    members[pkgmod.MANIFEST] = mbytes
    members[pkgmod.SIGNATURE] = sig
    for name in drop:
        members.pop(name, None)
    members.update(extra or {})
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def row_line(table: str, values: dict, ancestry: list[str] | None = None) -> dict:
    return {"k": "row", "t": table, "r": values, "a": ancestry or []}


def signed_package(
    sender: AppContext,
    folder: Path,
    lines: list[dict],
    *,
    receiver: dict | None = None,
    edit=None,
    blobs: dict[str, Path] | None = None,
) -> Path:
    """A package of arbitrary ``lines`` (rows, audit, conflicts) written and signed by the
    real package writer with ``sender``'s real key, as a buggy or compromised PC could."""
    import uuid
    from collections import Counter

    site = sender.require_site()
    ident = sync.ensure_identity(sender)
    counts = dict(Counter(x["t"] for x in lines if x["k"] == "row"))
    counts["audit"] = sum(1 for x in lines if x["k"] == "audit")
    counts["conflicts"] = sum(1 for x in lines if x["k"] == "conflict")
    if receiver is None:
        receiver = {"role": "district", "province_code": site.province_code, "site_id": None}
    manifest = {
        "format": pkgmod.FORMAT_NAME, "format_version": pkgmod.FORMAT_VERSION,
        "package_id": str(uuid.uuid4()), "kind": "data", "restore_sites": [],
        "sender": {"site_id": site.id, "role": site.role, "unit_code": site.unit_code,
                   "unit_name": site.unit_name, "province_code": site.province_code,
                   "province_name": site.province_name, "public_key": ident["public_key"]},
        "receiver": receiver, "seq": 90 + len(list(folder.glob("*"))) if folder.exists() else 90,
        "created_at": "2026-11-20T08:00:00Z", "clock": "", "app_version": "test",
        "schema_version": 4, "since": "", "full": True, "max_version": "", "acks": {},
        "counts": counts, "missing_attachments": [],
    }  # fmt: skip
    folder.mkdir(parents=True, exist_ok=True)
    rows_bytes = "".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines).encode()
    dest = folder / pkgmod.package_name(site.unit_code or site.province_code, "20261120-0800",
                                        manifest["seq"])  # fmt: skip
    sign = lambda data: identity.sign(sender.paths.keys, site.id, data)  # noqa: E731
    if edit is None:
        pkgmod.write_package(dest, manifest, rows_bytes, blobs or {}, sign)
        return dest
    # A manifest the real writer would refuse to read back: written, then re-signed edited.
    honest = pkgmod.write_package(folder / ("honest-" + dest.name), manifest, rows_bytes,
                                  blobs or {}, sign).path  # fmt: skip
    forge(honest, dest, manifest=edit, sign_with=sign)
    honest.unlink()
    return dest


def copy_tree(src: Path, dest: Path) -> None:
    shutil.copytree(src, dest)


# -- tests of the helpers themselves -----------------------------------------------------


def test_snapshot_notices_a_change(tmp_path):
    ctx = make_commune(tmp_path / "c")
    db_file = ctx.paths.database
    ctx.close()
    before = snapshot(db_file)
    assert snapshot(db_file) == before
    ctx = AppContext(tmp_path / "c", today=TODAY)
    add_place(ctx, "Thôn Mới")
    ctx.close()
    after = snapshot(db_file)
    assert after[0] != before[0] and after[1] != before[1]


def test_open_and_close_without_writing_keeps_the_file_identical(tmp_path):
    ctx = make_commune(tmp_path / "c")
    db_file = ctx.paths.database
    ctx.close()
    before = snapshot(db_file)
    AppContext(tmp_path / "c", today=TODAY).close()
    assert snapshot(db_file) == before
