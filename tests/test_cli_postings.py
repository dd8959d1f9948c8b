"""Posting records from the command line: one date for several places at once (all or
none), and a wrong posting or take-down record corrected or undone, with the change in the
item's history; bad input exits 2, says one line and changes nothing."""

from __future__ import annotations

import pytest

from tests.test_cli_core import commune, dump  # noqa: F401  (fixture)

PLACES = ("Thôn Phú Hòa", "Tổ dân phố 3")


@pytest.fixture
def item(commune):  # noqa: F811
    return commune(
        "disclosures", "add", "--type", "HO-NGHEO-RASOAT", "--title", "Rà soát hộ nghèo",
        "--trigger-date", "02/11/2026",
    ).out.strip()  # fmt: skip


def places_of(commune, did):  # noqa: F811
    listed = {i["id"]: i for i in commune("disclosures", "list", "--json").json()}[did]
    return {p["place"]: p for p in listed["places"]}


def test_one_date_for_several_places(commune, item):  # noqa: F811
    r = commune("disclosures", "post", item, "--place", PLACES[0], "--place", PLACES[1],
                "--on", "03/11/2026")  # fmt: skip
    assert r.code == 0, r.err
    assert r.out.count("Đã ghi niêm yết") == 2
    places = places_of(commune, item)
    assert [places[p]["posted_on"] for p in PLACES] == ["2026-11-03", "2026-11-03"]
    r = commune("disclosures", "end", item, "--place", PLACES[0], "--place", PLACES[1],
                "--on", "09/11/2026")  # fmt: skip
    assert r.code == 0, r.err
    places = places_of(commune, item)
    assert [places[p]["taken_down_on"] for p in PLACES] == ["2026-11-09", "2026-11-09"]


def test_several_places_are_all_or_nothing(commune, item, data_dir):  # noqa: F811
    commune("disclosures", "post", item, "--place", PLACES[0], "--on", "03/11/2026")
    before = dump(data_dir)
    # the second place was never posted: nothing is recorded for the first one either
    r = commune("disclosures", "end", item, "--place", PLACES[0], "--place", PLACES[1],
                "--on", "05/11/2026")  # fmt: skip
    assert r.code == 2 and "Chưa ghi nhận niêm yết" in r.err
    assert dump(data_dir) == before


def test_an_early_take_down_recorded_by_mistake_is_undone(commune, item, data_dir):  # noqa: F811
    place = PLACES[0]
    commune("disclosures", "post", item, "--place", place, "--on", "03/11/2026")
    commune("disclosures", "end", item, "--place", place, "--on", "04/11/2026")
    assert places_of(commune, item)[place]["state"] == "taken_down_early"
    r = commune("disclosures", "undo", item, "--place", place, "--record", "end")
    assert r.code == 0 and "lịch sử" in r.out
    p = places_of(commune, item)[place]
    assert p["taken_down_on"] is None and p["posted_on"] == "2026-11-03"

    from papi_desktop.services import disclosures
    from papi_desktop.services.context import AppContext

    with AppContext(data_dir, auto_backup=False) as ctx:
        changes = [h for h in disclosures.item_history(ctx, item) if h["field"] == "taken_down_on"]
    # recorded, then undone: both in the history, old -> new
    assert [(h["old"], h["new"]) for h in changes] == [(None, "2026-11-04"), ("2026-11-04", None)]


def test_a_wrong_date_is_corrected_and_the_period_recomputed(commune, item):  # noqa: F811
    place = PLACES[0]
    commune("disclosures", "post", item, "--place", place, "--on", "03/11/2026")
    r = commune("disclosures", "correct", item, "--place", place, "--record", "post",
                "--on", "05/11/2026")  # fmt: skip
    assert r.code == 0 and "05/11/2026" in r.out
    p = places_of(commune, item)[place]
    assert (p["posted_on"], p["ends_on"]) == ("2026-11-05", "2026-11-10")
    commune("disclosures", "end", item, "--place", place, "--on", "06/11/2026")
    r = commune("disclosures", "correct", item, "--place", place, "--record", "end",
                "--on", "11/11/2026")  # fmt: skip
    assert r.code == 0
    p = places_of(commune, item)[place]
    assert p["taken_down_on"] == "2026-11-11" and p["state"] != "taken_down_early"


def test_undoing_a_reposting_brings_back_the_earlier_posting(commune, item):  # noqa: F811
    place = PLACES[0]
    commune("disclosures", "post", item, "--place", place, "--on", "03/11/2026")
    commune("disclosures", "end", item, "--place", place, "--on", "04/11/2026")
    commune("disclosures", "post", item, "--place", place, "--on", "05/11/2026")
    r = commune("disclosures", "undo", item, "--place", place, "--record", "post")
    assert r.code == 0 and "03/11/2026" in r.out
    p = places_of(commune, item)[place]
    assert (p["posted_on"], p["taken_down_on"]) == ("2026-11-03", "2026-11-04")
    commune("disclosures", "undo", item, "--place", place, "--record", "end")
    r = commune("disclosures", "undo", item, "--place", place, "--record", "post")
    assert r.code == 0 and "chưa niêm yết" in r.out
    assert places_of(commune, item)[place]["posted_on"] is None


@pytest.mark.parametrize(
    "args, message",
    [
        (("undo", "{id}", "--place", "Thôn Phú Hòa", "--record", "end"), "chưa ghi ngày gỡ"),
        (("undo", "{id}", "--place", "Tổ dân phố 3", "--record", "post"), "chưa ghi ngày niêm yết"),
        (("correct", "{id}", "--place", "Thôn Phú Hòa", "--record", "post", "--on", "30/12/2026"), "tương lai"),
        (("correct", "{id}", "--place", "Thôn Phú Hòa", "--record", "end", "--on", "05/11/2026"), "chưa ghi ngày gỡ"),
        (("correct", "{id}", "--place", "Thôn Phú Hòa", "--record", "post", "--on", "31/02/2026"), "không tồn tại"),
        (("undo", "abcdef123456", "--place", "Thôn Phú Hòa", "--record", "post"), "Không có nội dung"),
    ],
)  # fmt: skip
def test_bad_corrections_exit_2_and_change_nothing(commune, item, data_dir, args, message):  # noqa: F811
    commune("disclosures", "post", item, "--place", "Thôn Phú Hòa", "--on", "03/11/2026")
    before = dump(data_dir)
    r = commune("disclosures", *[a.replace("{id}", item) for a in args])
    assert r.code == 2, (r.out, r.err)
    assert message in r.err
    assert r.err.strip().count("\n") == 0
    assert dump(data_dir) == before
