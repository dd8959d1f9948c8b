"""Checks of a checklist framework workbook beyond its own rows: which index it is for, where
each task sits (one dimension or none, any number of sub-dimensions or none), the catalogue
a new index takes from the workbook, task codes already used by another index, and due
rules written in Vietnamese words. Used by ``services.framework_io``."""

from __future__ import annotations

from typing import Any

from papi_desktop.domain.due_words import parse_due
from papi_desktop.domain.periods import DueRule
from papi_desktop.domain.subdimensions import OTHER, OTHER_VI, dimension_of, join_codes
from papi_desktop.errors import UserError
from papi_desktop.services import tasks
from papi_desktop.services.context import AppContext


def due_rule(text: str) -> tuple[str, str]:
    """(rule code, the words as written or "" when the cell was a code). A province writes
    "15 ngày sau khi kết thúc quý" or "trước 15/12" (``domain.due_words``) as readily as
    ``quarterly+15d``; a cell written as a code keeps the code's own error message."""
    try:
        return str(DueRule.parse(text)), ""
    except UserError:
        if text.isascii():
            raise
    return str(parse_due(text)), text


# Indices a province may keep a task checklist for (issue 15: the source documents set
# SIPAS and PCI beside PAPI); PAR is scored (services.assess_framework).
CHECKLIST_INDICES = ("PAPI", "SIPAS", "PCI")


def resolve_index(ctx: AppContext, index: str) -> str:
    """The index name as this PC already spells it ("papi" is "PAPI"), or one of
    ``CHECKLIST_INDICES``; a scored index (PAR) or an unknown name is refused."""
    from papi_desktop.services.assess_framework import SCORED_INDICES

    name = (index or "").strip() or tasks.DEFAULT_INDEX
    if name.upper() in SCORED_INDICES:
        raise UserError(
            f"Chỉ số {name.upper()} là chỉ số chấm điểm, không dùng mẫu bộ khung nhiệm vụ. Hãy "
            f"dùng mẫu: papi-desktop framework template --index {name.upper()} -o mau.xlsx",
            f"{name.upper()} is a scored index, not a task checklist. Use: papi-desktop "
            f"framework template --index {name.upper()} -o template.xlsx",
        )
    for (known,) in ctx.db.query(
        "SELECT DISTINCT index_name FROM framework WHERE deleted = 0 UNION "
        "SELECT DISTINCT index_name FROM criterion WHERE deleted = 0"
    ):
        if known.casefold() == name.casefold():
            return known
    for known in CHECKLIST_INDICES:
        if known.casefold() == name.casefold():
            return known
    # a typo in the Index cell ("PAPl") would otherwise start a whole new checklist
    listed = ", ".join(CHECKLIST_INDICES)
    raise UserError(
        f"Chỉ số “{name}” không có bộ khung nhiệm vụ: bộ khung nhiệm vụ dùng {listed}; chỉ số "
        f"chấm điểm dùng {', '.join(SCORED_INDICES)}. Hãy sửa ô Chỉ số (hoặc --index).",
        f"No task checklist for the index “{name}”: checklists are {listed}; scored indices "
        f"are {', '.join(SCORED_INDICES)}. Fix the Index cell (or --index).",
    )


def codes_of_other_indices(ctx: AppContext, index: str) -> dict[str, str]:
    """Task codes of the current frameworks of the other indices (folded) -> their index."""
    return {
        r["code"].casefold(): r["index_name"]
        for r in ctx.db.query(
            "SELECT t.code, f.index_name FROM task t JOIN framework f ON f.id = t.framework_id "
            "WHERE f.is_current = 1 AND f.deleted = 0 AND t.deleted = 0 AND f.index_name != ?",
            (index,),
        )
    }


def catalogue_from(parsed: Any) -> dict[str, dict[str, Any]]:
    """The dimensions ("N - Tên" cells) and sub-dimension codes a workbook of an index with
    no catalogue uses, as criterion rows; a sub-dimension belongs to the dimension its code
    starts with, else to the dimension of the first row that names it."""
    out: dict[str, dict[str, Any]] = {}
    for t in parsed.tasks:
        if t.dimension and t.dimension not in out:
            out[t.dimension] = {"code": t.dimension, "parent_code": None, "level": "dimension",
                                "name_vi": t.dimension_name or t.dimension}  # fmt: skip
        elif t.dimension and t.dimension_name and out[t.dimension]["name_vi"] == t.dimension:
            out[t.dimension]["name_vi"] = t.dimension_name
    dims = {c for c, v in out.items() if v["level"] == "dimension"}
    for t in parsed.tasks:
        for code in t.criteria:
            if code in out:
                continue
            parent = dimension_of(code) if dimension_of(code) in dims else t.dimension
            out[code] = {"code": code, "parent_code": parent or None, "level": "subdimension",
                         "name_vi": code}  # fmt: skip
    return out


def placement_errors(t: Any, crit: dict[str, Any]) -> list[str]:
    """What is wrong with a task's dimension and sub-dimension cells, checked against the
    index's catalogue."""
    out = []
    dim = crit.get(t.dimension) if t.dimension else None
    if t.dimension and (dim is None or dim["level"] != "dimension"):
        out.append(f"chỉ số nội dung “{t.dimension}” không có trong danh mục")
        dim = None
    subs = []
    for code in t.criteria:
        sub = crit.get(code)
        if sub is None or sub["level"] == "dimension":
            out.append(f"mã nội dung thành phần “{code}” không có trong danh mục")
        else:
            subs.append(sub)
    if dim is not None and subs and len(subs) == len(t.criteria):
        own = [s for s in subs if s["parent_code"] == t.dimension]
        if not own and len(subs) == 1:
            out.append(
                f"nội dung thành phần “{subs[0]['code']}” không thuộc chỉ số nội dung "
                f"“{t.dimension}”"
            )
        elif not own:
            out.append(
                f"không có nội dung thành phần nào trong “{join_codes(t.criteria)}” thuộc chỉ số "
                f"nội dung “{t.dimension}” (nội dung thành phần đầu tiên của chỉ số đó quyết "
                "định nhiệm vụ nằm ở đâu)"
            )
    return out


def dimension(t: Any, crit: dict[str, Any]) -> str:
    """The task's dimension: its cell, else the parent of its first sub-dimension, else
    ``OTHER`` ("Khác")."""
    if t.dimension:
        return t.dimension
    for code in t.criteria:
        sub = crit.get(code)
        if sub is not None and sub.get("parent_code"):
            return sub["parent_code"]
    return OTHER


def placement_lines(summary: dict[str, Any], lang: str) -> list[str]:
    out = []
    new = summary.get("new_catalogue") or []
    if new:
        dims = [c for c in new if c["level"] == "dimension"]
        shown = "; ".join(f"{c['code']} - {c['name']}" for c in dims[:10])
        out.append(
            f"New index {summary['index']}: {len(dims)} dimensions and {len(new) - len(dims)} "
            f"sub-dimensions taken from the workbook ({shown})."
            if lang == "en"
            else f"Chỉ số mới {summary['index']}: lấy từ tệp {len(dims)} chỉ số nội dung và "
            f"{len(new) - len(dims)} nội dung thành phần ({shown})."
        )
    for key, vi, en in (
        ("several_subdimensions", "Thuộc nhiều nội dung thành phần", "In several sub-dimensions"),
        ("under_other", f"Không thuộc chỉ số nội dung nào (xếp vào “{OTHER_VI}”)",
         "Under no dimension (listed under “Other”)"),
    ):  # fmt: skip
        codes = summary.get(key) or []
        if codes:
            shown = ", ".join(codes[:20]) + (" …" if len(codes) > 20 else "")
            out.append(f"  {en if lang == 'en' else vi}: {shown}")
    if summary.get("due_words"):
        out.append(
            "Due rules written in words, as read:"
            if lang == "en"
            else "Thời hạn viết bằng chữ, được hiểu là:"
        )
    return out
