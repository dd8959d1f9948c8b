"""Framework publishing at the office: compare (dry run), publish as a new version, flag
communes still on the old one, send it down by a real package; the commune takes it as
current and keeps its answers for unchanged task codes; the flag clears when the
commune's next package shows it has the new version."""

from __future__ import annotations

from datetime import date

from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW
from papi_desktop.services import district, district_demo, framework_io, tasks
from papi_desktop.services.context import AppContext
from tests.conftest import DEMO_COMMUNE

TODAY = date(2026, 11, 20)
FIRST = TASK_HEADER_ROW + 1


def test_published_upgrade_reaches_the_commune_and_keeps_answers(tmp_path, cli):
    work = tmp_path / "work"
    district_demo.build_communes(work, [DEMO_COMMUNE], today=TODAY)
    office = district_demo.init_office(tmp_path / "office", today=TODAY)
    commune = AppContext(district_demo.commune_folder(work, DEMO_COMMUNE), auto_backup=False,
                         today=TODAY)  # fmt: skip
    usb = tmp_path / "usb"
    district_demo.exchange(commune, office, usb)
    before = {
        (r["code"], r["period"]): (r["status"], r["result"])
        for r in tasks.list_results(commune, year=2026)
    }
    codes = [t.code for t in tasks.framework_tasks(office)]

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
        ws.cell(FIRST + len(codes), c).value = v
    wb.save(tmp_path / "v2.xlsx")
    office_dir = office.paths.root
    office.close()

    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), "--dry-run", "--json",
            data=office_dir)  # fmt: skip
    assert r.code == 0, r.err
    dry = r.json()
    assert dry["added"] == ["D8.1-09"] and dry["retired"] == [codes[1]]
    assert dry["communes_to_update"] == [DEMO_COMMUNE] and dry["dry_run"] is True
    r = cli("framework", "publish", str(tmp_path / "v2.xlsx"), data=office_dir)
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
