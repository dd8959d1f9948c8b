"""Helpers behind the task checklist and register views: in-memory filters, the
dimension → sub-dimension → task tree as flat rows, evidence counts and viewable copies.

The pages load a year's rows once through the services and filter them here, so a filter
change never queries the database and 10,000 rows re-render in one pass.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from papi_desktop.domain.dates import format_date
from papi_desktop.domain.periods import (
    RESULT_LABELS,
    STATUS_LABELS,
    TASK_RESULTS,  # noqa: F401  (re-exported: the window's status and result choices)
    TASK_STATUSES,  # noqa: F401
    Period,
)
from papi_desktop.domain.subdimensions import OTHER, OTHER_EN, OTHER_VI
from papi_desktop.domain.text import fold, vi_sort_key
from papi_desktop.services.context import AppContext
from papi_desktop.services.tasks import DEFAULT_INDEX, framework_tasks
from papi_desktop.store.attachments import verified_path


@dataclass(frozen=True)
class TreeRow:
    """One line of the checklist tree, in insertion order (parents before children).

    ``kind``: "dimension", "criterion", "task" (a task with several periods shown) or
    "result" (one task and period; the editable line). ``values``: the columns code,
    period, due, status, result, done date, follow-up mark, evidence count.
    ``row`` is the ``list_results`` dict of a "result" line, else None. ``short`` is a
    shorter heading for a dimension line (its short name) when the list is narrow.
    """

    iid: str
    parent: str
    kind: str
    text: str
    values: tuple[str, ...]
    tags: tuple[str, ...]
    row: dict[str, Any] | None = None
    short: str = ""


def shorten(text: str, room: float, measure: Callable[[str], float]) -> str:
    """``text`` cut to fit ``room`` (as ``measure`` counts width) and ended with "…",
    preferably at a word break; the whole text when it fits."""
    if measure(text) <= room:
        return text
    lo, hi = 0, len(text)
    while lo < hi:  # the longest prefix that fits with the ellipsis
        mid = (lo + hi + 1) // 2
        if measure(text[:mid].rstrip() + "…") <= room:
            lo = mid
        else:
            hi = mid - 1
    cut = text[:lo]
    space = cut.rfind(" ")
    if space > lo * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:–-") + "…"


def search_keys(ctx: AppContext, index: str = DEFAULT_INDEX) -> dict[str, str]:
    """Folded search text of each task of the current framework of ``index`` (the commune's
    and the office's own), by task code."""
    return {
        t.code: fold(f"{t.code} {t.search_key} {t.title_vi}")
        for t in framework_tasks(ctx, level=None, index=index)
    }


def period_year(period: str) -> int:
    """The year a period code ("2026", "2026-Q3", "2026-11"…) belongs to."""
    return Period.parse(period).year


def in_period(period: str, day: date) -> bool:
    """True when ``day`` falls inside the period."""
    return Period.parse(period).contains(day)


def current_period_rows(rows: Iterable[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    """One row per task and unit (the "current period" filter): the period containing
    ``day``; for a task whose periods leave gaps (a budget report of Q1, H1 and 9 months
    follows its disclosure type), the next one due, else the last one."""
    rows = list(rows)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r.get("unit", ""), r.get("code", "")), []).append(r)
    chosen: set[int] = set()
    for found in groups.values():
        inside = [r for r in found if in_period(r["period"], day)]
        if not inside:
            ahead = [r for r in found if r["due"] >= day.isoformat()]
            inside = [min(ahead, key=lambda r: r["due"]) if ahead else found[-1]]
        chosen |= {id(r) for r in inside}
    return [r for r in rows if id(r) in chosen]


def units_with_results(ctx: AppContext) -> list[str]:
    """Codes of the communes that have task results here (a supervising office's selector)."""
    from papi_desktop.services.tasks import commune_units_with_results

    return commune_units_with_results(ctx)


def period_sort_key(period: str) -> tuple[int, int, int]:
    """Order periods by start date, longer periods first when they start together."""
    p = Period.parse(period)
    length = {"year": 0, "half": 1, "quarter": 2, "month": 3}[p.kind]
    return (p.year, p.start.month, length)


def period_options(rows: Iterable[dict[str, Any]]) -> list[str]:
    """The distinct periods present in ``rows``, in time order."""
    return sorted({r["period"] for r in rows}, key=period_sort_key)


def period_label(period: str, lang: str = "vi") -> str:
    p = Period.parse(period)
    return p.label_en if lang == "en" else p.label_vi


def period_short(period: str, lang: str = "vi") -> str:
    """A period as a list column shows it: "6 tháng cuối 2026", "Quý 4/2026", "Tháng 11/2026"."""
    p = Period.parse(period)
    if p.kind == "half":
        if lang == "en":
            return f"H{p.index} {p.year}"
        return f"6 tháng {'đầu' if p.index == 1 else 'cuối'} {p.year}"
    if p.kind == "month" and lang == "en":
        return f"{p.label_en[:3]} {p.year}"
    return p.label_en if lang == "en" else p.label_vi


OTHER_FILTER = "~other"  # the dimension filter's value for tasks under no dimension ("Khác")


def filter_results(
    rows: Iterable[dict[str, Any]],
    keys: dict[str, str],
    *,
    period: str | None = None,
    status: str | None = None,
    dimension: str | None = None,
    overdue_only: bool = False,
    search: str | None = None,
) -> list[dict[str, Any]]:
    """Rows of ``list_results`` matching every given filter. ``search`` is folded and
    every word must occur in the task's folded code/title ("tuyen truyen" finds
    "Tuyên truyền")."""
    words = fold(search).split() if search else []
    out = []
    for r in rows:
        if period and r["period"] != period:
            continue
        if status and r["status"] != status:
            continue
        if dimension and r["dimension"] != (OTHER if dimension == OTHER_FILTER else dimension):
            continue
        if overdue_only and not r["overdue"]:
            continue
        if words:
            key = keys.get(r["code"])
            if key is None:
                key = fold(f"{r['code']} {r['title']}")
            if not all(w in key for w in words):
                continue
        out.append(r)
    return out


def evidence_counts(ctx: AppContext, result_ids: Iterable[str | None]) -> dict[str, int]:
    """Number of evidence files of each task result, in one query per 900 ids."""
    ids = [i for i in dict.fromkeys(result_ids) if i]
    counts: dict[str, int] = {}
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        marks = ",".join("?" for _ in chunk)
        for rid, n in ctx.db.query(
            "SELECT record_id, count(*) FROM attachment WHERE record_table = 'task_result' "
            f"AND deleted = 0 AND record_id IN ({marks}) GROUP BY record_id",
            chunk,
        ):
            counts[rid] = n
    return counts


def _date_text(iso_text: str | None) -> str:
    return format_date(date.fromisoformat(iso_text)) if iso_text else ""


def _summary(rows: list[dict[str, Any]], lang: str) -> tuple[str, str]:
    """(done count, overdue count) texts of a group, for the status and result columns."""
    done = sum(1 for r in rows if r["status"] == "done" or r["result"] == "na")
    late = sum(1 for r in rows if r["overdue"])
    if lang == "en":
        return f"{done}/{len(rows)} done", (f"{late} overdue" if late else "")
    return f"{done}/{len(rows)} xong", (f"{late} quá hạn" if late else "")


def _result_values(r: dict[str, Any], lang: str, evidence: dict[str, int]) -> tuple[str, ...]:
    n = evidence.get(r["result_id"] or "", 0)
    return (
        r["code"],
        period_short(r["period"], lang),
        _date_text(r["due"]),
        STATUS_LABELS[r["status"]][lang],
        RESULT_LABELS[r["result"]][lang],
        _date_text(r["done_on"]),
        "✓" if r["follow_up"] else "",
        str(n) if n else "",
    )


def _result_tags(r: dict[str, Any]) -> tuple[str, ...]:
    if r["overdue"]:
        return ("overdue",)
    if r["status"] == "done" or r["result"] == "na":
        return ("done",)
    return ()


def build_tree(
    criteria: list[dict[str, Any]],
    rows: list[dict[str, Any]],
    *,
    lang: str = "vi",
    evidence: dict[str, int] | None = None,
) -> list[TreeRow]:
    """The checklist as flat tree rows: dimension → sub-dimension → task (→ period).

    Only branches that hold at least one row are produced. Dimensions and
    sub-dimensions follow the criteria order; tasks sort by code (numbers compare by
    value), periods by time. A task shown for one period is a single "result" line; a
    task shown for several periods gets a "task" line with one child per period.
    """
    evidence = evidence or {}
    # dimension -> sub-dimension ("" = tasks directly under the dimension) -> task -> rows
    by_dim: dict[str, dict[str, dict[str, list[dict[str, Any]]]]] = {}
    for r in rows:
        dim = r["dimension"] or OTHER
        crit = r["criterion"] or ""
        by_dim.setdefault(dim, {}).setdefault(crit, {}).setdefault(r["code"], []).append(r)
    names = {
        c["code"]: (c["name_en"] or c["name_vi"]) if lang == "en" else c["name_vi"]
        for c in criteria
    }
    shorts = {
        c["code"]: (c.get("short_en") or c.get("short_vi")) if lang == "en" else c.get("short_vi")
        for c in criteria
    }
    dims = [c["code"] for c in criteria if c["level"] == "dimension"]
    subs: dict[str, list[str]] = {}
    for c in criteria:
        if c["level"] != "dimension":
            subs.setdefault(c["parent_code"] or c["code"].split(".")[0], []).append(c["code"])
    # dimensions missing from the catalogue, then "Khác" (tasks under no dimension) last
    dims += sorted((d for d in by_dim if d not in dims and d != OTHER), key=vi_sort_key)
    dims.append(OTHER)
    out: list[TreeRow] = []
    empty = ("",) * 8
    word = "Chỉ số" if lang == "vi" else "Dimension"
    for d in dims:
        groups = by_dim.get(d)
        if not groups:
            continue
        known = [s for s in subs.get(d, []) if s in groups]
        # sub-dimensions missing from the catalogue follow the known ones
        sub_codes = known + sorted((s for s in groups if s and s not in known), key=vi_sort_key)
        dim_rows = [r for g in groups.values() for rs in g.values() for r in rs]
        d_iid = f"d:{d}" if d else "d:~other"
        if d:
            text = f"{word} {d}. {names.get(d, '')}"
            short = f"{word} {d}. {shorts[d]}" if shorts.get(d) else ""
        else:
            text, short = (OTHER_EN if lang == "en" else OTHER_VI), ""
        out.append(
            TreeRow(
                d_iid,
                "",
                "dimension",
                text,
                (*empty[:3], *_summary(dim_rows, lang), *empty[5:]),
                ("dimension",),
                short=short,
            )
        )
        if "" in groups:  # tasks under the dimension itself, before its sub-dimensions
            out.extend(_task_rows(groups[""], d_iid, lang, evidence))
        for s in sub_codes:
            tasks = groups[s]
            c_iid = f"c:{s}"
            crit_rows = [r for rs in tasks.values() for r in rs]
            out.append(
                TreeRow(
                    c_iid,
                    d_iid,
                    "criterion",
                    f"{s} {names.get(s, '')}".strip(),
                    (*empty[:3], *_summary(crit_rows, lang), *empty[5:]),
                    ("criterion",),
                )
            )
            out.extend(_task_rows(tasks, c_iid, lang, evidence))
    return out


def _task_rows(
    tasks: dict[str, list[dict[str, Any]]], parent: str, lang: str, evidence: dict[str, int]
) -> list[TreeRow]:
    """The lines of the tasks of one group: a "result" line for a task shown for one
    period, else a "task" line with one "result" child per period."""
    empty = ("",) * 8
    out: list[TreeRow] = []
    for code in sorted(tasks, key=vi_sort_key):
        trs = sorted(tasks[code], key=lambda r: (r["unit"], period_sort_key(r["period"])))
        first = trs[0]
        title = first["title_en"] if lang == "en" and first.get("title_en") else first["title"]
        if len(trs) == 1:
            out.append(
                TreeRow(
                    result_iid(first),
                    parent,
                    "result",
                    title,
                    _result_values(first, lang, evidence),
                    _result_tags(first),
                    first,
                )
            )
            continue
        t_iid = f"t:{code}"
        late = any(r["overdue"] for r in trs)
        out.append(
            TreeRow(
                t_iid,
                parent,
                "task",
                title,
                (code, "", "", *_summary(trs, lang), *empty[5:]),
                ("overdue",) if late else (),
            )
        )
        for r in trs:
            out.append(
                TreeRow(
                    result_iid(r),
                    t_iid,
                    "result",
                    period_label(r["period"], lang),
                    _result_values(r, lang, evidence),
                    _result_tags(r),
                    r,
                )
            )
    return out


def result_iid(row: dict[str, Any]) -> str:
    """Stable tree id of one task result line."""
    return f"r:{row['unit']}|{row['code']}|{row['period']}"


def viewable_copy(ctx: AppContext, attachment: dict[str, Any]) -> Path:
    """A verified copy of a stored evidence file under its own name, for opening with the
    operating system (stored blobs have no extension). Raises StorageError when the
    stored file is missing or damaged."""
    from papi_desktop.services.maintenance import evidence_copy_hint

    source = verified_path(
        ctx.paths.attachments,
        attachment["sha256"],
        attachment.get("file_name"),
        evidence_copy_hint(ctx, attachment["sha256"]),
    )
    folder = Path(tempfile.gettempdir()) / "papi-desktop-view" / attachment["sha256"][:16]
    folder.mkdir(parents=True, exist_ok=True)
    name = Path(attachment["file_name"] or "minh-chung").name or "minh-chung"
    target = folder / name
    if not target.exists() or target.stat().st_size != source.stat().st_size:
        shutil.copyfile(source, target)
    return target
