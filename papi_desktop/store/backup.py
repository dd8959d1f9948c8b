"""Backups (SQLite online backup API), restore with a safety copy, and health checks."""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

from papi_desktop.clock import Clock
from papi_desktop.errors import StorageError, UserError
from papi_desktop.store import schema
from papi_desktop.store.attachments import blob_path, sha256_file

BACKUP_PREFIX = "papi-"
BACKUP_SUFFIX = ".sqlite3"
KEEP_DAILY = 30


def backup_to(con: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the open database to ``dest`` (atomically)."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".partial")
    tmp.unlink(missing_ok=True)
    target = sqlite3.connect(tmp)
    try:
        con.backup(target)
        target.execute("PRAGMA journal_mode = DELETE")
    finally:
        target.close()
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, dest)
    return dest


def list_backups(backups_dir: Path) -> list[Path]:
    """Backups, newest first."""
    if not backups_dir.exists():
        return []
    files = [
        p
        for p in backups_dir.iterdir()
        if p.name.startswith(BACKUP_PREFIX) and p.name.endswith(BACKUP_SUFFIX)
    ]
    return sorted(files, key=lambda p: p.name, reverse=True)


def daily_backup(con: sqlite3.Connection, backups_dir: Path, today: date) -> Path | None:
    """On the first open of a day, back up and keep the newest ``KEEP_DAILY`` daily copies."""
    name = f"{BACKUP_PREFIX}{today.isoformat()}-auto{BACKUP_SUFFIX}"
    if any(
        p.name.startswith(f"{BACKUP_PREFIX}{today.isoformat()}") for p in list_backups(backups_dir)
    ):
        return None
    path = backup_to(con, backups_dir / name)
    autos = [p for p in list_backups(backups_dir) if p.name.endswith(f"-auto{BACKUP_SUFFIX}")]
    for old in autos[KEEP_DAILY:]:
        old.unlink(missing_ok=True)
    return path


def manual_backup_name(now: datetime) -> str:
    return f"{BACKUP_PREFIX}{now:%Y-%m-%d-%H%M%S}-manual{BACKUP_SUFFIX}"


def validate_backup_file(path: Path) -> int:
    """Check that ``path`` is a healthy PAPI Desktop database; return its schema version."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu {path}.", f"Backup file {path} not found.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            version = con.execute("PRAGMA user_version").fetchone()[0]
            has_site = con.execute(
                "SELECT count(*) FROM sqlite_master WHERE type='table' AND name='site'"
            ).fetchone()[0]
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        raise UserError(
            f"Tệp {path.name} không phải bản sao lưu PAPI Desktop hợp lệ ({exc}). "
            "Hãy chọn tệp khác trong thư mục backups.",
            f"{path.name} is not a valid PAPI Desktop backup ({exc}).",
        ) from exc
    if ok != "ok" or not has_site:
        raise UserError(
            f"Tệp {path.name} bị hỏng hoặc không phải bản sao lưu PAPI Desktop. "
            "Hãy chọn bản sao lưu khác.",
            f"{path.name} is damaged or not a PAPI Desktop backup.",
        )
    if version > schema.LATEST_VERSION:
        raise UserError(
            f"Bản sao lưu {path.name} do phiên bản phần mềm mới hơn tạo ra. "
            "Hãy cập nhật PAPI Desktop trước khi khôi phục.",
            f"Backup {path.name} was made by a newer PAPI Desktop; update first.",
        )
    return int(version)


def restore_file(
    db_path: Path, backup: Path, backups_dir: Path, now: datetime | None = None
) -> Path | None:
    """Replace the database with ``backup``; the current file is kept as a safety copy.

    The caller must have closed every connection to ``db_path``. Returns the safety copy.
    """
    validate_backup_file(backup)
    now = now or Clock().local_now()
    safety = None
    if db_path.exists():
        safety = backups_dir / f"{BACKUP_PREFIX}{now:%Y-%m-%d-%H%M%S}-before-restore{BACKUP_SUFFIX}"
        try:
            src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            try:
                backup_to(src, safety)
            finally:
                src.close()
        except sqlite3.DatabaseError:
            # The current file is damaged: keep its raw bytes instead.
            backups_dir.mkdir(parents=True, exist_ok=True)
            shutil.copy2(db_path, safety.with_suffix(".damaged"))
            safety = safety.with_suffix(".damaged")
    tmp = db_path.with_name(db_path.name + ".restoring")
    shutil.copy2(backup, tmp)
    with open(tmp, "rb") as fh:
        os.fsync(fh.fileno())
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.remove(str(db_path) + suffix)
    os.replace(tmp, db_path)
    return safety


def check(con: sqlite3.Connection, attachments_root: Path) -> dict:
    """Integrity and foreign-key checks plus attachment hashes; a report dict with ``ok``."""
    integrity = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    fk = [tuple(r) for r in con.execute("PRAGMA foreign_key_check").fetchall()]
    missing, damaged, checked = [], [], 0
    for (sha,) in con.execute("SELECT DISTINCT sha256 FROM attachment WHERE deleted = 0"):
        checked += 1
        path = blob_path(attachments_root, sha)
        if not path.exists():
            missing.append(sha)
        elif sha256_file(path) != sha:
            damaged.append(sha)
    ok = integrity == ["ok"] and not fk and not missing and not damaged
    return {
        "ok": ok,
        "integrity": integrity,
        "foreign_key_violations": len(fk),
        "attachments_checked": checked,
        "attachments_missing": missing,
        "attachments_damaged": damaged,
    }


def ensure_writable(folder: Path) -> None:
    """Raise StorageError when the data folder cannot be created or written."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        raise StorageError(
            f"Không ghi được vào thư mục dữ liệu {folder} ({exc.strerror or exc}). "
            "Hãy chọn thư mục khác bằng --data-dir hoặc giải phóng dung lượng ổ đĩa.",
            f"Cannot write to the data folder {folder} ({exc.strerror or exc}). "
            "Choose another folder with --data-dir or free disk space.",
        ) from exc
