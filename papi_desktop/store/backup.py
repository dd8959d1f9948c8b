"""Backups (SQLite online backup API), restore with a safety copy, and health checks."""

from __future__ import annotations

import contextlib
import logging
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

log = logging.getLogger("papi_desktop.store")


def _discard(path: Path) -> None:
    """Remove a file of ours if it is there (quietly: a read-only disk refuses even that)."""
    with contextlib.suppress(OSError):
        path.unlink()


def _remove_partial(tmp: Path) -> None:
    for leftover in (tmp, tmp.with_name(tmp.name + "-journal")):
        with contextlib.suppress(OSError):
            leftover.unlink()


def backup_to(con: sqlite3.Connection, dest: Path) -> Path:
    """Write a consistent copy of the open database to ``dest`` (atomically).

    A full or read-only disk raises StorageError naming the folder, and leaves neither the
    ``.partial`` file nor its ``-journal`` behind.
    """
    from papi_desktop.store.db import storage_error

    dest = Path(dest)
    tmp = dest.with_name(dest.name + ".partial")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        _remove_partial(tmp)
        open(tmp, "wb").close()  # a read-only disk fails here with its real errno
        target = sqlite3.connect(tmp)
        try:
            con.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
    except (OSError, sqlite3.Error) as exc:
        _remove_partial(tmp)
        raise storage_error(exc, dest) from exc
    return dest


LEFTOVER_AGE_S = 600  # younger leftovers may belong to a run still going in another window


def _fs_now(root: Path) -> float | None:
    """The file system's idea of now (the mtime of a fresh probe file), or None."""
    probe = root / ".leftover-probe"
    try:
        probe.write_bytes(b"")
        return probe.stat().st_mtime
    except OSError:
        return None
    finally:
        with contextlib.suppress(OSError):
            probe.unlink()


def remove_leftovers(root: Path) -> list[Path]:
    """Delete what killed runs leave behind: ``backups/*.partial`` (and their journals),
    ``inbox/.work-*`` folders, half-copied ``*.restoring`` databases and evidence files
    being stored (``.incoming-*``), once older than ``LEFTOVER_AGE_S``. Returns them."""
    root = Path(root)
    now = _fs_now(root)
    if now is None:
        return []
    candidates = [
        *(root / "backups").glob("*.partial"),
        *(root / "backups").glob("*.partial-journal"),
        *root.glob("*.restoring"),
        *(root / "attachments").glob("*/.incoming-*"),
        *(root / "inbox").glob(".work-*"),
    ]
    removed: list[Path] = []
    for path in candidates:
        try:
            if now - path.stat().st_mtime < LEFTOVER_AGE_S:
                continue
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def list_backups(backups_dir: Path) -> list[Path]:
    """Backups, newest first."""
    if not backups_dir.exists():
        return []
    files = [
        p
        for p in backups_dir.iterdir()
        if p.name.startswith(BACKUP_PREFIX) and p.name.endswith(BACKUP_SUFFIX)
    ]
    # Newest written first (a manual copy and the day's automatic one share a date).
    return sorted(files, key=lambda p: (_mtime(p), p.name), reverse=True)


def newest_good(backups_dir: Path) -> Path | None:
    """The newest backup that passes validation (a damaged or empty copy is skipped)."""
    for candidate in list_backups(backups_dir):
        try:
            validate_backup_file(candidate)
            return candidate
        except UserError:
            continue
    return None


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def daily_backup(con: sqlite3.Connection, backups_dir: Path, today: date) -> Path | None:
    """On the first open of a day, back up and keep the newest ``KEEP_DAILY`` daily copies;
    a database failing SQLite's quick check or with an altered schema is not backed up (nor
    are old copies pruned)."""
    name = f"{BACKUP_PREFIX}{today.isoformat()}-auto{BACKUP_SUFFIX}"
    if any(
        p.name.startswith(f"{BACKUP_PREFIX}{today.isoformat()}") for p in list_backups(backups_dir)
    ):
        return None
    if not _healthy(con):
        # A damaged database is not copied over the good ones: they are what restores it.
        return None
    path = backup_to(con, backups_dir / name)
    autos = [p for p in list_backups(backups_dir) if p.name.endswith(f"-auto{BACKUP_SUFFIX}")]
    for old in autos[KEEP_DAILY:]:
        old.unlink(missing_ok=True)
    return path


def _healthy(con: sqlite3.Connection) -> bool:
    """SQLite's quick check passes and the schema is the migrations' own (an altered file
    is not copied over the good backups either)."""
    try:
        return con.execute("PRAGMA quick_check").fetchone()[0] == "ok" and not schema_problems(con)
    except sqlite3.DatabaseError:
        return False


def manual_backup_name(now: datetime) -> str:
    return f"{BACKUP_PREFIX}{now:%Y-%m-%d-%H%M%S}-manual{BACKUP_SUFFIX}"


def validate_backup_file(path: Path) -> int:
    """Check that ``path`` is a healthy PAPI Desktop database; return its schema version.

    The one validation of a candidate database (restore, "the newest good backup"):
    SQLite's integrity check passes, its version is not newer than this program's, the
    migrations bring a copy of it (in memory) to the latest version, and its tables,
    indexes, triggers and views are then exactly those the migrations build. Raises
    UserError with one plain line naming the file and what is wrong.
    """
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp sao lưu {path}.", f"Backup file {path} not found.")
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            ok = con.execute("PRAGMA integrity_check").fetchone()[0]
            version = int(con.execute("PRAGMA user_version").fetchone()[0])
            if ok == "ok" and version <= schema.LATEST_VERSION:
                problems = _migrated_schema_problems(con)
        finally:
            con.close()
    except sqlite3.DatabaseError as exc:
        log.warning("backup %s cannot be read: %s", path, exc)
        raise _not_a_backup(path) from exc
    if ok != "ok":
        log.warning("backup %s fails the integrity check: %s", path, ok)
        raise _not_a_backup(path)
    if version > schema.LATEST_VERSION:
        raise UserError(
            f"Bản sao lưu {path.name} do phiên bản phần mềm mới hơn tạo ra. "
            "Hãy cập nhật PAPI Desktop trước khi khôi phục.",
            f"Backup {path.name} was made by a newer PAPI Desktop; update first.",
        )
    if problems is None:
        raise UserError(
            f"Tệp {path.name} không dùng được: cấu trúc dữ liệu không khớp với số phiên bản "
            "ghi trong tệp (tệp bị sửa đổi hoặc hỏng). Không khôi phục; hãy chọn bản sao lưu khác.",
            f"{path.name} cannot be used: its data structure does not match the version it "
            "records (the file was altered or is damaged). Not restored; choose another backup.",
        )
    if problems:
        vi, en = describe_schema_problems(problems)
        raise UserError(
            f"Tệp {path.name} có cấu trúc dữ liệu lạ ({vi}): tệp bị sửa đổi hoặc hỏng. "
            "Không khôi phục; hãy chọn bản sao lưu khác.",
            f"{path.name} has an unexpected data structure ({en}): the file was altered or "
            "is damaged. Not restored; choose another backup.",
        )
    return version


def _not_a_backup(path: Path) -> UserError:
    return UserError(
        f"Tệp {path.name} bị hỏng hoặc không phải bản sao lưu PAPI Desktop. "
        "Không khôi phục; hãy chọn bản sao lưu khác trong thư mục backups.",
        f"{path.name} is damaged or is not a PAPI Desktop backup. Not restored; "
        "choose another backup in the backups folder.",
    )


SchemaObject = tuple[str, str, str]  # (type, name, sql of a trigger or view, else "")


def schema_objects(con: sqlite3.Connection) -> set[SchemaObject]:
    """The tables, indexes, triggers and views of a database (SQLite's own left out); the
    statement is kept for triggers and views, whose body is what could do harm."""
    rows = con.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    ).fetchall()
    return {
        (kind, name, " ".join((sql or "").split()) if kind in ("trigger", "view") else "")
        for kind, name, sql in rows
    }


_EXPECTED: set[SchemaObject] | None = None


def expected_schema() -> set[SchemaObject]:
    """The schema objects of a fresh database built by the migrations (computed once)."""
    global _EXPECTED
    if _EXPECTED is None:
        from papi_desktop.store.db import migrate, register_functions

        con = sqlite3.connect(":memory:", isolation_level=None)
        try:
            register_functions(con)
            migrate(con)
            _EXPECTED = schema_objects(con)
        finally:
            con.close()
    return _EXPECTED


def schema_problems(con: sqlite3.Connection) -> dict[str, list[SchemaObject]]:
    """What differs from the migrations' schema: ``missing`` and ``extra`` objects (a
    trigger whose body was changed counts as both); empty when it matches."""
    have, want = schema_objects(con), expected_schema()

    def order(obj: SchemaObject) -> tuple[int, str]:
        return list(_KIND).index(obj[0]) if obj[0] in _KIND else len(_KIND), obj[1]

    found = (("missing", want - have), ("extra", have - want))
    return {k: sorted(v, key=order) for k, v in found if v}


def _migrated_schema_problems(con: sqlite3.Connection) -> dict[str, list[SchemaObject]] | None:
    """Bring an in-memory copy of ``con`` to the latest version and compare its schema;
    None when the migrations fail on it (its version does not match its tables)."""
    from papi_desktop.store.db import migrate, register_functions

    mem = sqlite3.connect(":memory:", isolation_level=None)
    try:
        con.backup(mem)
        register_functions(mem)
        try:
            migrate(mem)
        except (sqlite3.Error, StorageError) as exc:
            log.warning("migrating a copy of a candidate database failed: %s", exc)
            return None
        return schema_problems(mem)
    finally:
        mem.close()


_KIND = {
    "table": ("bảng", "table"),
    "index": ("chỉ mục", "index"),
    "trigger": ("trigger", "trigger"),
    "view": ("view", "view"),
}


def describe_schema_problems(problems: dict[str, list[SchemaObject]]) -> tuple[str, str]:
    """A short vi/en phrase: "thiếu bảng task_result; thừa trigger t"."""
    vi, en = [], []
    for key, word_vi, word_en in (("missing", "thiếu", "missing"), ("extra", "thừa", "extra")):
        items = problems.get(key, [])
        if not items:
            continue
        names_vi = ", ".join(f"{_KIND.get(k, (k, k))[0]} {n}" for k, n, _ in items[:5])
        names_en = ", ".join(f"{_KIND.get(k, (k, k))[1]} {n}" for k, n, _ in items[:5])
        more = f" (+{len(items) - 5})" if len(items) > 5 else ""
        vi.append(f"{word_vi} {names_vi}{more}")
        en.append(f"{word_en} {names_en}{more}")
    return "; ".join(vi), "; ".join(en)


def read_site(path: Path) -> dict | None:
    """The site (role and unit) recorded in a database file, or None when it has none or
    cannot be read."""
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = con.execute(
                "SELECT id, role, unit_code, unit_name, province_code FROM site LIMIT 1"
            ).fetchone()
            demo = con.execute("SELECT value FROM setting WHERE key = 'demo_data'").fetchone()
        finally:
            con.close()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    site = dict(zip(("id", "role", "unit_code", "unit_name", "province_code"), row, strict=True))
    site["demo"] = bool(demo and demo[0] == "1")  # a demo data folder (services/demo.py)
    return site


def _same_unit(a: dict, b: dict) -> bool:
    if a["role"] != b["role"]:
        return False
    if a["role"] == "commune":
        return a["unit_code"] == b["unit_code"]
    return a["province_code"] == b["province_code"]


def _role_label(site: dict) -> tuple[str, str]:
    if site["role"] == "commune":
        return "xã/phường", "commune"
    return "cơ quan giám sát", "supervising office"


def folder_site(db_path: Path, backups_dir: Path, exclude: Path | None = None) -> dict | None:
    """Whose data folder this is: the database's site, or (when the database is damaged or
    missing) the site of the newest readable backup kept in the folder."""
    site = read_site(db_path) if db_path.exists() else None
    if site is not None:
        return site
    for candidate in list_backups(backups_dir):
        if exclude is not None and candidate.resolve() == exclude.resolve():
            continue
        site = read_site(candidate)
        if site is not None:
            return site
    return None


def check_same_unit(backup: Path, current: dict | None) -> None:
    """Refuse a backup that belongs to another unit or role than this data folder."""
    theirs = read_site(backup)
    if current is None:
        return  # a fresh or emptied folder (a replaced PC): any unit's own backup may come in
    mine_vi, mine_en = _role_label(current)
    if theirs is None:
        raise UserError(
            f"Bản sao lưu {backup.name} chưa được thiết lập cho đơn vị nào (dữ liệu trống), "
            f"còn máy này là của {current['unit_name']} ({mine_vi}). Không khôi phục; "
            "không có gì bị thay đổi.",
            f"Backup {backup.name} holds no setup (empty data), while this PC belongs to "
            f"{current['unit_name']} ({mine_en}). Not restored; nothing changed.",
        )
    if theirs["demo"] != current["demo"]:
        what_vi = "dữ liệu MẪU" if theirs["demo"] else "dữ liệu thật"
        what_en = "DEMO data" if theirs["demo"] else "real data"
        here_vi = "dữ liệu mẫu" if current["demo"] else "dữ liệu thật"
        here_en = "demo data" if current["demo"] else "real data"
        raise UserError(
            f"Bản sao lưu {backup.name} là {what_vi} của {theirs['unit_name']}, còn thư mục này "
            f"giữ {here_vi} của {current['unit_name']}. Không khôi phục; không có gì bị thay đổi. "
            "Dữ liệu mẫu chỉ dùng trong thư mục mẫu (papi-desktop --demo).",
            f"Backup {backup.name} holds {what_en} of {theirs['unit_name']}, but this folder "
            f"holds {here_en} of {current['unit_name']}. Not restored; nothing changed. Demo "
            "data lives only in demo folders (papi-desktop --demo).",
        )
    if not _same_unit(theirs, current):
        their_vi, their_en = _role_label(theirs)
        raise UserError(
            f"Bản sao lưu {backup.name} là dữ liệu của {theirs['unit_name']} ({their_vi}), còn "
            f"máy này là của {current['unit_name']} ({mine_vi}). Không khôi phục; không có gì "
            f"bị thay đổi. Hãy chọn bản sao lưu của {current['unit_name']}.",
            f"Backup {backup.name} holds the data of {theirs['unit_name']} ({their_en}), but "
            f"this PC belongs to {current['unit_name']} ({mine_en}). Not restored; nothing "
            f"changed. Choose a backup of {current['unit_name']}.",
        )


def _reserve_safety_name(backups_dir: Path, stamp: str, suffix: str) -> Path:
    """A safety-copy name no other copy has: the time stamp, then -2, -3… Created
    exclusively, so two restores in the same second never share one."""
    backups_dir.mkdir(parents=True, exist_ok=True)
    n = 1
    while True:
        tail = "" if n == 1 else f"-{n}"
        path = backups_dir / f"{BACKUP_PREFIX}{stamp}-before-restore{tail}{suffix}"
        try:
            with open(path, "xb"):
                return path
        except FileExistsError:
            n += 1


def restore_file(
    db_path: Path, backup: Path, backups_dir: Path, now: datetime | None = None
) -> Path | None:
    """Replace the database with ``backup``; the current file is kept as a safety copy.

    Refuses (UserError, nothing changed) a backup of another unit or role. The caller must
    have closed every connection to ``db_path``. Returns the safety copy.
    """
    from papi_desktop.store.db import storage_error

    backup = Path(backup)
    validate_backup_file(backup)
    check_same_unit(backup, folder_site(db_path, backups_dir, exclude=backup))
    stamp = f"{(now or Clock().local_now()):%Y-%m-%d-%H%M%S}"
    safety = None
    tmp = db_path.with_name(db_path.name + ".restoring")
    try:
        if db_path.exists() and db_path.stat().st_size > 0:  # an empty file has nothing to keep
            if _opens(db_path):
                safety = _reserve_safety_name(backups_dir, stamp, BACKUP_SUFFIX)
                try:
                    src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
                    try:
                        backup_to(src, safety)
                    finally:
                        src.close()
                except StorageError as exc:
                    _discard(safety)
                    safety = None
                    if exc.kind in ("full", "readonly"):
                        raise
            if safety is None:
                # The current file is damaged: keep its raw bytes instead.
                safety = _reserve_safety_name(backups_dir, stamp, ".damaged")
                shutil.copy2(db_path, safety)
        shutil.copy2(backup, tmp)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        _discard(tmp)
        if safety is not None:
            _discard(safety)
        raise storage_error(exc, (exc.filename and Path(exc.filename)) or tmp) from exc
    except BaseException:
        _discard(tmp)
        if safety is not None:
            _discard(safety)
        raise
    try:
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(str(db_path) + suffix)
        os.replace(tmp, db_path)
    except OSError as exc:
        _discard(tmp)
        raise storage_error(exc, db_path) from exc
    return safety


def _opens(path: Path) -> bool:
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            con.close()
        return True
    except sqlite3.Error:
        return False


def check(con: sqlite3.Connection, attachments_root: Path) -> dict:
    """Integrity, foreign-key and schema checks (no missing table, no extra trigger or
    view) plus attachment hashes; a report dict with ``ok``.

    A damaged file (``database disk image is malformed``) is reported, never raised."""
    try:
        integrity = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
    except sqlite3.DatabaseError as exc:
        integrity = [str(exc)]
    try:
        fk = [tuple(r) for r in con.execute("PRAGMA foreign_key_check").fetchall()]
    except sqlite3.DatabaseError:
        fk = []
    missing, damaged, checked = [], [], 0
    try:
        shas = [
            r[0] for r in con.execute("SELECT DISTINCT sha256 FROM attachment WHERE deleted = 0")
        ]
    except sqlite3.DatabaseError:
        shas = []  # the table itself is unreadable: integrity already says so
    for sha in shas:
        checked += 1
        path = blob_path(attachments_root, sha)
        if not path.exists():
            missing.append(sha)
        elif sha256_file(path) != sha:
            damaged.append(sha)
    try:
        unexpected = schema_problems(con) if integrity == ["ok"] else {}
    except sqlite3.DatabaseError:
        unexpected = {}
    database_ok = integrity == ["ok"] and not fk and not unexpected
    return {
        "ok": database_ok and not missing and not damaged,
        "database_ok": database_ok,
        "integrity": integrity,
        "schema_problems": {k: [f"{t} {n}" for t, n, _ in v] for k, v in unexpected.items()},
        "schema_problems_vi": describe_schema_problems(unexpected)[0],
        "schema_problems_en": describe_schema_problems(unexpected)[1],
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
        from papi_desktop.store.db import disk_error

        known = disk_error(exc, folder)
        if known is not None:
            raise known from exc
        raise StorageError(
            f"Không ghi được vào thư mục dữ liệu {folder} ({exc.strerror or exc}). "
            "Hãy chọn thư mục khác bằng --data-dir hoặc giải phóng dung lượng ổ đĩa.",
            f"Cannot write to the data folder {folder} ({exc.strerror or exc}). "
            "Choose another folder with --data-dir or free disk space.",
        ) from exc
