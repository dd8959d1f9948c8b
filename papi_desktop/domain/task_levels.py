"""Who carries out a framework task ("Cấp thực hiện"): the commune (and its villages) or the
supervising office itself, and the one unit key under which the office keeps its own answers.

Since 1 July 2025 there is no district level: the duties the provincial plans gave the
district (guide and inspect the communes, support the PAPI survey team, report to the
provincial People's Committee) sit with the office that supervises the communes. Older
frameworks may still say ``district`` or ``province``; both are read as the office.
"""

from __future__ import annotations

from papi_desktop.domain.text import fold

COMMUNE = "commune"
VILLAGE = "village"
OFFICE = "office"
LEVELS: tuple[str, ...] = (COMMUNE, VILLAGE, OFFICE)
LEVEL_LABELS: dict[str, dict[str, str]] = {
    COMMUNE: {"vi": "xã", "en": "commune"},
    VILLAGE: {"vi": "thôn, tổ dân phố", "en": "village"},
    OFFICE: {"vi": "cơ quan giám sát", "en": "supervising office"},
}
# Stored level values that belong to the office's checklist (``district`` and ``province``
# come from frameworks imported before the office level had its own name).
OFFICE_LEVELS: tuple[str, ...] = (OFFICE, "district", "province")

# The unit code of the office's own task results. A commune code is five digits, so this
# key can never name a commune; every list of communes leaves it out.
OFFICE_UNIT = "office"
# The setting holding the day the office's own checklist starts (ISO date).
OFFICE_TRACKING_SETTING = "office_tracking_from"

_ALIASES: dict[str, str] = {
    **{fold(k): COMMUNE for k in ("commune", "xã", "phường", "xã, phường", "đặc khu", "cấp xã")},
    **{fold(k): VILLAGE for k in ("village", "thôn", "tổ dân phố", "thôn, tổ dân phố")},
    **{
        fold(k): OFFICE
        for k in ("office", "district", "province", "cơ quan giám sát", "cấp cơ quan giám sát")
    },
}


def parse_level(text: str | None) -> str | None:
    """The level code of a "Cấp thực hiện" cell (empty: the commune), or None if unknown."""
    key = fold(text or "").strip()
    if not key:
        return COMMUNE
    return _ALIASES.get(key)


def side_of(level: str | None) -> str:
    """Whose checklist a task with this stored level belongs to: ``office`` or ``commune``."""
    return OFFICE if (level or COMMUNE) in OFFICE_LEVELS else COMMUNE


def normal_level(level: str | None) -> str:
    """A stored level as it is written today (``district``/``province`` read as ``office``)."""
    return OFFICE if side_of(level) == OFFICE else (level or COMMUNE)


def level_label(level: str | None, lang: str = "vi") -> str:
    return LEVEL_LABELS.get(normal_level(level), LEVEL_LABELS[COMMUNE])[lang]


def accepted_words_vi() -> str:
    """The values the import accepts, for the one-line refusal."""
    return "xã, thôn, tổ dân phố, cơ quan giám sát (hoặc commune, village, office)"
