"""The official list of provinces and communes, and each commune's own places
(the commune office and its villages / tổ dân phố)."""

from __future__ import annotations

from datetime import date
from typing import Any

from papi_desktop.domain.text import fold, nfc
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

HQ_PLACE_NAME = "Trụ sở UBND"


COMMUNE_CODE_DIGITS = 5
PROVINCE_CODE_DIGITS = 2


def unit_code(text: str | None, digits: int = COMMUNE_CODE_DIGITS) -> str:
    """A unit code as the official list writes it: Excel drops leading zeros, so "6529"
    is read as "06529" (and province "1" as "01")."""
    raw = (text or "").strip()
    if raw.isascii() and raw.isdigit() and len(raw) < digits:
        return raw.zfill(digits)
    return raw


def search_units(ctx: AppContext, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Communes whose name (with or without the province) matches ``text``, tones ignored;
    a number finds the commune with that code (leading zeros optional)."""
    words = fold(text).split()
    if not words:
        return []
    if len(words) == 1 and words[0].isascii() and words[0].isdigit():
        code = unit_code(words[0])
        found = ctx.db.query(
            "SELECT c.code, c.name, c.type, c.province_code, p.name AS province_name "
            "FROM admin_unit c LEFT JOIN admin_unit p "
            "ON p.level = 'province' AND p.code = c.province_code "
            "WHERE c.level = 'commune' AND (c.code = ? OR c.code LIKE ?) "
            "ORDER BY c.code != ?, c.code LIMIT ?",
            (code, f"{words[0]}%", code, limit),
        )
        return [dict(r) for r in found]
    where = " AND ".join("c.search_key LIKE ?" for _ in words)
    params = [f"%{w}%" for w in words]
    found = ctx.db.query(
        "SELECT c.code, c.name, c.type, c.province_code, p.name AS province_name, c.search_key "
        "FROM admin_unit c LEFT JOIN admin_unit p ON p.level = 'province' AND p.code = c.province_code "
        f"WHERE c.level = 'commune' AND {where}",
        params,
    )
    query = " ".join(words)

    def rank(r) -> tuple:
        name_key = fold(r["name"])
        bare = fold(r["name"].split(" ", 1)[-1]) if " " in r["name"] else name_key
        if query in (name_key, bare):
            score = 0
        elif name_key.startswith(query) or bare.startswith(query):
            score = 1
        elif query in name_key:
            score = 2
        else:
            score = 3
        return (score, r["search_key"])

    found.sort(key=rank)
    return [
        {k: r[k] for k in ("code", "name", "type", "province_code", "province_name")}
        for r in found[:limit]
    ]


def commune(ctx: AppContext, code: str) -> dict[str, Any] | None:
    r = ctx.db.one(
        "SELECT c.code, c.name, c.type, c.province_code, p.name AS province_name, c.data_version "
        "FROM admin_unit c LEFT JOIN admin_unit p ON p.level = 'province' AND p.code = c.province_code "
        "WHERE c.level = 'commune' AND c.code = ?",
        (unit_code(code),),
    )
    return dict(r) if r else None


def province(ctx: AppContext, code: str) -> dict[str, Any] | None:
    r = ctx.db.one(
        "SELECT code, name, type, data_version FROM admin_unit WHERE level = 'province' AND code = ?",
        (unit_code(code, PROVINCE_CODE_DIGITS),),
    )
    return dict(r) if r else None


def provinces(ctx: AppContext) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT code, name, type FROM admin_unit WHERE level = 'province' ORDER BY name COLLATE vi"
        )
    ]


def communes_of_province(ctx: AppContext, province_code: str) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT code, name, type, province_code FROM admin_unit "
            "WHERE level = 'commune' AND province_code = ? ORDER BY name COLLATE vi",
            (province_code,),
        )
    ]


def short_name(unit_name: str) -> str:
    """'Phường Ninh Hòa' -> 'Ninh Hòa' (for the place-and-date line)."""
    for prefix in ("Thành phố ", "Phường ", "Xã ", "Đặc khu ", "Tỉnh "):
        if unit_name.startswith(prefix):
            return unit_name[len(prefix) :]
    return unit_name


# -- places ---------------------------------------------------------------


def list_places(ctx: AppContext, unit_code: str | None = None) -> list[dict[str, Any]]:
    """The commune office first, then villages in Vietnamese alphabetical order."""
    site = ctx.require_site()
    unit_code = unit_code or site.unit_code
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT id, name, kind, sort_order FROM place WHERE unit_code = ? AND deleted = 0 "
            "ORDER BY CASE kind WHEN 'hq' THEN 0 WHEN 'village' THEN 1 ELSE 2 END, name COLLATE vi",
            (unit_code,),
        )
    ]


def find_place(ctx: AppContext, unit_code: str, name: str) -> dict[str, Any] | None:
    r = ctx.db.one(
        "SELECT id, name, kind, deleted FROM place WHERE unit_code = ? AND search_key = ?",
        (unit_code, fold(name)),
    )
    return dict(r) if r else None


def check_new_place_name(name: str) -> str:
    """The cleaned name of a place to add, or a UserError when it is empty or too long."""
    clean = nfc(name or "").strip()
    if not clean:
        raise UserError("Tên địa điểm niêm yết không được để trống.", "Place name is empty.")
    if len(clean) > 120:
        raise UserError(
            "Tên địa điểm quá dài (tối đa 120 ký tự).", "Place name too long (max 120)."
        )
    return clean


def require_place(ctx: AppContext, unit_code: str, name: str) -> str:
    """The stored name of an existing place of the commune; a typo is refused with the
    nearest names, and the way to add a new place on purpose."""
    clean = check_new_place_name(name)
    found = find_place(ctx, unit_code, clean)
    if found and not found["deleted"]:
        return found["name"]
    similar = similar_places(ctx, unit_code, clean)
    hint_vi = f" Có phải ý bạn là: {', '.join(similar)}?" if similar else ""
    hint_en = f" Did you mean: {', '.join(similar)}?" if similar else ""
    raise UserError(
        f"Chưa có địa điểm “{clean}” trong danh sách thôn, tổ dân phố.{hint_vi} "
        f"Nếu đây là địa điểm mới, thêm nó có chủ ý bằng --new-place “{clean}”.",
        f"There is no place “{clean}” in the list of villages.{hint_en} "
        f"If it is a new place, add it on purpose with --new-place “{clean}”.",
    )


def ensure_place(ctx: AppContext, unit_code: str, name: str, kind: str = "village") -> str:
    """Return the place's stored name, adding it to the commune's places if it is new.

    Call inside a transaction. Names are matched tone- and case-insensitively, so
    "thon 1" and "Thôn 1" are the same place.
    """
    clean = check_new_place_name(name)
    found = find_place(ctx, unit_code, clean)
    if found:
        if found["deleted"]:
            rows.restore(ctx.db, "place", found["id"])
        return found["name"]
    rows.insert(
        ctx.db,
        "place",
        {"unit_code": unit_code, "name": clean, "kind": kind, "search_key": fold(clean)},
    )
    return clean


def add_places(ctx: AppContext, names: list[str]) -> list[tuple[str, bool]]:
    """Set up villages / tổ dân phố in advance (one transaction); returns (name, is_new)."""
    site = ctx.require_site("commune")
    out = []
    with ctx.db.transaction():
        for n in names:
            found = find_place(ctx, site.unit_code, n)
            is_new = found is None or bool(found["deleted"])
            out.append((ensure_place(ctx, site.unit_code, n), is_new))
    return out


def remove_place(ctx: AppContext, name: str) -> None:
    site = ctx.require_site("commune")
    found = find_place(ctx, site.unit_code, name)
    if not found or found["deleted"]:
        raise UserError(f"Không có địa điểm “{name}”.", f"No place named “{name}”.")
    if found["kind"] == "hq":
        raise UserError(
            "Không thể xóa trụ sở UBND khỏi danh sách địa điểm.",
            "The commune office cannot be removed.",
        )
    with ctx.db.transaction():
        rows.tombstone(ctx.db, "place", found["id"])


def similar_places(ctx: AppContext, unit_code: str, name: str, limit: int = 3) -> list[str]:
    """Existing place names that look like ``name`` (a likely typo), tones ignored."""
    import difflib

    places = {fold(p["name"]): p["name"] for p in list_places(ctx, unit_code)}
    close = difflib.get_close_matches(fold(name), list(places), n=limit, cutoff=0.75)
    return [places[c] for c in close]


# -- tracking from ------------------------------------------------------------------------------


def set_tracking_from(ctx: AppContext, unit_code: str, day: date | None) -> None:
    """Record the day the commune started tracking (call inside a transaction or not)."""
    row = ctx.db.one("SELECT id FROM unit_profile WHERE unit_code = ?", (unit_code,))
    value = day.isoformat() if day else None
    with ctx.db.transaction():
        if row:
            rows.update(ctx.db, "unit_profile", row["id"], {"tracking_from": value})
        else:
            rows.insert(ctx.db, "unit_profile", {"unit_code": unit_code, "tracking_from": value})


def tracking_dates(ctx: AppContext) -> dict[str, date]:
    """``unit_code -> tracking_from`` of every commune that recorded one."""
    return {
        r["unit_code"]: date.fromisoformat(r["tracking_from"])
        for r in ctx.db.query(
            "SELECT unit_code, tracking_from FROM unit_profile "
            "WHERE deleted = 0 AND tracking_from IS NOT NULL"
        )
    }
