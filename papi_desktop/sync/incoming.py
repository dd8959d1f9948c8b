"""What a package carries, checked against this database's schema before anything else:
the synced tables' columns and unique keys (from ``PRAGMA``), the shape and types of every
row, audit and conflict line, and text normalised to NFC. ``validate`` turns the lines of
``rows.jsonl`` into an ``Incoming``; who may write them is ``authorize``'s business and what
applying them does is ``merge``'s.

The table list is ``schema.SYNCED_TABLES`` and each table's columns come from
``PRAGMA table_info``, so a synced table added by a later migration needs no change here
(only its line in ``ownership.TABLES``).
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from papi_desktop.store.db import Database
from papi_desktop.store.hlc import parse_version
from papi_desktop.store.limits import MAX_TEXT_CHARS
from papi_desktop.store.schema import SYNCED_TABLES
from papi_desktop.sync.authorize import too_large
from papi_desktop.sync.package import PackageRefused

SYNC_FIELDS = ("id", "owner_site", "version", "deleted", "updated_at", "updated_by")
AUDIT_FIELDS = ("id", "at", "site", "user", "table_name", "row_id", "field", "old", "new")
CONFLICT_FIELDS = (
    "id",
    "table_name",
    "row_id",
    "loser_version",
    "loser_row",
    "winner_version",
    "detected_at",
    "detected_by",
)


# -- schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    notnull: bool
    has_default: bool
    kind: str = "other"  # "int", "text" or "other" (REAL, untyped): the JSON types allowed


def _kind(sql_type: str) -> str:
    if "INT" in sql_type:
        return "int"
    if "TEXT" in sql_type or "CHAR" in sql_type or "CLOB" in sql_type:
        return "text"
    return "other"


@dataclass
class TableInfo:
    name: str
    columns: dict[str, Column]
    unique_keys: list[tuple[str, ...]]


def table_infos(db: Database) -> dict[str, TableInfo]:
    """The synced tables that exist in this database, with their columns and unique keys."""
    out: dict[str, TableInfo] = {}
    for table in SYNCED_TABLES:
        cols = {
            r["name"]: Column(
                r["name"],
                (r["type"] or "").upper(),
                bool(r["notnull"]),
                r["dflt_value"] is not None,
                _kind((r["type"] or "").upper()),
            )
            for r in db.query(f"PRAGMA table_info({table})")
        }
        if not cols:
            continue
        keys = []
        for idx in db.query(f"PRAGMA index_list({table})"):
            if idx["unique"] and idx["origin"] == "u":
                names = tuple(r["name"] for r in db.query(f"PRAGMA index_info({idx['name']})"))
                keys.append(names)
        out[table] = TableInfo(table, cols, keys)
    return out


def _schema_refusal(detail_vi: str, detail_en: str) -> PackageRefused:
    return PackageRefused(
        "schema",
        f"Gói chứa dữ liệu không khớp với phần mềm trên máy này ({detail_vi}). Không có gì được "
        "nhập. Nếu máy gửi dùng phiên bản mới hơn, hãy cập nhật PAPI Desktop trên máy này.",
        f"The package holds data this software does not understand ({detail_en}). Nothing was "
        "imported. If the sender runs a newer version, update PAPI Desktop here.",
    )


def _check_value(table: str, col: Column, value: Any) -> Any:
    kind = type(value)
    if kind is str:  # the common case first
        if col.kind == "int":
            raise _schema_refusal(
                f"kiểu sai ở {table}.{col.name}", f"bad type in {table}.{col.name}"
            )
        if len(value) > MAX_TEXT_CHARS:
            raise too_large("text", f"{table}.{col.name} holds {len(value)} characters")
        return value if value.isascii() else unicodedata.normalize("NFC", value)
    if value is None:
        if col.notnull:
            raise _schema_refusal(f"{table}.{col.name} trống", f"{table}.{col.name} is null")
        return None
    if kind is int and col.kind != "text":
        return value
    if kind is float and col.kind == "other":
        return value
    raise _schema_refusal(f"kiểu sai ở {table}.{col.name}", f"bad type in {table}.{col.name}")


def _nfc(value: str) -> str:
    """NFC without trimming: a received value must stay exactly what the sender holds."""
    return value if value.isascii() else unicodedata.normalize("NFC", value)


# -- what travels ----------------------------------------------------------------------


@dataclass
class IncomingRow:
    table: str
    values: dict[str, Any]
    ancestry: list[str]

    @property
    def id(self) -> str:
        return self.values["id"]

    @property
    def version(self) -> str:
        return self.values["version"]


@dataclass
class Incoming:
    """The validated content of one package. ``skipped_*`` hold what a commune sets aside
    unread because it concerns another commune (see ``set_aside_foreign``); the counts still
    include them, so the manifest check stays exact."""

    rows: list[IncomingRow] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)
    conflicts: list[dict[str, Any]] = field(default_factory=list)
    skipped_rows: list[IncomingRow] = field(default_factory=list)
    skipped_audit: list[dict[str, Any]] = field(default_factory=list)
    skipped_conflicts: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        c = Counter(r.table for r in (*self.rows, *self.skipped_rows))
        out = {t: c[t] for t in sorted(c)}
        out["audit"] = len(self.audit) + len(self.skipped_audit)
        out["conflicts"] = len(self.conflicts) + len(self.skipped_conflicts)
        return out

    def max_version(self) -> str:
        return max((r.version for r in self.rows), default="")


def validate(
    db: Database,
    lines: Iterable[dict[str, Any]],
    *,
    sender_site: str,
    restore_for: tuple[set[str], str | None] | None = None,
) -> Incoming:
    """Check every line against the local schema; PackageRefused names the first problem.
    Text is NFC-normalised. Who may write what is decided afterwards by ``authorize``.

    ``restore_for=(site ids, unit code)``: a restore package from the supervising office
    carries this commune's own rows (and their audit entries) back."""
    infos = table_infos(db)
    out = Incoming()
    seen: set[tuple[str, str]] = set()
    for line in lines:
        kind = line.get("k")
        if kind == "row":
            out.rows.append(_validate_row(infos, line, seen))
        elif kind == "audit":
            sites = restore_for[0] if restore_for is not None else {sender_site}
            out.audit.append(_validate_plain(line.get("r"), AUDIT_FIELDS, "audit", sites))
        elif kind == "conflict":
            rec = _validate_plain(line.get("r"), CONFLICT_FIELDS, "conflict", None)
            loser = rec["loser_row"]
            try:
                loser_values = json.loads(loser)
            except ValueError as exc:
                raise _schema_refusal("xung đột hỏng", "bad conflict record") from exc
            if rec["table_name"] not in infos or not isinstance(loser_values, dict):
                raise _schema_refusal(
                    f"bảng lạ {rec['table_name']!r}", f"unknown table {rec['table_name']!r}"
                )
            unknown = set(loser_values) - set(infos[rec["table_name"]].columns)
            if unknown:
                raise _schema_refusal(
                    f"cột lạ {sorted(unknown)}", f"unknown columns {sorted(unknown)}"
                )
            out.conflicts.append(rec)
        else:
            raise _schema_refusal(f"loại dòng lạ {kind!r}", f"unknown line kind {kind!r}")
    return out


def _validate_plain(
    rec: Any, fields: tuple[str, ...], what: str, sites: set[str] | None
) -> dict[str, Any]:
    if not isinstance(rec, dict) or set(rec) != set(fields):
        raise _schema_refusal(f"bản ghi {what} sai cấu trúc", f"malformed {what} record")
    for k, v in rec.items():
        if v is not None and not isinstance(v, str):
            raise _schema_refusal(f"kiểu sai ở {what}.{k}", f"bad type in {what}.{k}")
    if not rec["id"]:
        raise _schema_refusal(f"{what} thiếu id", f"{what} without id")
    if sites is not None and rec["site"] not in sites:
        raise PackageRefused(
            "ownership",
            "Gói chứa nhật ký của máy khác với máy gửi; gói có thể bị giả mạo. Không nhập.",
            "The package carries audit entries of another site; it may be forged. Not imported.",
        )
    return {k: (_nfc(v) if isinstance(v, str) else v) for k, v in rec.items()}


def _validate_row(
    infos: dict[str, TableInfo], line: dict[str, Any], seen: set[tuple[str, str]]
) -> IncomingRow:
    table, values, anc = line.get("t"), line.get("r"), line.get("a", [])
    if table not in infos:
        raise _schema_refusal(f"bảng lạ {table!r}", f"unknown table {table!r}")
    info = infos[table]
    if not isinstance(values, dict) or not isinstance(anc, list):
        raise _schema_refusal(f"dòng {table} sai cấu trúc", f"malformed {table} line")
    unknown = set(values) - set(info.columns)
    if unknown:
        raise _schema_refusal(
            f"cột lạ {table}.{sorted(unknown)}", f"unknown columns {table}.{sorted(unknown)}"
        )
    for name in SYNC_FIELDS:
        if name not in values:
            raise _schema_refusal(f"thiếu {table}.{name}", f"missing {table}.{name}")
    clean: dict[str, Any] = {}
    for name, col in info.columns.items():
        if name in values:
            clean[name] = _check_value(table, col, values[name])
        elif col.notnull and not col.has_default:
            raise _schema_refusal(f"thiếu {table}.{name}", f"missing {table}.{name}")
    try:
        parse_version(clean["version"])
        for v in anc:
            parse_version(v)
    except (ValueError, TypeError, AttributeError) as exc:
        raise _schema_refusal(f"phiên bản hỏng ở {table}", f"bad version in {table}") from exc
    if clean["deleted"] not in (0, 1) or not clean["id"]:
        raise _schema_refusal(f"dòng {table} sai", f"bad {table} row")
    if (table, clean["id"]) in seen:
        raise _schema_refusal(f"dòng {table} trùng", f"duplicate {table} row")
    seen.add((table, clean["id"]))
    return IncomingRow(table, clean, [str(v) for v in anc])
