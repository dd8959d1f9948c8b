"""PAR self-assessment end to end: the office publishes criteria, a commune receives them by
USB, scores itself with evidence and submits, the office appraises and ranks; bad input is
one line, exit 2 and nothing changed; a package cannot carry scores it does not own."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import assess, assess_demo, assess_framework, district_demo, sync
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE, OTHER_COMMUNE

TODAY = date(2026, 11, 20)
Y = "2026"


def dump(folder) -> list[str]:
    con = sqlite3.connect(folder / "papi.sqlite3")
    try:
        return list(con.iterdump())
    finally:
        con.close()


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
        folder = tmp_path / code
        ctx = AppContext(folder, auto_backup=False, today=TODAY)
        from papi_desktop.services import setup

        setup.init_site(ctx, "commune", unit_code=code, user="Cán bộ")
        sync.import_packages(ctx, sync.package_files([down]), trust_new=True)
        communes[code] = ctx
    yield office, communes, tmp_path
    office.close()
    for ctx in communes.values():
        ctx.close()


def _close_all(office, communes):
    office.close()
    for ctx in communes.values():
        ctx.close()


def test_commune_scores_with_evidence_and_cli_refusals_change_nothing(season, cli):
    office, communes, tmp = season
    folder = tmp / DEMO_COMMUNE
    _close_all(office, communes)
    evidence = tmp / "ke-hoach.pdf"
    evidence.write_bytes(b"%PDF-1.4 ke hoach CCHC")
    r = cli("assess", "set", "1.1.1", "--index", "PAR", "--year", Y, "--points", "1,5",
            "--note", "Ban hành ngày 05/02", "--evidence", str(evidence), data=folder)  # fmt: skip
    assert r.code == 0, r.err
    before = dump(folder)
    for args, message in (
        (("1.1.1", "--points", "2.5"), "ngoài khoảng 0 đến 2"),
        (("1.1.1", "--points", "-1"), "ngoài khoảng"),
        (("1.1.1", "--points", "1.25"), "tối đa 1 chữ số thập phân"),
        (("5.4", "--points", "2.5"), "số nguyên"),
        (("1.1.1", "--points", "abc"), "không phải là số"),
        (("9.9", "--points", "1"), "Không có tiêu chí “9.9”"),
        (("1.1", "--points", "1"), "có các mục con"),
        (("3.6", "--points", "1"), "khảo sát"),
        (("1.2", "--points", "1", "--evidence", str(tmp / "missing.pdf")), "Không tìm thấy"),
    ):
        r = cli("assess", "set", *args, "--index", "PAR", "--year", Y, data=folder)
        assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1, args
    r = cli("assess", "submit", "--index", "PAR", "--year", Y, data=folder)
    assert r.code == 2 and "chưa tự chấm" in r.err
    r = cli("assess", "list", "--index", "SIPAS", "--year", Y, data=folder)
    assert r.code == 2
    assert dump(folder) == before

    r = cli("assess", "list", "--index", "PAR", "--year", Y, "--json", data=folder)
    card = r.json()
    item = next(i for i in card["items"] if i["code"] == "1.1.1")
    assert item["self_points"] == 1.5 and item["evidence_count"] == 1
    assert (
        item["state"] == "scored" and item["max_points"] == 2 and item["appraised_points"] is None
    )
    parent = next(i for i in card["items"] if i["code"] == "1.1")
    assert parent["self_points"] == 1.5 and parent["evidence_count"] == 1
    assert card["self_total"] == 1.5 and card["state"] == "draft" and card["sample"] is True
    text = cli("assess", "list", "--index", "PAR", "--year", Y, data=folder).out
    assert "Tổng tự chấm: 1,5/100 — thẩm định: chưa — đang tự chấm" in text
    line = next(x for x in text.splitlines() if x.strip().startswith("1.1.1 "))
    assert "1,5/2" in line and "[đã tự chấm]" in line and line.split()[3] == "1"


def test_usb_round_trip_ownership_and_ranking(season):
    office, communes, tmp = season
    scan = tmp / "bien-ban-kiem-tra.pdf"
    scan.write_bytes(b"%PDF-1.4 bien ban kiem tra CCHC")
    assess.set_score(communes[DEMO_COMMUNE], "1.3", "PAR", 2026, 2, evidence=[scan])
    for ctx in communes.values():
        assess_demo.self_score_all(ctx, 2026)
    ctx = communes[DEMO_COMMUNE]
    with pytest.raises(UserError, match="đã gửi"):
        assess.set_score(ctx, "1.1.1", "PAR", 2026, 1)
    # Appraisal before the submission arrived is refused, nothing changed.
    before = list(office.db.con.iterdump())
    with pytest.raises(UserError, match="chưa gửi kết quả tự chấm"):
        assess.appraise(office, DEMO_COMMUNE, "1.1.1", "PAR", 2026, 1)
    assert list(office.db.con.iterdump()) == before

    up = tmp / "up"
    up.mkdir()
    for c in communes.values():
        sync.export_package(c, up)
    reports = sync.import_packages(office, sync.package_files([up]), trust_new=True)
    assert [r.status for r in reports] == ["applied", "applied"]
    res = assess.results(office, "PAR", 2026)
    by = {c["unit"]: c for c in res["communes"]}
    for code, c in communes.items():
        assert by[code]["self_total"] == assess.list_items(c, "PAR", 2026)["self_total"]
        assert by[code]["state"] == "submitted" and by[code]["rank"] is None
    # The evidence file travelled with its score and is intact at the office.
    item = next(i for i in assess.scorecard(office, DEMO_COMMUNE, "PAR", 2026)["items"]
                if i["code"] == "1.3")  # fmt: skip
    assert item["evidence"] == ["bien-ban-kiem-tra.pdf"]
    from papi_desktop.store.attachments import read_verified

    sha = office.db.scalar("SELECT sha256 FROM attachment WHERE record_table = 'self_score'")
    assert read_verified(office.paths.attachments, sha) == scan.read_bytes()

    # Both communes get the same appraised total: competition ranking puts both first.
    for code in communes:
        for item in assess.scorecard(office, code, "PAR", 2026)["items"]:
            if item["scorable"]:
                assess.appraise(office, code, item["code"], "PAR", 2026,
                                item["max_points"] if item["method"] == "survey" else 0)  # fmt: skip
    assess.appraise(office, DEMO_COMMUNE, "1.1.1", "PAR", 2026, "1,5", comment="Thiếu quyết định")
    res = {c["unit"]: c for c in assess.results(office, "PAR", 2026)["communes"]}
    assert res[DEMO_COMMUNE]["rank"] == 1 and res[OTHER_COMMUNE]["rank"] == 2
    assert (
        res[DEMO_COMMUNE]["appraised_total"] == 9.5 and res[OTHER_COMMUNE]["appraised_total"] == 8
    )
    assess.appraise(office, OTHER_COMMUNE, "1.1.1", "PAR", 2026, 1.5)
    res = {c["unit"]: c for c in assess.results(office, "PAR", 2026)["communes"]}
    assert res[DEMO_COMMUNE]["rank"] == res[OTHER_COMMUNE]["rank"] == 1
    assert res[DEMO_COMMUNE]["state"] == "appraised"

    # The office's package to each commune carries only that commune's appraisals.
    down = tmp / "down2"
    down.mkdir()
    sync.export_package(office, down)
    for code, c in communes.items():
        sync.import_packages(c, sync.package_files([down]), trust_new=True)
        units = {r[0] for r in c.db.query("SELECT DISTINCT unit_code FROM appraisal")}
        assert units == {code}
    card = assess.list_items(communes[DEMO_COMMUNE], "PAR", 2026)
    item = next(i for i in card["items"] if i["code"] == "1.1.1")
    assert item["appraised_points"] == 1.5 and item["comment"] == "Thiếu quyết định"
    assert item["state"] == "appraised" and card["appraised_total"] == 9.5


def test_commune_package_cannot_carry_appraisals_or_another_communes_scores(season):
    """A trusted but wrong sender: a commune that writes an appraisal row (owned by itself)
    or a self-score of another commune into its own package."""
    office, communes, tmp = season
    ctx = communes[DEMO_COMMUNE]
    assess_demo.self_score_all(ctx, 2026)
    from papi_desktop.store import rows

    with ctx.db.transaction():
        rows.insert(ctx.db, "self_score", {"unit_code": OTHER_COMMUNE, "index_name": "PAR",
                    "year": 2026, "code": "1.2", "framework_version": 1, "points": 3.0})  # fmt: skip
    up = tmp / "up"
    up.mkdir()
    sync.export_package(ctx, up)
    before = office.db.scalar("SELECT count(*) FROM self_score")
    reports = sync.import_packages(office, sync.package_files([up]), trust_new=True)
    assert reports[0].status == "refused", reports[0]
    assert "22546" in str(reports[0].as_dict())
    assert office.db.scalar("SELECT count(*) FROM self_score") == before == 0


def test_a_communes_own_appraisal_never_reaches_the_office(season):
    """A commune PC that wrote an appraisal row for itself: its package does not carry it
    (appraisals are office-owned) and the office's results do not change. A package forged
    to carry one anyway is refused whole: the refusal matrix of test_sync_authorization
    covers every synced table, these included."""
    office, communes, tmp = season
    ctx = communes[DEMO_COMMUNE]
    assess_demo.self_score_all(ctx, 2026)
    from papi_desktop.store import rows

    with ctx.db.transaction():
        rows.insert(ctx.db, "appraisal", {"unit_code": DEMO_COMMUNE, "index_name": "PAR",
                    "year": 2026, "code": "1.2", "points": 3.0, "acted_at": "x"})  # fmt: skip
    up = tmp / "up"
    up.mkdir()
    sync.export_package(ctx, up)
    reports = sync.import_packages(office, sync.package_files([up]), trust_new=True)
    assert reports[0].status == "applied"
    assert office.db.scalar("SELECT count(*) FROM appraisal") == 0
    row = next(c for c in assess.results(office, "PAR", 2026)["communes"]
               if c["unit"] == DEMO_COMMUNE)  # fmt: skip
    assert row["appraised_total"] is None and row["state"] == "submitted"


def test_demo_season_ranks_communes(tmp_path):
    out = assess_demo.build_season(tmp_path / "office", tmp_path / "work", communes=4,
                                   today=TODAY)  # fmt: skip
    res = out["results"]["communes"]
    assert len(res) == 4 and all(c["state"] == "appraised" for c in res)
    totals = sorted((c["appraised_total"] for c in res), reverse=True)
    assert [c["appraised_total"] for c in res] == totals
    assert res[0]["rank"] == 1 and all(c["max_total"] == 100 for c in res)
    json.dumps(out["results"])  # plain data for --json


def test_office_criteria_win_over_a_communes_own(tmp_path, cli):
    """A commune that imported its province's criteria before it had an office, then
    enrolls: the office's criteria are the ones used at the commune, and the commune's own
    (arriving at the office in its package) never become the office's."""
    folder = tmp_path / "commune"
    tpl = tmp_path / "par.xlsx"
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, data=folder).code == 0
    assert cli("framework", "template", "--index", "PAR", "--sample", "-o", str(tpl),
               data=folder).code == 0  # fmt: skip
    from openpyxl import load_workbook

    wb = load_workbook(tpl)
    wb.active.cell(row=4, column=3).value = "Bộ tiêu chí tự nạp ở xã"  # title
    wb.active.cell(row=3, column=3).value = 5  # version
    wb.save(tpl)
    assert cli("framework", "import", str(tpl), data=folder).code == 0
    office = district_demo.init_office(tmp_path / "office", today=TODAY)
    try:
        assess_framework.install_sample(office)
        with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
            assert assess_framework.current(ctx, "PAR")["fw_version"] == 5
            district_demo.exchange(ctx, office, tmp_path / "usb")
            district_demo.exchange(office, ctx, tmp_path / "usb")
            fw = assess_framework.current(ctx, "PAR")
            assert fw["fw_version"] == 1 and fw["owner_site"] == office.site.id
            r = cli("framework", "import", str(tpl), data=folder)
        assert r.code == 2 and "cơ quan giám sát" in r.err
        fw = assess_framework.current(office, "PAR")
        assert fw["fw_version"] == 1 and fw["owner_site"] == office.site.id
        assert office.db.scalar("SELECT count(*) FROM scored_framework") == 1  # stays at the PC
    finally:
        office.close()


def test_a_new_version_mid_year_leaves_a_started_year_on_its_criteria(season):
    office, communes, tmp = season
    ctx = communes[DEMO_COMMUNE]
    assess_demo.self_score_all(ctx, 2026)
    up = tmp / "up"
    up.mkdir()
    sync.export_package(ctx, up)
    sync.import_packages(office, sync.package_files([up]), trust_new=True)
    before = {c["unit"]: c for c in assess.results(office, "PAR", 2026)["communes"]}

    # Version 2 renames criterion 1.4 to 1.5.
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.assess import SHEET

    tpl = tmp / "v2.xlsx"
    assess_framework.write_template(office, tpl, "PAR", sample=True)
    wb = load_workbook(tpl)
    ws = wb[SHEET]
    for row in ws.iter_rows():
        if row[0].value == "1.4":
            row[0].value = "1.5"
    wb.save(tpl)
    assert assess_framework.publish(office, tpl)["new_version"] == 2
    assert assess_framework.current(office, "PAR")["fw_version"] == 2

    after = {c["unit"]: c for c in assess.results(office, "PAR", 2026)["communes"]}
    assert after[DEMO_COMMUNE]["self_total"] == before[DEMO_COMMUNE]["self_total"]
    assert after[DEMO_COMMUNE]["framework_version"] == 1
    card = assess.scorecard(office, DEMO_COMMUNE, "PAR", 2026)
    assert "1.4" in [i["code"] for i in card["items"]]
    assess.appraise(office, DEMO_COMMUNE, "1.4", "PAR", 2026, 1)  # a v1 code of this year
    with pytest.raises(UserError, match=r"Không có tiêu chí “1\.5”"):
        assess.appraise(office, DEMO_COMMUNE, "1.5", "PAR", 2026, 1)

    # The other commune had not started 2026: once v2 reaches it, it scores on v2.
    other = communes[OTHER_COMMUNE]
    down = tmp / "down3"
    down.mkdir()
    sync.export_package(office, down)
    sync.import_packages(other, sync.package_files([down]), trust_new=True)
    codes = [i["code"] for i in assess.list_items(other, "PAR", 2026)["items"]]
    assert "1.5" in codes and "1.4" not in codes


def test_appraise_cli_refusals_change_nothing(season, cli):
    office, communes, tmp = season
    assess_demo.self_score_all(communes[OTHER_COMMUNE], 2026)
    up = tmp / "up"
    up.mkdir()
    sync.export_package(communes[OTHER_COMMUNE], up)
    sync.import_packages(office, sync.package_files([up]), trust_new=True)
    folder = tmp / "office"
    _close_all(office, communes)
    before = dump(folder)
    for args, message in (
        ((DEMO_COMMUNE, "1.2"), "chưa gửi kết quả tự chấm"),  # not submitted
        (("99999", "1.2"), "Không có xã/phường mã “99999”"),
        ((OTHER_COMMUNE, "9.9"), "Không có tiêu chí “9.9”"),
        ((OTHER_COMMUNE, "3.6", "--points", "7.125"), "tối đa 2 chữ số thập phân"),
        ((OTHER_COMMUNE, "1.2", "--points", "4"), "ngoài khoảng 0 đến 3"),
        ((OTHER_COMMUNE, "3.6", "--points", "8.125"), "Điểm 8,125 của tiêu chí 3.6 nằm ngoài"),
    ):
        extra = () if "--points" in args else ("--points", "1")
        r = cli("assess", "appraise", *args, *extra, "--index", "PAR", "--year", Y, data=folder)
        assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1, args
    r = cli("assess", "set", "1.2", "--index", "PAR", "--year", Y, "--points", "1", data=folder)
    assert r.code == 2 and "máy của xã/phường" in r.err
    assert dump(folder) == before
    r = cli("assess", "appraise", OTHER_COMMUNE, "3.6", "--index", "PAR", "--year", Y,
            "--points", "7,25", "--comment", "Khảo sát SIPAS", data=folder)  # fmt: skip
    assert r.code == 0, r.err
    rows = cli("assess", "results", "--index", "PAR", "--year", Y, "--json", data=folder).json()
    row = next(x for x in rows if x["unit"] == OTHER_COMMUNE)
    assert row["appraised_total"] == 7.25 and row["state"] == "appraising" and row["rank"] == 1
    assert set(row) >= {"unit", "name", "self_total", "appraised_total", "max_total", "rank",
                        "state"}  # fmt: skip


def test_damaged_criteria_received_from_the_office_give_one_line(season, cli):
    """A trusted but wrong office sends criteria whose parents loop: the commune's
    commands say so in one line instead of failing."""
    office, communes, tmp = season
    ctx = communes[DEMO_COMMUNE]
    from papi_desktop.store import rows

    fid = ctx.db.scalar("SELECT framework_id FROM scored_criterion LIMIT 1")
    with ctx.db.transaction():
        for code in ("1.1", "1.1.1"):
            rid = ctx.db.scalar(
                "SELECT id FROM scored_criterion WHERE framework_id = ? AND code = ?", (fid, code)
            )
            rows.update(ctx.db, "scored_criterion", rid,
                        {"parent_code": "1.1.1" if code == "1.1" else "1.1"})  # fmt: skip
    folder = tmp / DEMO_COMMUNE
    _close_all(office, communes)
    r = cli("assess", "list", "--index", "PAR", "--year", Y, data=folder)
    assert r.code == 2 and "bị hỏng" in r.err and "vòng lặp" in r.err
    assert len(r.err.strip().splitlines()) == 1
