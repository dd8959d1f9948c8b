"""Backup, restore and health check of the data folder."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from papi_desktop.clock import Clock
from papi_desktop.config import DataPaths, resolve_data_dir
from papi_desktop.errors import StorageError
from papi_desktop.services.context import AppContext
from papi_desktop.store import backup as store_backup
from papi_desktop.store.db import storage_error


def backup(ctx: AppContext, dest: Path | None = None) -> Path:
    """A manual backup to ``dest`` (default: the backups folder); returns the file."""
    name = store_backup.manual_backup_name(ctx.clock.local_now())
    dest = dest or ctx.paths.backups / name
    if dest.is_dir():
        dest = dest / name
    return store_backup.backup_to(ctx.db.con, dest)


def list_backups(ctx: AppContext) -> list[Path]:
    return store_backup.list_backups(ctx.paths.backups)


def restore(data_dir: str | None, backup_file: Path) -> Path | None:
    """Replace the data folder's database with a backup, keeping a safety copy.

    Works even when the current database is damaged and cannot be opened.
    """
    paths = DataPaths(resolve_data_dir(data_dir))
    try:
        paths.ensure()
    except OSError as exc:
        raise storage_error(exc, paths.backups) from exc
    now = Clock().local_now()
    return store_backup.restore_file(paths.database, Path(backup_file), paths.backups, now)


def disk_problem(exc: OSError) -> StorageError | None:
    """The plain message for a full or read-only disk met while writing ``exc.filename``
    (None for other errors); the window shows it instead of a generic file error."""
    from papi_desktop.store.db import disk_error

    return disk_error(exc, Path(exc.filename)) if exc.filename else None


def newest_good_backup(data_dir: str | None) -> Path | None:
    """The newest backup that passes validation (offered when the database is damaged)."""
    return store_backup.newest_good(DataPaths(resolve_data_dir(data_dir)).backups)


def check(ctx: AppContext) -> dict:
    """The health report of the open data folder (see ``store.backup.check``), with the
    newest good backup when the database is damaged and, for each bad evidence file, its
    name, the record it belongs to and where a copy may be."""
    report = store_backup.check(ctx.db.con, ctx.paths.attachments)
    report["database"] = str(ctx.paths.database)
    report["backups"] = len(store_backup.list_backups(ctx.paths.backups))
    report["newest_good_backup"] = None
    if not report["database_ok"]:
        good = newest_good_backup(str(ctx.paths.root))
        report["newest_good_backup"] = str(good) if good else None
    problems = []
    for kind, shas in (("missing", report["attachments_missing"]),
                       ("damaged", report["attachments_damaged"])):  # fmt: skip
        for sha in shas:
            problems.append({"sha256": sha, "problem": kind, **_evidence_facts(ctx, sha)})
    report["evidence_problems"] = problems
    return report


def damaged_report(data_dir: str | None, error: StorageError) -> dict:
    """The health report of a database too damaged to open."""
    paths = DataPaths(resolve_data_dir(data_dir))
    good = newest_good_backup(data_dir)
    return {
        "ok": False,
        "database_ok": False,
        "integrity": [error.message("en")],
        "problem_vi": error.message("vi"),
        "problem_en": error.message("en"),
        "schema_problems": {},
        "schema_problems_vi": "",
        "schema_problems_en": "",
        "foreign_key_violations": 0,
        "attachments_checked": 0,
        "attachments_missing": [],
        "attachments_damaged": [],
        "database": str(paths.database),
        "backups": len(store_backup.list_backups(paths.backups)),
        "newest_good_backup": str(good) if good else None,
        "evidence_problems": [],
    }


def _evidence_facts(ctx: AppContext, sha: str) -> dict:
    from papi_desktop.store.attachments import blob_path

    row = _attachment_row(ctx, sha)
    vi, en = evidence_copy_hint(ctx, sha)
    return {
        "file_name": row["file_name"] if row else "",
        "record": f"{row['record_table']}:{row['record_id']}" if row else "",
        "path": str(blob_path(ctx.paths.attachments, sha)),
        "copy_vi": vi,
        "copy_en": en,
    }


def evidence_name(ctx: AppContext, sha: str) -> str:
    """“file name” (first hash digits…) of a stored evidence file, for messages."""
    row = _attachment_row(ctx, sha)
    return f"“{row['file_name']}” ({sha[:12]}…)" if row else f"{sha[:12]}…"


def _attachment_row(ctx: AppContext, sha: str):
    try:
        return ctx.db.one(
            "SELECT file_name, record_table, record_id, owner_site, updated_at FROM attachment "
            "WHERE sha256 = ? AND deleted = 0 ORDER BY updated_at LIMIT 1",
            (sha,),
        )
    except sqlite3.DatabaseError:
        return None


def evidence_copy_hint(ctx: AppContext, sha: str) -> tuple[str, str]:
    """Where a copy of a missing or damaged evidence file may be (vi, en). Database
    backups hold no evidence files, so the answer is the PC that sent it, the supervising
    office when it was sent there, or the original."""
    row = _attachment_row(ctx, sha)
    site = ctx.site
    if row is None or site is None:
        return ("Hãy đính kèm lại tệp từ bản gốc.", "Attach the file again from the original.")
    if row["owner_site"] != site.id:
        peer = ctx.db.one("SELECT unit_name FROM sync_peer WHERE site_id = ?", (row["owner_site"],))
        who = peer["unit_name"] if peer and peer["unit_name"] else None
        return (
            f"Máy đã gửi tệp này{f' ({who})' if who else ''} còn bản gốc: hãy nhờ gửi lại gói "
            "đầy đủ (sync export --full).",
            f"The PC that sent this file{f' ({who})' if who else ''} has the original: ask it "
            "for a full package (sync export --full).",
        )
    sent = ctx.db.one(
        "SELECT done_at FROM sync_package WHERE direction = 'out' AND done_at >= ? "
        "ORDER BY done_at LIMIT 1",
        (row["updated_at"],),
    )
    if sent is not None:
        from datetime import date

        from papi_desktop.domain.dates import format_date

        day = format_date(date.fromisoformat(sent["done_at"][:10]))
        office = f" ({site.supervisor_label})" if site.supervisor_label else ""
        return (
            f"Tệp đã được gửi trong gói đồng bộ ngày {day}: cơ quan giám sát{office} có bản "
            "sao, hãy xin lại; hoặc đính kèm lại từ bản gốc.",
            f"The file went out in the sync package of {day}: the supervising office{office} "
            "has a copy, ask for it; or attach the original again.",
        )
    return (
        "Tệp chưa được gửi đi nên cơ quan giám sát không có bản sao; hãy đính kèm lại từ bản "
        "gốc (ảnh chụp, bản scan).",
        "The file was never sent, so the office has no copy; attach it again from the "
        "original (photo, scan).",
    )


def describe_check(report: dict, lang: str = "vi") -> str:
    vi = lang != "en"
    lines = []
    if report["ok"]:
        lines.append(
            "Dữ liệu tốt: không phát hiện lỗi." if vi else "Data is healthy: no problem found."
        )
    else:
        lines.append("PHÁT HIỆN LỖI DỮ LIỆU:" if vi else "PROBLEMS FOUND:")
    if report.get("problem_vi"):  # too damaged to open: the one plain line says why
        lines.append("- " + (report["problem_vi"] if vi else report["problem_en"]))
    elif report["integrity"] != ["ok"]:
        lines.append(
            ("- Kiểm tra toàn vẹn: " if vi else "- Integrity: ")
            + "; ".join(report["integrity"][:5])
        )
    if report.get("schema_problems"):
        lines.append(
            f"- Cấu trúc dữ liệu lạ ({report['schema_problems_vi']}): tệp dữ liệu bị sửa đổi "
            "hoặc hỏng"
            if vi
            else f"- Unexpected data structure ({report['schema_problems_en']}): the data "
            "file was altered or is damaged"
        )
    if report["foreign_key_violations"]:
        lines.append(
            f"- {'Liên kết hỏng' if vi else 'Broken links'}: {report['foreign_key_violations']}"
        )
    for e in report.get("evidence_problems", []):
        name = f"“{e['file_name']}”" if e["file_name"] else e["sha256"][:12] + "…"
        if e["problem"] == "missing":
            what = "Thiếu tệp minh chứng" if vi else "Missing evidence file"
        else:
            what = "Tệp minh chứng bị thay đổi/hỏng" if vi else "Changed or damaged evidence file"
        lines.append(f"- {what} {name} ({e['path']}). {e['copy_vi'] if vi else e['copy_en']}")
    lines.append(
        (
            f"Đã kiểm tra {report['attachments_checked']} tệp minh chứng; {report['backups']} bản sao lưu."
        )
        if vi
        else f"Checked {report['attachments_checked']} evidence files; {report['backups']} backups."
    )
    if not report["database_ok"]:
        good = report.get("newest_good_backup")
        if good:
            lines.append(
                f'Hãy khôi phục bản sao lưu tốt gần nhất: papi-desktop restore "{good}"'
                if vi
                else f'Restore the newest good backup: papi-desktop restore "{good}"'
            )
        else:
            lines.append(
                "Không có bản sao lưu tốt trong thư mục backups; hãy khôi phục từ bản sao lưu "
                "trên USB: papi-desktop restore TỆP"
                if vi
                else "No good backup in the backups folder; restore one from a USB stick: "
                "papi-desktop restore FILE"
            )
    return "\n".join(lines)
