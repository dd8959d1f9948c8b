"""Backup, restore and health check of the data folder."""

from __future__ import annotations

from pathlib import Path

from papi_desktop.clock import Clock
from papi_desktop.config import DataPaths, resolve_data_dir
from papi_desktop.services.context import AppContext
from papi_desktop.store import backup as store_backup


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
    paths.ensure()
    now = Clock().local_now()
    return store_backup.restore_file(paths.database, Path(backup_file), paths.backups, now)


def newest_good_backup(data_dir: str | None) -> Path | None:
    """The newest backup that passes validation (offered when the database is damaged)."""
    paths = DataPaths(resolve_data_dir(data_dir))
    for candidate in store_backup.list_backups(paths.backups):
        try:
            store_backup.validate_backup_file(candidate)
            return candidate
        except Exception:
            continue
    return None


def check(ctx: AppContext) -> dict:
    report = store_backup.check(ctx.db.con, ctx.paths.attachments)
    report["database"] = str(ctx.paths.database)
    report["backups"] = len(store_backup.list_backups(ctx.paths.backups))
    return report


def describe_check(report: dict, lang: str = "vi") -> str:
    vi = lang != "en"
    lines = []
    if report["ok"]:
        lines.append(
            "Dữ liệu tốt: không phát hiện lỗi." if vi else "Data is healthy: no problem found."
        )
    else:
        lines.append("PHÁT HIỆN LỖI DỮ LIỆU:" if vi else "PROBLEMS FOUND:")
    if report["integrity"] != ["ok"]:
        lines.append(
            ("- Kiểm tra toàn vẹn: " if vi else "- Integrity: ")
            + "; ".join(report["integrity"][:5])
        )
    if report["foreign_key_violations"]:
        lines.append(
            f"- {'Liên kết hỏng' if vi else 'Broken links'}: {report['foreign_key_violations']}"
        )
    for sha in report["attachments_missing"]:
        lines.append(f"- {'Thiếu tệp minh chứng' if vi else 'Missing evidence file'} {sha[:12]}…")
    for sha in report["attachments_damaged"]:
        lines.append(
            f"- {'Tệp minh chứng bị thay đổi' if vi else 'Changed evidence file'} {sha[:12]}…"
        )
    lines.append(
        (
            f"Đã kiểm tra {report['attachments_checked']} tệp minh chứng; {report['backups']} bản sao lưu."
        )
        if vi
        else f"Checked {report['attachments_checked']} evidence files; {report['backups']} backups."
    )
    if not report["ok"]:
        lines.append(
            "Hãy khôi phục bản sao lưu gần nhất: papi-desktop restore TỆP"
            if vi
            else "Restore the newest backup: papi-desktop restore FILE"
        )
    return "\n".join(lines)
