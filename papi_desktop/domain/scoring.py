"""Scored indices (PAR INDEX at commune level and the like): the criteria tree, its
arithmetic, the check of one score, totals and competition ranking.

A tree has fields (lĩnh vực), criteria (tiêu chí) and sub-criteria (tiêu chí thành phần).
A node with children is scored through them; only leaves carry a score. Pure functions:
no database, no clock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from papi_desktop.errors import UserError

LEVELS = ("field", "criterion", "sub")
LEVEL_VI = {"field": "lĩnh vực", "criterion": "tiêu chí", "sub": "tiêu chí thành phần"}
METHODS = ("self", "survey")
MAX_DECIMALS = 2


@dataclass
class Node:
    code: str
    title: str
    max_points: float | None
    parent: str = ""
    level: str = "field"
    method: str = "self"
    decimals: int = 1
    guidance: str = ""
    evidence: str = ""
    due_rule: str = ""
    due_text: str = ""
    row: int = 0  # row of the source sheet (0: not from a sheet)
    children: list[str] = field(default_factory=list)


def fmt_points(value: float | None) -> str:
    """12.5 → "12,5"; 12.0 → "12" (Vietnamese decimal comma); None → ""."""
    if value is None:
        return ""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _at(node: Node) -> str:
    return f"Dòng {node.row}: " if node.row else ""


def _at_en(node: Node) -> str:
    return f"Row {node.row}: " if node.row else ""


def build_tree(nodes: Iterable[Node]) -> tuple[dict[str, Node], list[str]]:
    """Index the nodes by code, link children and set each level from the depth; return
    (nodes by code, the errors as Vietnamese lines with their row numbers)."""
    by_code: dict[str, Node] = {}
    errors: list[str] = []
    for n in nodes:
        if n.code in by_code:
            errors.append(f"{_at(n)}mã “{n.code}” bị trùng (đã có ở dòng {by_code[n.code].row}).")
            continue
        by_code[n.code] = n
    for n in by_code.values():
        n.children = []
    for n in by_code.values():
        if n.parent:
            parent = by_code.get(n.parent)
            if parent is None:
                errors.append(f"{_at(n)}mã cha “{n.parent}” của “{n.code}” không có trong bảng.")
                continue
            parent.children.append(n.code)
    for n in by_code.values():
        depth, p, seen = 0, n.parent, {n.code}
        while p and p in by_code and p not in seen:
            seen.add(p)
            depth += 1
            p = by_code[p].parent
        if p and p in seen:
            errors.append(f"{_at(n)}“{n.code}” nằm trong một vòng lặp mã cha (qua “{p}”).")
            continue
        if depth >= len(LEVELS):
            errors.append(
                f"{_at(n)}“{n.code}” nằm quá sâu: chỉ có lĩnh vực → tiêu chí → tiêu chí thành phần."
            )
            depth = len(LEVELS) - 1
        n.level = LEVELS[depth]
    return by_code, errors


def check_tree(by_code: Mapping[str, Node], total: float | None) -> list[str]:
    """The arithmetic errors: a missing maximum, a sub-criterion above its criterion,
    children that do not add up to their parent, fields that do not add up to ``total``."""
    errors: list[str] = []
    for n in by_code.values():
        if n.max_points is None:
            errors.append(f"{_at(n)}thiếu điểm tối đa của {LEVEL_VI[n.level]} “{n.code}”.")
        elif n.max_points <= 0:
            errors.append(f"{_at(n)}điểm tối đa của “{n.code}” phải lớn hơn 0.")
        if n.method not in METHODS:
            errors.append(f"{_at(n)}cách chấm của “{n.code}” phải là “tự chấm” hoặc “khảo sát”.")
        if not 0 <= n.decimals <= MAX_DECIMALS:
            errors.append(f"{_at(n)}số chữ số thập phân của “{n.code}” phải từ 0 đến 2.")
    if errors:
        return errors
    for n in by_code.values():
        if not n.children:
            continue
        kids = [by_code[c] for c in n.children]
        for k in kids:
            if k.max_points > n.max_points + 1e-9:  # type: ignore[operator]
                errors.append(
                    f"{_at(k)}{LEVEL_VI[k.level]} “{k.code}” có {fmt_points(k.max_points)} điểm, "
                    f"nhiều hơn {LEVEL_VI[n.level]} “{n.code}” ({fmt_points(n.max_points)} điểm)."
                )
        s = sum(k.max_points for k in kids)  # type: ignore[misc]
        if abs(s - n.max_points) > 1e-6:  # type: ignore[operator]
            errors.append(
                f"{_at(n)}các mục con của “{n.code}” cộng lại {fmt_points(s)} điểm, "
                f"không bằng {fmt_points(n.max_points)} điểm tối đa của nó."
            )
    roots = [n for n in by_code.values() if not n.parent]
    if not roots:
        errors.append("Bảng không có lĩnh vực nào (dòng có cột “Thuộc” để trống).")
    elif total is not None:
        s = sum(n.max_points for n in roots)  # type: ignore[misc]
        if abs(s - total) > 1e-6:
            errors.append(
                f"Các lĩnh vực cộng lại {fmt_points(s)} điểm, không bằng tổng điểm "
                f"{fmt_points(total)} ghi ở đầu trang."
            )
    return errors


def leaves(by_code: Mapping[str, Node], order: Iterable[str]) -> list[str]:
    return [c for c in order if not by_code[c].children]


def check_points(
    value: str | float, max_points: float, decimals: int, code: str
) -> tuple[float, str]:
    """The points as a float (and as entered, normalised), or UserError: not a number,
    outside 0..max, or more decimals than the framework allows. Accepts "7,5" and "7.5"."""
    text = str(value).strip().replace(",", ".")
    try:
        d = Decimal(text)
    except InvalidOperation:
        d = None
    if d is None or not d.is_finite():
        raise UserError(
            f"Điểm “{value}” của tiêu chí {code} không phải là số (ví dụ 7 hoặc 7,5).",
            f"Points “{value}” for criterion {code} are not a number (e.g. 7 or 7.5).",
        )
    places = -d.normalize().as_tuple().exponent if d != 0 else 0
    if d < 0 or d > Decimal(str(max_points)):
        raise UserError(
            f"Điểm {text.replace('.', ',')} của tiêu chí {code} nằm ngoài khoảng 0 đến "
            f"{fmt_points(max_points)} điểm. Không có gì thay đổi.",
            f"Points {text} for criterion {code} are outside 0 to {max_points:g}. Nothing changed.",
        )
    if places > decimals:
        allowed_vi = "số nguyên" if decimals == 0 else f"tối đa {decimals} chữ số thập phân"
        allowed_en = "whole points" if decimals == 0 else f"at most {decimals} decimals"
        raise UserError(
            f"Điểm {text.replace('.', ',')} của tiêu chí {code} chỉ được chấm {allowed_vi}. "
            "Không có gì thay đổi.",
            f"Points {text} for criterion {code} must be {allowed_en}. Nothing changed.",
        )
    return float(d), text


def roll_up(
    by_code: Mapping[str, Node], order: Iterable[str], points: Mapping[str, float | None]
) -> dict[str, float | None]:
    """Totals per node: a leaf's own points, a parent's sum of its children (None when no
    child has points)."""
    out: dict[str, float | None] = {}

    def total(code: str) -> float | None:
        if code in out:
            return out[code]
        n = by_code[code]
        if not n.children:
            value = points.get(code)
        else:
            parts = [total(c) for c in n.children]
            got = [p for p in parts if p is not None]
            value = round(sum(got), 4) if got else None
        out[code] = value
        return value

    for code in order:
        total(code)
    return out


def competition_rank(values: Mapping[str, float | None]) -> dict[str, int | None]:
    """Standard competition ranking ("1224"), highest first; None values are not ranked."""
    ranked = sorted((v, k) for k, v in values.items() if v is not None)
    ranked.sort(key=lambda t: -t[0])
    out: dict[str, int | None] = {k: None for k in values}
    prev, prev_rank = None, 0
    for i, (v, k) in enumerate(ranked, start=1):
        if prev is None or abs(v - prev) > 1e-9:
            prev_rank = i
            prev = v
        out[k] = prev_rank
    return out
