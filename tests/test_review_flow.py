"""Submissions and reviews across USB: a commune submits, the office returns it with a
comment (and comments on one result), the return reaches the commune by a real package;
after acceptance the commune's results are locked until an explicit, logged reopen that
the office sees too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import district, district_demo, review, tasks, units
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE

TODAY = date(2026, 11, 20)


@pytest.fixture
def pair(tmp_path):
    """One demo commune and the office, after the commune's first package arrived."""
    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    commune = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                         today=TODAY)  # fmt: skip
    district_demo.exchange(commune, office, tmp_path / "usb")
    yield commune, office, tmp_path / "usb"
    commune.close()
    office.close()


def test_returned_submission_reaches_the_commune_by_usb(pair):
    commune, office, usb = pair
    assert review.state_of(office, DEMO_COMMUNE, 2026).state == "draft"
    st = review.submit(commune, 2026, note="Báo cáo năm")
    assert st.state == "submitted" and st.round == 1 and st.completion is not None
    reports = district_demo.exchange(commune, office, usb)
    assert [r.status for r in reports] == ["applied"]
    row = district.communes_overview(office, 2026)[0]
    assert row["unit"] == DEMO_COMMUNE and row["submission"] == "submitted"

    with pytest.raises(UserError, match="lý do"):
        review.decide(office, DEMO_COMMUNE, 2026, "returned", "  ")
    review.decide(office, DEMO_COMMUNE, 2026, "returned", "Bổ sung minh chứng nhiệm vụ D2.2")
    review.comment_result(office, DEMO_COMMUNE, "D1.1-01", "2026-03", "Thiếu biên bản họp thôn")
    district_demo.exchange(office, commune, usb)

    info = review.feedback(commune, 2026)
    assert info["state"].state == "returned"
    assert info["state"].comment == "Bổ sung minh chứng nhiệm vụ D2.2"
    assert [(c["task_code"], c["period"], c["comment"]) for c in info["reviews"]] == [
        ("D1.1-01", "2026-03", "Thiếu biên bản họp thôn")
    ]
    # A returned report stays editable and can be sent again as round 2.
    tasks.set_result(commune, "D1.1-01", "2026-03", status="done", result="met")
    assert review.submit(commune, 2026).round == 2
    district_demo.exchange(commune, office, usb)
    assert review.state_of(office, DEMO_COMMUNE, 2026).state == "submitted"


def test_acceptance_locks_until_a_logged_reopen_seen_on_both_sides(pair):
    commune, office, usb = pair
    review.submit(commune, 2026)
    district_demo.exchange(commune, office, usb)
    review.decide(office, DEMO_COMMUNE, 2026, "accepted")
    district_demo.exchange(office, commune, usb)
    assert review.state_of(commune, DEMO_COMMUNE, 2026).state == "accepted"
    with pytest.raises(UserError, match="reopen"):
        review.ensure_period_open(commune, DEMO_COMMUNE, "2026Q3")
    review.ensure_period_open(commune, DEMO_COMMUNE, "2025Q3")  # another year is open
    with pytest.raises(UserError):
        review.submit(commune, 2026)  # nothing to resubmit
    with pytest.raises(UserError, match="lý do"):
        review.reopen(commune, 2026, "")

    st = review.reopen(commune, 2026, "Sửa ngày hoàn thành nhiệm vụ D2.3")
    assert st.state == "reopened"
    review.ensure_period_open(commune, DEMO_COMMUNE, "2026Q3")
    audit = commune.db.query(
        "SELECT field, old, new FROM audit WHERE table_name = 'submission' AND field = 'state'"
    )
    assert [(a["old"], a["new"]) for a in audit] == [("submitted", "reopened")]
    district_demo.exchange(commune, office, usb)
    seen = review.state_of(office, DEMO_COMMUNE, 2026)
    assert seen.state == "reopened" and seen.reopen_reason == "Sửa ngày hoàn thành nhiệm vụ D2.3"
    events = [e["event"] for e in review.history(office, DEMO_COMMUNE, 2026)]
    assert events == ["submitted", "accepted", "reopened"]
    with pytest.raises(UserError, match="chưa gửi"):
        review.decide(office, DEMO_COMMUNE, 2026, "accepted")


def test_roles_and_bad_input(pair):
    commune, office, _ = pair
    with pytest.raises(UserError):
        review.submit(office, 2026)
    with pytest.raises(UserError):
        review.decide(commune, DEMO_COMMUNE, 2026, "accepted")
    with pytest.raises(UserError, match="chưa gửi"):
        review.decide(office, DEMO_COMMUNE, 2026, "accepted")
    with pytest.raises(UserError, match="99999"):
        review.decide(office, "99999", 2026, "accepted")
    with pytest.raises(UserError, match="2030"):
        review.submit(commune, 2030)


def test_review_cli(pair, cli):
    commune, office, usb = pair
    c_dir, o_dir = Path(commune.paths.root), Path(office.paths.root)
    commune.close()
    office.close()
    r = cli("review", "submit", "--year", "2026", data=c_dir)
    assert r.code == 0, r.err
    c2 = AppContext(c_dir, auto_backup=False, today=TODAY)
    o2 = AppContext(o_dir, auto_backup=False, today=TODAY)
    district_demo.exchange(c2, o2, usb)
    c2.close()
    o2.close()
    r = cli("review", "return", DEMO_COMMUNE, "--year", "2026", data=o_dir)
    assert r.code == 2 and "lý do" in r.err
    r = cli("review", "return", DEMO_COMMUNE, "--year", "2026", "--comment", "Thiếu số liệu",
            data=o_dir)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("review", "status", DEMO_COMMUNE, "--year", "2026", "--json", data=o_dir)
    assert r.json()["state"] == "returned" and r.json()["comment"] == "Thiếu số liệu"
    r = cli("review", "reopen", "--year", "2026", "--reason", "x", data=c_dir)
    assert r.code == 2  # only an accepted report is reopened
    r = cli("review", "reopen", "--year", "2026", "--reason", " ", data=c_dir)
    assert r.code == 2 and '--reason "…"' in r.err and "cơ quan giám sát biết" in r.err, r.err


def test_a_commune_sees_only_its_own_decisions_and_comments(tmp_path, cli):
    """A commune's database may hold other communes' decisions and comments (packages of
    an older version went to every commune): its panel and ``review status`` never show
    them."""
    work, usb = tmp_path / "work", tmp_path / "usb"
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    other = next(c["code"] for c in units.communes_of_province(office, "56")
                 if c["code"] != DEMO_COMMUNE)  # fmt: skip
    district_demo.build_communes(work, [DEMO_COMMUNE, other], today=TODAY)
    mine = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                      today=TODAY)  # fmt: skip
    theirs = AppContext(district_demo.commune_folder(work, other), auto_backup=False, today=TODAY)
    try:
        review.submit(mine, 2026)
        review.submit(theirs, 2026)
        district_demo.exchange(mine, office, usb)
        district_demo.exchange(theirs, office, usb)
        review.decide(office, other, 2026, "returned", "Thiếu biên bản của xã khác")
        review.comment_result(office, other, "D1.1-01", "2026-03", "Nhận xét cho xã khác")
        review.comment_result(office, DEMO_COMMUNE, "D1.1-01", "2026-03", "Nhận xét cho xã này")
        district_demo.exchange(office, mine, usb)
        # Whether or not the package carried the other commune's rows, none is shown.
        info = review.feedback(mine, 2026)
        assert info["state"].unit == DEMO_COMMUNE and info["state"].state == "submitted"
        assert [c["comment"] for c in info["reviews"]] == ["Nhận xét cho xã này"]
        assert {c["unit"] for c in review.reviews(mine, unit=other)} == {DEMO_COMMUNE}
        folder = Path(mine.paths.root)
    finally:
        mine.close()
        theirs.close()
        office.close()
    for args in (("review", "status", "--year", "2026", "--json"),
                 ("review", "status", other, "--year", "2026", "--json")):  # fmt: skip
        r = cli(*args, data=folder)
        assert r.code == 0, r.err
        shown = r.json()
        assert shown["unit"] == DEMO_COMMUNE and shown["state"] == "submitted"
        assert [c["comment"] for c in shown["reviews"]] == ["Nhận xét cho xã này"]
        assert all(e["text"] != "Thiếu biên bản của xã khác" for e in shown["history"])


def test_an_accepted_report_is_never_reversed_silently(pair, cli):
    commune, office, usb = pair
    review.submit(commune, 2026)
    district_demo.exchange(commune, office, usb)
    first = review.decide(office, DEMO_COMMUNE, 2026, "accepted", "Đạt yêu cầu")
    versions = office.db.scalar("SELECT group_concat(version) FROM submission")
    # Accepting again changes nothing: same decision, same rows.
    again = review.decide(office, DEMO_COMMUNE, 2026, "accepted", "Một nhận xét khác")
    assert again == first and again.comment == "Đạt yêu cầu"
    assert office.db.scalar("SELECT group_concat(version) FROM submission") == versions
    # Returning it needs --force; refused, nothing is written.
    with pytest.raises(UserError, match="--force") as refused:
        review.decide(office, DEMO_COMMUNE, 2026, "returned", "Thiếu minh chứng")
    assert "đã được chấp nhận" in str(refused.value)
    assert office.db.scalar("SELECT group_concat(version) FROM submission") == versions
    assert review.state_of(office, DEMO_COMMUNE, 2026).state == "accepted"

    o_dir = Path(office.paths.root)
    office.close()
    r = cli("review", "accept", DEMO_COMMUNE, "--year", "2026", data=o_dir)
    assert r.code == 0 and "đã được chấp nhận" in r.out and "không thay đổi gì" in r.out
    r = cli("review", "return", DEMO_COMMUNE, "--year", "2026", "--comment", "Thiếu minh chứng",
            data=o_dir)  # fmt: skip
    assert r.code == 2 and "--force" in r.err and r.err.count("\n") == 1
    r = cli("review", "return", DEMO_COMMUNE, "--year", "2026", "--comment", "Thiếu minh chứng",
            "--force", data=o_dir)  # fmt: skip
    assert r.code == 0, r.err
    assert "Trả lại để bổ sung" in r.out and "đã hủy quyết định chấp nhận" in r.out
    with AppContext(o_dir, auto_backup=False, today=TODAY) as o2:
        st = review.state_of(o2, DEMO_COMMUNE, 2026)
        assert st.state == "returned" and st.comment == "Thiếu minh chứng"
        logged = o2.db.query(
            "SELECT old, new, user FROM audit WHERE table_name = 'submission' "
            "AND field = 'override'"
        )
        assert [(a["old"], a["new"]) for a in logged] == [
            ("accepted", "returned (--force): Thiếu minh chứng")
        ]
        district_demo.exchange(o2, commune, usb)
    assert review.feedback(commune, 2026)["state"].state == "returned"


def test_office_review_status_without_a_unit_lists_every_commune(tmp_path, cli):
    work, usb = tmp_path / "work", tmp_path / "usb"
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    codes = [c["code"] for c in units.communes_of_province(office, "56")[:3]]
    district_demo.build_communes(work, codes, today=TODAY)
    names = {c: units.commune(office, c)["name"] for c in codes}
    for i, code in enumerate(codes):
        with AppContext(district_demo.commune_folder(work, code), auto_backup=False,
                        today=TODAY) as c:  # fmt: skip
            if i < 2:
                review.submit(c, 2026)
            district_demo.exchange(c, office, usb)
    review.decide(office, codes[0], 2026, "accepted")
    rid = None
    o_dir = Path(office.paths.root)
    office.close()

    r = cli("review", "status", "--year", "2026", "--json", data=o_dir)
    assert r.code == 0, r.err
    states = {e["unit"]: e["state"] for e in r.json()}
    assert states == {codes[0]: "accepted", codes[1]: "submitted", codes[2]: "draft"}
    r = cli("review", "status", "--year", "2026", data=o_dir)
    assert r.code == 0, r.err
    lines = r.out.splitlines()
    assert lines[0].split()[:2] == ["Mã", "Xã/phường"]
    for code in codes:
        (line,) = [x for x in lines if x.startswith(code)]
        assert names[code][:28] in line
    assert "3 xã/phường; 2 đã gửi báo cáo năm 2026" in lines[-1]

    r = cli("review", "comment", codes[1], "D1.1-01", "--period", "2026-03", "--comment",
            "Thiếu biên bản họp thôn", data=o_dir)  # fmt: skip
    assert r.code == 0, r.err
    with AppContext(o_dir, auto_backup=False, today=TODAY) as o2:
        rid = review.reviews(o2, unit=codes[1])[0]["id"]
    assert r.out.strip() == (
        f"Đã ghi nhận xét cho nhiệm vụ D1.1-01 kỳ 2026-03 của xã/phường {codes[1]} "
        f"(mã nhận xét {rid}). Xã nhận được trong gói USB tiếp theo."
    )
