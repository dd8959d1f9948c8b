"""Checks on the shipped disclosure-type and holiday catalogues (JSON data files)."""

import datetime as dt
import json
import re
import unicodedata
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[1] / "papi_desktop" / "catalog" / "data"

TYPE_KEYS = {
    "code",
    "row",
    "group",
    "name_vi",
    "name_en",
    "legal_basis",
    "trigger_vi",
    "trigger_en",
    "deadline_days",
    "deadline_unit",
    "deadline_direction",
    "period_days",
    "period_unit",
    "period_note_vi",
    "period_note_en",
    "places",
    "forms",
    "loudspeaker_days",
    "evidence_vi",
    "evidence_en",
    "papi_criterion",
    "confidence",
    "confidence_note_vi",
    "confidence_note_en",
    "source",
    "plan",
}
GROUPS = {
    "plan",
    "budget",
    "land",
    "social",
    "poverty",
    "democracy",
    "procedures",
    "inspection",
    "complaints",
    "election",
    "assets",
    "papi",
    "other",
}
PLACES = {"hq", "villages", "affected_area", "reception", "one_stop", "resettlement_site"}
FORMS = {
    "posting",
    "web",
    "loudspeaker",
    "village_head",
    "written_notice",
    "meeting",
    "newspaper",
    "social_network",
}
PERIODS = {"Y", "Q1", "Q2", "Q3", "Q4", "H1", "H2"}
HOLIDAY_KINDS = {"holiday", "tet", "compensatory", "swap-off", "swap-work"}
DAY_OFF_KINDS = HOLIDAY_KINDS - {"swap-work"}


def _load(name: str) -> dict:
    with open(DATA / name, encoding="utf-8") as f:
        return json.load(f)


@pytest.fixture(scope="module")
def types_doc() -> dict:
    return _load("disclosure_types.json")


@pytest.fixture(scope="module")
def types(types_doc: dict) -> dict[str, dict]:
    return {t["code"]: t for t in types_doc["types"]}


@pytest.fixture(scope="module")
def holidays_doc() -> dict:
    return _load("holidays.json")


def _strings(obj):
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, list):
        for x in obj:
            yield from _strings(x)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield from _strings(v)


# ---------------------------------------------------------------- disclosure types


def test_types_header(types_doc: dict) -> None:
    assert types_doc["catalog"] == "disclosure-types"
    assert re.fullmatch(r"\d{4}\.\d{1,2}\.\d+", types_doc["version"])
    assert types_doc["note_vi"].strip() and types_doc["note_en"].strip()


def test_types_count_and_unique_codes(types_doc: dict) -> None:
    codes = [t["code"] for t in types_doc["types"]]
    assert len(codes) >= 25
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", code), code


def test_types_keys_and_enums(types_doc: dict) -> None:
    for t in types_doc["types"]:
        code = t["code"]
        assert set(t) == TYPE_KEYS, code
        assert t["group"] in GROUPS, code
        assert t["confidence"] in {"H", "M", "L"}, code
        assert t["deadline_direction"] in {"after", "before"}, code
        assert t["places"] and set(t["places"]) <= PLACES, code
        assert t["forms"] and set(t["forms"]) <= FORMS, code
        assert len(set(t["places"])) == len(t["places"]), code
        assert len(set(t["forms"])) == len(t["forms"]), code
        assert isinstance(t["loudspeaker_days"], int) and t["loudspeaker_days"] >= 0, code
        if t["loudspeaker_days"]:
            assert "loudspeaker" in t["forms"], code
        crit = t["papi_criterion"]
        assert crit is None or re.fullmatch(r"[1-8]\.[1-4]", crit), code
        for key in (
            "name_vi",
            "name_en",
            "legal_basis",
            "trigger_vi",
            "trigger_en",
            "period_note_vi",
            "period_note_en",
            "evidence_vi",
            "evidence_en",
            "confidence_note_vi",
            "confidence_note_en",
            "source",
            "row",
        ):
            assert isinstance(t[key], str) and t[key].strip(), (code, key)


def test_deadline_consistency(types_doc: dict) -> None:
    for t in types_doc["types"]:
        unit, days = t["deadline_unit"], t["deadline_days"]
        assert unit in {"working", "calendar", None}, t["code"]
        if unit is None:
            assert days is None, t["code"]
            assert t["deadline_direction"] == "after", t["code"]
        else:
            assert isinstance(days, int) and not isinstance(days, bool) and days > 0, t["code"]


def test_period_consistency(types_doc: dict) -> None:
    for t in types_doc["types"]:
        unit, days = t["period_unit"], t["period_days"]
        assert unit in {"working", "calendar", "permanent"}, t["code"]
        if unit == "permanent":
            assert days is None, t["code"]
        else:
            assert isinstance(days, int) and not isinstance(days, bool) and days > 0, t["code"]


def test_all_strings_nfc(types_doc: dict, holidays_doc: dict) -> None:
    for doc in (types_doc, holidays_doc):
        for s in _strings(doc):
            assert unicodedata.normalize("NFC", s) == s, s


def test_vietnamese_names_have_diacritics(types_doc: dict) -> None:
    # Guards against ASCII-folded Vietnamese sneaking into user-facing text.
    folded = [t["code"] for t in types_doc["types"] if t["name_vi"].isascii()]
    assert folded == []


def _plan_due(due: str, year: int = 2027) -> dt.date:
    m = re.fullmatch(r"(\+1:)?(\d{2})-(\d{2})", due)
    assert m, due
    return dt.date(year + (1 if m.group(1) else 0), int(m.group(2)), int(m.group(3)))


def test_plan_entries_well_formed(types_doc: dict) -> None:
    for t in types_doc["types"]:
        for p in t["plan"]:
            assert {"period", "due", "label_vi", "label_en"} <= set(p), t["code"]
            assert set(p) <= {"period", "due", "label_vi", "label_en", "estimated", "basis",
                              "confidence"}, t["code"]  # fmt: skip
            # Every line says whether its date is a legal date or an estimate, on what basis
            # and how sure the catalogue is of it.
            assert isinstance(p["estimated"], bool) and p["basis"], t["code"]
            assert p["confidence"] in ("H", "M", "L"), t["code"]
            if p["estimated"]:
                assert "dự kiến" in p["label_vi"] or "expected" in p["label_en"], t["code"]
            assert p["period"] in PERIODS, t["code"]
            _plan_due(p["due"])  # raises on e.g. 02-30
            _plan_due(p["due"], 2028)  # leap year too
            assert p["label_vi"].strip() and p["label_en"].strip(), t["code"]


def test_quarterly_due_dates_follow_period(types_doc: dict) -> None:
    quarter_end = {"Q1": 3, "Q2": 6, "Q3": 9, "Q4": 12, "H1": 6, "H2": 12}
    for t in types_doc["types"]:
        for p in t["plan"]:
            if p["period"] in quarter_end and not p["due"].startswith("+1:"):
                assert _plan_due(p["due"]).month >= quarter_end[p["period"]], (t["code"], p)


def test_budget_rules_follow_decree_73(types: dict) -> None:
    q = types["NS-THUCHIEN-QUY"]
    assert (q["deadline_days"], q["deadline_unit"], q["deadline_direction"]) == (
        10,
        "calendar",
        "after",
    )
    assert {(p["period"], p["due"]) for p in q["plan"]} == {
        ("Q1", "04-10"),
        ("H1", "07-10"),
        ("Q3", "10-10"),
    }
    year = types["NS-THUCHIEN-NAM"]
    assert (year["deadline_days"], year["deadline_unit"]) == (10, "calendar")
    draft = types["NS-DUTOAN-TRINH"]
    assert (draft["deadline_days"], draft["deadline_unit"]) == (5, "working")
    assert "khai mạc" in draft["trigger_vi"]
    for code in ("NS-DUTOAN-QD", "NS-QUYETTOAN"):
        assert (types[code]["deadline_days"], types[code]["deadline_unit"]) == (30, "calendar")
    assert [p["due"] for p in types["NS-QUYETTOAN"]["plan"]] == ["04-30"]
    for code in (
        "NS-DUTOAN-TRINH",
        "NS-DUTOAN-QD",
        "NS-THUCHIEN-QUY",
        "NS-THUCHIEN-NAM",
        "NS-QUYETTOAN",
    ):
        t = types[code]
        assert (t["period_days"], t["period_unit"]) == (30, "calendar"), code
        assert {"hq", "villages"} <= set(t["places"]) and "web" in t["forms"], code
        assert t["group"] == "budget" and t["papi_criterion"] == "2.3", code


def test_direct_support_rows(types: dict) -> None:
    docs, results = types["CS-HOTRO-VANBAN"], types["CS-HOTRO-KETQUA"]
    assert (docs["deadline_days"], docs["deadline_unit"]) == (3, "working")
    assert (results["deadline_days"], results["deadline_unit"]) == (30, "calendar")
    assert "81" in results["name_vi"] and "81" in results["legal_basis"]


def test_poverty_review(types: dict) -> None:
    review = types["HO-NGHEO-RASOAT"]
    assert (review["period_days"], review["period_unit"]) == (3, "working")
    assert "loudspeaker" in review["forms"] and review["loudspeaker_days"] > 0
    assert {"hq", "villages"} <= set(review["places"])
    assert review["group"] == "poverty" and review["papi_criterion"] == "2.2"
    recheck = types["HO-NGHEO-PHUCTRA"]
    assert (recheck["deadline_days"], recheck["deadline_unit"]) == (7, "working")
    assert (recheck["period_days"], recheck["period_unit"]) == (3, "working")


def test_land_rules(types: dict) -> None:
    plan = types["DAT-QUYHOACH-SDD"]
    assert (plan["deadline_days"], plan["deadline_unit"]) == (15, "calendar")
    assert plan["period_unit"] == "permanent"
    notices = {
        "DAT-THUHOI-TB-NN": 60,
        "DAT-THUHOI-TB-PNN": 120,
        "DAT-THUHOI-TB-NN-CU": 90,
        "DAT-THUHOI-TB-PNN-CU": 180,
    }
    for code, days in notices.items():
        t = types[code]
        assert (t["deadline_days"], t["deadline_unit"], t["deadline_direction"]) == (
            days,
            "calendar",
            "before",
        ), code
        assert t["period_unit"] == "permanent" and "affected_area" in t["places"], code
    # The NQ 254 figures are unverified and must say so.
    for code in ("DAT-THUHOI-TB-NN", "DAT-THUHOI-TB-PNN"):
        assert types[code]["confidence"] == "L"
        assert "254" in types[code]["confidence_note_vi"]
    draft = types["DAT-BTHT-DUTHAO"]
    assert (draft["period_days"], draft["period_unit"]) == (30, "calendar")
    approved = types["DAT-BTHT-PHEDUYET"]
    assert approved["period_days"] == 30 and approved["confidence"] in {"M", "L"}


def test_complaints_assets_elections(types: dict) -> None:
    k = types["KHIEUNAI-QD-LAN2"]
    assert (k["deadline_days"], k["deadline_unit"], k["period_days"], k["period_unit"]) == (
        15,
        "calendar",
        15,
        "calendar",
    )
    assert "lần hai" in k["name_vi"]
    # Only second-instance complaint decisions must be published (Luật Khiếu nại Đ41).
    decisions = [
        t["code"]
        for t in types.values()
        if "quyết định giải quyết khiếu nại" in t["name_vi"].lower()
    ]
    assert decisions == ["KHIEUNAI-QD-LAN2"]
    assets = types["TAISAN-KEKHAI"]
    assert (assets["period_days"], assets["period_unit"]) == (15, "calendar")
    voters = types["BAUCU-DSCUTRI"]
    assert (voters["deadline_days"], voters["deadline_direction"], voters["period_unit"]) == (
        40,
        "before",
        "permanent",
    )
    reception = types["TIEPCONGDAN-LICH"]
    assert (
        reception["deadline_days"],
        reception["deadline_unit"],
        reception["deadline_direction"],
    ) == (5, "working", "before")
    meeting = types["HOP-CONGDONG-TB"]
    assert (meeting["deadline_days"], meeting["deadline_direction"]) == (2, "before")


def test_loudspeaker_for_articles_7_to_12(types: dict) -> None:
    for code in (
        "CS-ANSINH",
        "HOTRO-THIENTAI",
        "NGHIAVU-QS",
        "THANHTRA-KETQUA",
        "TINNHIEM-KETQUA",
        "LAYYKIEN-NHANDAN",
        "PHI-LEPHI",
    ):
        t = types[code]
        assert t["loudspeaker_days"] == 3 and "village_head" in t["forms"], code
        assert (t["period_days"], t["period_unit"]) == (30, "calendar"), code


def test_permanent_rows_and_register(types: dict) -> None:
    for code in ("QUYCHE-DANCHU", "TTHC-XA"):
        t = types[code]
        assert t["period_unit"] == "permanent"
        assert [(p["period"], p["due"]) for p in t["plan"]] == [("Y", "01-31")]
    reg = types["DANH-MUC-CK-QUY"]
    assert [(p["period"], p["due"]) for p in reg["plan"]] == [
        ("Q1", "03-31"),
        ("Q2", "06-30"),
        ("Q3", "09-30"),
        ("Q4", "12-31"),
    ]
    papi = types["PAPI-KHUNG"]
    assert papi["group"] == "papi" and papi["confidence"] == "M"
    assert {"hq", "villages"} <= set(papi["places"])
    assert [(p["period"], p["due"]) for p in papi["plan"]] == [("Y", "01-31")]


def test_recurring_budget_types_have_plans(types: dict) -> None:
    recurring = [t for t in types.values() if t["plan"]]
    assert len(recurring) >= 10
    one_off = types["DAT-BTHT-DUTHAO"]
    assert one_off["plan"] == []


# ---------------------------------------------------------------- holidays


def _days(doc: dict) -> list[tuple[dt.date, dict]]:
    return [(dt.date.fromisoformat(d["date"]), d) for d in doc["days"]]


def test_holidays_rows_valid(holidays_doc: dict) -> None:
    assert holidays_doc["catalog"] == "holidays"
    assert holidays_doc["note_vi"].strip() and holidays_doc["note_en"].strip()
    keys = {
        "date",
        "kind",
        "name_vi",
        "name_en",
        "legal_basis",
        "source",
        "confidence",
        "provisional",
    }
    dates = []
    for day, row in _days(holidays_doc):
        assert set(row) == keys, row
        assert row["kind"] in HOLIDAY_KINDS, row
        assert row["confidence"] in {"H", "M", "L"}, row
        assert isinstance(row["provisional"], bool), row
        assert row["name_vi"].strip() and row["name_en"].strip() and row["legal_basis"].strip()
        dates.append(day)
    assert len(dates) == len(set(dates))
    assert dates == sorted(dates)
    assert {d.year for d in dates} == {2025, 2026, 2027}


def _by_year(doc: dict, year: int) -> list[tuple[dt.date, dict]]:
    return [(d, r) for d, r in _days(doc) if d.year == year]


def test_2025(holidays_doc: dict) -> None:
    rows = _by_year(holidays_doc, 2025)
    off = {d for d, r in rows if r["kind"] in DAY_OFF_KINDS and d.weekday() < 5}
    expected = {
        dt.date(2025, 1, 1),
        *(dt.date(2025, 1, n) for n in range(27, 32)),
        dt.date(2025, 4, 7),
        dt.date(2025, 4, 30),
        dt.date(2025, 5, 1),
        dt.date(2025, 5, 2),
        dt.date(2025, 9, 1),
        dt.date(2025, 9, 2),
    }
    assert off == expected and len(off) == 12
    assert [d for d, r in rows if r["kind"] == "swap-work"] == [dt.date(2025, 4, 26)]
    assert all(not r["provisional"] for _, r in rows)
    assert dt.date(2025, 11, 24) not in {d for d, _ in rows}


def test_2026(holidays_doc: dict) -> None:
    rows = _by_year(holidays_doc, 2026)
    off = {d for d, r in rows if r["kind"] in DAY_OFF_KINDS and d.weekday() < 5}
    expected = {
        dt.date(2026, 1, 1),
        dt.date(2026, 1, 2),
        *(dt.date(2026, 2, n) for n in range(16, 21)),
        dt.date(2026, 4, 27),
        dt.date(2026, 4, 30),
        dt.date(2026, 5, 1),
        dt.date(2026, 8, 31),
        dt.date(2026, 9, 1),
        dt.date(2026, 9, 2),
        dt.date(2026, 11, 24),
    }
    # holidays.md §4 says "15 weekdays" but the dates it lists (checked here) number 14.
    assert off == expected and len(off) == 14
    assert [d for d, r in rows if r["kind"] == "swap-work"] == [
        dt.date(2026, 1, 10),
        dt.date(2026, 8, 22),
    ]
    kinds = {d: r["kind"] for d, r in rows}
    assert kinds[dt.date(2026, 4, 26)] == "holiday"
    assert kinds[dt.date(2026, 4, 27)] == "compensatory"
    # The 23/11 <-> 28/11 swap was never decided.
    assert dt.date(2026, 11, 23) not in kinds and dt.date(2026, 11, 28) not in kinds
    assert all(not r["provisional"] for _, r in rows)
    culture = dict(rows)[dt.date(2026, 11, 24)]
    assert culture["confidence"] == "M"


def test_2027_provisional(holidays_doc: dict) -> None:
    rows = _by_year(holidays_doc, 2027)
    assert rows and all(r["provisional"] for _, r in rows)
    kinds = {d: r["kind"] for d, r in rows}
    for n in range(5, 10):
        assert kinds[dt.date(2027, 2, n)] == "tet"
    assert kinds[dt.date(2027, 2, 10)] == kinds[dt.date(2027, 2, 11)] == "compensatory"
    assert kinds[dt.date(2027, 5, 3)] == "compensatory"
    assert kinds[dt.date(2027, 9, 3)] == "holiday"
    assert dt.date(2027, 2, 12) not in kinds


def test_weekend_rows_are_justified(holidays_doc: dict) -> None:
    rows = _days(holidays_doc)
    compensatory = {d for d, r in rows if r["kind"] == "compensatory"}
    for day, row in rows:
        if row["kind"] == "swap-work":
            assert day.weekday() == 5, row
        elif day.weekday() >= 5:
            # Only a holiday or Tet day that fell on a weekend, with its nghỉ bù listed.
            assert row["kind"] in {"holiday", "tet"}, row
            assert any(0 < (c - day).days <= 10 for c in compensatory), row
        if row["kind"] in {"compensatory", "swap-off"}:
            assert day.weekday() < 5, row
