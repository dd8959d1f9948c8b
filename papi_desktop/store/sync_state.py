"""The SQL of the USB sync use cases: peers (enrolled PCs and their acknowledgements), packages
sent and received, conflict records, per-row sync records, and the reads export and conflict
review need from synced tables, the audit log and the administrative units.

Table names passed in (``table``) always come from ``schema.SYNCED_TABLES``; values are bound
parameters. Writes run inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from papi_desktop.store.db import Database
from papi_desktop.store.hlc import CATALOG_SITE


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(r) for r in rows]


def _dict(row: Any) -> dict[str, Any] | None:
    return None if row is None else dict(row)


# -- peers ------------------------------------------------------------------------------


def peers(db: Database) -> list[dict[str, Any]]:
    """Every known site, office first, then by commune and enrolment."""
    return _dicts(db.query("SELECT * FROM sync_peer ORDER BY role, unit_code, enrolled_at"))


def peer(db: Database, site_id: str) -> dict[str, Any] | None:
    return _dict(db.one("SELECT * FROM sync_peer WHERE site_id = ?", (site_id,)))


def trusted_office(db: Database) -> dict[str, Any] | None:
    """The supervising office a commune trusts now (the newest)."""
    return _dict(
        db.one(
            "SELECT * FROM sync_peer WHERE role = 'district' AND status = 'trusted' "
            "ORDER BY enrolled_at DESC LIMIT 1"
        )
    )


def peer_with_key(db: Database, public_key: str, other_than: str) -> dict[str, Any] | None:
    """A site enrolled with ``public_key`` under another site id."""
    return _dict(
        db.one(
            "SELECT * FROM sync_peer WHERE public_key = ? AND site_id != ?",
            (public_key, other_than),
        )
    )


def trusted_commune_pc(db: Database, unit_code: str | None) -> dict[str, Any] | None:
    """The PC a commune is trusted by now (the newest)."""
    return _dict(
        db.one(
            "SELECT * FROM sync_peer WHERE role = 'commune' AND unit_code = ? AND status = "
            "'trusted' ORDER BY enrolled_at DESC LIMIT 1",
            (unit_code,),
        )
    )


def commune_pcs(
    db: Database, unit_code: str | None = None, *, newest_first: bool = False
) -> list[dict[str, Any]]:
    """Commune PCs (of one commune, or all), in enrolment order."""
    where, params = ("AND unit_code = ? ", (unit_code,)) if unit_code is not None else ("", ())
    order = "DESC" if newest_first else "ASC"
    return _dicts(
        db.query(
            f"SELECT * FROM sync_peer WHERE role = 'commune' {where}ORDER BY enrolled_at {order}",
            params,
        )
    )


def trusted_seen(db: Database) -> dict[str, str]:
    """What this site has seen of each trusted peer (its acknowledgements to send)."""
    return {
        r["site_id"]: r["seen_version"]
        for r in db.query("SELECT site_id, seen_version FROM sync_peer WHERE status = 'trusted'")
    }


def peer_names(db: Database) -> dict[str, str]:
    return {
        r["site_id"]: r["unit_name"] for r in db.query("SELECT site_id, unit_name FROM sync_peer")
    }


def set_peer_status(db: Database, site_id: str, status: str) -> int:
    """Returns how many sites changed (0: unknown site)."""
    cur = db.con.execute("UPDATE sync_peer SET status = ? WHERE site_id = ?", (status, site_id))
    return cur.rowcount


def retire_trusted(db: Database, role: str, unit_code: str | None = None) -> None:
    """Mark the trusted PCs of a role (and unit) as replaced."""
    if unit_code is None:
        db.con.execute(
            "UPDATE sync_peer SET status = 'replaced' WHERE role = ? AND status = 'trusted'",
            (role,),
        )
    else:
        db.con.execute(
            "UPDATE sync_peer SET status = 'replaced' WHERE role = ? AND unit_code = ? "
            "AND status = 'trusted'",
            (role, unit_code),
        )


def add_peer(db: Database, values: dict[str, Any]) -> None:
    cols = list(values)
    db.con.execute(
        f"INSERT INTO sync_peer({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        tuple(values[c] for c in cols),
    )


def note_import(
    db: Database,
    site_id: str,
    *,
    unit_name: str,
    seq: int,
    created_at: str,
    now: str,
    seen: str,
    acked: str,
    acked_seq: int,
) -> None:
    """After a package from ``site_id`` is applied: what we have seen, what it acknowledged."""
    db.con.execute(
        "UPDATE sync_peer SET unit_name = ?, last_seq = max(last_seq, ?), "
        "last_package_at = CASE WHEN last_package_at IS NULL OR last_package_at < ? "
        "THEN ? ELSE last_package_at END, last_import_at = ?, seen_version = ?, "
        "acked_version = ?, acked_seq = ? WHERE site_id = ?",
        (unit_name, seq, created_at, created_at, now, seen, acked, acked_seq, site_id),
    )


# -- administrative units ----------------------------------------------------------------


def commune_exists(db: Database, code: str | None, province_code: str | None = None) -> bool:
    if province_code is None:
        sql, params = "SELECT 1 FROM admin_unit WHERE level = 'commune' AND code = ?", (code,)
    else:
        sql = "SELECT 1 FROM admin_unit WHERE level = 'commune' AND code = ? AND province_code = ?"
        params = (code, province_code)
    return bool(db.scalar(sql, params))


def province_communes(db: Database, province_code: str | None) -> list[str]:
    return [
        r[0]
        for r in db.query(
            "SELECT code FROM admin_unit WHERE level = 'commune' AND province_code = ?",
            (province_code,),
        )
    ]


def commune_names(
    db: Database, *, province_code: str | None = None, codes: Sequence[str] | None = None
) -> list[dict[str, str]]:
    """``{code, name}`` of a province's communes, or of the given codes, in Vietnamese order."""
    if codes is None:
        rows = db.query(
            "SELECT code, name FROM admin_unit WHERE level = 'commune' AND province_code = ? "
            "ORDER BY name COLLATE vi",
            (province_code,),
        )
    else:
        marks = ",".join("?" for _ in codes) or "''"
        rows = db.query(
            f"SELECT code, name FROM admin_unit WHERE level = 'commune' AND code IN ({marks}) "
            "ORDER BY name COLLATE vi",
            list(codes),
        )
    return [{"code": r["code"], "name": r["name"]} for r in rows]


# -- packages ---------------------------------------------------------------------------


def package_known(db: Database, package_id: str, direction: str = "in") -> bool:
    return bool(
        db.scalar(
            "SELECT 1 FROM sync_package WHERE package_id = ? AND direction = ?",
            (package_id, direction),
        )
    )


def record_package(db: Database, values: dict[str, Any]) -> None:
    """One package sent (``direction='out'``) or received (``'in'``)."""
    cols = list(values)
    db.con.execute(
        f"INSERT INTO sync_package({', '.join(cols)}) VALUES ({', '.join('?' for _ in cols)})",
        tuple(values[c] for c in cols),
    )


def package_history(db: Database, limit: int) -> list[dict[str, Any]]:
    """Packages sent and received, newest first, with the peer's unit name."""
    return _dicts(
        db.query(
            "SELECT p.*, coalesce(s.unit_name, '') AS peer_name FROM sync_package p "
            "LEFT JOIN sync_peer s ON s.site_id = p.peer_site "
            "ORDER BY p.done_at DESC, p.seq DESC LIMIT ?",
            (limit,),
        )
    )


def last_sent_at(db: Database) -> str | None:
    return db.scalar("SELECT max(created_at) FROM sync_package WHERE direction = 'out'")


# -- conflicts --------------------------------------------------------------------------


def conflict_records(db: Database, fields: Sequence[str] | None = None) -> list[dict[str, Any]]:
    """Every conflict record (all columns, or ``fields``), by table, row and version."""
    cols = ", ".join(fields) if fields else "*"
    order = "id" if fields else "table_name, row_id, loser_version"
    return _dicts(db.query(f"SELECT {cols} FROM sync_conflict ORDER BY {order}"))


def conflict(db: Database, conflict_id: str) -> dict[str, Any] | None:
    return _dict(db.one("SELECT * FROM sync_conflict WHERE id = ?", (conflict_id,)))


def mark_restored(db: Database, conflict_id: str, version: str) -> None:
    db.con.execute(
        "UPDATE sync_conflict SET restored_version = ? WHERE id = ?", (version, conflict_id)
    )


# -- per-row sync records -----------------------------------------------------------------


def sync_records(db: Database) -> dict[tuple[str, str], tuple[str, str]]:
    """(table, row id) -> (last synced version, ancestry JSON)."""
    return {
        (r["table_name"], r["row_id"]): (r["version"], r["ancestry"])
        for r in db.query("SELECT table_name, row_id, version, ancestry FROM sync_row")
    }


def put_sync_records(db: Database, rows: Iterable[tuple[str, str, str, str]]) -> None:
    """(table, row id, version, ancestry JSON) rows, inserted or updated."""
    db.con.executemany(
        "INSERT INTO sync_row(table_name, row_id, version, ancestry) VALUES (?,?,?,?) "
        "ON CONFLICT(table_name, row_id) DO UPDATE SET version = excluded.version, "
        "ancestry = excluded.ancestry",
        list(rows),
    )


# -- synced rows --------------------------------------------------------------------------


def rows_to_send(
    db: Database, table: str, site_id: str, since: str, *, catalogue_edits: bool
) -> list[dict[str, Any]]:
    """Rows of ``table`` owned by ``site_id`` (and, for the office, the shipped catalogue rows
    it edited) with a version after ``since``."""
    if catalogue_edits:
        sql = (
            f"SELECT * FROM {table} WHERE (owner_site = ? OR (owner_site = ? AND version "
            "LIKE ?)) AND version > ?"
        )
        params: tuple = (site_id, CATALOG_SITE, f"%-{site_id}", since)
    else:
        sql, params = (
            f"SELECT * FROM {table} WHERE owner_site = ? AND version > ?",
            (
                site_id,
                since,
            ),
        )
    return _dicts(db.query(sql, params))


def rows_of_owners(db: Database, table: str, owners: Sequence[str]) -> list[dict[str, Any]]:
    marks = ", ".join("?" for _ in owners)
    return _dicts(db.query(f"SELECT * FROM {table} WHERE owner_site IN ({marks})", list(owners)))


def row(db: Database, table: str, row_id: Any) -> dict[str, Any] | None:
    return _dict(db.one(f"SELECT * FROM {table} WHERE id = ?", (row_id,)))


def row_by_key(db: Database, table: str, key: dict[str, Any]) -> dict[str, Any] | None:
    where = " AND ".join(f"{c} = ?" for c in key)
    return _dict(db.one(f"SELECT * FROM {table} WHERE {where}", list(key.values())))


def unit_of(db: Database, table: str, row_id: Any) -> str | None:
    return db.scalar(f"SELECT unit_code FROM {table} WHERE id = ?", (row_id,))


def audit_of_sites(db: Database, sites: Iterable[str], fields: Sequence[str]) -> list[dict]:
    sites = tuple(sites)
    marks = ", ".join("?" for _ in sites)
    return _dicts(
        db.query(
            f"SELECT {', '.join(fields)} FROM audit WHERE site IN ({marks}) ORDER BY seq", sites
        )
    )
