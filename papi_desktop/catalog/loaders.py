"""Load the shipped catalogues into the database on first run and after an app upgrade.

Rows made from a catalogue get deterministic ids and the smallest possible version, so every
site starts with the same rows, sync never duplicates them, and any edit made by a user
(which carries a real clock version) wins. A newer catalogue shipped with an upgrade updates
only the rows nobody has edited; edited rows are left as the user made them.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from papi_desktop.domain.subdimensions import dimension_of, dump_criteria
from papi_desktop.domain.task_levels import OFFICE_TRACKING_SETTING
from papi_desktop.domain.text import fold, nfc
from papi_desktop.store.db import Database
from papi_desktop.store.hlc import CATALOG_SITE, CATALOG_VERSION
from papi_desktop.store.rows import deterministic_id

CATALOG_FILES = {
    "admin-units": "admin_units.json",
    "papi-criteria": "papi_criteria.json",
    "framework-commune-default": "framework_commune.json",
    "framework-office-default": "framework_office.json",
    "disclosure-types": "disclosure_types.json",
    "holidays": "holidays.json",
}


@cache
def read_catalog(name: str) -> dict[str, Any]:
    """The parsed JSON of a shipped catalogue (cached; treat as read-only)."""
    text = (
        resources.files("papi_desktop.catalog")
        .joinpath("data", CATALOG_FILES[name])
        .read_text(encoding="utf-8")
    )
    return json.loads(text)


def loaded_version(db: Database, name: str) -> str | None:
    return db.scalar("SELECT version FROM catalog_version WHERE name = ?", (name,))


def _mark_loaded(db: Database, name: str, version: str, source: str = "") -> None:
    db.con.execute(
        "INSERT INTO catalog_version(name, version, source, loaded_at) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(name) DO UPDATE SET version = excluded.version, source = excluded.source, "
        "loaded_at = excluded.loaded_at",
        (name, str(version), source, db.clock.now_iso()),
    )


def _upsert_catalog_row(db: Database, table: str, row_id: str, values: dict[str, Any]) -> None:
    """Insert a catalogue row, or refresh it when no user has edited it since it was loaded."""
    data = {
        "id": row_id,
        "owner_site": CATALOG_SITE,
        "version": CATALOG_VERSION,
        "deleted": 0,
        "updated_at": db.clock.now_iso(),
        "updated_by": "",
        **values,
    }
    cols = ", ".join(data)
    marks = ", ".join("?" for _ in data)
    updates = ", ".join(f"{k} = excluded.{k}" for k in values)
    db.con.execute(
        f"INSERT INTO {table} ({cols}) VALUES ({marks}) ON CONFLICT(id) DO UPDATE SET {updates} "
        f"WHERE {table}.version = '{CATALOG_VERSION}'",
        tuple(data.values()),
    )


def load_admin_units(db: Database, units: Any = None) -> int:
    """(Re)load the official list of provinces and communes; return the number of communes."""
    from papi_desktop.catalog.admin_units import load_shipped

    units = units or load_shipped()
    rows = [
        ("province", p["code"], nfc(p["name"]), p["type"], None, units.version, fold(p["name"]))
        for p in units.provinces
    ]
    prov_names = {p["code"]: p["name"] for p in units.provinces}
    rows += [
        (
            "commune",
            c["code"],
            nfc(c["name"]),
            c["type"],
            c["province_code"],
            units.version,
            fold(f"{c['name']} {prov_names.get(c['province_code'], '')}"),
        )
        for c in units.communes
    ]
    db.con.execute("DELETE FROM admin_unit")
    db.con.executemany(
        "INSERT INTO admin_unit(level, code, name, type, province_code, data_version, search_key) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    _mark_loaded(db, "admin-units", units.version, units.source)
    return len(units.communes)


def load_criteria(db: Database) -> None:
    cat = read_catalog("papi-criteria")
    index = cat.get("index", "PAPI")
    for order, item in enumerate(cat["items"]):
        _upsert_catalog_row(
            db,
            "criterion",
            deterministic_id("criterion", index, item["code"]),
            {
                "index_name": index,
                "code": item["code"],
                "parent_code": item.get("parent"),
                "level": item["level"],
                "name_vi": nfc(item["name_vi"]),
                "name_en": item.get("name_en", ""),
                "short_vi": nfc(item.get("short_vi", "")) or "",
                "short_en": item.get("short_en", ""),
                "confidence": item.get("confidence", ""),
                "sort_order": order,
            },
        )
    _mark_loaded(db, "papi-criteria", cat["version"], cat.get("source", ""))


def framework_id(index: str, level: str, fw_version: int) -> str:
    return deterministic_id("framework", index, level, fw_version)


def shipped_version(name: str) -> str:
    """The version of a shipped catalogue as recorded once loaded. The default framework adds
    its content ``revision`` ("1.2"): a corrected task of the same framework version (a due
    rule, a disclosure-type reference) then reaches PCs that loaded an older revision, while
    the framework keeps its number."""
    cat = read_catalog(name)
    revision = cat.get("revision")
    return f"{cat['version']}.{revision}" if revision else str(cat["version"])


def load_default_framework(db: Database) -> str:
    """Load the shipped commune framework; it becomes current only if none is current yet.
    Reloading refreshes the tasks no one has edited (``_upsert_catalog_row``)."""
    cat = read_catalog("framework-commune-default")
    index, level, fw_version = cat.get("index", "PAPI"), "commune", int(cat["version"])
    fid = framework_id(index, level, fw_version)
    has_current = db.scalar(
        "SELECT count(*) FROM framework WHERE is_current = 1 AND deleted = 0 AND index_name = ?",
        (index,),
    )
    already = db.scalar("SELECT is_current FROM framework WHERE id = ?", (fid,))
    _upsert_catalog_row(
        db,
        "framework",
        fid,
        {
            "index_name": index,
            "level": level,
            "fw_version": fw_version,
            "title_vi": nfc(cat["title_vi"]),
            "title_en": cat.get("title_en", ""),
            "issuer_vi": nfc(cat.get("issuer_vi", "")) or "",
            "decision_no": cat.get("decision_no"),
            "decision_date": cat.get("decision_date"),
            "years": str(cat.get("years", "")),
            "note_vi": nfc(cat.get("note_vi", "")) or "",
            "is_current": 1 if (already or not has_current) else 0,
        },
    )
    for order, t in enumerate(cat["tasks"]):
        title = nfc(t["title_vi"])
        _upsert_catalog_row(
            db,
            "task",
            deterministic_id("task", fid, t["code"]),
            {
                "framework_id": fid,
                "code": t["code"],
                "criterion_code": t["criterion"],
                "dimension": dimension_of(t["criterion"]),
                "criteria": dump_criteria([t["criterion"]]),
                "title_vi": title,
                "title_en": t.get("title_en", ""),
                "level": t.get("level", "commune"),
                "lead_role": nfc(t.get("lead_role", "")) or "",
                "partners": json.dumps([nfc(p) for p in t.get("partners", [])], ensure_ascii=False),
                "due_rule": t["due_rule"],
                "output_vi": nfc(t.get("output_vi", "")) or "",
                "output_en": t.get("output_en", ""),
                "disclosure_type": t.get("disclosure_type"),
                "sort_order": order,
                "retired": 0,
                "search_key": fold(f"{t['code']} {title}"),
            },
        )
    _mark_loaded(db, "framework-commune-default", shipped_version("framework-commune-default"))
    return fid


def load_office_tasks(db: Database) -> list[str]:
    """Add the supervising office's own default tasks (level ``office``) to the shipped
    framework, and to the current framework when it has no office task yet (an install
    whose province framework was published before the office had a checklist). Their ids
    are deterministic, so the office and its communes hold the same rows; communes never
    show them. Return the framework ids that received them."""
    cat = read_catalog("framework-office-default")
    base = read_catalog("framework-commune-default")
    index = cat.get("index", "PAPI")
    targets = [framework_id(index, "commune", int(base["version"]))]
    current = db.scalar(
        "SELECT id FROM framework WHERE is_current = 1 AND deleted = 0 AND index_name = ? "
        "ORDER BY fw_version DESC LIMIT 1",
        (index,),
    )
    if current and current not in targets:
        has_office = db.scalar(
            "SELECT count(*) FROM task WHERE framework_id = ? AND deleted = 0 "
            "AND level IN ('office', 'district', 'province')",
            (current,),
        )
        if not has_office:
            targets.append(current)
    for fid in targets:
        if db.scalar("SELECT count(*) FROM framework WHERE id = ?", (fid,)) == 0:
            continue
        first = db.scalar(
            "SELECT coalesce(max(sort_order), 0) FROM task WHERE framework_id = ? "
            "AND level NOT IN ('office', 'district', 'province')",
            (fid,),
        )
        taken = {r[0] for r in db.query("SELECT code FROM task WHERE framework_id = ?", (fid,))}
        for order, t in enumerate(cat["tasks"], start=int(first) + 1):
            row_id = deterministic_id("task", fid, t["code"])
            if t["code"] in taken and not db.scalar(
                "SELECT count(*) FROM task WHERE id = ?", (row_id,)
            ):
                continue  # the province's framework already uses this code for its own task
            title = nfc(t["title_vi"])
            _upsert_catalog_row(
                db,
                "task",
                row_id,
                {
                    "framework_id": fid,
                    "code": t["code"],
                    "criterion_code": t["criterion"],
                    "dimension": dimension_of(t["criterion"]),
                    "criteria": dump_criteria([t["criterion"]]),
                    "title_vi": title,
                    "title_en": t.get("title_en", ""),
                    "level": "office",
                    "lead_role": nfc(t.get("lead_role", "")) or "",
                    "partners": json.dumps(
                        [nfc(p) for p in t.get("partners", [])], ensure_ascii=False
                    ),
                    "due_rule": t["due_rule"],
                    "output_vi": nfc(t.get("output_vi", "")) or "",
                    "output_en": t.get("output_en", ""),
                    "disclosure_type": None,
                    "sort_order": order,
                    "retired": 0,
                    "search_key": fold(f"{t['code']} {title}"),
                },
            )
    # The office's checklist starts the day it first has one (periods due before are
    # "before tracking", as for a commune set up that day); ``init`` may set another day.
    db.con.execute(
        "INSERT OR IGNORE INTO setting(key, value) VALUES (?, ?)",
        (OFFICE_TRACKING_SETTING, db.clock.today().isoformat()),
    )
    _mark_loaded(db, "framework-office-default", str(cat["version"]))
    return targets


def load_disclosure_types(db: Database) -> None:
    cat = read_catalog("disclosure-types")
    for t in cat["types"]:
        name = nfc(t["name_vi"])
        _upsert_catalog_row(
            db,
            "disclosure_type",
            deterministic_id("disclosure_type", t["code"]),
            {
                "code": t["code"],
                "row_ref": str(t.get("row", "")),
                "group_code": t.get("group", "other"),
                "name_vi": name,
                "name_en": t.get("name_en", ""),
                "legal_basis": nfc(t.get("legal_basis", "")) or "",
                "trigger_vi": nfc(t.get("trigger_vi", "")) or "",
                "trigger_en": t.get("trigger_en", ""),
                "deadline_days": t.get("deadline_days"),
                "deadline_unit": t.get("deadline_unit"),
                "deadline_direction": t.get("deadline_direction", "after"),
                "period_days": t.get("period_days"),
                "period_unit": t.get("period_unit", "calendar"),
                "period_note_vi": nfc(t.get("period_note_vi", "")) or "",
                "period_note_en": t.get("period_note_en", ""),
                "places": json.dumps(t.get("places", []), ensure_ascii=False),
                "forms": json.dumps(t.get("forms", []), ensure_ascii=False),
                "loudspeaker_days": int(t.get("loudspeaker_days") or 0),
                "evidence_vi": nfc(t.get("evidence_vi", "")) or "",
                "evidence_en": t.get("evidence_en", ""),
                "papi_criterion": t.get("papi_criterion"),
                "confidence": t.get("confidence", ""),
                "confidence_note_vi": nfc(t.get("confidence_note_vi", "")) or "",
                "confidence_note_en": t.get("confidence_note_en", ""),
                "source": t.get("source", ""),
                "plan": json.dumps(t.get("plan", []), ensure_ascii=False),
                "search_key": fold(f"{t['code']} {name} {t.get('name_en', '')}"),
            },
        )
    _mark_loaded(db, "disclosure-types", cat["version"])


def load_holidays(db: Database) -> None:
    cat = read_catalog("holidays")
    for d in cat["days"]:
        _upsert_catalog_row(
            db,
            "holiday",
            deterministic_id("holiday", d["date"]),
            {
                "day": d["date"],
                "kind": d["kind"],
                "name_vi": nfc(d.get("name_vi", "")) or "",
                "name_en": d.get("name_en", ""),
                "legal_basis": d.get("legal_basis", ""),
                "source": d.get("source", ""),
                "confidence": d.get("confidence", ""),
                "provisional": 1 if d.get("provisional") else 0,
            },
        )
    _mark_loaded(db, "holidays", cat["version"])


def _version_key(v: str | None) -> tuple:
    if v is None:
        return ()
    return tuple(int(p) if p.isdigit() else p for p in str(v).replace("-", ".").split("."))


def ensure_catalogs(db: Database) -> list[str]:
    """Load every catalogue that is missing or older than the shipped one; return their names.

    Runs inside one transaction, so a failure leaves the database as it was.
    """
    loaded: list[str] = []
    steps = [
        ("admin-units", lambda: load_admin_units(db)),
        ("papi-criteria", lambda: load_criteria(db)),
        ("framework-commune-default", lambda: load_default_framework(db)),
        ("framework-office-default", lambda: load_office_tasks(db)),
        ("disclosure-types", lambda: load_disclosure_types(db)),
        ("holidays", lambda: load_holidays(db)),
    ]
    with db.transaction():
        for name, step in steps:
            shipped = shipped_version(name)
            if _version_key(loaded_version(db, name)) < _version_key(shipped):
                step()
                loaded.append(name)
    return loaded
