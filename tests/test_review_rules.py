"""Review rules the office relies on: a returned report cannot be accepted until the commune
sends it again; refusals name the commune; the office demo has reports waiting for review."""

from __future__ import annotations

from datetime import date

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import district, district_demo, review
from tests.conftest import DEMO_COMMUNE
from tests.test_review_flow import pair  # noqa: F401  (fixture)

TODAY = date(2026, 11, 20)


def test_a_returned_report_is_accepted_only_after_it_is_sent_again(pair):  # noqa: F811
    commune, office, usb = pair
    with pytest.raises(UserError) as refused:
        review.decide(office, DEMO_COMMUNE, 2026, "accepted")
    assert "Phường Ninh Hòa chưa gửi báo cáo năm 2026" in refused.value.message("vi")
    review.submit(commune, 2026)
    district_demo.exchange(commune, office, usb)
    review.decide(office, DEMO_COMMUNE, 2026, "returned", "Thiếu minh chứng quý III")
    before = review.state_of(office, DEMO_COMMUNE, 2026)
    with pytest.raises(UserError) as refused:
        review.decide(office, DEMO_COMMUNE, 2026, "accepted")
    message = refused.value.message("vi")
    assert "đã trả lại" in message and "khi xã gửi lại" in message and "Phường Ninh Hòa" in message
    assert review.state_of(office, DEMO_COMMUNE, 2026) == before  # nothing changed
    # the commune gets the return, sends again: now it can be accepted
    district_demo.exchange(office, commune, usb)
    review.submit(commune, 2026)
    district_demo.exchange(commune, office, usb)
    assert review.decide(office, DEMO_COMMUNE, 2026, "accepted").state == "accepted"


def test_the_office_demo_has_reports_waiting_for_review(tmp_path):
    folder = tmp_path / "office"
    district_demo.prepare_district_demo(folder, communes=3)
    from papi_desktop.services.context import AppContext

    with AppContext(folder, auto_backup=False) as ctx:
        states = [r["submission"] for r in district.communes_overview(ctx)]
        # and a PAR season: the three communes scored themselves, the office appraised them
        from papi_desktop.services import assess

        ranked = assess.results(ctx, "PAR", ctx.today().year)
    assert states.count("submitted") == 1 and len(states) == 3
    rows = ranked["communes"]
    assert len(rows) == 3 and all(r["appraised_total"] is not None for r in rows)
    assert min(r["rank"] for r in rows) == 1
