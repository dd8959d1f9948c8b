"""What one text field may hold, the same on input and in a USB package: a field longer than
``MAX_TEXT_CHARS`` or holding control characters is refused when typed, so a package never
carries what the receiving office would refuse."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from papi_desktop.domain.text import CONTROL_CHARS
from papi_desktop.errors import UserError

MAX_TEXT_CHARS = 20_000  # a note or any text field (what the window lets anyone type)

# JSON lists of names and summaries made by the program itself are not typed text.
_NOT_TYPED = ("partners", "team", "commune_reps", "criteria", "places", "reposts")


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def check_text_values(values: Mapping[str, Any]) -> None:
    """Refuse a typed text that a receiving PC would refuse, before anything is written."""
    for key, value in values.items():
        if not isinstance(value, str) or key in _NOT_TYPED:
            continue
        if len(value) > MAX_TEXT_CHARS:
            raise UserError(
                f"Nội dung nhập dài {_number(len(value))} ký tự, quá giới hạn "
                f"{_number(MAX_TEXT_CHARS)} ký tự của một ô (ghi chú, tên, nhận xét…). Hãy rút "
                "gọn; văn bản dài thì đính kèm thành tệp minh chứng.",
                f"The text typed is {len(value):,} characters long, over the {MAX_TEXT_CHARS:,}-"
                "character limit of one field (note, name, comment…). Shorten it; attach a long "
                "text as an evidence file instead.",
            )
        bad = CONTROL_CHARS.search(value)
        if bad:
            code = f"0x{ord(bad.group()):02X}"
            raise UserError(
                f"Nội dung có ký tự điều khiển không in được (mã {code}), thường do dán từ "
                "chương trình khác. Hãy xoá ký tự đó hoặc gõ lại đoạn văn.",
                f"The text holds an unprintable control character ({code}), usually pasted from "
                "another program. Delete it or type the text again.",
            )
