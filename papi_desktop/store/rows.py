"""Writing synced rows: every insert, change and deletion bumps the row's version and
appends to the audit log (who, when, field, old → new). Nothing is ever hard-deleted:
deletion is a tombstone that can be restored.

Call these inside ``db.transaction()``; they do not commit by themselves.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import Any

from papi_desktop.store.db import Database
from papi_desktop.store.limits import check_text_values
from papi_desktop.store.schema import SYNCED_TABLES

ID_NAMESPACE = uuid.UUID("5b3f8a5e-2f4b-5c0e-9a57-706170696465")
SYSTEM_COLUMNS = ("id", "owner_site", "version", "deleted", "updated_at", "updated_by")


def deterministic_id(*parts: object) -> str:
    """A stable id for rows made from shipped catalogues: the same on every site."""
    return str(uuid.uuid5(ID_NAMESPACE, "|".join(str(p) for p in parts)))


def new_id() -> str:
    return str(uuid.uuid4())


def _check_table(table: str) -> None:
    if table not in SYNCED_TABLES:
        raise ValueError(f"not a synced table: {table}")


def _audit_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def write_audit(
    db: Database, table: str, row_id: str, field: str, old: Any, new: Any, at: str | None = None
) -> None:
    db.con.execute(
        "INSERT INTO audit(id, at, site, user, table_name, row_id, field, old, new) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            new_id(),
            at or db.clock.now_iso(),
            db.site_id,
            db.user_name,
            table,
            row_id,
            field,
            _audit_value(old),
            _audit_value(new),
        ),
    )


def insert(
    db: Database,
    table: str,
    values: Mapping[str, Any],
    *,
    row_id: str | None = None,
    owner_site: str | None = None,
    audit: bool = True,
) -> str:
    """Insert a new row owned by this site (or ``owner_site``); return its id. Text longer
    than a package may carry, or with control characters, is refused (``store.limits``)."""
    _check_table(table)
    check_text_values(values)
    rid = row_id or new_id()
    now = db.clock.now_iso()
    data = dict(values)
    data.update(
        id=rid,
        owner_site=owner_site or db.site_id,
        version=db.next_version(),
        deleted=0,
        updated_at=now,
        updated_by=db.user_name,
    )
    cols = ", ".join(data)
    marks = ", ".join("?" for _ in data)
    db.con.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", tuple(data.values()))
    if audit:
        write_audit(db, table, rid, "(tạo mới)", None, _summary(values), at=now)
    return rid


def _summary(values: Mapping[str, Any]) -> str:
    keep = {k: v for k, v in values.items() if v not in (None, "", "[]")}
    return json.dumps(keep, ensure_ascii=False, sort_keys=True, default=str)[:2000]


def update(db: Database, table: str, row_id: str, changes: Mapping[str, Any]) -> list[str]:
    """Change fields of a row; return the names of the fields that really changed."""
    _check_table(table)
    row = db.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        raise KeyError(f"{table} {row_id} not found")
    changed = {k: v for k, v in changes.items() if k not in SYSTEM_COLUMNS and _differs(row[k], v)}
    if not changed:
        return []
    check_text_values(changed)
    now = db.clock.now_iso()
    data = dict(changed)
    data.update(version=db.next_version(), updated_at=now, updated_by=db.user_name)
    sets = ", ".join(f"{k} = ?" for k in data)
    db.con.execute(f"UPDATE {table} SET {sets} WHERE id = ?", (*data.values(), row_id))
    for field, value in changed.items():
        write_audit(db, table, row_id, field, row[field], value, at=now)
    return list(changed)


def _differs(old: Any, new: Any) -> bool:
    if old is None or new is None:
        return old is not new and not (old in (None, "") and new in (None, ""))
    return str(old) != str(new)


def tombstone(db: Database, table: str, row_id: str) -> bool:
    """Mark a row deleted (kept, restorable); False when it already was."""
    _check_table(table)
    row = db.one(f"SELECT deleted FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        raise KeyError(f"{table} {row_id} not found")
    if row["deleted"]:
        return False
    now = db.clock.now_iso()
    db.con.execute(
        f"UPDATE {table} SET deleted = 1, version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        (db.next_version(), now, db.user_name, row_id),
    )
    write_audit(db, table, row_id, "deleted", 0, 1, at=now)
    return True


def restore(db: Database, table: str, row_id: str) -> bool:
    """Undo a tombstone; False when the row was not deleted."""
    _check_table(table)
    row = db.one(f"SELECT deleted FROM {table} WHERE id = ?", (row_id,))
    if row is None:
        raise KeyError(f"{table} {row_id} not found")
    if not row["deleted"]:
        return False
    now = db.clock.now_iso()
    db.con.execute(
        f"UPDATE {table} SET deleted = 0, version = ?, updated_at = ?, updated_by = ? WHERE id = ?",
        (db.next_version(), now, db.user_name, row_id),
    )
    write_audit(db, table, row_id, "deleted", 1, 0, at=now)
    return True


def history(db: Database, table: str, row_id: str) -> list[dict[str, Any]]:
    """The audit entries of one row, oldest first."""
    return [
        dict(r)
        for r in db.query(
            "SELECT at, site, user, field, old, new FROM audit "
            "WHERE table_name = ? AND row_id = ? ORDER BY seq",
            (table, row_id),
        )
    ]
