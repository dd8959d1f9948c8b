"""Authorization of a validated package against the ownership table, before anything is
applied, and the limits on what one package may carry.

``check_rows`` reads (in batches) what the rule needs from the receiving database — the
local row with the same id, the row already holding the same natural key, the unit of a
child row's parent — and applies ``ownership.may_write`` to every row; ``check_conflicts``
applies ``ownership.may_report_conflict`` to every conflict line. The first offence refuses
the whole package (``PackageRefused`` with the rule's code and the names the plain message
needs); nothing has been written at that point.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from papi_desktop.store.attachments import MAX_ATTACHMENT_BYTES
from papi_desktop.store.db import Database
from papi_desktop.sync import ownership
from papi_desktop.sync.package import MAX_LINES, PackageRefused

MAX_ROWS = MAX_LINES  # rows + audit + conflict lines in one package
_CHUNK = 400


def refused(refusal: ownership.Refusal, sender: ownership.Sender) -> PackageRefused:
    """The refusal for a broken rule: the technical detail for the log, the names for the
    plain message (``target``: the unit concerned, ``what``: the kind of data)."""
    detail = f"{sender.name or sender.site_id} ({sender.role}, {sender.unit_code}): " + (
        refusal.detail
    )
    exc = PackageRefused(refusal.code, detail, detail)
    exc.target = refusal.unit  # type: ignore[attr-defined]
    exc.what = (refusal.label_vi, refusal.label_en)  # type: ignore[attr-defined]
    exc.sender_name = sender.name  # type: ignore[attr-defined]
    return exc


def too_large(limit: str, detail: str) -> PackageRefused:
    """A package beyond one of the limits; ``limit`` names which (for the message)."""
    exc = PackageRefused("too_large", detail, detail)
    exc.limit = limit  # type: ignore[attr-defined]
    return exc


def check_manifest_limits(manifest: Mapping[str, Any]) -> None:
    """Limits readable from the manifest alone: checked before anything is extracted."""
    counts = manifest.get("counts") or {}
    total = sum(v for v in counts.values() if isinstance(v, int))
    if total > MAX_ROWS:
        raise too_large("rows", f"{total} rows declared (limit {MAX_ROWS})")
    for name, meta in (manifest.get("members") or {}).items():
        if name.startswith("attachments/") and meta["size"] > MAX_ATTACHMENT_BYTES:
            raise too_large("attachment", f"{name} is {meta['size']} bytes")


def check_values(table: str, values: Mapping[str, Any]) -> None:
    """Field limits of one row beyond the text length (checked by ``merge.validate``)."""
    if table == "attachment" and int(values.get("size") or 0) > MAX_ATTACHMENT_BYTES:
        raise too_large("attachment", f"attachment {values.get('id')} of {values['size']} bytes")


def _by_ids(db: Database, table: str, ids: list[str], cols: str = "*") -> dict[str, dict]:
    out: dict[str, dict] = {}
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for r in db.query(f"SELECT {cols} FROM {table} WHERE id IN ({marks})", chunk):
            out[r["id"]] = dict(r)
    return out


def _holders(
    db: Database, table: str, key: tuple[str, ...], rows: list[Mapping[str, Any]], cols: str
) -> dict[tuple, dict]:
    """Local rows holding the natural ``key`` of any of ``rows``, by key value (looked up by
    the key's first column, which leads its unique index)."""
    wanted = {tuple(r.get(c) for c in key) for r in rows}
    wanted = {k for k in wanted if None not in k}
    firsts = sorted({k[0] for k in wanted}, key=repr)
    out: dict[tuple, dict] = {}
    for start in range(0, len(firsts), _CHUNK):
        chunk = firsts[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for r in db.query(f"SELECT {cols} FROM {table} WHERE {key[0]} IN ({marks})", chunk):
            k = tuple(r[c] for c in key)
            if k in wanted:
                out[k] = dict(r)
    return out


def _columns(rule: ownership.Ownership) -> str:
    """What the rule reads of a local row: identity, owner, unit, parent, kind, keys."""
    cols = ["id", "owner_site"]
    if rule.unit_column:
        cols.append(rule.unit_column)
    if rule.parent:
        cols.extend((rule.parent[0], *rule.parent[2:]))
    if rule.owner == "kind":
        cols.append("kind")
    for key in rule.natural_keys:
        cols.extend(key)
    return ", ".join(dict.fromkeys(cols))


class ParentUnits:
    """The unit of parent records (task results, disclosures): from the package first, then
    from this database."""

    def __init__(self, db: Database, rows: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
        self.db = db
        self.known: dict[tuple[str, str], str | None] = {}
        for table, values in rows:
            if table in ownership.ATTACHMENT_PARENTS or table == "disclosure":
                self.known[(table, str(values.get("id")))] = values.get("unit_code")

    def preload(self, pairs: Iterable[tuple[str, str]]) -> None:
        missing: dict[str, list[str]] = {}
        for table, rid in pairs:
            if (table, rid) not in self.known and table in ownership.ATTACHMENT_PARENTS:
                missing.setdefault(table, []).append(rid)
        for table, ids in missing.items():
            found = _by_ids(self.db, table, sorted(set(ids)), "id, unit_code")
            for rid in ids:
                self.known[(table, rid)] = (found.get(rid) or {}).get("unit_code")

    def of(self, table: str, values: Mapping[str, Any]) -> str | None:
        parent = ownership.parent_of(table, values)
        if parent is None:
            return None
        if parent[0] not in ownership.ATTACHMENT_PARENTS:
            return None  # refused by ``check_rows`` before the rule is asked
        if parent not in self.known:
            self.preload([parent])
        return self.known.get(parent)


def check_rows(
    db: Database,
    sender: ownership.Sender,
    rows: list[tuple[str, Mapping[str, Any]]],
    *,
    here: str,
) -> None:
    """Apply the ownership rule to every (table, values) row; raise at the first offence."""
    by_table: dict[str, list[Mapping[str, Any]]] = {}
    for table, values in rows:
        by_table.setdefault(table, []).append(values)
    for values in by_table.get("attachment", ()):
        check_values("attachment", values)
        if values.get("record_table") not in ownership.ATTACHMENT_PARENTS:
            detail = f"attachment {values.get('id')} on {values.get('record_table')!r}"
            raise refused(ownership.Refusal("ownership", "attachment", detail), sender)
    parents = ParentUnits(db, rows)
    parents.preload(
        p for table, values in rows if (p := ownership.parent_of(table, values)) is not None
    )
    for table, found in by_table.items():
        rule = ownership.TABLES.get(table)
        if rule is None:
            raise refused(ownership.Refusal("ownership", table, f"{table} not synced"), sender)
        cols = _columns(rule)
        existing = _by_ids(db, table, [str(v["id"]) for v in found], cols)
        new = [v for v in found if v["id"] not in existing]
        holders = [(key, _holders(db, table, key, new, cols)) for key in rule.natural_keys if new]
        for values in found:
            holder = None
            if values["id"] not in existing:
                for key, held in holders:
                    h = held.get(tuple(values.get(c) for c in key))
                    if h is not None and h["id"] != values["id"]:
                        holder = h
                        break
            refusal = ownership.may_write(
                sender, table, values, existing.get(values["id"]),
                parent_unit=parents.of(table, values), holder=holder, here=here,
            )  # fmt: skip
            if refusal is not None:
                raise refused(refusal, sender)


def check_conflicts(
    db: Database,
    sender: ownership.Sender,
    records: list[Mapping[str, Any]],
    *,
    here: str,
    here_unit: str | None,
) -> None:
    """Conflict lines are information about rows their sender may write (or, from the office,
    about this commune's own rows); a conflict line about anything else was planted."""
    if not records:
        return
    losers = [(str(r["table_name"]), json.loads(r["loser_row"])) for r in records]
    parents = ParentUnits(db, losers)
    for table, loser in losers:
        refusal = ownership.may_report_conflict(
            sender, table, loser, parent_unit=parents.of(table, loser), here=here,
            here_unit=here_unit,
        )  # fmt: skip
        if refusal is not None:
            raise refused(refusal, sender)


def exportable_conflicts(
    db: Database, me: ownership.Sender, records: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The conflict records a commune sends: only those about its own rows (anything else
    would be refused by the office as planted)."""
    parents = ParentUnits(db, [])
    out = []
    for rec in records:
        loser = json.loads(rec["loser_row"])
        table = rec["table_name"]
        if (
            ownership.may_write(me, table, loser, None, parent_unit=parents.of(table, loser))
            is None
        ):
            out.append(rec)
    return out


def check_audit(rows: Iterable[tuple[str, str]], audit: Iterable[Mapping[str, Any]]) -> None:
    """Audit entries travel only with the rows they describe."""
    allowed = set(rows)
    for a in audit:
        if (a["table_name"], a["row_id"]) not in allowed:
            raise PackageRefused(
                "ownership",
                f"audit entry {a['id']} about {a['table_name']} {a['row_id']} not in the package",
                f"audit entry {a['id']} about {a['table_name']} {a['row_id']} not in the package",
            )
