"""The supervising office's view of its communes: the Xã/phường list and consolidated figures.

For each enrolled commune: the framework version it answers against, the last USB package
received (date, age, a warning past 35 days), the state of its report for the year, its
completion (done / (all − not applicable) over the periods due so far, as in the commune's
own progress report), overdue tasks, disclosures past their legal deadline and expected
disclosures of the yearly plan still missing. Consolidated figures: a communes × dimensions
completion matrix, a ranking and trends per quarter and per year.

Figures never mix framework versions silently: each commune is measured against the tasks of
the framework version it is on, and a commune on another version than the office's current
one is flagged (``framework_current`` False) on screen, in JSON and in the reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from papi_desktop.domain.periods import before_tracking, is_overdue, periods_in_year
from papi_desktop.domain.task_levels import OFFICE_UNIT
from papi_desktop.domain.text import vi_sort_key
from papi_desktop.errors import UserError
from papi_desktop.services import review, tasks
from papi_desktop.services.context import AppContext
from papi_desktop.services.units import tracking_dates

STALE_DAYS = 35
DEFAULT_INDEX = tasks.DEFAULT_INDEX


def check_year(ctx: AppContext, year: int | None) -> int:
    year = int(year or ctx.today().year)
    if not 2000 <= year <= ctx.today().year + 1:
        raise UserError(
            f"Năm {year} không hợp lệ (từ 2000 đến {ctx.today().year + 1}).",
            f"Invalid year {year} (2000 to {ctx.today().year + 1}).",
        )
    return year


def cutoff_of(ctx: AppContext, year: int) -> date:
    """Periods due up to this day count: today, or 31/12 for a past year."""
    return min(ctx.today(), date(year, 12, 31))


# -- which communes, which framework -------------------------------------------------------


def enrolled_units(ctx: AppContext) -> list[str]:
    """Communes known to this office: enrolled senders and any commune with data here."""
    codes: set[str] = set()
    for sql in (
        "SELECT DISTINCT unit_code FROM sync_peer WHERE role = 'commune' AND status = 'trusted' "
        "AND unit_code IS NOT NULL",
        "SELECT DISTINCT unit_code FROM task_result WHERE deleted = 0",
        "SELECT DISTINCT unit_code FROM disclosure WHERE deleted = 0",
        "SELECT DISTINCT unit_code FROM submission WHERE deleted = 0",
    ):
        codes.update(r[0] for r in ctx.db.query(sql) if r[0])
    codes.discard(OFFICE_UNIT)  # the office's own checklist is not a commune
    return sorted(codes)


def unit_names(ctx: AppContext, units: Iterable[str]) -> dict[str, str]:
    units = list(units)
    out = {u: u for u in units}
    for start in range(0, len(units), 900):
        chunk = units[start : start + 900]
        marks = ",".join("?" for _ in chunk)
        for r in ctx.db.query(
            f"SELECT code, name FROM admin_unit WHERE level = 'commune' AND code IN ({marks})",
            chunk,
        ):
            out[r["code"]] = r["name"]
    return out


def _frameworks(ctx: AppContext, index: str = DEFAULT_INDEX) -> list[dict[str, Any]]:
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT id, fw_version, version, is_current, title_vi FROM framework "
            "WHERE deleted = 0 AND index_name = ? AND level = 'commune' ORDER BY fw_version",
            (index,),
        )
    ]


def _peer_rows(ctx: AppContext) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for r in ctx.db.query(
        "SELECT * FROM sync_peer WHERE role = 'commune' AND unit_code IS NOT NULL"
    ):
        out.setdefault(r["unit_code"], []).append(r)
    return out


def unit_framework_versions(
    ctx: AppContext,
    units: Iterable[str],
    peers: dict[str, list[Any]] | None = None,
    index: str = DEFAULT_INDEX,
) -> dict[str, int | None]:
    """The framework version of ``index`` each commune is on, as far as this office can
    tell: the newest of the version its results were saved against, the version named in
    its last submission (both PAPI's: results and submissions name no index) and the newest
    framework its packages acknowledge having received from this office."""
    units = list(units)
    best: dict[str, int | None] = dict.fromkeys(units)
    own_results = index == DEFAULT_INDEX

    def raise_to(unit: str, v: Any) -> None:
        if v is None or unit not in best:
            return
        cur = best[unit]
        best[unit] = int(v) if cur is None else max(cur, int(v))

    if own_results:
        for r in ctx.db.query(
            "SELECT unit_code, max(framework_version) FROM task_result WHERE deleted = 0 "
            "GROUP BY unit_code"
        ):
            raise_to(r[0], r[1])
        for r in ctx.db.query(
            "SELECT unit_code, max(framework_version) FROM submission "
            "WHERE deleted = 0 AND kind = 'submit' GROUP BY unit_code"
        ):
            raise_to(r[0], r[1])
    frameworks = _frameworks(ctx, index)
    peers = _peer_rows(ctx) if peers is None else peers
    for unit, plist in peers.items():
        for p in plist:
            acked = _row_get(p, "acked_version") or ""
            if not acked:
                continue
            received = [f["fw_version"] for f in frameworks if f["version"] <= acked]
            if received:
                raise_to(unit, max(received))
    return best


def _row_get(row: Any, key: str) -> Any:
    try:
        return row[key]
    except (IndexError, KeyError):
        return None


def last_packages(
    ctx: AppContext, units: Iterable[str], peers: dict[str, list[Any]] | None = None
) -> dict[str, str | None]:
    """When each commune's newest package arrived here (from the sync bookkeeping); for a
    commune with no recorded package, the newest change among its rows held here."""
    units = list(units)
    out: dict[str, str | None] = dict.fromkeys(units)
    peers = _peer_rows(ctx) if peers is None else peers
    for unit, plist in peers.items():
        # When the newest package was made (its creation time), else when it arrived.
        stamps = [
            s
            for p in plist
            for s in (_row_get(p, "last_package_at") or _row_get(p, "last_import_at"),)
            if s
        ]
        if unit in out and stamps:
            out[unit] = max(stamps)
    missing = [u for u in units if out[u] is None]
    if missing:
        for table in ("task_result", "disclosure", "plan_item", "submission", "place"):
            for r in ctx.db.query(
                f"SELECT unit_code, max(updated_at) FROM {table} WHERE owner_site != ? "
                "GROUP BY unit_code",
                (ctx.db.site_id,),
            ):
                u, stamp = r[0], r[1]
                if u in out and u in missing and stamp and (out[u] is None or stamp > out[u]):
                    out[u] = stamp
    return out


# -- task figures --------------------------------------------------------------------------


class _FrameworkCache:
    """Tasks and their schedule of one year, per framework version, as flat slots
    ``(task, period text, due date)`` so the counting loops do no formatting."""

    def __init__(self, ctx: AppContext, year: int, index: str = DEFAULT_INDEX) -> None:
        self.ctx = ctx
        self.year = year
        self.by_version = {f["fw_version"]: f for f in _frameworks(ctx, index)}
        self.current = tasks.current_framework(ctx, index)
        self._defs: dict[int, list[Any]] = {}
        self._cache: dict[int, tuple[dict[str, Any], list[tuple[Any, str, date]]]] = {}

    def defs(self, fw: dict[str, Any]) -> list[Any]:
        key = fw["fw_version"]
        if key not in self._defs:
            self._defs[key] = tasks.framework_tasks(self.ctx, fw["id"])
        return self._defs[key]

    def get(self, version: int | None) -> tuple[dict[str, Any], list[tuple[Any, str, date]]]:
        fw = self.by_version.get(version) if version is not None else None
        fw = fw or self.current
        key = fw["fw_version"]
        if key not in self._cache:
            slots = [
                (t, str(p), due)
                for t in self.defs(fw)
                for p, due in periods_in_year(t.schedule, self.year)
            ]
            self._cache[key] = (fw, slots)
        return self._cache[key]

    def for_year(self, year: int) -> _FrameworkCache:
        """The same frameworks for another year (task lists are shared, not re-read)."""
        other = _FrameworkCache.__new__(_FrameworkCache)
        other.ctx, other.year = self.ctx, year
        other.by_version, other.current = self.by_version, self.current
        other._defs, other._cache = self._defs, {}
        return other


def _year_range(years: Iterable[int]) -> tuple[str, str]:
    years = list(years)
    return str(min(years)), str(max(years) + 1)


def _saved_results(ctx: AppContext, year: int, units: list[str]) -> dict[tuple, Any]:
    """Every saved result of ``units`` in ``year`` with the columns the checklist shows."""
    saved: dict[tuple, Any] = {}
    wanted = set(units)
    lo, hi = _year_range([year])
    for r in ctx.db.query(
        "SELECT id, unit_code, task_code, period, status, result, na_reason, done_on, note, "
        "follow_up, framework_version FROM task_result "
        "WHERE deleted = 0 AND period >= ? AND period < ?"
        + (" AND unit_code = ?" if len(wanted) == 1 else ""),
        (lo, hi, *units) if len(wanted) == 1 else (lo, hi),
    ):
        if r["unit_code"] in wanted:
            saved[(r["unit_code"], r["task_code"], r["period"])] = r
    return saved


def _saved_states(
    ctx: AppContext, years: Iterable[int], units: Iterable[str]
) -> dict[tuple, tuple]:
    """(status, result) of every saved result of ``units`` in ``years``, in one query."""
    wanted = set(units)
    lo, hi = _year_range(years)
    cur = ctx.db.con.execute(
        "SELECT unit_code, task_code, period, status, result FROM task_result "
        "WHERE deleted = 0 AND period >= ? AND period < ?",
        (lo, hi),
    )
    cur.row_factory = None  # plain tuples: tens of thousands of rows
    return {(u, c, p): (st, res) for u, c, p, st, res in cur.fetchall() if u in wanted}


def unit_checklist(
    ctx: AppContext,
    unit: str,
    year: int,
    *,
    fw_version: int | None = None,
    index: str = DEFAULT_INDEX,
) -> list[dict[str, Any]]:
    """One commune's checklist of ``index`` for ``year`` (read-only drill-down), measured
    against the framework version that commune is on; the same rows as
    ``tasks.list_results``."""
    return unit_checklists(ctx, year, {unit: fw_version}, index)[unit]


def unit_checklists(
    ctx: AppContext, year: int, versions: dict[str, int | None], index: str = DEFAULT_INDEX
) -> dict[str, list[dict[str, Any]]]:
    """The checklists of several communes (``unit -> framework version``, None to look it
    up) with one query for all their results."""
    year = check_year(ctx, year)
    units = list(versions)
    unknown = [u for u, v in versions.items() if v is None]
    if unknown:
        found = unit_framework_versions(ctx, unknown, index=index)
        versions = {u: found.get(u, v) for u, v in versions.items()}
    cache = _FrameworkCache(ctx, year, index)
    saved = _saved_results(ctx, year, units)
    today = ctx.today()
    tracking = tracking_dates(ctx)
    return {u: _rows_for(u, cache.get(versions[u]), saved, today, tracking.get(u)) for u in units}


def _rows_for(
    unit: str,
    fw_bundle: tuple[dict[str, Any], list[tuple[Any, str, date]]],
    saved,
    today: date,
    tracked_from: date | None = None,
) -> list[dict[str, Any]]:
    fw, slots = fw_bundle
    out = []
    for t, pstr, due in slots:
        r = saved.get((unit, t.code, pstr))
        st = r["status"] if r else "todo"
        res = r["result"] if r else "unassessed"
        early = before_tracking(due, tracked_from)
        out.append(
            {
                "code": t.code,
                "title": t.title_vi,
                "title_en": t.title_en,
                "dimension": t.dimension,
                "criterion": t.criterion_code,
                "period": pstr,
                "status": st,
                "result": res,
                "due": due.isoformat(),
                "overdue": not early and is_overdue(due, st, res, today),
                "before_tracking": early,
                "unit": unit,
                "done_on": r["done_on"] if r else None,
                "note": r["note"] if r else "",
                "na_reason": r["na_reason"] if r else "",
                "lead_role": t.lead_role,
                "framework_version": fw["fw_version"],
                "result_id": r["id"] if r else None,
            }
        )
    return out


_NOT_SAVED = ("todo", "unassessed")


def unit_figures(
    ctx: AppContext,
    year: int,
    units: list[str] | None = None,
    versions: dict[str, int | None] | None = None,
    index: str = DEFAULT_INDEX,
) -> dict[str, dict[str, Any]]:
    """Task figures per commune for ``year``: completion overall, per dimension and per
    quarter of the due date, and the overdue count. Slots count when due by the cut-off
    (today, or 31/12 of a past year) or already done."""
    year = check_year(ctx, year)
    units = enrolled_units(ctx) if units is None else list(units)
    if versions is None:
        versions = unit_framework_versions(ctx, units, index=index)
    cache = _FrameworkCache(ctx, year, index)
    # a task under no dimension ("Khác") counts in the totals only
    dim_codes = [c for c, _, _ in dimension_names(ctx, index)]
    saved = _saved_states(ctx, [year], units)
    today = ctx.today()
    cutoff = cutoff_of(ctx, year)
    tracking = tracking_dates(ctx)
    out: dict[str, dict[str, Any]] = {}
    for u in units:
        fw, slots = cache.get(versions.get(u))
        tracked_from = tracking.get(u)
        # [done, applicable] overall, per dimension and per quarter of the due date.
        overall = [0, 0]
        dims = {d: [0, 0] for d in dim_codes}
        quarters = {q: [0, 0] for q in (1, 2, 3, 4)}
        overdue = 0
        for t, pstr, due in slots:
            st, res = saved.get((u, t.code, pstr), _NOT_SAVED)
            if res == "na" or before_tracking(due, tracked_from):
                continue  # neither overdue nor applicable
            done = st == "done"
            if not done and today > due:
                overdue += 1
            if due > cutoff and not done:
                continue
            buckets = [overall]
            if t.dimension in dims:
                buckets.append(dims[t.dimension])
            if due.year == year:
                buckets.append(quarters[(due.month - 1) // 3 + 1])
            for b in buckets:
                b[1] += 1
                if done:
                    b[0] += 1
        out[u] = {
            "framework_version": fw["fw_version"],
            "done": overall[0],
            "applicable": overall[1],
            "completion": overall[0] / overall[1] if overall[1] else None,
            "overdue_tasks": overdue,
            "dimensions": {d: (p[0], p[1]) for d, p in dims.items()},
            "quarters": {q: (p[0], p[1]) for q, p in quarters.items()},
        }
    return out


def year_totals(
    ctx: AppContext,
    years: list[int],
    units: list[str],
    versions: dict[str, int | None],
    index: str = DEFAULT_INDEX,
) -> dict[int, tuple[int, int]]:
    """(done, applicable) of all ``units`` together for each of ``years``, counted as in
    ``unit_figures``, from a single query over the whole range."""
    if not years:
        return {}
    saved = _saved_states(ctx, years, units)
    base = _FrameworkCache(ctx, max(years), index)
    tracking = tracking_dates(ctx)
    out: dict[int, tuple[int, int]] = {}
    for y in years:
        cache = base.for_year(y)
        cutoff = cutoff_of(ctx, y)
        done = appl = 0
        for u in units:
            _, slots = cache.get(versions.get(u))
            for t, pstr, due in slots:
                st, res = saved.get((u, t.code, pstr), _NOT_SAVED)
                if res == "na" or (due > cutoff and st != "done"):
                    continue
                if before_tracking(due, tracking.get(u)):
                    continue
                appl += 1
                if st == "done":
                    done += 1
        out[y] = (done, appl)
    return out


# -- disclosure figures ----------------------------------------------------------------------


def expected_disclosures(
    ctx: AppContext, year: int, units: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The yearly plan of every commune in ``units`` as the office sees it, read-only: the
    same computation as the commune's own ``disclosures.list_plan`` (catalogue lines, the
    commune's disclosures matched by obligation period, the same states and reasons), so
    the office and the commune never disagree. Lines the commune removed from its plan are
    left out."""
    from papi_desktop.services import disclosures, plan

    units = list(units)
    lines = plan.plan_obligations(ctx, year)
    types = disclosures.types_by_code(ctx)
    items = plan.plan_items(ctx, units, year)
    removed = plan.removed_plan_lines(ctx, year)
    tracking = tracking_dates(ctx)
    today = ctx.today()
    return {
        u: plan.compute_plan(
            lines,
            types,
            items.get(u, []),
            removed.get(u, set()),
            u,
            year,
            today,
            tracking.get(u),
        )
        for u in units
    }


def disclosure_figures(
    ctx: AppContext, year: int, units: Iterable[str] | None = None
) -> dict[str, dict[str, int]]:
    """Per commune: disclosures of ``year`` recorded, posted late or not yet posted past the
    legal deadline (``late``), taken down early, and expected disclosures of the yearly
    plan still missing (``missing``, from ``expected_disclosures``)."""
    from papi_desktop.services import disclosures

    units = enrolled_units(ctx) if units is None else list(units)
    out: dict[str, dict[str, int]] = {}

    def slot(unit: str) -> dict[str, int]:
        return out.setdefault(
            unit, {"items": 0, "late": 0, "on_time": 0, "early_takedown": 0, "missing": 0}
        )

    for item in disclosures.list_items(ctx, year=year):
        f = slot(item["unit"])
        f["items"] += 1
        if item["status"] == "overdue_post" or item["posted_late"]:
            f["late"] += 1
        elif any(p["posted_on"] for p in item["places"]):
            f["on_time"] += 1
        if item["status"] == "violation":
            f["early_takedown"] += 1
    for unit, entries in expected_disclosures(ctx, year, units).items():
        slot(unit)["missing"] += sum(1 for e in entries if e["state"] == "missing")
    return out


# -- the Xã/phường list ------------------------------------------------------------------------


def _age_days(stamp: str | None, today: date) -> int | None:
    if not stamp:
        return None
    try:
        # A PC clock ahead of this one must not give a negative age.
        return max(0, (today - date.fromisoformat(stamp[:10])).days)
    except ValueError:
        return None


def percent(ratio: float | None) -> float | None:
    """A ratio as a percentage with one decimal (None stays None)."""
    return None if ratio is None else round(100.0 * ratio, 1)


def communes_overview(
    ctx: AppContext, year: int | None = None, index: str = DEFAULT_INDEX
) -> list[dict[str, Any]]:
    """Every enrolled commune with its figures on the checklist of ``index`` for ``year``
    (default: this year), in Vietnamese alphabetical order, each with its rank by
    completion."""
    ctx.require_site("district")
    year = check_year(ctx, year)
    today = ctx.today()
    units = enrolled_units(ctx)
    names = unit_names(ctx, units)
    peers = _peer_rows(ctx)
    versions = unit_framework_versions(ctx, units, peers, index)
    packages = last_packages(ctx, units, peers)
    figs = unit_figures(ctx, year, units, versions, index)
    disc = disclosure_figures(ctx, year, units)
    states = review.states_for_year(ctx, year)
    current = tasks.current_framework(ctx, index)["fw_version"]
    rows: list[dict[str, Any]] = []
    for u in units:
        f = figs[u]
        d = disc.get(u, {})
        st = states.get(u)
        age = _age_days(packages[u], today)
        rows.append(
            {
                "unit": u,
                "name": names[u],
                "index": index,
                "framework_version": versions[u]
                if versions[u] is not None
                else f["framework_version"],
                "framework_current": (versions[u] or f["framework_version"]) == current,
                "last_package_at": packages[u],
                "package_age_days": age,
                "stale": age is None or age > STALE_DAYS,
                "submission": st.state if st else "draft",
                "submission_round": st.round if st else 0,
                "changed_since_submitted": bool(st and st.changed_since_submitted),
                "completion": percent(f["completion"]),
                "done": f["done"],
                "applicable": f["applicable"],
                "overdue_tasks": f["overdue_tasks"],
                "late_disclosures": d.get("late", 0),
                "missing_disclosures": d.get("missing", 0),
                "early_takedowns": d.get("early_takedown", 0),
                "disclosures": d.get("items", 0),
                "disclosures_on_time": d.get("on_time", 0),
                "dimensions": {
                    k: {
                        "done": dn,
                        "applicable": ap,
                        "completion": percent(dn / ap if ap else None),
                    }
                    for k, (dn, ap) in f["dimensions"].items()
                },
                "quarters": f["quarters"],
            }
        )
    _assign_ranks(rows)
    rows.sort(key=lambda r: vi_sort_key(r["name"]))
    return rows


def _assign_ranks(rows: list[dict[str, Any]]) -> None:
    """Competition ranking (1, 2, 2, 4) by completion, then fewer overdue tasks; communes
    with nothing applicable yet come last without a rank."""
    ranked = [r for r in rows if r["completion"] is not None]
    ranked.sort(key=lambda r: (-r["completion"], r["overdue_tasks"], vi_sort_key(r["name"])))
    prev_key, prev_rank = None, 0
    for i, r in enumerate(ranked, start=1):
        key = (r["completion"], r["overdue_tasks"])
        if key != prev_key:
            prev_rank, prev_key = i, key
        r["rank"] = prev_rank
    for r in rows:
        r.setdefault("rank", None)


def dimension_names(ctx: AppContext, index: str = DEFAULT_INDEX) -> list[tuple[str, str, str]]:
    """(code, short Vietnamese name, short English name) of the dimensions of ``index`` (the
    8 of PAPI)."""
    out = []
    for c in tasks.criteria(ctx, index):
        if c["level"] == "dimension" or (c["parent_code"] in (None, "") and "." not in c["code"]):
            out.append((c["code"], c["short_vi"] or c["name_vi"], c["short_en"] or c["name_en"]))
    return out


def consolidated(
    ctx: AppContext,
    year: int | None = None,
    *,
    trend_years: int = 5,
    overview: list[dict[str, Any]] | None = None,
    index: str = DEFAULT_INDEX,
) -> dict[str, Any]:
    """Everything the dashboard and the consolidated reports show for ``year`` on the
    checklist of ``index``.
    ``overview``: the rows ``communes_overview`` just gave for the same year (the page
    has them already), so they are not computed twice."""
    from papi_desktop.services import scores

    site = ctx.require_site("district")
    year = check_year(ctx, year)
    rows = communes_overview(ctx, year, index) if overview is None else overview
    current = tasks.current_framework(ctx, index)
    dims = dimension_names(ctx, index)
    ranking = sorted(
        rows,
        key=lambda r: (r["rank"] is None, r["rank"] or 0, vi_sort_key(r["name"])),
    )
    quarter_totals = []
    for q in (1, 2, 3, 4):
        done = sum(r["quarters"][q][0] for r in rows)
        appl = sum(r["quarters"][q][1] for r in rows)
        quarter_totals.append(
            {
                "quarter": q,
                "done": done,
                "applicable": appl,
                "completion": percent(done / appl if appl else None),
            }
        )
    versions = {r["unit"]: r["framework_version"] for r in rows}
    years = _trend(ctx, year, trend_years, list(versions), versions, index)
    done = sum(r["done"] for r in rows)
    appl = sum(r["applicable"] for r in rows)
    return {
        "year": year,
        "cutoff": cutoff_of(ctx, year).isoformat(),
        "office": site.unit_name,
        "province": site.province_name or "",
        "framework_version": current["fw_version"],
        "framework_title": current["title_vi"],
        "dimensions": dims,
        "communes": rows,
        "ranking": ranking,
        "other_version": [r for r in rows if not r["framework_current"]],
        "quarters": quarter_totals,
        "years": years,
        "totals": {
            "communes": len(rows),
            "done": done,
            "applicable": appl,
            "completion": percent(done / appl if appl else None),
            "overdue_tasks": sum(r["overdue_tasks"] for r in rows),
            "late_disclosures": sum(r["late_disclosures"] for r in rows),
            "missing_disclosures": sum(r["missing_disclosures"] for r in rows),
            "disclosures": sum(r["disclosures"] for r in rows),
            "stale": sum(1 for r in rows if r["stale"]),
            "submitted": sum(1 for r in rows if r["submission"] != "draft"),
            "accepted": sum(1 for r in rows if r["submission"] == "accepted"),
        },
        "scores": scores.list_scores(ctx),
    }


def _trend(
    ctx: AppContext,
    year: int,
    n: int,
    units: list[str],
    versions: dict[str, int | None],
    index: str = DEFAULT_INDEX,
) -> list[dict[str, Any]]:
    """Overall completion of every commune together, per year, for up to ``n`` years that
    have data, ending with ``year`` (one query for all the years)."""
    first = ctx.db.scalar(
        "SELECT min(period) FROM task_result WHERE deleted = 0 AND unit_code != ?", (OFFICE_UNIT,)
    )
    start = max(year - n + 1, int(first[:4]) if first else year)
    totals = year_totals(ctx, list(range(start, year + 1)), units, versions, index)
    return [
        {
            "year": y,
            "done": done,
            "applicable": appl,
            "completion": percent(done / appl if appl else None),
        }
        for y, (done, appl) in totals.items()
    ]


# -- framework publishing ----------------------------------------------------------------------


def publish_framework(
    ctx: AppContext,
    path: Any,
    *,
    dry_run: bool = False,
    allow_retire: bool = False,
    index: str | None = None,
) -> dict[str, Any]:
    """Publish the province's framework from an Excel workbook (the printing template) as a
    new version: compare it with the current one (added / changed / retired tasks), then,
    unless ``dry_run``, make it current here. It goes down to the communes in the next
    packages; until a commune's package shows it has the new version, it is flagged.

    A version that retires tasks of the current one (e.g. the blank template with one task
    typed in, which would retire all the others for every commune) is refused unless
    ``allow_retire``: nothing is written and the ``UserError`` gives the counts."""
    from pathlib import Path

    from papi_desktop.services import framework_io

    ctx.require_site("district")
    summary = framework_io.import_framework(
        ctx, Path(path), dry_run=dry_run, allow_retire=allow_retire, index=index
    )
    units = enrolled_units(ctx)
    if summary["index"] != tasks.DEFAULT_INDEX:
        # the version a commune is on is known for PAPI only (its results and submissions)
        summary["communes_to_update"] = units
        return summary
    versions = unit_framework_versions(ctx, units)
    new_version = summary["new_version"]
    summary["communes_to_update"] = [
        u for u in units if versions[u] is None or versions[u] < new_version
    ]
    return summary


def retire_refusal(summary: dict[str, Any]) -> UserError:
    """Kept for callers of the supervising office: see ``framework_io.retire_refusal``."""
    from papi_desktop.services import framework_io

    return framework_io.retire_refusal(summary, every_commune=True)


def describe_publish(summary: dict[str, Any], lang: str = "vi") -> str:
    from papi_desktop.services import framework_io

    lines = [framework_io.describe_summary(summary, lang)]
    n = len(summary["communes_to_update"])
    r = len(summary["retired"])
    if summary["dry_run"]:
        if r and lang == "vi":
            lines.append(
                f"CHÚ Ý: {r} nhiệm vụ đang dùng sẽ thôi áp dụng ở mọi xã/phường (kết quả đã nhập "
                "của các nhiệm vụ này chỉ còn để xem)."
            )
        elif r:
            lines.append(
                f"WARNING: {r} tasks in use will be retired for every commune (their answers "
                "stay read-only)."
            )
        lines.append("Chưa ghi gì (chạy thử)." if lang == "vi" else "Nothing written (dry run).")
    elif lang == "vi":
        lines.append(
            f"Đã ban hành phiên bản {summary['new_version']}. Bộ khung được gửi xuống xã trong "
            f"các gói USB tiếp theo; {n} xã/phường còn dùng phiên bản cũ sẽ được đánh dấu cho "
            "đến khi nhận được."
        )
    else:
        lines.append(
            f"Published version {summary['new_version']}. It goes down to the communes in the "
            f"next USB packages; {n} communes on an older version are flagged until they have it."
        )
    return "\n".join(lines)
