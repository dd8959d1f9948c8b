"""Holidays, signer and settings maintained from the Catalogues / Settings pages."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import catalogs, disclosures


def test_list_shipped_holidays_of_a_year(commune_ctx):
    rows = catalogs.list_holidays(commune_ctx, 2026)
    days = [r["day"] for r in rows]
    assert days == sorted(days) and "2026-09-02" in days
    assert 2026 in catalogs.holiday_years(commune_ctx)


def test_adding_a_holiday_moves_a_working_day_deadline(commune_ctx):
    # 7 working days from Thu 12/11/2026 -> Mon 23/11/2026
    item = disclosures.add(
        commune_ctx, "TOCAO-KETLUAN", "Kết luận số 01", trigger_date="12/11/2026"
    )
    before = disclosures.get_item(commune_ctx, item)["post_deadline"]
    hid = catalogs.add_holiday(commune_ctx, "16/11/2026", "holiday", "Ngày nghỉ thử")
    after = disclosures.get_item(commune_ctx, item)["post_deadline"]
    assert date.fromisoformat(after) > date.fromisoformat(before)
    assert commune_ctx.calendar().day_off(date(2026, 11, 16)) is not None
    # moving it to a Sunday restores the old deadline
    catalogs.update_holiday(commune_ctx, hid, {"day": "15/11/2026"})
    assert disclosures.get_item(commune_ctx, item)["post_deadline"] == before
    catalogs.delete_holiday(commune_ctx, hid)
    assert commune_ctx.calendar().day_off(date(2026, 11, 15)) is None
    # the same day can be added again after deletion (restored, not duplicated)
    again = catalogs.add_holiday(commune_ctx, "15/11/2026", "holiday", "Lại")
    assert again == hid
    assert catalogs.get_holiday(commune_ctx, again)["name_vi"] == "Lại"


def test_holiday_input_errors(commune_ctx):
    with pytest.raises(UserError, match="đã có trong danh mục"):
        catalogs.add_holiday(commune_ctx, "02/09/2026", "holiday", "Trùng")
    with pytest.raises(UserError, match="không tồn tại"):
        catalogs.add_holiday(commune_ctx, "31/02/2026", "holiday", "Sai")
    with pytest.raises(UserError, match="tên ngày nghỉ"):
        catalogs.add_holiday(commune_ctx, "03/12/2026", "holiday", "  ")
    with pytest.raises(UserError, match="thứ Bảy"):
        catalogs.add_holiday(commune_ctx, "03/12/2026", "swap-work", "Làm bù")


def test_moving_onto_a_deleted_day_reuses_that_row(commune_ctx):
    a = catalogs.add_holiday(commune_ctx, "03/12/2026", "holiday", "A")
    b = catalogs.add_holiday(commune_ctx, "04/12/2026", "holiday", "B")
    catalogs.delete_holiday(commune_ctx, a)
    target = catalogs.update_holiday(commune_ctx, b, {"day": "03/12/2026"})
    assert target == a
    days = {r["day"]: r["name_vi"] for r in catalogs.list_holidays(commune_ctx, 2026)}
    assert days.get("2026-12-03") == "B" and "2026-12-04" not in days


def test_signer_and_day_one_setting(commune_ctx):
    catalogs.set_signer(commune_ctx, " Trần Văn Hùng ", "CHỦ TỊCH", "TM. ỦY BAN NHÂN DÂN")
    assert catalogs.get_signer(commune_ctx) == {
        "signer_name": "Trần Văn Hùng",
        "signer_title": "CHỦ TỊCH",
        "signer_authority": "TM. ỦY BAN NHÂN DÂN",
    }
    with pytest.raises(UserError):
        catalogs.set_signer(commune_ctx, "X", " ", "")
    assert not commune_ctx.posting_day_is_day_one
    catalogs.set_posting_day_is_day_one(commune_ctx, True)
    assert commune_ctx.posting_day_is_day_one
