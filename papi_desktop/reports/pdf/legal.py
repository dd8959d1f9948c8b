"""Legal references written out in full at print time ("QĐ 24/2021/QĐ-TTg" ->
"Quyết định số 24/2021/QĐ-TTg").

The catalogue stores legal bases in the short form officials type ("Luật 10/2022/QH15
Điều 11; NĐ 59/2023"); a printed "Căn cứ …" line names the kind of document in full, the
way Decree 30 documents cite them. ``expand_reference`` only rewrites a known abbreviation
that is followed by a document number, so text that is already written out is unchanged.
"""

from __future__ import annotations

import re
import unicodedata

# Short names of laws the catalogue cites, with their full titles.
LAW_TITLES = {
    "10/2022/QH15": "Luật Thực hiện dân chủ ở cơ sở",
    "89/2025/QH15": "Luật Ngân sách nhà nước",
    "83/2015/QH13": "Luật Ngân sách nhà nước",
    "31/2024/QH15": "Luật Đất đai",
}
NAMED_LAWS = {"NSNN": "Ngân sách nhà nước"}
KINDS = {
    "NĐ": ("Nghị định", "NĐ-CP"),
    "QĐ": ("Quyết định", None),
    "TT": ("Thông tư", None),
    "NQ": ("Nghị quyết", None),
}

_NUMBER = r"\d+(?:/\d{4})?(?:/[\w\-Đđ]+)?"
_KIND_RE = re.compile(r"(?<![\w/-])(NĐ|QĐ|TT|NQ)\s+(" + _NUMBER + r")")
_LAW_RE = re.compile(r"(?<![\w/-])Luật\s+(?:(NSNN)\s+)?(\d+/\d{4}/[A-Z0-9]+)")
_LAW_YEAR_RE = re.compile(r"(?<![\w/-])(Luật\s+[^\d;,()]+?)\s+(\d{4})(?=\s|$|[;,.)])")


def _kind(match: re.Match) -> str:
    name, default_symbol = KINDS[match.group(1)]
    number = match.group(2)
    if default_symbol and number.count("/") == 1:
        number = f"{number}/{default_symbol}"
    return f"{name} số {number}"


def _law(match: re.Match) -> str:
    number = match.group(2)
    title = LAW_TITLES.get(number)
    if match.group(1):
        title = f"Luật {NAMED_LAWS[match.group(1)]}"
    return f"{title} số {number}" if title else f"Luật số {number}"


def _law_year(match: re.Match) -> str:
    name = match.group(1).rstrip()
    if name.endswith(" năm"):
        return match.group(0)
    return f"{name} năm {match.group(2)}"


def expand_reference(text: str) -> str:
    """``text`` with abbreviated document kinds written out: "NĐ 59/2023" -> "Nghị định số
    59/2023/NĐ-CP", "Luật 10/2022/QH15" -> "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15",
    "Luật Đất đai 2024" -> "Luật Đất đai năm 2024"."""
    text = unicodedata.normalize("NFC", text or "")
    text = _KIND_RE.sub(_kind, text)
    text = _LAW_RE.sub(_law, text)
    return _LAW_YEAR_RE.sub(_law_year, text)
