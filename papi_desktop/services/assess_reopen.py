"""The office returns (reopens) a commune's submitted self-assessment so it can be corrected.

The return is an office-owned ``assess_return`` row (one per commune, index and year) that
names the version of the commune's ``assess_submission`` row it returned, with the office's
comment. It reaches that commune alone by USB. There the year shows as returned, with the
comment, on the scoring page and the home page; the commune can change its scores again
(its submission row becomes 'reopened') and submits again, which supersedes the return. The
office cannot appraise a returned year until the new submission arrives.
"""

from __future__ import annotations

from typing import Any

from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import assess, assess_framework
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from papi_desktop.store.rows import deterministic_id


def reopen(
    ctx: AppContext, unit: str, index: str, year: int, *, comment: str | None = None
) -> dict[str, Any]:
    """(Office) return ``unit``'s submitted self-assessment of ``year`` for correction."""
    site = ctx.require_site("district")
    index = assess_framework.check_index(index)
    year = assess.check_year(year)
    from papi_desktop.services.units import unit_code

    unit = unit_code(unit)
    name = ctx.db.scalar(
        "SELECT name FROM admin_unit WHERE level = 'commune' AND code = ?", (unit,)
    )
    if name is None:
        raise UserError(f"Không có xã/phường mã “{unit}”.", f"No commune with code “{unit}”.")
    sub = assess._submission(ctx, unit, index, year)
    if assess.return_of(ctx, unit, index, year, sub) is not None:
        raise UserError(
            f"Kết quả tự chấm {index} năm {year} của {name} đã được trả lại; chờ xã sửa và "
            "gửi lại.",
            f"{name}'s {index} {year} self-assessment was already returned; wait for it to "
            "be submitted again.",
        )
    if sub is None or sub["state"] != "submitted":
        raise UserError(
            f"{name} chưa gửi kết quả tự chấm {index} năm {year}; không có gì để trả lại.",
            f"{name} has not submitted its {index} self-assessment for {year}; nothing to return.",
        )
    values = {"submission_version": sub["version"], "comment": nfc(comment or "").strip(),
              "acted_at": ctx.clock.now_iso(), "acted_by": site.user_name}  # fmt: skip
    rid = deterministic_id("assess_return", unit, index, year)
    with ctx.db.transaction():
        existing = ctx.db.one("SELECT deleted FROM assess_return WHERE id = ?", (rid,))
        if existing is None:
            rows.insert(
                ctx.db,
                "assess_return",
                {"unit_code": unit, "index_name": index, "year": year, **values},
                row_id=rid,
            )
        else:
            if existing["deleted"]:
                rows.restore(ctx.db, "assess_return", rid)
            rows.update(ctx.db, "assess_return", rid, values)
    return {"unit": unit, "name": name, "index": index, "year": year,
            "comment": values["comment"]}  # fmt: skip


def returned_years(ctx: AppContext) -> list[dict[str, Any]]:
    """(Commune) the years of this commune the office returned and it has not submitted
    again: index, year, comment, who returned it and when (for the home page)."""
    site = ctx.require_site("commune")
    out = []
    for sub in ctx.db.query(
        "SELECT * FROM assess_submission WHERE unit_code = ? AND deleted = 0 "
        "ORDER BY year DESC, index_name",
        (site.unit_code,),
    ):
        ret = assess.return_of(ctx, site.unit_code, sub["index_name"], sub["year"], dict(sub))
        if ret is not None:
            out.append({"index": sub["index_name"], "year": sub["year"],
                        "comment": ret["comment"], "acted_by": ret["acted_by"],
                        "acted_at": ret["acted_at"]})  # fmt: skip
    return out
