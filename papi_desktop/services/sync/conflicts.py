"""Conflicts: the versions that lost, described in words, and restoring one (only for rows
this site may write)."""

from __future__ import annotations

import json
from typing import Any

from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.services.sync.common import _unit_label
from papi_desktop.store import rows as store_rows
from papi_desktop.store import sync_state
from papi_desktop.sync import authorize, merge, ownership


def conflicts(ctx: AppContext, *, open_only: bool = False) -> list[dict[str, Any]]:
    """Versions that lost a conflict: table, row, the losing values and the current winner.

    ``state`` is ``open`` while the row still holds the winner recorded at detection,
    ``restored`` after ``restore_conflict`` and ``superseded`` when the row changed since.
    """
    ctx.require_site()
    out = []
    names = sync_state.peer_names(ctx.db)
    site = ctx.require_site()
    names[site.id] = site.unit_name
    known = merge.table_infos(ctx.db)
    for d in sync_state.conflict_records(ctx.db):
        d["loser_row"] = json.loads(d["loser_row"])
        current = (
            sync_state.row(ctx.db, d["table_name"], d["row_id"])
            if d["table_name"] in known
            else None
        )
        d["current_version"] = current["version"] if current else None
        d.update(_conflict_words(ctx, d["table_name"], d["loser_row"], names))
        if d["restored_version"]:
            d["state"] = "restored"
        elif current is None or current["version"] == d["winner_version"]:
            d["state"] = "open"
        else:
            d["state"] = "superseded"
        if open_only and d["state"] != "open":
            continue
        out.append(d)
    return out


def _item_words(table: str, v: dict[str, Any]) -> str:
    """What a row is, in words (a task, a place, a holiday…)."""
    label = ownership.TABLES[table].label_vi if table in ownership.TABLES else table
    for keys in (("task_code",), ("title",), ("name",), ("title_vi",), ("name_vi",),
                 ("place_name",), ("file_name",), ("label_vi",), ("code",), ("day",)):  # fmt: skip
        if v.get(keys[0]):
            return f"{label} {v[keys[0]]}"
    return label


def _conflict_words(
    ctx: AppContext, table: str, loser: dict[str, Any], names: dict[str, str]
) -> dict[str, Any]:
    """Unit, item, period, both values, who and when, for people (ids stay in the record)."""
    parent_unit = authorize.ParentUnits(ctx.db, []).of(table, loser)
    unit = ownership.row_unit(table, loser, parent_unit) if table in ownership.TABLES else None
    current = None
    if table in ownership.TABLES and table in merge.table_infos(ctx.db):
        current = sync_state.row(ctx.db, table, loser.get("id"))
        for key in ownership.TABLES[table].natural_keys if current is None else ():
            if all(loser.get(c) is not None for c in key):  # the row that took its place
                current = sync_state.row_by_key(ctx.db, table, {c: loser[c] for c in key})
                if current is not None:
                    break
    changes = []
    for k, lost in loser.items():
        if k in store_rows.SYSTEM_COLUMNS and k != "deleted":
            continue
        kept = (current or {}).get(k)
        if current is not None and kept != lost:
            changes.append({"field": k, "kept": kept, "lost": lost})
    period = loser.get("period") or loser.get("year") or loser.get("period_code") or ""
    return {
        "unit_code": unit,
        "unit_name": _unit_label(ctx, unit) if unit else "",
        "item": _item_words(table, loser),
        "period": str(period),
        "changes": changes,
        "lost_by": loser.get("updated_by") or "",
        "lost_site": names.get(str(loser.get("owner_site")), ""),
        "lost_at": loser.get("updated_at") or "",
        "kept_by": (current or {}).get("updated_by") or "",
        "kept_at": (current or {}).get("updated_at") or "",
    }


def restore_conflict(ctx: AppContext, conflict_id: str) -> dict[str, Any]:
    """Put a losing version back as a new local edit (it then syncs like any change).

    Only the site that owns the row can do it; others are told whom to ask.
    """
    site = ctx.require_site()
    rec = sync_state.conflict(ctx.db, conflict_id)
    if rec is None:
        raise UserError(
            f"Không có xung đột mã {conflict_id}.", f"No conflict with id {conflict_id}."
        )
    loser = json.loads(rec["loser_row"])
    table, row_id = rec["table_name"], rec["row_id"]
    me = ownership.Sender(site.id, site.role, site.unit_code)
    known_table = table in ownership.TABLES and table in merge.table_infos(ctx.db)
    current_row = sync_state.row(ctx.db, table, row_id) if known_table else None
    parent_unit = authorize.ParentUnits(ctx.db, []).of(table, loser)
    if not known_table or ownership.may_write(
        me, table, {**loser, "version": f"x-{site.id}"},
        current_row, parent_unit=parent_unit,
    ) is not None:  # fmt: skip
        raise UserError(
            "Chỉ máy sở hữu dòng dữ liệu này mới khôi phục được phiên bản cũ; hãy báo cho "
            "đơn vị đã nhập dữ liệu.",
            "Only the site that owns this row can restore the old version; ask the unit "
            "that entered it.",
        )
    changes = {k: v for k, v in loser.items() if k not in store_rows.SYSTEM_COLUMNS}
    with ctx.db.transaction():
        current = sync_state.row(ctx.db, table, row_id)
        if current is None:
            values = {k: v for k, v in changes.items()}
            other = merge._collision(ctx.db, merge.table_infos(ctx.db)[table], loser)
            if other is not None:
                raise UserError(
                    "Dòng đang giữ chỗ (cùng mã, cùng kỳ) phải được xóa trước; đã không đổi gì.",
                    "The row holding the same natural key must be removed first; nothing changed.",
                )
            store_rows.insert(ctx.db, table, values, row_id=row_id, owner_site=loser["owner_site"])
            if loser["deleted"]:
                store_rows.tombstone(ctx.db, table, row_id)
        else:
            if loser["deleted"] and not current["deleted"]:
                store_rows.tombstone(ctx.db, table, row_id)
            elif not loser["deleted"] and current["deleted"]:
                store_rows.restore(ctx.db, table, row_id)
            store_rows.update(ctx.db, table, row_id, changes)
        version = (sync_state.row(ctx.db, table, row_id) or {}).get("version")
        sync_state.mark_restored(ctx.db, conflict_id, version)
    return {"table": table, "row_id": row_id, "version": version}
