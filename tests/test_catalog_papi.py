"""Checks for the shipped PAPI criteria catalogue and the default commune task framework (JSON)."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

DATA_DIR = Path(__file__).resolve().parents[1] / "papi_desktop" / "catalog" / "data"
CRITERIA_PATH = DATA_DIR / "papi_criteria.json"
FRAMEWORK_PATH = DATA_DIR / "framework_commune.json"

SUBDIMENSION_CODES = {
    "1.1", "1.2", "1.3", "1.4",
    "2.1", "2.2", "2.3", "2.4",
    "3.1", "3.2", "3.3",
    "4.1", "4.2", "4.3", "4.4",
    "5.1", "5.2", "5.3", "5.4",
    "6.1", "6.2", "6.3", "6.4",
    "7.1", "7.2", "7.3",
    "8.1", "8.2",
}  # fmt: skip

ROLES = {
    "Chủ tịch UBND xã",
    "Phó Chủ tịch UBND xã",
    "Văn phòng HĐND và UBND xã",
    "Công chức Tư pháp – Hộ tịch",
    "Công chức Tài chính – Kế toán",
    "Công chức Địa chính – Xây dựng – Nông nghiệp và Môi trường",
    "Công chức Văn hóa – Xã hội",
    "Trung tâm Phục vụ hành chính công xã",
    "Công an xã",
    "Trạm Y tế xã",
    "Trưởng thôn, tổ trưởng tổ dân phố",
    "UBMTTQ Việt Nam xã",
}

DISCLOSURE_TYPES = {
    "KTXH-KEHOACH", "NS-DUTOAN-TRINH", "NS-DUTOAN-QD", "NS-THUCHIEN-QUY", "NS-QUYETTOAN",
    "DONGGOP-NHANDAN", "CS-ANSINH", "HO-NGHEO-RASOAT", "QUYCHE-DANCHU", "TTHC-XA",
    "DANH-MUC-CK-QUY", "DAT-QUYHOACH-SDD", "DAT-BTHT-DUTHAO", "TIEPCONGDAN-LICH", "PAPI-KHUNG",
    "LAYYKIEN-NHANDAN", "PHI-LEPHI", "CS-HOTRO-KETQUA", "TAISAN-KEKHAI",
}  # fmt: skip

TASK_CODE_RE = re.compile(r"^D\d\.\d-\d\d$")
DUE_RULE_RE = re.compile(
    r"^(?P<kind>monthly|quarterly|half-yearly|yearly|standing"
    r"|yearly:(?P<md>\d\d-\d\d)|date:(?P<date>\d{4}-\d\d-\d\d))"
    r"(?:\+(?P<days>[1-9]\d*)d)?$"
)


def due_rule_kind(rule: str) -> str | None:
    """Return the recurrence kind of a due rule, or None if it breaks the grammar."""
    m = DUE_RULE_RE.match(rule)
    if m is None:
        return None
    if m["md"] is not None:
        month, day = (int(x) for x in m["md"].split("-"))
        try:
            dt.date(2024, month, day)  # leap year: 02-29 is a valid yearly day
        except ValueError:
            return None
        return "yearly"
    if m["date"] is not None:
        try:
            dt.date.fromisoformat(m["date"])
        except ValueError:
            return None
        return "date"
    return m["kind"]


def iter_strings(obj):
    """Yield every string (keys and values) in a JSON structure."""
    if isinstance(obj, str):
        yield obj
    elif isinstance(obj, dict):
        for key, value in obj.items():
            yield key
            yield from iter_strings(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from iter_strings(value)


def non_nfc(obj) -> list[str]:
    return [s for s in iter_strings(obj) if unicodedata.normalize("NFC", s) != s]


@pytest.fixture(scope="module")
def criteria() -> dict:
    return json.loads(CRITERIA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def framework() -> dict:
    return json.loads(FRAMEWORK_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def tasks(framework: dict) -> list[dict]:
    return framework["tasks"]


# --- helpers used by the checks must themselves reject bad input


@pytest.mark.parametrize(
    ("rule", "kind"),
    [
        ("monthly", "monthly"),
        ("quarterly+10d", "quarterly"),
        ("half-yearly+15d", "half-yearly"),
        ("yearly", "yearly"),
        ("yearly:12-15", "yearly"),
        ("yearly:02-29", "yearly"),
        ("yearly:06-30+5d", "yearly"),
        ("standing", "standing"),
        ("date:2026-03-31", "date"),
    ],
)
def test_due_rule_grammar_accepts(rule: str, kind: str) -> None:
    assert due_rule_kind(rule) == kind


@pytest.mark.parametrize(
    "rule",
    ["weekly", "Monthly", "quarterly+d", "quarterly+0d", "quarterly+10", "yearly:13-01",
     "yearly:02-30", "yearly:1-15", "date:2026-02-30", "date:26-01-01", "standing ", "",
     "half-yearly+15d+2d", "yearly:12-15:01"],
)  # fmt: skip
def test_due_rule_grammar_rejects(rule: str) -> None:
    assert due_rule_kind(rule) is None


def test_nfc_helper_finds_decomposed_text() -> None:
    decomposed = unicodedata.normalize("NFD", "Thôn Phú Hòa")
    assert non_nfc({"a": ["ok", decomposed]}) == [decomposed]
    assert non_nfc({"a": ["ok", "Thôn Phú Hòa"]}) == []


# --- papi_criteria.json


def test_criteria_header(criteria: dict) -> None:
    assert criteria["catalog"] == "papi-criteria"
    assert criteria["index"] == "PAPI"
    assert criteria["version"] == "2018.1"
    for key in ("source", "note_vi", "note_en"):
        assert criteria[key].strip()


def test_criteria_dimensions_and_subdimensions(criteria: dict) -> None:
    items = criteria["items"]
    codes = [it["code"] for it in items]
    assert len(codes) == len(set(codes)), "duplicate criterion codes"
    dims = {it["code"]: it for it in items if it["level"] == "dimension"}
    subs = {it["code"]: it for it in items if it["level"] == "subdimension"}
    assert set(dims) == {str(n) for n in range(1, 9)}
    assert set(subs) == SUBDIMENSION_CODES
    assert len(items) == 8 + 28
    for it in dims.values():
        assert it["parent"] is None
        assert it["short_vi"].strip() and it["short_en"].strip()
    for code, it in subs.items():
        assert it["parent"] in dims, code
        assert code.split(".")[0] == it["parent"], code
    per_dim = Counter(it["parent"] for it in subs.values())
    assert [per_dim[str(n)] for n in range(1, 9)] == [4, 4, 3, 4, 4, 4, 3, 2]


def test_criteria_names_and_confidence(criteria: dict) -> None:
    for it in criteria["items"]:
        assert it["name_vi"].strip() and it["name_en"].strip(), it["code"]
        assert it["confidence"] in {"V", "P", "M"}, it["code"]
    by_code = {it["code"]: it for it in criteria["items"]}
    assert by_code["1"]["name_vi"] == "Tham gia của người dân ở cấp cơ sở"
    assert by_code["1"]["name_en"] == "Participation at Local Levels"
    assert by_code["2.2"]["name_en"] == "Poverty Lists"
    # Vietnamese 2.4 wording is only [M] in the reference, so the weaker tag wins.
    assert by_code["2.4"]["confidence"] == "M"


def test_criteria_text_is_nfc(criteria: dict) -> None:
    assert non_nfc(criteria) == []


# --- framework_commune.json


def test_framework_header(framework: dict) -> None:
    assert framework["catalog"] == "framework-commune-default"
    assert framework["index"] == "PAPI"
    assert isinstance(framework["version"], int) and framework["version"] >= 1
    assert framework["years"] == "2026"
    assert framework["decision_no"] is None and framework["decision_date"] is None
    for key in ("title_vi", "title_en", "issuer_vi", "issuer_en", "note_vi", "note_en"):
        assert framework[key].strip(), key


def test_framework_task_codes(tasks: list[dict]) -> None:
    assert len(tasks) >= 45
    codes = [t["code"] for t in tasks]
    assert len(codes) == len(set(codes)), "duplicate task codes"
    for t in tasks:
        assert TASK_CODE_RE.match(t["code"]), t["code"]
        assert t["code"].startswith(f"D{t['criterion']}-"), t["code"]


def test_framework_criteria_exist_and_cover_index(criteria: dict, tasks: list[dict]) -> None:
    known = {it["code"] for it in criteria["items"]}
    used = {t["criterion"] for t in tasks}
    assert used <= known, used - known
    assert {c.split(".")[0] for c in used} == {str(n) for n in range(1, 9)}
    required = {c for c in SUBDIMENSION_CODES if c[0] in "12"}
    assert required <= used, required - used
    # most sub-dimensions of dimensions 3-8 are covered too
    rest = {c for c in SUBDIMENSION_CODES if c[0] not in "12"}
    assert len(rest & used) >= len(rest) * 3 // 4


def test_framework_posting_task_exists(tasks: list[dict]) -> None:
    posting = [t for t in tasks if t["disclosure_type"] == "PAPI-KHUNG"]
    assert posting, "the task to post the framework itself is missing"
    t = posting[0]
    assert t["criterion"] == "2.1"
    assert "Bộ khung" in t["title_vi"]
    assert "trụ sở UBND xã" in t["title_vi"] and "nhà văn hóa" in t["title_vi"]


def test_framework_cross_cutting_tasks(tasks: list[dict]) -> None:
    titles = [t["title_vi"] for t in tasks]
    assert any(s.startswith("Xây dựng, ban hành Kế hoạch cải thiện") for s in titles)
    assert any("Sở Nội vụ" in s and s.startswith("Báo cáo") for s in titles)
    assert any("kết quả Chỉ số PAPI của tỉnh" in s for s in titles)


def test_framework_due_rules(tasks: list[dict]) -> None:
    kinds = Counter()
    for t in tasks:
        kind = due_rule_kind(t["due_rule"])
        assert kind is not None, (t["code"], t["due_rule"])
        kinds[kind] += 1
        if kind == "date":
            assert t["due_rule"][5:9] == "2026", t["code"]
    for kind in ("monthly", "quarterly", "half-yearly", "yearly", "standing"):
        assert kinds[kind] >= 3, (kind, kinds)
    assert kinds["date"] >= 2, kinds


def test_framework_roles_levels_and_outputs(tasks: list[dict]) -> None:
    levels = Counter()
    for t in tasks:
        code = t["code"]
        for key in ("title_vi", "title_en", "output_vi", "output_en"):
            assert isinstance(t[key], str) and t[key].strip(), (code, key)
        assert t["level"] in {"commune", "village"}, code
        levels[t["level"]] += 1
        assert t["lead_role"] in ROLES, (code, t["lead_role"])
        assert isinstance(t["partners"], list), code
        assert set(t["partners"]) <= ROLES, (code, t["partners"])
        assert len(t["partners"]) == len(set(t["partners"])), code
        assert t["lead_role"] not in t["partners"], code
    assert levels["commune"] and levels["village"]


def test_framework_disclosure_types(tasks: list[dict]) -> None:
    used = {t["disclosure_type"] for t in tasks} - {None}
    assert used <= DISCLOSURE_TYPES, used - DISCLOSURE_TYPES
    # the budget and poverty postings are linked to the disclosure register
    assert {"NS-THUCHIEN-QUY", "HO-NGHEO-RASOAT", "PAPI-KHUNG", "TTHC-XA"} <= used


def test_framework_text_is_nfc(framework: dict) -> None:
    assert non_nfc(framework) == []


def test_framework_has_no_district_level(tasks: list[dict]) -> None:
    # After 1 July 2025 there is no district tier for a commune to report to.
    for t in tasks:
        text = " ".join((t["title_vi"], t["output_vi"]))
        assert "UBND huyện" not in text and "cấp huyện" not in text, t["code"]
