"""The supervising office's own checklist (issue 14, section 1): the task level, the shipped
office tasks, ``tasks list --unit office`` / ``tasks set`` on the office PC, and the office's
key never showing up as a commune or leaving the office in a USB package."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from papi_desktop.catalog.loaders import read_catalog
from papi_desktop.domain.periods import DueRule
from papi_desktop.domain.task_levels import OFFICE_UNIT, parse_level
from tests.conftest import DEMO_COMMUNE, KHANH_HOA
from tests.test_cli_core import dump

LIST_KEYS = ("code", "title", "dimension", "period", "status", "result", "due", "overdue",
             "unit", "done_on", "note", "framework_version", "disclosure_type",
             "before_tracking", "provisional")  # fmt: skip


@pytest.fixture
def office(cli, tmp_path):
    data = tmp_path / "office"
    data.mkdir()

    def run(*args: str):
        return cli(*args, data=data)

    run.data_dir = data
    r = run("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
            "--province-code", KHANH_HOA, "--tracking-from", "01/01/2026")  # fmt: skip
    assert r.code == 0, r.err
    return run


@pytest.fixture
def commune(cli, data_dir):
    r = cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--tracking-from",
            "01/01/2026")  # fmt: skip
    assert r.code == 0, r.err
    cli.data_dir = data_dir
    return cli


def refused(run, data_dir: Path, *args: str, needle: str) -> str:
    before = dump(data_dir)
    r = run(*args)
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert needle in r.err, r.err
    assert dump(data_dir) == before
    return r.err


# -- the shipped catalogue ---------------------------------------------------------------


def test_shipped_office_tasks_have_a_criterion_a_due_rule_and_a_confidence():
    office = read_catalog("framework-office-default")["tasks"]
    commune = read_catalog("framework-commune-default")["tasks"]
    crit = {i["code"]: i for i in read_catalog("papi-criteria")["items"]}
    assert 10 <= len(office) <= 15
    assert not {t["code"] for t in office} & {t["code"] for t in commune}
    for t in office:
        assert t["level"] == "office" and t["title_vi"] and t["title_en"]
        assert crit[t["criterion"]]["level"] == "subdimension"
        DueRule.parse(t["due_rule"])
        assert t["confidence"] in ("V", "P", "M", "S") and "KH 2023" in t["source"]
    # The report to the provincial People's Committee by 29/9 (seed 003, III.1).
    assert any(t["due_rule"] == "yearly:09-29" for t in office)


def test_level_words_of_the_framework_workbook():
    assert parse_level("cơ quan giám sát") == parse_level("district") == "office"
    assert parse_level("Cơ quan giám sát") == parse_level("office") == "office"
    assert parse_level("xã") == parse_level("") == parse_level("commune") == "commune"
    assert parse_level("thôn, tổ dân phố") == "village"
    assert parse_level("huyện") is None


# -- the office's own checklist through the CLI ------------------------------------------


def test_office_lists_and_sets_its_own_tasks(office, tmp_path):
    r = office("tasks", "list", "--unit", "office", "--year", "2026", "--json")
    assert r.code == 0, r.err
    rows = r.json()
    codes = {x["code"] for x in rows}
    assert codes == {t["code"] for t in read_catalog("framework-office-default")["tasks"]}
    assert all(set(LIST_KEYS) <= set(x) and x["unit"] == OFFICE_UNIT for x in rows)
    report = next(x for x in rows if x["code"] == "CQ-14")
    assert report["due"] == "2026-09-29" and report["overdue"] is True
    quarters = [x["period"] for x in rows if x["code"] == "CQ-13"]
    assert quarters == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]

    evidence = tmp_path / "báo cáo 29-9.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao")
    r = office("tasks", "set", "CQ-14", "--period", "2026", "--status", "done", "--result",
               "met", "--done-on", "25/09/2026", "--note", "Báo cáo số 312/BC-SNV",
               "--evidence", str(evidence))  # fmt: skip
    assert r.code == 0, r.err
    r = office("tasks", "set", "CQ-13", "--period", "2026Q3", "--status", "doing")
    assert r.code == 0, r.err
    rows = office("tasks", "list", "--unit", "office", "--year", "2026", "--json").json()
    done = next(x for x in rows if x["code"] == "CQ-14")
    assert (done["status"], done["result"], done["done_on"], done["overdue"]) == (
        "done", "met", "2026-09-25", False)  # fmt: skip
    assert done["note"] == "Báo cáo số 312/BC-SNV"
    doing = next(x for x in rows if x["code"] == "CQ-13" and x["period"] == "2026Q3")
    assert doing["status"] == "doing" and doing["overdue"] is True  # due 10/10/2026

    # Evidence and history, as for a commune's result.
    r = office("tasks", "set", "CQ-14", "--period", "2026", "--status", "done", "--note",
               "Báo cáo số 312/BC-SNV ngày 25/9")  # fmt: skip
    assert r.code == 0, r.err
    from papi_desktop.services import tasks
    from papi_desktop.services.context import AppContext

    with AppContext(office.data_dir) as ctx:
        full = tasks.list_results(ctx, unit=OFFICE_UNIT, year=2026, period="2026")
        rid = next(x["result_id"] for x in full if x["code"] == "CQ-14")
        files = tasks.attachments_of(ctx, "task_result", rid)
        assert [f["file_name"] for f in files] == ["báo cáo 29-9.pdf"]
        fields = {h["field"] for h in tasks.result_history(ctx, rid)}
        assert {"(tạo mới)", "note"} <= fields

    # Without --unit the office still lists the communes' answers only (none yet).
    r = office("tasks", "list", "--year", "2026", "--json")
    assert r.code == 0 and r.json() == []


def test_office_checklist_starts_on_its_tracking_day(cli, tmp_path):
    data = tmp_path / "o2"
    r = cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
            "--province-code", KHANH_HOA, "--tracking-from", "01/07/2026", data=data)  # fmt: skip
    assert r.code == 0, r.err
    rows = cli("tasks", "list", "--unit", "office", "--year", "2026", "--json", data=data).json()
    first = next(x for x in rows if x["code"] == "CQ-05")  # due 31/03
    assert first["before_tracking"] is True and first["overdue"] is False
    later = next(x for x in rows if x["code"] == "CQ-14")  # due 29/09
    assert later["before_tracking"] is False and later["overdue"] is True


def test_office_refusals_change_nothing(office, tmp_path):
    d = office.data_dir
    refused(office, d, "tasks", "set", "D1.1-01", "--period", "2026-01", "--status", "done",
            needle="là nhiệm vụ của xã: chỉ làm trên máy của xã")  # fmt: skip
    refused(office, d, "tasks", "set", "CQ-13", "--period", "2026", "--status", "done",
            needle="không có kỳ “2026”")  # fmt: skip
    refused(office, d, "tasks", "set", "CQ-14", "--period", "2026", "--status", "done",
            "--done-on", "01/12/2026", needle="ở tương lai")  # fmt: skip
    refused(office, d, "tasks", "set", "CQ-14", "--period", "2026", "--status", "done",
            "--evidence", str(tmp_path / "khong-co.pdf"), needle="Không tìm thấy tệp minh chứng")  # fmt: skip
    refused(office, d, "tasks", "set", "CQ-14", "--period", "2026", "--status", "todo",
            "--result", "met", needle="không đi cùng trạng thái")  # fmt: skip
    refused(office, d, "--lang", "en", "tasks", "set", "CQ-99", "--period", "2026", "--status",
            "done", needle="supervising office's checklist")  # fmt: skip


def test_commune_never_sees_office_tasks(commune, tmp_path):
    d = commune.data_dir
    rows = commune("tasks", "list", "--year", "2026", "--json").json()
    assert rows and not [x for x in rows if x["code"].startswith("CQ-")]
    # The framework posted at the commune office and the checklist print commune tasks only.
    for kind, *extra in (("framework",), ("checklist", "--year", "2026")):
        out = tmp_path / f"{kind}.pdf"
        r = commune("report", kind, *extra, "-o", str(out))
        assert r.code == 0, r.err
        text = _pdf_text(out)
        assert "D1.1-01" in text and "CQ-" not in text
    refused(commune, d, "tasks", "set", "CQ-14", "--period", "2026", "--status", "done",
            needle="Không có nhiệm vụ mã “CQ-14” trong bộ khung hiện hành")  # fmt: skip
    refused(commune, d, "tasks", "list", "--unit", "office", needle="Máy này chỉ có dữ liệu của")


# -- the office key is never a commune ---------------------------------------------------


def _package_rows(path: Path) -> list[dict]:
    with zipfile.ZipFile(path) as z:
        text = z.read("rows.jsonl").decode("utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_office_rows_are_never_a_commune_nor_sent(office, commune, tmp_path):
    evidence = tmp_path / "bien-ban.pdf"
    evidence.write_bytes(b"%PDF-1.4 bien ban")
    assert office("tasks", "set", "CQ-06", "--period", "2026H1", "--status", "done",
                  "--evidence", str(evidence)).code == 0  # fmt: skip
    # The commune sends its first package; the office enrols it.
    assert commune("tasks", "set", "D1.1-01", "--period", "2026-01", "--status", "done").code == 0
    up = tmp_path / "up"
    up.mkdir()
    assert commune("sync", "export", "--to", str(up)).code == 0
    r = office("sync", "import", str(up), "--trust-new", "--json")
    assert r.code == 0, r.err

    from papi_desktop.services import district
    from papi_desktop.services.context import AppContext

    with AppContext(office.data_dir) as ctx:
        drill = district.unit_checklist(ctx, DEMO_COMMUNE, 2026)
        assert drill and not [x for x in drill if x["code"].startswith("CQ-")]
        assert district.enrolled_units(ctx) == [DEMO_COMMUNE]
    listed = office("communes", "list", "--year", "2026", "--json").json()
    assert [x["unit"] for x in listed] == [DEMO_COMMUNE]
    rows = office("tasks", "list", "--year", "2026", "--json").json()
    assert {x["unit"] for x in rows} == {DEMO_COMMUNE}

    down = tmp_path / "down"
    down.mkdir()
    r = office("sync", "export", "--to", str(down), "--full", "--json")
    assert r.code == 0, r.err
    packages = [Path(p["path"]) for p in r.json()["packages"]]
    assert packages
    for pkg in packages:
        for row in _package_rows(pkg):
            assert row.get("table") not in ("task_result", "attachment"), row
            assert OFFICE_UNIT not in json.dumps(row.get("values", row)), row
    r = commune("sync", "import", str(down), "--trust-new", "--json")
    assert r.code == 0, r.err
    with AppContext(commune.data_dir) as ctx:
        units = {u for (u,) in ctx.db.query("SELECT DISTINCT unit_code FROM task_result")}
        assert units == {DEMO_COMMUNE}


# -- the framework workbook --------------------------------------------------------------


def test_framework_export_and_import_carry_the_level(office, tmp_path):
    from openpyxl import load_workbook

    from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW

    out = tmp_path / "khung.xlsx"
    r = office("framework", "export", "-o", str(out))
    assert r.code == 0, r.err
    wb = load_workbook(out)
    ws = wb[SHEET]
    headers = [c.value for c in ws[TASK_HEADER_ROW]]
    col = headers.index("Cấp thực hiện (xã / cơ quan giám sát)") + 1
    levels = {}
    for row in ws.iter_rows(min_row=TASK_HEADER_ROW + 1):
        if row[0].value:
            levels[row[0].value] = row[col - 1].value
    assert levels["CQ-14"] == "cơ quan giám sát" and levels["D1.1-01"] == "xã"
    # Next version: one office task written with the alias "district", one new office task.
    ws.protection.sheet = False
    ws["D4"] = "2"
    for row in ws.iter_rows(min_row=TASK_HEADER_ROW + 1):
        if row[0].value == "CQ-01":
            row[col - 1].value = "district"
    last = TASK_HEADER_ROW + len(levels) + 1
    for j, v in enumerate(("CQ-20", "1 - Tham gia", "1.1", "Tập huấn bổ sung cho xã mới",
                           "cơ quan giám sát", "Sở Nội vụ", "", "yearly:10-15"), start=1):  # fmt: skip
        ws.cell(row=last, column=j, value=v)
    wb.save(out)
    r = office("framework", "publish", str(out), "--json")
    assert r.code == 0, r.err
    summary = r.json()
    assert summary["added"] == ["CQ-20"] and summary["retired"] == [] and summary["changed"] == []
    rows = office("tasks", "list", "--unit", "office", "--year", "2026", "--json").json()
    assert {"CQ-01", "CQ-20"} <= {x["code"] for x in rows}


def test_an_existing_install_gets_the_office_tasks_on_upgrade(district_ctx):
    """An office whose current framework (published before this version) has no office
    task receives the shipped ones in that framework when the app is upgraded."""
    from papi_desktop.catalog.loaders import ensure_catalogs
    from papi_desktop.services import tasks
    from papi_desktop.store import rows

    ctx = district_ctx
    v1 = tasks.current_framework(ctx)
    with ctx.db.transaction():
        keep = ("index_name", "level", "title_vi", "years")
        fid = rows.insert(ctx.db, "framework", {k: v1[k] for k in keep} | {"fw_version": 2,
                          "is_current": 1})  # fmt: skip
        for t in tasks.framework_tasks(ctx, v1["id"], level="commune")[:3]:
            rows.insert(ctx.db, "task", {"framework_id": fid, "code": t.code,
                        "criterion_code": t.criterion_code, "title_vi": t.title_vi,
                        "due_rule": str(t.due_rule)})  # fmt: skip
        rows.update(ctx.db, "framework", v1["id"], {"is_current": 0})
        ctx.db.con.execute("DELETE FROM catalog_version WHERE name = 'framework-office-default'")
    assert tasks.framework_tasks(ctx, fid, level="office") == []
    assert "framework-office-default" in ensure_catalogs(ctx.db)
    office = tasks.framework_tasks(ctx, fid, level="office")
    assert len(office) == len(read_catalog("framework-office-default")["tasks"])
    assert len(tasks.framework_tasks(ctx, fid)) == 3  # the commune checklist is unchanged
    assert ensure_catalogs(ctx.db) == []


# -- reports -------------------------------------------------------------------------------


def _pdf_text(path: Path) -> str:
    import subprocess

    raw = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    return " ".join(raw.split())


@pytest.fixture
def office_with_answers(office, tmp_path):
    evidence = tmp_path / "minh-chung-bao-cao-312.pdf"
    evidence.write_bytes(b"%PDF-1.4 bao cao")
    assert office("tasks", "set", "CQ-14", "--period", "2026", "--status", "done", "--result",
                  "met", "--done-on", "25/09/2026", "--note", "Báo cáo số 312/BC-SNV",
                  "--evidence", str(evidence)).code == 0  # fmt: skip
    assert office("tasks", "set", "CQ-04", "--period", "2026", "--status", "doing", "--note",
                  "Chờ kinh phí tập huấn").code == 0  # fmt: skip
    return office


def test_consolidated_report_has_the_office_section(office_with_answers, tmp_path):
    from openpyxl import load_workbook

    office = office_with_answers
    pdf = tmp_path / "tong-hop.pdf"
    assert office("report", "consolidated", "--year", "2026", "-o", str(pdf)).code == 0
    text = _pdf_text(pdf)
    assert "KẾT QUẢ THỰC HIỆN CỦA CƠ QUAN GIÁM SÁT" in text
    assert "Báo cáo số 312/BC-SNV" in text and "CQ-14" in text and "Chờ kinh phí" in text
    xlsx = tmp_path / "tong-hop.xlsx"
    assert office("report", "consolidated", "--year", "2026", "-o", str(xlsx)).code == 0
    ws = load_workbook(xlsx, read_only=True)["Cơ quan giám sát"]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    assert values[0][0].startswith("KẾT QUẢ THỰC HIỆN CỦA CƠ QUAN GIÁM SÁT")
    by_code = {r[0]: r for r in values[5:] if r and r[0]}
    assert by_code["CQ-14"][5] == "Xong" and by_code["CQ-14"][9] == 1
    assert by_code["CQ-04"][8] == "Quá hạn" and by_code["CQ-04"][10] == "Chờ kinh phí tập huấn"
    # The office's key is not a commune sheet nor a commune row.
    summary = load_workbook(xlsx, read_only=True)["Tổng hợp"]
    cells = {c for row in summary.iter_rows(values_only=True) for c in row}
    assert "Tổng hợp" in load_workbook(xlsx, read_only=True).sheetnames
    assert OFFICE_UNIT not in cells and "Sở Nội vụ tỉnh Khánh Hòa" not in cells


def test_progress_report_on_the_office_pc_is_the_offices_own(office_with_answers, tmp_path):
    from openpyxl import load_workbook

    office = office_with_answers
    pdf = tmp_path / "bao-cao.pdf"
    r = office("report", "progress", "--year", "2026", "-o", str(pdf))
    assert r.code == 0, r.err
    text = _pdf_text(pdf)
    assert "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" in text and "SỞ NỘI VỤ" in text
    assert "Kết quả thực hiện nhiệm vụ cải thiện Chỉ số PAPI của Sở Nội vụ tỉnh Khánh Hòa" in text
    assert "báo cáo Ủy ban nhân dân tỉnh Khánh Hòa" in text and "/BC-SNV" in text
    assert "CQ-04" in text and "Chờ kinh phí tập huấn" in text  # overdue, with its reason
    assert "CÔNG KHAI THÔNG TIN" not in text and "III. ĐỀ XUẤT, KIẾN NGHỊ" in text
    assert "D1.1-01" not in text
    xlsx = tmp_path / "bao-cao.xlsx"
    assert office("report", "progress", "--year", "2026", "-o", str(xlsx)).code == 0
    wb = load_workbook(xlsx, read_only=True)
    rows = list(wb["Báo cáo"].iter_rows(values_only=True))
    assert rows[0][0] == "ỦY BAN NHÂN DÂN TỈNH KHÁNH HÒA" and rows[1][0] == "SỞ NỘI VỤ"
    codes = {r[1] for r in rows[7:] if r and r[1]}
    assert codes == {t["code"] for t in read_catalog("framework-office-default")["tasks"]}
    assert "CÔNG KHAI THEO KẾ HOẠCH" not in {
        r[0] for r in wb["Tổng hợp"].iter_rows(values_only=True) if r
    }


def test_office_home_lists_its_own_overdue_and_due_tasks(office_with_answers):
    from papi_desktop.services import dashboard
    from papi_desktop.services.context import AppContext

    with AppContext(office_with_answers.data_dir) as ctx:
        d = dashboard.build(ctx)
    overdue = [x for x in d.overdue_tasks if x.unit == OFFICE_UNIT]
    assert "CQ-04" in {x.select["code"] for x in overdue}
    assert "CQ-14" not in {x.select["code"] for x in overdue}  # done
    assert overdue == d.overdue_tasks and all(x.text_vi.startswith("Quá hạn") for x in overdue)
    keys = [k for k, _vi, _en, _lines in d.sections()]
    assert keys == ["communes", "overdue_tasks", "tasks_due_soon"]
    soon = {x.select["code"] for x in d.tasks_due_soon if x.unit == OFFICE_UNIT}
    assert soon == {"CQ-12"}  # due 30/11/2026, today 20/11/2026
    assert all(x.page == "tasks" and x.select["unit"] == OFFICE_UNIT for x in overdue)


def test_a_trusted_but_wrong_sender_cannot_write_the_offices_own_results():
    """The office's rows carry the unit key ``office``: a commune cannot write under it
    (nor take over a row the office holds), and the office never sends them (a commune
    would refuse a commune-owned table from the office)."""
    from papi_desktop.sync import ownership

    commune = ownership.Sender("site-a", "commune", DEMO_COMMUNE, "Phường Ninh Hòa")
    office = ownership.Sender("site-d", "district", None, "Sở Nội vụ")
    forged = {"id": "r9", "owner_site": "site-a", "unit_code": OFFICE_UNIT, "version": "v"}
    refusal = ownership.may_write(commune, "task_result", forged, None)
    assert refusal is not None and refusal.code == "other_unit"
    held = {**forged, "owner_site": "site-d"}
    mine = {**forged, "unit_code": DEMO_COMMUNE}
    refusal = ownership.may_write(commune, "task_result", mine, held)
    assert refusal is not None and refusal.code == "owner_change"
    sent = {**held, "id": "r8"}
    refusal = ownership.may_write(office, "task_result", sent, None)
    assert refusal is not None and refusal.code == "commune_owned"
    assert "task_result" not in ownership.exportable_tables("district")


def test_office_tracking_day_is_a_setting(office):
    d = office.data_dir
    r = office("settings", "set", "tracking_from", "01/10/2026")
    assert r.code == 0, r.err
    rows = office("tasks", "list", "--unit", "office", "--year", "2026", "--json").json()
    report = next(x for x in rows if x["code"] == "CQ-14")  # due 29/09: before tracking now
    assert report["before_tracking"] is True and report["overdue"] is False
    shown = office("settings", "show", "--json").json()
    assert shown["tracking_from"] == "2026-10-01"
    refused(office, d, "settings", "set", "tracking_from", "01/12/2026", needle="ở tương lai")
