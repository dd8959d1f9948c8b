"""What inspection visits found on one item (a task and period, or a disclosure record),
for the item's own editor: issues with their deadlines and fixes, evidence not seen. The
visits themselves live in ``services.inspections``."""

from __future__ import annotations

from typing import Any

from papi_desktop.services.context import AppContext
from papi_desktop.services.formatting import iso_to_text as _fmt
from papi_desktop.services.inspections import DISCLOSURE_PREFIX


def findings_on_item(
    ctx: AppContext,
    unit: str,
    *,
    task_code: str | None = None,
    period: str | None = None,
    disclosure_id: str | None = None,
) -> list[dict[str, Any]]:
    """What inspections found wrong or did not see on one item of ``unit`` (a task and
    period, or a disclosure record), newest visit first: shown on the item itself. A finding
    on a task's year line also concerns each period of that year."""
    if disclosure_id:
        keys = [DISCLOSURE_PREFIX + disclosure_id[:8].lower()]
    elif task_code and period:
        keys = [f"{task_code}@{period}", f"{task_code}@{period[:4]}"]
    else:
        return []
    today = str(ctx.today())
    marks = ", ".join("?" for _ in keys)
    rows = ctx.db.query(
        "SELECT f.item, f.finding, f.note, f.fix_by, i.visit_on, x.fixed_on "
        "FROM inspection_finding f JOIN inspection i ON i.id = f.inspection_id AND i.deleted = 0 "
        "LEFT JOIN inspection_fix x ON x.finding_id = f.id AND x.deleted = 0 "
        f"WHERE f.deleted = 0 AND f.unit_code = ? AND f.item IN ({marks}) "
        "AND f.finding IN ('issue', 'not_seen') ORDER BY i.visit_on DESC, f.rowid",
        (unit, *keys),
    )
    return [
        {**dict(r), "overdue": bool(r["finding"] == "issue" and not r["fixed_on"]
                                    and r["fix_by"] and r["fix_by"] < today)}
        for r in rows
    ]  # fmt: skip


def item_findings_text(findings: list[dict[str, Any]], lang: str = "vi") -> str:
    """One line per finding for the item's editor, e.g. "Kiểm tra 12/11/2026: có tồn tại —
    thiếu biên bản; hạn khắc phục 30/11/2026 (quá hạn)"; empty when there is none."""
    out = []
    for f in findings:
        visit = _fmt(f["visit_on"])
        if f["finding"] == "not_seen":
            out.append(f"Kiểm tra {visit}: chưa thấy minh chứng" if lang == "vi"
                       else f"Inspection {visit}: evidence not seen")  # fmt: skip
            continue
        note = f" — {f['note']}" if f["note"] else ""
        if f["fixed_on"]:
            state = (f"; đã khắc phục {_fmt(f['fixed_on'])}" if lang == "vi"
                     else f"; fixed {_fmt(f['fixed_on'])}")  # fmt: skip
        elif f["fix_by"]:
            late = (" (quá hạn)" if lang == "vi" else " (overdue)") if f["overdue"] else ""
            state = (f"; hạn khắc phục {_fmt(f['fix_by'])}{late}" if lang == "vi"
                     else f"; fix by {_fmt(f['fix_by'])}{late}")  # fmt: skip
        else:
            state = "; chưa khắc phục" if lang == "vi" else "; not fixed yet"
        head = f"Kiểm tra {visit}: có tồn tại" if lang == "vi" else f"Inspection {visit}: issue"
        out.append(head + note + state)
    return "\n".join(out)
