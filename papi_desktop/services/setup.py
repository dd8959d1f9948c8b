"""Setting up an installation: a commune or a supervising office (role ``district``)."""

from __future__ import annotations

import contextlib
import shutil
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from papi_desktop.domain.task_levels import OFFICE_TRACKING_SETTING
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import units
from papi_desktop.services.context import AppContext, SiteInfo
from papi_desktop.store.hlc import HybridClock

DEFAULT_SUPERVISOR_LABEL = "Sở Nội vụ"


class FolderUndo:
    """What opening a data folder for setup adds to it, to take away again when the setup
    is refused: a failed ``init`` leaves the folder as it was (nothing at all when it did
    not exist). Entries that were there before are never touched."""

    def __init__(self, root: Path) -> None:
        root = Path(root)
        self.root = root
        self.created_top: Path | None = None  # the highest folder that did not exist
        missing = root
        while not missing.exists() and missing.parent != missing:
            self.created_top = missing
            missing = missing.parent
        self.before: set[str] = set()
        if self.created_top is None and root.is_dir():
            self.before = {p.name for p in root.iterdir()}

    def undo(self) -> None:
        """Remove what was added (the caller has closed the database first)."""
        if self.created_top is not None:
            shutil.rmtree(self.created_top, ignore_errors=True)
            return
        if not self.root.is_dir():
            return
        # A journal of a database that was there may belong to another open window.
        kept = self.before | {f"{n}{x}" for n in self.before for x in ("-wal", "-shm", "-journal")}
        for entry in self.root.iterdir():
            if entry.name in kept:
                continue
            with contextlib.suppress(OSError):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()


@contextlib.contextmanager
def undone_on_failure(root: Path, close) -> Iterator[None]:
    """Run a setup; on any error ``close()`` the data folder, then remove what it added."""
    undo = FolderUndo(root)
    try:
        yield
    except BaseException:
        close()
        undo.undo()
        raise


def init_site(
    ctx: AppContext,
    role: str,
    *,
    unit_code: str | None = None,
    unit_name: str | None = None,
    province_code: str | None = None,
    user: str | None = None,
    supervisor_label: str | None = None,
    tracking_from: date | None = None,
) -> SiteInfo:
    """Create this installation's identity. Refused when it already exists.

    ``tracking_from`` (a commune): the day it starts tracking, today by default; periods
    due before it are "before tracking" (not overdue, not counted in completion)."""
    existing = ctx.site
    if existing is not None:
        raise UserError(
            f"Máy này đã được thiết lập cho {existing.unit_name} "
            f"({'xã/phường' if existing.is_commune else 'cơ quan giám sát'}). "
            "Không thiết lập lại được; dùng thư mục dữ liệu khác (--data-dir) nếu cần.",
            f"This PC is already set up for {existing.unit_name}. "
            "Use another data folder (--data-dir) for a second unit.",
        )
    user = nfc(user) or ""
    if tracking_from is not None and tracking_from > ctx.today():
        raise UserError(
            f"Ngày bắt đầu theo dõi {tracking_from:%d/%m/%Y} ở tương lai.",
            f"The tracking start date {tracking_from:%d/%m/%Y} is in the future.",
        )
    if role == "commune":
        if not unit_code:
            raise UserError(
                "Thiếu mã xã/phường (--unit-code). Tìm mã bằng: papi-desktop units search TÊN_XÃ",
                "Missing --unit-code. Find it with: papi-desktop units search NAME",
            )
        c = units.commune(ctx, unit_code.strip())
        if c is None:
            raise UserError(
                f"Không có xã/phường mã “{unit_code}” trong danh mục hành chính. "
                "Tìm mã đúng bằng: papi-desktop units search TÊN_XÃ",
                f"No commune with code “{unit_code}” in the official list. "
                "Find it with: papi-desktop units search NAME",
            )
        values = {
            "role": "commune",
            "unit_code": c["code"],
            "unit_name": c["name"],
            "province_code": c["province_code"],
            "province_name": c["province_name"],
        }
    elif role == "district":
        name = nfc(unit_name)
        if not name:
            raise UserError(
                "Thiếu tên cơ quan giám sát (--unit-name), ví dụ “Sở Nội vụ tỉnh Khánh Hòa”.",
                "Missing --unit-name, e.g. “Sở Nội vụ tỉnh Khánh Hòa”.",
            )
        p = units.province(ctx, (province_code or "").strip())
        if p is None:
            raise UserError(
                f"Không có tỉnh/thành phố mã “{province_code}”. Mã tỉnh gồm 2 chữ số, ví dụ 56 "
                "(Khánh Hòa).",
                f"No province with code “{province_code}” (two digits, e.g. 56).",
            )
        values = {
            "role": "district",
            "unit_code": None,
            "unit_name": name,
            "province_code": p["code"],
            "province_name": p["name"],
        }
    else:
        raise UserError(
            f"Vai trò “{role}” không hợp lệ; chọn commune (xã/phường) hoặc district (cơ quan giám sát).",
            f"Unknown role “{role}”; use commune or district.",
        )
    site_id = str(uuid.uuid4())
    clock = HybridClock(site_id, now_ms=ctx.clock.now_ms)
    with ctx.db.transaction():
        ctx.db.con.execute(
            "INSERT INTO site(id, role, unit_code, unit_name, province_code, province_name, "
            "supervisor_label, user_name, created_at, clock) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (
                site_id,
                values["role"],
                values["unit_code"],
                values["unit_name"],
                values["province_code"],
                values["province_name"],
                nfc(supervisor_label) or DEFAULT_SUPERVISOR_LABEL,
                user,
                ctx.clock.now_iso(),
                clock.last,
            ),
        )
        ctx.db.reload_site()
        if role == "commune":
            units.ensure_place(
                ctx, values["unit_code"], hq_place_name(values["unit_name"]), kind="hq"
            )
            # Periods due before today are "before tracking": never overdue here or at
            # the office, not counted in completion (they may be filled in later).
            units.set_tracking_from(ctx, values["unit_code"], tracking_from or ctx.today())
        else:
            # The office's own checklist: the same "before tracking" rule from this day.
            ctx.db.set_setting(OFFICE_TRACKING_SETTING, (tracking_from or ctx.today()).isoformat())
    from papi_desktop.sync.identity import ensure_key

    # The USB-sync signing key pair (DESIGN §5); the private key stays in the keys folder.
    ensure_key(ctx.paths.keys, site_id)
    if role == "commune":
        # The year's expected disclosures exist from day one, so "what is still missing"
        # is known here and at the supervising office before anyone opens the plan.
        from papi_desktop.services import disclosures

        disclosures.generate_plan(ctx, ctx.today().year)
    return ctx.require_site()


def hq_place_name(unit_name: str) -> str:
    """'Phường Ninh Hòa' -> 'Trụ sở UBND phường Ninh Hòa'."""
    kind, _, rest = unit_name.partition(" ")
    if kind in ("Xã", "Phường") and rest:
        return f"Trụ sở UBND {kind.lower()} {rest}"
    if unit_name.startswith("Đặc khu "):
        return f"Trụ sở UBND đặc khu {unit_name[len('Đặc khu ') :]}"
    return f"Trụ sở UBND {unit_name}"


def set_user(ctx: AppContext, user: str) -> None:
    with ctx.db.transaction():
        ctx.db.con.execute("UPDATE site SET user_name = ?", (nfc(user) or "",))
    ctx.db.reload_site()
