"""Where a checklist task sits in its index: one dimension (or none) and any number of
sub-dimensions (or none), possibly across dimensions.

The framework workbook's sub-dimension cell holds "1.1", "1.1; 2.3" or nothing. The task
is filed once: under the first of its sub-dimensions that belongs to its dimension, else
directly under its dimension, else under "Khác" (``OTHER``) when it has no dimension. Every
figure counts a task once, under that dimension, so totals never double-count a task that
also serves another sub-dimension.
"""

from __future__ import annotations

import json
import re

OTHER = ""  # the dimension code of a task under no dimension
OTHER_VI, OTHER_EN = "Khác", "Other"
_SEPARATORS = re.compile(r"[;,\n]+")


def split_codes(text: str | None) -> list[str]:
    """Sub-dimension codes from a cell: "1.1; 2.3", "1.1, 2.3" or empty (no sub-dimension);
    each once, in the order written."""
    out: list[str] = []
    for part in _SEPARATORS.split(text or ""):
        code = part.strip().rstrip(".")
        if code and code not in out:
            out.append(code)
    return out


def join_codes(codes: list[str] | tuple[str, ...]) -> str:
    """The cell text for ``codes`` ("1.1; 2.3")."""
    return "; ".join(codes)


def dimension_of(code: str) -> str:
    """The dimension a sub-dimension code belongs to by its number ("2.3" -> "2")."""
    return code.split(".", 1)[0] if code else OTHER


def load_criteria(text: str | None) -> list[str]:
    """The stored JSON list of a task's sub-dimension codes."""
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(c) for c in value] if isinstance(value, list) else []


def dump_criteria(codes: list[str] | tuple[str, ...]) -> str:
    return json.dumps(list(codes), ensure_ascii=False)


def filed_under(dimension: str, criteria: list[str] | tuple[str, ...]) -> str:
    """The one sub-dimension the task is filed under in the tree: the first of its own
    dimension; ``OTHER`` ("") when it sits directly under its dimension."""
    for code in criteria:
        if dimension and dimension_of(code) == dimension:
            return code
    return OTHER
