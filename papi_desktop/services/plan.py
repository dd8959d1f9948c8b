"""The yearly disclosure plan of a commune: dated lines from the catalogue (the same rule the
framework tasks follow), matched to the commune's disclosures, each with its state and the
reason in words.

The plan is computed, never stored by a read: its lines come from the catalogue's plan
entries (``domain.obligations``), its states from the recorded disclosures
(``obligations.match_items`` and ``plan_state``). A stored ``plan_item`` row only records the
user's own changes (a line removed from the plan). The office computes a commune's plan with
the same functions (``district.expected_disclosures``).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from papi_desktop.domain.obligations import (
    ItemView,
    Obligation,
    entry_raw_due,
    match_items,
    obligations,
    plan_state,
)
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import units
from papi_desktop.services.context import AppContext
from papi_desktop.services.disclosures import (
    OPEN_PLAN_STATES,
    PLACE_KIND_LABELS,
    describe_items,
    types_by_code,
)
from papi_desktop.store import rows


def _d(s: str | None) -> date | None:
    return date.fromisoformat(s) if s else None


def plan_due_date(ctx: AppContext, year: int, due_text: str) -> date:
    """The due date of a yearly-plan entry ("MM-DD" or "+1:MM-DD" for the next year), moved to
    the next working day when it falls on a day off (BLDS 2015 Điều 148 khoản 5)."""
    return ctx.calendar().next_working_day(entry_raw_due(year, due_text))


def _type_plans(ctx: AppContext) -> list[tuple[str, list[dict[str, Any]]]]:
    """(code, plan entries) of every disclosure type, without the sorted full rows."""
    return [
        (r["code"], json.loads(r["plan"] or "[]"))
        for r in ctx.db.query("SELECT code, plan FROM disclosure_type WHERE deleted = 0")
    ]


def plan_obligations(ctx: AppContext, year: int) -> list[Obligation]:
    """Every dated plan line of the catalogue for ``year``, in due-date order."""
    cal = ctx.calendar()
    out: list[Obligation] = []
    for code, plan in _type_plans(ctx):
        out += obligations(code, plan, year, cal)
    out.sort(key=lambda o: (o.due, o.type_code, o.period_code))
    return out


def generate_plan(ctx: AppContext, year: int) -> int:
    """Store the year's plan lines for the user to edit (idempotent); return how many were
    added. Reading the plan does not need this: ``list_plan`` computes it."""
    site = ctx.require_site("commune")
    if not 2000 <= year <= 2100:
        raise UserError(f"Năm {year} không hợp lệ.", f"Invalid year {year}.")
    added = 0
    with ctx.db.transaction():
        for o in plan_obligations(ctx, year):
            exists = ctx.db.one(
                "SELECT id FROM plan_item WHERE unit_code = ? AND year = ? AND type_code = ? "
                "AND period_code = ?",
                (site.unit_code, year, o.type_code, o.period_code),
            )
            if exists:
                continue
            rows.insert(
                ctx.db,
                "plan_item",
                {
                    "unit_code": site.unit_code,
                    "year": year,
                    "type_code": o.type_code,
                    "period_code": o.period_code,
                    "label_vi": nfc(o.label_vi) or "",
                    "label_en": o.label_en,
                    "due_date": o.due.isoformat(),
                },
            )
            added += 1
    return added


def _item_view(item: dict[str, Any], permanent: bool) -> ItemView:
    return ItemView(
        id=item["id"],
        type_code=item["type"],
        period=item.get("period") or "",
        trigger=_d(item["trigger_date"]),
        deadline=_d(item["legal_deadline"]),
        places=[
            {"place": p["place"], "posted_on": _d(p["posted_on"]), "state": p["state"]}
            for p in item["places"]
        ],
        permanent=permanent,
        title=item["title"],
    )


PLAN_EXPECTED_PREFIX = "expected|"


def plan_line_id(unit: str, year: int, type_code: str, period_code: str) -> str:
    return f"{PLAN_EXPECTED_PREFIX}{unit}|{year}|{type_code}|{period_code}"


def compute_plan(
    lines: list[Obligation],
    types: dict[str, dict[str, Any]],
    items: list[dict[str, Any]],
    removed: set[tuple[str, str]],
    unit: str,
    year: int,
    today: date,
    tracked_from: date | None = None,
) -> list[dict[str, Any]]:
    """The plan of one commune (pure): ``lines`` from ``plan_obligations``, ``items`` from
    ``describe_items`` (the commune's disclosures of the plan's types), ``removed`` the
    (type, period code) lines the commune took off its plan."""
    lines = [o for o in lines if (o.type_code, o.period_code) not in removed]
    views = [
        _item_view(i, types.get(i["type"], {}).get("period_unit") == "permanent") for i in items
    ]
    matched = match_items(lines, views)
    out = []
    for k, o in enumerate(lines):
        t = types.get(o.type_code, {})
        item = matched.get(k)
        st = plan_state(o, item, today, tracked_from)
        out.append(
            {
                "id": plan_line_id(unit, year, o.type_code, o.period_code),
                "unit": unit,
                "year": year,
                "type": o.type_code,
                "type_name": t.get("name_vi", o.type_code),
                "period": o.period_code,
                "obligation_period": str(o.period),
                "label": o.label_vi,
                "label_en": o.label_en,
                "due": o.due.isoformat(),
                "due_explain_vi": o.explain_vi,
                "due_explain_en": o.explain_en,
                "estimated": o.estimated,
                "provisional": o.provisional,
                "basis": o.basis,
                "confidence": o.confidence,
                "places": [PLACE_KIND_LABELS.get(p, {"vi": p})["vi"] for p in t.get("places", [])],
                "forms": t.get("forms", []),
                "legal_basis": t.get("legal_basis", ""),
                "period_days": t.get("period_days"),
                "period_unit": t.get("period_unit"),
                "disclosure_id": item.id if item else None,
                "disclosure_title": item.title if item else None,
                "state": st.state,
                "reason_vi": st.reason_vi,
                "reason_en": st.reason_en,
                "overdue": st.overdue,
                "unposted": st.unposted,
            }
        )
    return out


def plan_items(ctx: AppContext, units_: list[str], year: int) -> dict[str, list[dict[str, Any]]]:
    """Per commune, the described disclosures that may fulfil a line of ``year``'s plan."""
    codes = [code for code, plan in _type_plans(ctx) if plan]
    if not codes or not units_:
        return {}
    marks = ",".join("?" for _ in codes)
    umarks = ",".join("?" for _ in units_)
    # An item can only fulfil a line within MATCH_MAX_GAP_DAYS of it; lines of ``year``
    # fall between 1/1 of the year and the next year's end ("+1:" entries).
    lo = date(year - 1, 6, 1).isoformat()
    hi = date(year + 2, 6, 30).isoformat()
    found = ctx.db.query(
        f"SELECT * FROM disclosure WHERE deleted = 0 AND type_code IN ({marks}) "
        f"AND unit_code IN ({umarks}) AND (period LIKE ? OR (period = '' AND "
        "coalesce(post_deadline, trigger_date, decision_date, substr(updated_at, 1, 10)) "
        "BETWEEN ? AND ?)) ORDER BY coalesce(trigger_date, decision_date, updated_at)",
        (*codes, *units_, f"{year}%", lo, hi),
    )
    out: dict[str, list[dict[str, Any]]] = {u: [] for u in units_}
    for i in describe_items(ctx, found):
        out[i["unit"]].append(i)
    return out


def removed_plan_lines(ctx: AppContext, year: int) -> dict[str, set[tuple[str, str]]]:
    out: dict[str, set[tuple[str, str]]] = {}
    for r in ctx.db.query(
        "SELECT unit_code, type_code, period_code FROM plan_item WHERE year = ? AND deleted = 1",
        (year,),
    ):
        out.setdefault(r[0], set()).add((r[1], r[2]))
    return out


def list_plan(ctx: AppContext, year: int, *, unit: str | None = None) -> list[dict[str, Any]]:
    """The year's expected disclosures with their state (``domain.obligations.PLAN_STATES``)
    and the reason in words. Computed on every read; nothing is stored."""
    site = ctx.require_site()
    if not 2000 <= year <= 2100:
        raise UserError(f"Năm {year} không hợp lệ.", f"Invalid year {year}.")
    unit_code = site.unit_code if site.is_commune else unit
    if not unit_code:
        return []
    lines = plan_obligations(ctx, year)
    types = types_by_code(ctx)
    items = plan_items(ctx, [unit_code], year).get(unit_code, [])
    removed = removed_plan_lines(ctx, year).get(unit_code, set())
    tracked = units.tracking_dates(ctx).get(unit_code)
    return compute_plan(lines, types, items, removed, unit_code, year, ctx.today(), tracked)


def missing_this_quarter(ctx: AppContext, unit: str | None = None) -> list[dict[str, Any]]:
    """Expected disclosures due up to the end of the current quarter and not yet made."""
    today = ctx.today()
    q_end_month = 3 * ((today.month - 1) // 3) + 3
    q_end = (date(today.year, q_end_month, 28) + timedelta(days=4)).replace(day=1) - timedelta(
        days=1
    )
    return [
        p
        for p in list_plan(ctx, today.year, unit=unit)
        if p["state"] in OPEN_PLAN_STATES and date.fromisoformat(p["due"]) <= q_end
    ]
