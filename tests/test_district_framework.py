"""Framework publishing at the office: compare (dry run), publish as a new version, flag
communes still on the old one, send it down by a real package; the commune takes it as
current and keeps its answers for unchanged task codes; the flag clears when the
commune's next package shows it has the new version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW
from papi_desktop.services import district, district_demo, framework_io, tasks
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE

TODAY = date(2026, 11, 20)
FIRST = TASK_HEADER_ROW + 1


def dump(ctx: AppContext) -> list[str]:
    return list(ctx.db.con.iterdump())


def fill_blank_template(office: AppContext, path: Path) -> Path:
    """What the QA session did: the blank template, a title and one task typed in."""
    from openpyxl import load_workbook

    framework_io.write_template(office, path)
    wb = load_workbook(path)
    ws = wb[SHEET]
    ws["D4"] = "2"
    ws["D5"] = "Bộ khung nhiệm vụ PAPI năm 2027"
    for c, v in enumerate(["D8.1-09", "8 - Quản trị điện tử", "8.1",
                           "Hỗ trợ người dân dùng dịch vụ công trực tuyến", "commune",
                           "Công an xã", "", "quarterly+15d"], start=1):  # fmt: skip
        ws.cell(FIRST, c).value = v
    wb.save(path)
    return path


def test_publishing_a_version_that_retires_tasks_needs_allow_retire(district_ctx, tmp_path, cli):
    office_dir = district_ctx.paths.root
    n = len(tasks.framework_tasks(district_ctx, level=None))  # the office's own tasks too
    src = fill_blank_template(district_ctx, tmp_path / "mot-nhiem-vu.xlsx")
    before = dump(district_ctx)
    with pytest.raises(UserError) as refused:
        district.publish_framework(district_ctx, src)
    assert dump(district_ctx) == before
    assert f"thêm 1, thay đổi 0 và cho thôi áp dụng {n}/{n} nhiệm vụ" in str(refused.value)
    district_ctx.close()

    r = cli("framework", "publish", str(src), data=office_dir)
    assert r.code == 2 and r.out == ""
    line = r.err.strip()
    assert "\n" not in line
    assert f"thêm 1, thay đổi 0 và cho thôi áp dụng {n}/{n}" in line
    assert "papi-desktop framework export -o khung.xlsx" in line and "--allow-retire" in line
    # The dry run warns and still succeeds.
    r = cli("framework", "publish", str(src), "--dry-run", data=office_dir)
    assert r.code == 0 and f"CHÚ Ý: {n} nhiệm vụ đang dùng sẽ thôi áp dụng" in r.out
    with AppContext(office_dir, auto_backup=False, today=TODAY) as ctx:
        assert dump(ctx) == before
    r = cli("framework", "publish", str(src), "--allow-retire", data=office_dir)
    assert r.code == 0, r.err
    with AppContext(office_dir, auto_backup=False, today=TODAY) as ctx:
        assert tasks.current_framework(ctx)["fw_version"] == 2
        assert [t.code for t in tasks.framework_tasks(ctx)] == ["D8.1-09"]


def test_an_upgrade_from_the_export_that_retires_nothing_publishes_directly(
    district_ctx, tmp_path, cli
):
    from openpyxl import load_workbook

    codes = [t.code for t in tasks.framework_tasks(district_ctx)]
    rows_out = len(tasks.framework_tasks(district_ctx, level=None))  # office tasks follow
    src = framework_io.export_framework(district_ctx, tmp_path / "khung.xlsx")
    wb = load_workbook(src)
    ws = wb[SHEET]
    ws["D4"] = "2"
    for c, v in enumerate(["D8.1-09", "8 - Quản trị điện tử", "8.1",
                           "Hỗ trợ người dân dùng dịch vụ công trực tuyến", "commune",
                           "Công an xã", "", "quarterly+15d"], start=1):  # fmt: skip
        ws.cell(FIRST + rows_out, c).value = v
    wb.save(tmp_path / "v2.xlsx")
    office_dir = district_ctx.paths.root
    district_ctx.close()
    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), data=office_dir)
    assert r.code == 0, r.err
    assert "Thêm mới: 1; thay đổi: 0" in r.out and "thôi áp dụng: 0" in r.out
    with AppContext(office_dir, auto_backup=False, today=TODAY) as ctx:
        assert [t.code for t in tasks.framework_tasks(ctx)] == [*codes, "D8.1-09"]


def test_published_upgrade_reaches_the_commune_and_keeps_answers(tmp_path, cli):
    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY, demo_data=True)
    commune = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                         today=TODAY)  # fmt: skip
    usb = tmp_path / "usb"
    district_demo.exchange(commune, office, usb)
    before = {
        (r["code"], r["period"]): (r["status"], r["result"])
        for r in tasks.list_results(commune, year=2026)
    }
    codes = [t.code for t in tasks.framework_tasks(office)]
    rows_out = len(tasks.framework_tasks(office, level=None))  # office tasks follow

    from openpyxl import load_workbook

    src = framework_io.export_framework(office, tmp_path / "khung.xlsx")
    wb = load_workbook(src)
    ws = wb[SHEET]
    ws["D4"] = "2"
    ws["D5"] = "Bộ khung nhiệm vụ PAPI năm 2027 của tỉnh Khánh Hòa"
    ws.cell(FIRST, 4).value += " (bổ sung)"
    for c in range(1, 12):
        ws.cell(FIRST + 1, c).value = None
    for c, v in enumerate(["D8.1-09", "8 - Quản trị điện tử", "8.1",
                           "Hỗ trợ người dân dùng dịch vụ công trực tuyến", "commune",
                           "Công an xã", "", "quarterly+15d"], start=1):  # fmt: skip
        ws.cell(FIRST + rows_out, c).value = v
    wb.save(tmp_path / "v2.xlsx")
    office_dir = office.paths.root
    office.close()

    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), "--dry-run", "--json",
            data=office_dir)  # fmt: skip
    assert r.code == 0, r.err
    dry = r.json()
    assert dry["added"] == ["D8.1-09"] and dry["retired"] == [codes[1]]
    assert dry["communes_to_update"] == [DEMO_COMMUNE] and dry["dry_run"] is True
    # It retires one task: refused without --allow-retire, nothing written.
    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), data=office_dir)
    assert r.code == 2 and "cho thôi áp dụng 1/" in r.err
    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), "--allow-retire", data=office_dir)
    assert r.code == 0, r.err
    assert "phiên bản 2" in r.out

    office = AppContext(office_dir, auto_backup=False, today=TODAY)
    row = district.communes_overview(office, 2026)[0]
    assert row["framework_version"] == 1 and row["framework_current"] is False
    # Figures of a commune on the old version use the old version's tasks, never v2's.
    assert row["applicable"] == sum(
        1 for (code, period), (st, res) in before.items()
        if res != "na" and (date.fromisoformat(
            next(x["due"] for x in tasks.list_results(commune, year=2026, search=code)
                 if x["period"] == period)) <= TODAY or st == "done")
    )  # fmt: skip

    district_demo.exchange(office, commune, usb)
    fw = tasks.current_framework(commune)
    assert fw["fw_version"] == 2
    after = {
        (r["code"], r["period"]): (r["status"], r["result"])
        for r in tasks.list_results(commune, year=2026)
    }
    for key, value in before.items():
        if key[0] != codes[1]:  # every code still in the framework keeps its answers
            assert after[key] == value, key
    assert {v for k, v in after.items() if k[0] == "D8.1-09"} == {("todo", "unassessed")}

    # The commune's next package acknowledges v2: the office stops flagging it.
    district_demo.exchange(commune, office, usb)
    row = district.communes_overview(office, 2026)[0]
    assert row["framework_version"] == 2 and row["framework_current"] is True
    commune.close()
    office.close()
