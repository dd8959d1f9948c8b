"""The open application: data folder, database, site identity, calendar and the clock.

Both the window and the command line start by opening an ``AppContext``; every service
function takes one. Opening creates the folder and database if needed, applies migrations,
loads missing catalogues and takes the automatic daily backup.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from papi_desktop.clock import TODAY_ENV, Clock
from papi_desktop.config import DataPaths, resolve_data_dir
from papi_desktop.errors import StorageError, UserError
from papi_desktop.store.db import Database

__all__ = ["TODAY_ENV", "AppContext", "SiteInfo", "open_context"]


@dataclass(frozen=True)
class SiteInfo:
    id: str
    role: str
    unit_code: str | None
    unit_name: str
    province_code: str | None
    province_name: str | None
    supervisor_label: str
    user_name: str

    @property
    def is_commune(self) -> bool:
        return self.role == "commune"

    @property
    def is_district(self) -> bool:
        return self.role == "district"


class AppContext:
    """One open data folder."""

    def __init__(
        self,
        data_dir: str | os.PathLike[str] | None = None,
        *,
        auto_backup: bool = True,
        today: date | None = None,
        create: bool = True,
    ) -> None:
        self.paths = DataPaths(resolve_data_dir(data_dir))
        from papi_desktop.store.backup import ensure_writable, remove_leftovers

        check_database_present(self.paths, create=create)
        ensure_writable(self.paths.root)
        remove_leftovers(self.paths.root)
        self.paths.ensure()
        self.clock = Clock(today)
        self.db = Database(self.paths.database, clock=self.clock)
        self._calendar = None
        self.last_auto_backup: Path | None = None
        self.auto_backup_problem: StorageError | None = None
        try:
            from papi_desktop.catalog.loaders import ensure_catalogs

            ensure_catalogs(self.db)
            if auto_backup and self.site is not None:
                from papi_desktop.store.backup import daily_backup

                try:
                    self.last_auto_backup = daily_backup(
                        self.db.con, self.paths.backups, self.today()
                    )
                except StorageError as exc:
                    if exc.kind not in ("full", "readonly"):
                        raise
                    # No room for today's copy: work goes on; the copy is tried next time.
                    self.auto_backup_problem = exc
        except sqlite3.DatabaseError as exc:
            from papi_desktop.store.db import storage_error

            self.db.close()
            raise storage_error(exc, self.paths.database) from exc
        except BaseException:
            self.db.close()
            raise

    # -- time -----------------------------------------------------------
    def today(self) -> date:
        """Today, or the pinned day (PAPI_DESKTOP_TODAY: demos, tests, training sessions)."""
        return self.clock.today()

    def set_today(self, value: date | None) -> None:
        """Pin the clock to ``value`` for every date and stamp (None: unpin)."""
        self.clock.pin(value)

    @property
    def pinned_today(self) -> date | None:
        """The day the clock is pinned to, if any (handed to background jobs)."""
        return self.clock.pinned

    # -- identity -------------------------------------------------------
    @property
    def site(self) -> SiteInfo | None:
        row = self.db.site()
        if row is None:
            return None
        return SiteInfo(
            id=row["id"],
            role=row["role"],
            unit_code=row["unit_code"],
            unit_name=row["unit_name"],
            province_code=row["province_code"],
            province_name=row["province_name"],
            supervisor_label=row["supervisor_label"],
            user_name=row["user_name"],
        )

    def require_site(self, role: str | None = None) -> SiteInfo:
        site = self.site
        if site is None:
            raise not_set_up_error()
        if role and site.role != role:
            if role == "commune":
                raise UserError(
                    "Việc này chỉ làm trên máy của xã/phường; máy này được thiết lập cho "
                    f"cơ quan giám sát ({site.unit_name}).",
                    "Only a commune installation can do this; this PC is set up for the "
                    f"supervising office ({site.unit_name}).",
                )
            raise UserError(
                "Việc này chỉ làm trên máy của cơ quan giám sát; máy này được thiết lập cho "
                f"{site.unit_name}.",
                f"Only the supervising office can do this; this PC is set up for {site.unit_name}.",
            )
        return site

    # -- settings -------------------------------------------------------
    @property
    def posting_day_is_day_one(self) -> bool:
        return self.db.get_setting("posting_day_is_day_one", "0") == "1"

    def calendar(self):
        """The working-day calendar from the holiday table (cached until holidays change)."""
        if self._calendar is None:
            from papi_desktop.domain.calendar import DayOff, WorkCalendar

            rows = self.db.query(
                "SELECT day, kind, name_vi, name_en, legal_basis, source, confidence, provisional "
                "FROM holiday WHERE deleted = 0"
            )
            self._calendar = WorkCalendar(
                DayOff(
                    date=date.fromisoformat(r["day"]),
                    kind=r["kind"],
                    name_vi=r["name_vi"],
                    name_en=r["name_en"],
                    legal_basis=r["legal_basis"],
                    source=r["source"],
                    confidence=r["confidence"],
                    provisional=bool(r["provisional"]),
                )
                for r in rows
            )
        return self._calendar

    def invalidate_calendar(self) -> None:
        self._calendar = None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> AppContext:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def not_set_up_error() -> UserError:
    return UserError(
        "Máy này chưa được thiết lập. Hãy chạy: papi-desktop init --role commune "
        "--unit-code MÃ_XÃ (hoặc mở cửa sổ chương trình để làm theo hướng dẫn).",
        "This PC is not set up yet. Run: papi-desktop init --role commune --unit-code CODE.",
    )


def _has_files(folder: Path) -> bool:
    return folder.is_dir() and any(p.is_file() for p in folder.rglob("*"))


def check_database_present(paths: DataPaths, *, create: bool) -> None:
    """Refuse to open a folder whose database is missing or empty (0 bytes) while its
    backups, keys or evidence files show it held data: never recreate it empty silently.
    With ``create`` False (commands that only read or need a set-up PC) a folder that was
    never set up is refused too, and no database is created."""
    db = paths.database
    try:
        present = db.is_file() and db.stat().st_size > 0
    except OSError:
        present = False
    if present:
        return
    from papi_desktop.store.backup import list_backups, newest_good

    backups = list_backups(paths.backups)
    if backups or _has_files(paths.keys) or _has_files(paths.attachments):
        good = newest_good(paths.backups) if backups else None
        state_vi = "trống (0 byte)" if db.exists() else "không còn"
        state_en = "empty (0 bytes)" if db.exists() else "missing"
        if good is not None:
            how_vi = f'Hãy khôi phục bản sao lưu tốt gần nhất: papi-desktop restore "{good}"'
            how_en = f'Restore the newest good backup: papi-desktop restore "{good}"'
        else:
            how_vi = (
                "Không có bản sao lưu tốt trong thư mục backups; hãy khôi phục từ bản sao lưu "
                "trên USB (papi-desktop restore TỆP) hoặc nhờ cơ quan giám sát gửi gói khôi phục"
            )
            how_en = (
                "There is no good backup in the backups folder; restore one from a USB stick "
                "(papi-desktop restore FILE) or ask the office for a restore package"
            )
        raise StorageError(
            f"Tệp dữ liệu {db} {state_vi}: dữ liệu của máy này bị mất, chưa tạo lại tệp trống. "
            f"{how_vi}.",
            f"The data file {db} is {state_en}: this PC's data is gone; no empty file was "
            f"created. {how_en}.",
            kind="missing",
        )
    if not create:
        raise not_set_up_error()


def open_context(data_dir: str | os.PathLike[str] | None = None, **kwargs) -> AppContext:
    """Open the data folder; StorageError carries the user's message on failure."""
    try:
        return AppContext(data_dir, **kwargs)
    except (StorageError, UserError):
        raise
    except OSError as exc:
        raise StorageError(
            f"Không mở được thư mục dữ liệu ({exc.strerror or exc}).",
            f"Cannot open the data folder ({exc.strerror or exc}).",
        ) from exc
