"""History and warnings: packages sent and received, communes gone silent, USB sticks to offer."""

from __future__ import annotations

import contextlib
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.services.context import AppContext
from papi_desktop.services.sync.common import SILENCE_DAYS
from papi_desktop.services.sync.export import _receiver_name
from papi_desktop.store import sync_state


def history(ctx: AppContext, limit: int = 200) -> list[dict[str, Any]]:
    """Packages sent (``out``) and received (``in``), newest first, with peer names
    (``peer_name``: the other side's unit, also for a package sent to a commune whose PC
    has not sent anything yet)."""
    site = ctx.require_site()
    out = []
    for d in sync_state.package_history(ctx.db, limit):
        d["counts"] = json.loads(d["counts"])
        d["summary"] = json.loads(d["summary"])
        if not d["peer_name"] and d["direction"] == "out":
            d["peer_name"] = _receiver_name(
                ctx, site, {"unit_code": (d["summary"] or {}).get("unit")}
            )
        out.append(d)
    return out


def _days_since(iso: str | None, today: date) -> int | None:
    if not iso:
        return None
    return (today - date.fromisoformat(iso[:10])).days


def silence_warnings(ctx: AppContext, days: int = SILENCE_DAYS) -> list[dict[str, Any]]:
    """Communes silent for more than ``days``: at the office, each enrolled commune whose
    newest package is older; at a commune, when it has sent nothing for that long."""
    site = ctx.require_site()
    today = ctx.today()
    out = []
    if site.is_district:
        pcs = [p for p in sync_state.commune_pcs(ctx.db) if p["status"] == "trusted"]
        for p in sorted(pcs, key=lambda p: p["unit_code"] or ""):
            age = _days_since(p["last_package_at"], today)
            if age is None or age > days:
                out.append({
                    "site_id": p["site_id"], "unit_code": p["unit_code"],
                    "unit_name": p["unit_name"], "days": age,
                    "vi": f"{p['unit_name']} chưa gửi gói nào trong {age or 'nhiều'} ngày qua.",
                    "en": f"{p['unit_name']} has sent nothing for {age or 'many'} days.",
                })  # fmt: skip
    else:
        last = sync_state.last_sent_at(ctx.db)
        age = _days_since(last, today)
        if age is None or age > days:
            out.append({
                "site_id": site.id, "unit_code": site.unit_code, "unit_name": site.unit_name,
                "days": age,
                "vi": "Đã hơn 35 ngày chưa gửi dữ liệu lên cơ quan giám sát. Hãy xuất gói ra USB."
                if age is not None else "Chưa gửi dữ liệu lên cơ quan giám sát lần nào.",
                "en": "Nothing sent to the supervising office for over 35 days. Export a package."
                if age is not None else "Nothing has been sent to the supervising office yet.",
            })  # fmt: skip
    return out


def removable_drives() -> list[dict[str, str]]:
    """USB sticks and other removable drives to offer as export/import folders.

    Windows: drive letters whose type is DRIVE_REMOVABLE (GetDriveTypeW == 2). Linux: the
    folders mounted under ``/media/<user>/`` and ``/run/media/<user>/``.
    """
    found: list[dict[str, str]] = []
    if os.name == "nt":  # pragma: no cover - Windows only
        import ctypes
        import string

        kernel32 = ctypes.windll.kernel32
        mask = kernel32.GetLogicalDrives()
        for i, letter in enumerate(string.ascii_uppercase):
            if mask & (1 << i):
                root = f"{letter}:\\"
                if kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)) == 2:
                    found.append({"path": root, "label": root})
        return found
    for base in (Path("/media"), Path("/run/media")):
        with contextlib.suppress(OSError):
            for user_dir in sorted(base.iterdir()):
                with contextlib.suppress(OSError):
                    for mount in sorted(user_dir.iterdir()):
                        if mount.is_dir():
                            found.append({"path": str(mount), "label": mount.name})
    return found
