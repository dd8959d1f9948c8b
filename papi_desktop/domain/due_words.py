"""Due rules written in Vietnamese words, turned into the rule codes of ``domain.periods``.

A province official writes "15 ngày sau khi kết thúc quý", "trước 15/12", "hằng tháng" or
"trước ngày 31/03/2027"; the code forms ("quarterly+15d", "yearly:12-15") are accepted as
they are. ``parse_due`` returns the ``DueRule`` with its label (the parsed meaning shown in
a dry run) or raises ``UserError`` naming the accepted wordings.
"""

from __future__ import annotations

import re
import unicodedata

from papi_desktop.domain.periods import DueRule
from papi_desktop.errors import UserError

_PERIOD_WORDS = (
    ("6 tháng", "half-yearly"),
    ("sáu tháng", "half-yearly"),
    ("nửa năm", "half-yearly"),
    ("quý", "quarterly"),
    ("tháng", "monthly"),
    ("năm", "yearly"),
)
EXAMPLES_VI = (
    "“15 ngày sau khi kết thúc quý”, “trước 15/12”, “trước ngày 31/03/2027”, “hằng quý”, "
    "“cuối năm”, “thường xuyên” hoặc mã như quarterly+15d, yearly:12-15"
)
EXAMPLES_EN = (
    "“15 ngày sau khi kết thúc quý”, “trước 15/12”, “hằng quý”, “thường xuyên” or a code "
    "such as quarterly+15d, yearly:12-15"
)


def _norm(text: str) -> str:
    text = unicodedata.normalize("NFC", text or "").strip().lower()
    text = re.sub(r"\s+", " ", text)
    return text.rstrip(".;, ")


def _period_code(words: str) -> str | None:
    for word, code in _PERIOD_WORDS:
        if word in words:
            return code
    return None


def to_code(text: str) -> str:
    """The rule code for ``text`` (Vietnamese words or already a code); UserError if neither."""
    raw = _norm(text)
    if not raw:
        raise UserError("Hạn chưa nhập.", "The due rule is empty.")
    try:
        return str(DueRule.parse(raw))
    except UserError:
        pass
    m = re.fullmatch(r"(?:trước|chậm nhất|hạn)?\s*(?:ngày\s*)?(\d{1,2})/(\d{1,2})/(\d{4})", raw)
    if m:
        d, mo, y = (int(g) for g in m.groups())
        return f"date:{y:04d}-{mo:02d}-{d:02d}"
    m = re.fullmatch(
        r"(?:trước|chậm nhất|hạn)\s*(?:ngày\s*)?(\d{1,2})/(\d{1,2})(?:\s*(?:hằng|hàng) năm)?", raw
    )
    if m:
        d, mo = int(m[1]), int(m[2])
        return f"yearly:{mo:02d}-{d:02d}"
    m = re.fullmatch(
        r"(?:trong\s*(?:vòng\s*)?)?(\d{1,3})\s*ngày\s*(?:làm việc\s*)?(?:sau khi|sau|kể từ khi|"
        r"kể từ ngày)\s*(?:kết thúc|hết|cuối)\s*(?:mỗi\s*)?(.+)",
        raw,
    )
    if m:
        code = _period_code(m[2])
        if code:
            return f"{code}+{int(m[1])}d"
    m = re.fullmatch(r"(?:hằng|hàng|mỗi|định kỳ|cuối|cuối mỗi|kết thúc)\s*(.+)", raw)
    if m:
        code = _period_code(m[1])
        if code:
            return code
    if raw in ("thường xuyên", "thường xuyên trong năm", "liên tục"):
        return "standing"
    raise UserError(
        f"Không hiểu hạn “{text.strip()}”. Viết ví dụ như: {EXAMPLES_VI}.",
        f"Cannot read the due rule “{text.strip()}”. Write e.g. {EXAMPLES_EN}.",
    )


def parse_due(text: str) -> DueRule:
    """The ``DueRule`` for Vietnamese words or a code (checked by ``DueRule.parse``)."""
    return DueRule.parse(to_code(text))
