"""The SQLite connection: pragmas, migrations, transactions and clear storage errors.

One ``Database`` per open data folder. ``with db.transaction():`` wraps one user action:
everything inside commits together or not at all.
"""

from __future__ import annotations

import contextlib
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from papi_desktop.clock import Clock
from papi_desktop.errors import StorageError
from papi_desktop.store import schema
from papi_desktop.store.hlc import HybridClock

log = logging.getLogger("papi_desktop.store")


def disk_full_error(folder: Path) -> StorageError:
    return StorageError(
        f"Ổ đĩa chứa {folder} đã đầy; không ghi được, dữ liệu không bị thay đổi. "
        "Hãy giải phóng dung lượng ổ đĩa đó (hoặc chọn ổ khác) rồi thử lại.",
        f"The disk holding {folder} is full; nothing was written and no data changed. "
        "Free space on that disk (or choose another) and retry.",
        kind="full",
    )


def disk_error(exc: OSError, path: Path) -> StorageError | None:
    """One plain line for a full or read-only disk (ENOSPC/EDQUOT, EROFS), a refused write
    (EACCES/EPERM) or a folder that is not there (ENOENT: a USB stick pulled out, a path
    mistyped), naming the folder or file; any other failure to create a named file says
    which file; None only for an OSError without a file name. Freeing space is advised only
    for a full disk."""
    import errno

    where = Path(path)
    for temporary in (".part", ".partial"):  # the atomic writers' names: show the real one
        if where.name.endswith(temporary):
            where = where.with_name(where.name[: -len(temporary)])
    folder = where if where.is_dir() else where.parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return disk_full_error(folder)
    if exc.errno in (errno.EACCES, errno.EPERM):
        return StorageError(
            f"Không có quyền ghi vào {where}: thư mục chỉ cho phép đọc hoặc tệp đang mở trong "
            "chương trình khác. Dữ liệu không bị thay đổi; hãy đóng tệp đó hoặc chọn thư mục khác.",
            f"No permission to write {where}: the folder is read-only or the file is open in "
            "another program. No data changed; close that file or choose another folder.",
            kind="readonly",
        )
    if exc.errno == errno.ENOENT and not folder.is_dir():
        return StorageError(
            f"Không có thư mục {folder} (USB đã rút ra, ổ đĩa chưa cắm hoặc gõ sai đường dẫn); "
            "không ghi được, dữ liệu không bị thay đổi. Hãy cắm lại ổ đĩa hoặc chọn thư mục khác.",
            f"The folder {folder} does not exist (USB stick removed, drive not plugged in or "
            "path mistyped); nothing was written and no data changed. Plug the drive in again "
            "or choose another folder.",
            kind="missing",
        )
    if exc.errno == errno.ENAMETOOLONG:
        return StorageError(
            f"Tên tệp hoặc đường dẫn {where} quá dài; không ghi được, dữ liệu không bị thay đổi. "
            "Hãy chọn tên ngắn hơn hoặc thư mục gần gốc ổ đĩa hơn.",
            f"The file name or path {where} is too long; nothing was written and no data "
            "changed. Choose a shorter name or a folder nearer the top of the drive.",
            kind="other",
        )
    if exc.errno == errno.EROFS:
        return StorageError(
            f"Ổ đĩa/thư mục {folder} chỉ cho phép đọc; không ghi được, dữ liệu không bị thay đổi. "
            "Hãy chọn thư mục khác, mở khóa chống ghi của USB hoặc nhờ người quản trị cấp quyền ghi.",
            f"The disk or folder {folder} is read-only; nothing was written and no data changed. "
            "Choose another folder, unlock the USB stick's write protection, or ask for write "
            "permission.",
            kind="readonly",
        )
    if exc.filename:
        # Any other refusal to create the file (a system folder, a name Windows does not
        # allow, a folder where a file should be): say which file, never a traceback.
        return StorageError(
            f"Không tạo được tệp {where} ở đó (mã lỗi {exc.errno}); dữ liệu không bị thay đổi. "
            "Hãy chọn thư mục khác (ví dụ thư mục Tài liệu) hoặc đặt tên tệp khác.",
            f"Could not create the file {where} there (error {exc.errno}); no data changed. "
            "Choose another folder (for example Documents) or another file name.",
            kind="other",
        )
    return None


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """Translate a sqlite/OS error into a message an official can act on."""
    if isinstance(exc, OSError):
        known = disk_error(exc, path)
        if known is not None:
            return known
    text = str(exc).lower()
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return StorageError(
            f"Tệp dữ liệu {path} bị hỏng hoặc không phải cơ sở dữ liệu PAPI Desktop. "
            "Hãy khôi phục bản sao lưu gần nhất (lệnh: papi-desktop restore TỆP_SAO_LƯU).",
            f"The data file {path} is damaged or is not a PAPI Desktop database. "
            "Restore the newest backup (command: papi-desktop restore BACKUP_FILE).",
            kind="corrupt",
        )
    if "readonly" in text or "read-only" in text or isinstance(exc, PermissionError):
        return StorageError(
            f"Không ghi được vào thư mục dữ liệu {path.parent} (chỉ cho phép đọc). "
            "Hãy chọn thư mục khác bằng --data-dir hoặc nhờ người quản trị cấp quyền ghi.",
            f"Cannot write to the data folder {path.parent} (read-only). "
            "Choose another folder with --data-dir or ask for write permission.",
            kind="readonly",
        )
    if "disk is full" in text or "no space" in text or "database or disk is full" in text:
        return disk_full_error(path.parent)
    if "locked" in text or "busy" in text:
        return StorageError(
            "Cơ sở dữ liệu đang được một cửa sổ PAPI Desktop khác sử dụng. "
            "Hãy đóng cửa sổ kia rồi thử lại.",
            "The database is in use by another PAPI Desktop window. Close it and retry.",
            kind="locked",
        )
    # The technical text is English and means nothing to an official: it goes to the log.
    log.warning("storage error on %s: %s: %s", path, type(exc).__name__, exc)
    return damaged_data_error(path, kind="other")


def damaged_data_error(path: Path, kind: str = "corrupt") -> StorageError:
    """The plain line for a data file SQLite cannot use as the program expects."""
    return StorageError(
        f"Không đọc/ghi được tệp dữ liệu {path}: tệp có thể bị hỏng hoặc bị sửa đổi. "
        "Không có gì bị thay đổi. Hãy chạy papi-desktop check để kiểm tra, rồi khôi phục "
        "bản sao lưu tốt (papi-desktop restore TỆP_SAO_LƯU).",
        f"Could not read or write the data file {path}: it may be damaged or altered. "
        "Nothing was changed. Run papi-desktop check, then restore a good backup "
        "(papi-desktop restore BACKUP_FILE).",
        kind=kind,
    )


def register_functions(con: sqlite3.Connection) -> None:
    from papi_desktop.domain.text import fold, vi_collate

    con.create_function("fold", 1, fold, deterministic=True)
    con.create_collation("vi", vi_collate)


def connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    """Open a raw connection with the project's pragmas (autocommit; transactions explicit)."""
    uri = f"file:{path}?mode={'ro' if readonly else 'rwc'}"
    try:
        con = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA busy_timeout = 5000")
        if not readonly:
            con.execute("PRAGMA journal_mode = WAL")
        con.execute("PRAGMA synchronous = FULL")
        register_functions(con)
        return con
    except (sqlite3.DatabaseError, OSError) as exc:
        raise storage_error(exc, path) from exc


def schema_version(con: sqlite3.Connection) -> int:
    return int(con.execute("PRAGMA user_version").fetchone()[0])


def migrate(con: sqlite3.Connection, target: int | None = None) -> int:
    """Apply the missing migrations, each in its own transaction; return the new version."""
    target = schema.LATEST_VERSION if target is None else target
    current = schema_version(con)
    if current > schema.LATEST_VERSION:
        raise StorageError(
            "Dữ liệu này được tạo bởi phiên bản PAPI Desktop mới hơn. "
            "Hãy cài phiên bản mới nhất của phần mềm.",
            "This data was written by a newer PAPI Desktop. Install the newest version.",
        )
    for number in range(current + 1, target + 1):
        script = schema.MIGRATIONS[number - 1]
        # executescript commits first; wrap the whole migration in one explicit transaction.
        try:
            con.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
        except sqlite3.Error:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
    return schema_version(con)


class Database:
    """An open PAPI Desktop database with its site identity, its clock and row versions.

    ``clock`` is the one ``Clock`` of the open context (today and now); ``hlc`` issues the
    row versions of this site.
    """

    def __init__(self, path: Path, *, readonly: bool = False, clock: Clock | None = None) -> None:
        self.path = Path(path)
        self.clock: Clock = clock if clock is not None else Clock()
        self.readonly = readonly
        self.con = connect(self.path, readonly=readonly)
        if not readonly:
            try:
                migrate(self.con)
            except sqlite3.DatabaseError as exc:
                self.con.close()
                error = storage_error(exc, self.path)
                if error.kind == "other":
                    # The tables do not match the version the file records (altered or
                    # damaged): ``check`` reports it and names the newest good backup.
                    error = damaged_data_error(self.path)
                raise error from exc
        self._depth = 0
        self.site_id: str = ""
        self.user_name: str = ""
        self.hlc: HybridClock | None = None
        self._clock_dirty = False
        self.reload_site()

    # -- identity -------------------------------------------------------
    def reload_site(self) -> None:
        row = self.site()
        if row is not None:
            self.site_id = row["id"]
            self.user_name = row["user_name"]
            self.hlc = HybridClock(self.site_id, row["clock"] or None, now_ms=self.clock.now_ms)

    def site(self) -> sqlite3.Row | None:
        try:
            return self.con.execute("SELECT * FROM site LIMIT 1").fetchone()
        except sqlite3.OperationalError:
            return None

    def next_version(self) -> str:
        if self.hlc is None:
            raise RuntimeError("site not initialised")
        self._clock_dirty = True
        return self.hlc.tick()

    def observe_version(self, version: str) -> None:
        if self.hlc is not None:
            self.hlc.observe(version)
            self._clock_dirty = True

    # -- transactions ---------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action: BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error. Nestable."""
        if self._depth:
            self._depth += 1
            try:
                yield self.con
            finally:
                self._depth -= 1
            return
        try:
            self.con.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise storage_error(exc, self.path) from exc
        self._depth = 1
        try:
            yield self.con
            if self._clock_dirty and self.hlc is not None:
                self.con.execute("UPDATE site SET clock = ?", (self.hlc.last,))
            self.con.execute("COMMIT")
        except BaseException as exc:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("ROLLBACK")
            self.reload_site()
            if isinstance(exc, sqlite3.DatabaseError) and not isinstance(
                exc, sqlite3.IntegrityError
            ):
                raise storage_error(exc, self.path) from exc
            raise
        finally:
            self._depth = 0
            self._clock_dirty = False

    # -- helpers --------------------------------------------------------
    def query(self, sql: str, params: Any = ()) -> list[sqlite3.Row]:
        return self.con.execute(sql, params).fetchall()

    def one(self, sql: str, params: Any = ()) -> sqlite3.Row | None:
        return self.con.execute(sql, params).fetchone()

    def scalar(self, sql: str, params: Any = ()) -> Any:
        row = self.con.execute(sql, params).fetchone()
        return None if row is None else row[0]

    def get_setting(self, key: str, default: str | None = None) -> str | None:
        row = self.one("SELECT value FROM setting WHERE key = ?", (key,))
        return default if row is None else row["value"]

    def set_setting(self, key: str, value: str | None) -> None:
        with self.transaction():
            self.con.execute(
                "INSERT INTO setting(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.con.close()
