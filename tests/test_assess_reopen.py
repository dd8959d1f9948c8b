"""The office returns (reopens) a commune's submitted PAR year: the return reaches that
commune alone by USB, shows with its comment (assess list, home page), the commune corrects
and submits again, and only then can the office appraise; bad input is one line, exit 2 and
nothing changed; neither side can return or submit for the other."""

from __future__ import annotations

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import (
    assess,
    assess_demo,
    assess_framework,
    assess_reopen,
    dashboard,
    district_demo,
    setup,
    sync,
)
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows
from tests.conftest import DEMO_COMMUNE, OTHER_COMMUNE
from tests.test_assess_flow import TODAY, Y, _close_all, dump


@pytest.fixture
def season(tmp_path):
    """The office (sample criteria published) and two communes that received them."""
    office = district_demo.init_office(tmp_path / "office", today=TODAY)
    assess_framework.install_sample(office)
    down = tmp_path / "down"
    down.mkdir()
    sync.export_package(office, down)
    communes = {}
    for code in (DEMO_COMMUNE, OTHER_COMMUNE):
        ctx = AppContext(tmp_path / code, auto_backup=False, today=TODAY)
        setup.init_site(ctx, "commune", unit_code=code, user="Cán bộ")
        sync.import_packages(ctx, sync.package_files([down]), trust_new=True)
        communes[code] = ctx
    yield office, communes, tmp_path
    _close_all(office, communes)


def _send(sender, receivers, folder) -> None:
    folder.mkdir()
    sync.export_package(sender, folder)
    for ctx in receivers:
        sync.import_packages(ctx, sync.package_files([folder]), trust_new=True)


def _state(office, unit: str) -> str:
    return next(c for c in assess.results(office, "PAR", 2026)["communes"] if c["unit"] == unit)[
        "state"
    ]


def test_return_travels_to_one_commune_which_corrects_and_resubmits(season):
    office, communes, tmp = season
    demo, other = communes[DEMO_COMMUNE], communes[OTHER_COMMUNE]
    for ctx in (demo, other):
        assess_demo.self_score_all(ctx, 2026)
    up = tmp / "up1"
    up.mkdir()
    for ctx in (demo, other):
        sync.export_package(ctx, up)
    sync.import_packages(office, sync.package_files([up]), trust_new=True)
    assess.appraise(office, DEMO_COMMUNE, "1.1.1", "PAR", 2026, 1)

    r = assess_reopen.reopen(office, DEMO_COMMUNE, "PAR", 2026, comment="Thiếu minh chứng 1.2")
    assert r["unit"] == DEMO_COMMUNE and r["comment"] == "Thiếu minh chứng 1.2"
    assert _state(office, DEMO_COMMUNE) == "returned"
    assert _state(office, OTHER_COMMUNE) == "submitted"
    before = list(office.db.con.iterdump())
    with pytest.raises(UserError, match="Đã trả lại kết quả tự chấm"):
        assess.appraise(office, DEMO_COMMUNE, "1.2", "PAR", 2026, 1)
    with pytest.raises(UserError, match="đã được trả lại"):
        assess_reopen.reopen(office, DEMO_COMMUNE, "PAR", 2026)
    assert list(office.db.con.iterdump()) == before

    _send(office, [demo, other], tmp / "down1")
    assert other.db.scalar("SELECT count(*) FROM assess_return") == 0  # only its own unit's
    card = assess.list_items(demo, "PAR", 2026)
    assert card["state"] == "returned" and card["returned"]["comment"] == "Thiếu minh chứng 1.2"
    home = dashboard.build(demo)
    line = next(x for x in home.returned_reports if x.page == "assess")
    assert "PAR năm 2026 bị trả lại" in line.head_vi and "Thiếu minh chứng 1.2" in line.sub_vi
    assert not [x for x in dashboard.build(other).returned_reports if x.page == "assess"]
    with pytest.raises(UserError, match="đã gửi"):
        assess.set_score(other, "1.2", "PAR", 2026, 1)  # the other commune stays locked

    assess.set_score(demo, "1.2", "PAR", 2026, 1, note="Bổ sung quyết định")
    card = assess.list_items(demo, "PAR", 2026)
    assert card["state"] == "returned" and card["submission"]["state"] == "reopened"
    assess.submit(demo, "PAR", 2026)
    card = assess.list_items(demo, "PAR", 2026)
    assert card["returned"] is None and card["state"] == "appraising"
    assert assess_reopen.returned_years(demo) == []
    with pytest.raises(UserError, match="đã gửi"):
        assess.set_score(demo, "1.2", "PAR", 2026, 2)

    up = tmp / "up2"
    _send(demo, [office], up)
    assert _state(office, DEMO_COMMUNE) == "appraising"
    row = next(i for i in assess.scorecard(office, DEMO_COMMUNE, "PAR", 2026)["items"]
               if i["code"] == "1.2")  # fmt: skip
    assert row["self_points"] == 1 and row["note"] == "Bổ sung quyết định"
    assess.appraise(office, DEMO_COMMUNE, "1.2", "PAR", 2026, 1)

    # Returned again and sent back unchanged: still a new submission the office can appraise.
    assess_reopen.reopen(office, OTHER_COMMUNE, "PAR", 2026, comment="Xem lại 2.1")
    _send(office, [other], tmp / "down2")
    assert assess.list_items(other, "PAR", 2026)["state"] == "returned"
    assess.submit(other, "PAR", 2026)
    _send(other, [office], tmp / "up3")
    assert _state(office, OTHER_COMMUNE) == "submitted"
    assess.appraise(office, OTHER_COMMUNE, "1.2", "PAR", 2026, 1)


def test_neither_side_can_return_or_submit_for_the_other(season):
    """A commune cannot return its own year, and a return row it writes into its own
    database never reaches the office (office-owned: the package does not carry it; a
    forged one is refused whole by the matrix of test_sync_authorization). The office
    cannot submit for a commune."""
    office, communes, tmp = season
    demo = communes[DEMO_COMMUNE]
    assess_demo.self_score_all(demo, 2026)
    with pytest.raises(UserError):
        assess_reopen.reopen(demo, DEMO_COMMUNE, "PAR", 2026)
    with pytest.raises(UserError):
        assess.submit(office, "PAR", 2026)
    sub = demo.db.one("SELECT version FROM assess_submission")
    with demo.db.transaction():
        rows.insert(demo.db, "assess_return", {"unit_code": DEMO_COMMUNE, "index_name": "PAR",
                    "year": 2026, "submission_version": sub["version"], "comment": "tự mở",
                    "acted_at": "x"})  # fmt: skip
    up = tmp / "up"
    up.mkdir()
    sync.export_package(demo, up)
    reports = sync.import_packages(office, sync.package_files([up]), trust_new=True)
    assert reports[0].status == "applied"
    assert office.db.scalar("SELECT count(*) FROM assess_return") == 0
    assert _state(office, DEMO_COMMUNE) == "submitted"


def test_reopen_cli_and_refusals_change_nothing(season, cli):
    office, communes, tmp = season
    assess_demo.self_score_all(communes[OTHER_COMMUNE], 2026)
    _send(communes[OTHER_COMMUNE], [office], tmp / "up")
    folder = tmp / "office"
    _close_all(office, communes)
    before = dump(folder)
    for unit, message in (
        (DEMO_COMMUNE, "chưa gửi kết quả tự chấm"),  # not submitted: nothing to return
        ("99999", "Không có xã/phường mã “99999”"),
    ):
        r = cli("assess", "reopen", unit, "--index", "PAR", "--year", Y, data=folder)
        assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1, unit
    r = cli("assess", "reopen", OTHER_COMMUNE, "--index", "SIPAS", "--year", Y, data=folder)
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    r = cli("assess", "reopen", OTHER_COMMUNE, "--index", "PAR", "--year", Y,
            data=tmp / DEMO_COMMUNE)  # fmt: skip
    assert r.code == 2 and len(r.err.strip().splitlines()) == 1
    assert dump(folder) == before
    r = cli("assess", "reopen", OTHER_COMMUNE, "--index", "PAR", "--year", Y,
            "--comment", "Bổ sung minh chứng", data=folder)  # fmt: skip
    assert r.code == 0 and "Đã trả lại" in r.out, r.err
    after = dump(folder)
    r = cli("assess", "reopen", OTHER_COMMUNE, "--index", "PAR", "--year", Y, data=folder)
    assert r.code == 2 and "đã được trả lại" in r.err
    r = cli("assess", "appraise", OTHER_COMMUNE, "1.2", "--index", "PAR", "--year", Y,
            "--points", "1", data=folder)  # fmt: skip
    assert r.code == 2 and "chờ xã gửi lại" in r.err
    assert dump(folder) == after
    rows_ = cli("assess", "results", "--index", "PAR", "--year", Y, "--json", data=folder).json()
    assert next(x for x in rows_ if x["unit"] == OTHER_COMMUNE)["state"] == "returned"
