"""Checklists of more than one index (issue 15 §1) and tasks in several sub-dimensions or
none (§2), through the real CLI: a province's own SIPAS checklist beside PAPI, ``--index``
on ``tasks list|set``, ``communes list`` and ``framework template|export|import``, the
Vietnamese due words in the PAPI framework dry run, migration 8, and bad input refused with
one line, exit 2 and nothing changed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW
from papi_desktop.services import district, framework_io, task_tree, tasks
from papi_desktop.store import schema
from papi_desktop.store.db import Database, migrate
from tests.conftest import DEMO_COMMUNE, KHANH_HOA

FIRST = TASK_HEADER_ROW + 1
# code, dimension cell, sub-dimension cell, task, level, lead, partners, due
SIPAS_TASKS = [
    ("S1-01", "1 - Tiếp cận dịch vụ", "1.1", "Niêm yết thủ tục tại bộ phận một cửa", "xã",
     "Công chức một cửa", "", "hằng quý"),
    ("S1-02", "1 - Tiếp cận dịch vụ", "1.1; 2.1", "Khảo sát ý kiến người dân", "xã",
     "Văn phòng UBND", "", "trước 15/12"),
    ("S2-01", "2 - Kết quả dịch vụ", "", "Báo cáo kết quả giải quyết hồ sơ", "xã",
     "Văn phòng UBND", "", "15 ngày sau khi kết thúc quý"),
    ("S9-01", "", "", "Họp giao ban cải thiện SIPAS", "xã", "Chủ tịch UBND", "", "yearly"),
]  # fmt: skip


def dump(data_dir: Path) -> str:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def fill(src: Path, dst: Path, change) -> Path:
    """A province official filling the workbook in Excel (test side only)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    change(wb[SHEET])
    wb.save(dst)
    return dst


def sipas_workbook(cli, tmp_path: Path, data: Path | None = None) -> Path:
    blank = tmp_path / "mau-sipas.xlsx"
    r = cli("framework", "template", "--index", "SIPAS", "-o", str(blank), data=data)
    assert r.code == 0, r.err

    def change(ws):
        assert ws["D3"].value == "SIPAS" and str(ws["D4"].value) == "1"
        ws["D5"] = "Nhiệm vụ cải thiện chỉ số SIPAS cấp xã"
        for i, values in enumerate(SIPAS_TASKS):
            for c, v in enumerate(values, start=1):
                ws.cell(FIRST + i, c).value = v or None

    return fill(blank, tmp_path / "sipas.xlsx", change)


@pytest.fixture
def commune(cli, data_dir):
    r = cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--user", "Lê Thị Hoa",
            "--tracking-from", "01/01/2026")  # fmt: skip
    assert r.code == 0, r.err
    return cli


@pytest.fixture
def with_sipas(commune, tmp_path):
    src = sipas_workbook(commune, tmp_path)
    r = commune("framework", "import", str(src))
    assert r.code == 0, r.err
    return commune


def test_second_checklist_index_beside_papi(commune, data_dir, tmp_path):
    papi_before = commune("tasks", "list", "--year", "2026", "--json").json()
    src = sipas_workbook(commune, tmp_path)
    before = dump(data_dir)
    r = commune("framework", "import", str(src), "--dry-run")
    assert r.code == 0, r.err
    assert dump(data_dir) == before
    assert "Chỉ số mới SIPAS: lấy từ tệp 2 chỉ số nội dung và 2 nội dung thành phần" in r.out
    assert "Thuộc nhiều nội dung thành phần: S1-02" in r.out
    assert "Không thuộc chỉ số nội dung nào (xếp vào “Khác”): S9-01" in r.out
    assert "S2-01: “15 ngày sau khi kết thúc quý” → " in r.out
    assert commune("framework", "import", str(src)).code == 0

    # Every PAPI command line means what it meant before.
    papi_now = commune("tasks", "list", "--year", "2026", "--json").json()
    assert papi_now == papi_before
    assert {r["index"] for r in papi_now} == {"PAPI"}

    rows = commune("tasks", "list", "--year", "2026", "--index", "sipas", "--json").json()
    assert {r["code"] for r in rows} == {"S1-01", "S1-02", "S2-01", "S9-01"}
    assert {r["index"] for r in rows} == {"SIPAS"}
    by_code = {r["code"]: r for r in rows}
    assert by_code["S1-02"]["criteria"] == ["1.1", "2.1"]
    assert by_code["S2-01"]["dimension"] == "2" and by_code["S2-01"]["criteria"] == []
    assert by_code["S9-01"]["dimension"] == ""
    assert [r["period"] for r in rows if r["code"] == "S1-01"] == [
        f"2026Q{q}" for q in (1, 2, 3, 4)
    ]
    assert [r["due"] for r in rows if r["code"] == "S1-02"] == ["2026-12-15"]
    assert (
        commune("tasks", "list", "--year", "2026", "--index", "SIPAS", "--dimension", "2",
                "--json").json()[0]["code"] == "S2-01"
    )  # fmt: skip

    r = commune("tasks", "set", "S1-02", "--index", "SIPAS", "--period", "2026",
                "--status", "done", "--result", "met", "--done-on", "10/11/2026")  # fmt: skip
    assert r.code == 0, r.err
    saved = commune("tasks", "list", "--year", "2026", "--index", "SIPAS", "--status", "done",
                    "--json").json()  # fmt: skip
    assert [(x["code"], x["result"], x["framework_version"]) for x in saved] == [
        ("S1-02", "met", 1)
    ]
    # the PAPI checklist did not move
    assert commune("tasks", "list", "--year", "2026", "--json").json() == papi_before


def test_the_tree_files_each_task_once(with_sipas, data_dir):
    from papi_desktop.services.context import AppContext

    ctx = AppContext(data_dir)
    try:
        rows = tasks.list_results(ctx, year=2026, index="SIPAS")
        lines = task_tree.build_tree(tasks.criteria(ctx, "SIPAS"), rows)
    finally:
        ctx.close()
    where = {ln.values[0]: ln.parent for ln in lines if ln.kind in ("task", "result")
             and not ln.parent.startswith("t:")}  # fmt: skip
    assert where == {"S1-01": "c:1.1", "S1-02": "c:1.1", "S2-01": "d:2", "S9-01": "d:~other"}
    heads = [ln.text for ln in lines if ln.kind == "dimension"]
    assert heads == ["Chỉ số 1. Tiếp cận dịch vụ", "Chỉ số 2. Kết quả dịch vụ", "Khác"]


@pytest.mark.parametrize(
    "args, message",
    [
        (("tasks", "list", "--index", "KHONGCO"), "Chưa có bộ khung nhiệm vụ của chỉ số “KHONGCO”"),
        (("tasks", "set", "S1-01", "--period", "2026Q1", "--status", "done"), "Không có nhiệm vụ mã “S1-01”"),
        (("tasks", "set", "D1.1-01", "--index", "SIPAS", "--period", "2026-03", "--status", "done"),
         "tasks list --index \"SIPAS\""),
        (("tasks", "list", "--index", "SIPAS", "--dimension", "8"), "chọn một trong: 1, 2"),
        (("framework", "export", "--index", "SIPS", "-o", "x.xlsx"), "Chưa có bộ khung nhiệm vụ của chỉ số “SIPS”"),
    ],
)  # fmt: skip
def test_bad_index_input_exits_2_and_changes_nothing(with_sipas, data_dir, args, message):
    before = dump(data_dir)
    r = with_sipas(*args)
    assert r.code == 2, (r.out, r.err)
    assert message in r.err and r.err.strip().count("\n") == 0
    assert dump(data_dir) == before


def test_bad_second_index_workbooks_are_refused(commune, data_dir, tmp_path):
    good = sipas_workbook(commune, tmp_path)

    def as_par(ws):
        ws["D3"] = "par"

    def typo(ws):
        ws["D3"] = "SIPAZ"

    def papi_code(ws):
        ws.cell(FIRST, 1).value = "D1.1-01"

    def bad_sub(ws):
        ws.cell(FIRST + 1, 3).value = "1.1; 7.7"

    cases = [
        (fill(good, tmp_path / "par.xlsx", as_par), (), "là chỉ số chấm điểm"),
        (fill(good, tmp_path / "typo.xlsx", typo), (), "Chỉ số “SIPAZ” không có bộ khung nhiệm vụ"),
        (fill(good, tmp_path / "code.xlsx", papi_code), (), "đã dùng trong bộ khung PAPI"),
        (good, ("--index", "PAPI"), "là bộ khung của chỉ số “SIPAS”, không phải “PAPI”"),
    ]
    before = dump(data_dir)
    for path, extra, message in cases:
        r = commune("framework", "import", str(path), *extra)
        assert r.code == 2 and message in r.err and r.err.strip().count("\n") == 0, r.err
        assert dump(data_dir) == before
    # an existing index's catalogue is checked: the unknown one of two codes is named
    assert commune("framework", "import", str(good)).code == 0
    v2 = fill(good, tmp_path / "v2.xlsx", lambda ws: (bad_sub(ws), ws.__setitem__("D4", 2)))
    before = dump(data_dir)
    r = commune("framework", "import", str(v2))
    assert r.code == 2 and f"Dòng {FIRST + 1}: mã nội dung thành phần “7.7”" in r.err
    assert dump(data_dir) == before


def test_papi_tasks_in_several_sub_dimensions_none_and_due_words(commune, data_dir, tmp_path):
    exported = tmp_path / "khung.xlsx"
    assert commune("framework", "export", "-o", str(exported)).code == 0

    def change(ws):
        ws["D4"] = 2
        assert ws.cell(FIRST, 1).value == "D1.1-01"
        ws.cell(FIRST, 3).value = "1.1; 2.3"  # several, across dimensions
        ws.cell(FIRST + 1, 3).value = None  # none: directly under its dimension
        ws.cell(FIRST + 2, 2).value = None  # no dimension and no sub-dimension: "Khác"
        ws.cell(FIRST + 2, 3).value = None
        ws.cell(FIRST + 1, 8).value = "15 ngày sau khi kết thúc quý"
        ws.cell(FIRST + 2, 8).value = "trước 15/12"

    src = fill(exported, tmp_path / "v2.xlsx", change)
    before = dump(data_dir)
    r = commune("framework", "import", str(src), "--dry-run")
    assert r.code == 0, r.err
    assert dump(data_dir) == before
    second = tasks_codes(data_dir)[1:3]
    assert "Thời hạn viết bằng chữ, được hiểu là:" in r.out
    assert f"{second[0]}: “15 ngày sau khi kết thúc quý” → " in r.out and "(quarterly+15d)" in r.out
    assert f"{second[1]}: “trước 15/12” → " in r.out and "(yearly:12-15)" in r.out
    assert "Thuộc nhiều nội dung thành phần: D1.1-01" in r.out
    assert f"(xếp vào “Khác”): {second[1]}" in r.out
    assert commune("framework", "import", str(src)).code == 0

    rows = commune("tasks", "list", "--year", "2026", "--json").json()
    first = next(x for x in rows if x["code"] == "D1.1-01")
    assert first["criteria"] == ["1.1", "2.3"] and first["dimension"] == "1"
    assert {x["dimension"] for x in rows if x["code"] == second[1]} == {""}
    assert {tuple(x["criteria"]) for x in rows if x["code"] == second[0]} == {()}
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    rule = con.execute(
        "SELECT t.due_rule FROM task t JOIN framework f ON f.id = t.framework_id "
        "WHERE f.is_current = 1 AND t.code = ?",
        (second[1],),
    ).fetchone()[0]
    con.close()
    assert rule == "yearly:12-15"
    # the export writes the cells back as they were typed (the due rule as its code)
    again = tmp_path / "again.xlsx"
    assert commune("framework", "export", "-o", str(again)).code == 0
    from openpyxl import load_workbook

    ws = load_workbook(again)[SHEET]
    assert ws.cell(FIRST, 3).value == "1.1; 2.3"
    assert ws.cell(FIRST + 2, 2).value is None and ws.cell(FIRST + 2, 8).value == "yearly:12-15"


def tasks_codes(data_dir: Path) -> list[str]:
    con = sqlite3.connect(data_dir / "papi.sqlite3")
    try:
        return [
            r[0]
            for r in con.execute(
                "SELECT t.code FROM task t JOIN framework f ON f.id = t.framework_id "
                "WHERE f.is_current = 1 AND t.level != 'office' ORDER BY t.sort_order"
            )
        ]
    finally:
        con.close()


def test_progress_by_dimension_counts_each_task_once(commune_ctx, tmp_path):
    ctx = commune_ctx
    src = framework_io.export_framework(ctx, tmp_path / "k.xlsx")

    def change(ws):
        ws["D4"] = 2
        ws.cell(FIRST, 3).value = "1.1; 2.3"
        ws.cell(FIRST + 1, 2).value = None
        ws.cell(FIRST + 1, 3).value = None

    framework_io.import_framework(ctx, fill(src, tmp_path / "v2.xlsx", change))
    defs = tasks.framework_tasks(ctx)
    moved = defs[1]
    assert moved.dimension == "" and moved.criteria == ()
    results = tasks.list_results(ctx, year=2026)
    figures = district.unit_figures(ctx, 2026, [DEMO_COMMUNE], {DEMO_COMMUNE: None})[DEMO_COMMUNE]
    per_dim = sum(appl for _, appl in figures["dimensions"].values())
    other = [r for r in results if r["code"] == moved.code and not r["before_tracking"]]
    assert figures["applicable"] - per_dim == len(
        [r for r in other if r["due"] <= "2026-11-20" or r["status"] == "done"]
    )
    assert figures["applicable"] >= per_dim > 0


def test_migration_8_moves_tasks_to_the_new_shape(tmp_path):
    path = tmp_path / "v7.sqlite3"
    con = sqlite3.connect(path, isolation_level=None)
    migrate(con, target=7)
    sync = "'o', 'v1', 0, '2026-01-01T00:00:00Z'"
    con.execute(f"INSERT INTO framework (id, owner_site, version, deleted, updated_at, "
                f"index_name, fw_version, title_vi) VALUES ('f', {sync}, 'PAPI', 1, 'Khung')")  # fmt: skip
    for tid, code, crit in (("t1", "A", "1.2"), ("t2", "B", "3"), ("t3", "C", "")):
        con.execute(
            "INSERT INTO task (id, owner_site, version, deleted, updated_at, framework_id, code, "
            f"criterion_code, title_vi, due_rule) VALUES (?, {sync}, 'f', ?, ?, 'x', 'yearly')",
            (tid, code, crit),
        )
    before = con.execute(
        "SELECT id, code, criterion_code, version FROM task ORDER BY id"
    ).fetchall()
    con.close()
    db = Database(path)
    assert db.scalar("PRAGMA user_version") == schema.LATEST_VERSION >= 8
    got = [tuple(r) for r in db.query("SELECT id, dimension, criteria FROM task ORDER BY id")]
    assert got == [("t1", "1", '["1.2"]'), ("t2", "3", "[]"), ("t3", "", "[]")]
    kept = [
        tuple(r) for r in db.query("SELECT id, code, criterion_code, version FROM task ORDER BY id")
    ]
    assert kept == [tuple(r) for r in before]  # the old column and row versions untouched
    db.close()


def test_office_figures_per_index(cli, tmp_path):
    office = tmp_path / "office"
    office.mkdir()
    r = cli("demo", "--role", "district", "--communes", "3", data=office)
    assert r.code == 0, r.err
    src = sipas_workbook(cli, tmp_path, data=office)
    r = cli("framework", "publish", str(src), data=office)
    assert r.code == 0, r.err
    papi = cli("communes", "list", "--year", "2026", "--json", data=office).json()
    sipas = cli("communes", "list", "--year", "2026", "--index", "SIPAS", "--json",
                data=office).json()  # fmt: skip
    assert len(papi) == 3 and [r["unit"] for r in papi] == [r["unit"] for r in sipas]
    assert {r["framework_version"] for r in sipas} == {1}
    # the demo communes' PAPI answers do not count on the SIPAS checklist
    assert all(r["completion"] == 0 for r in sipas) and any(r["completion"] for r in papi)
    before = dump(office)
    r = cli("communes", "list", "--index", "PCI", data=office)
    assert r.code == 2 and "Chưa có bộ khung nhiệm vụ của chỉ số “PCI”" in r.err
    assert dump(office) == before


def test_reports_of_another_index(with_sipas, data_dir, tmp_path):
    from openpyxl import load_workbook

    r = with_sipas("tasks", "set", "S9-01", "--index", "SIPAS", "--period", "2026",
                   "--status", "done")  # fmt: skip
    assert r.code == 0, r.err  # due 31/12, done already: it counts, under "Khác"
    out = tmp_path / "bao-cao-sipas.xlsx"
    r = with_sipas("report", "progress", "--year", "2026", "--index", "SIPAS", "-o", str(out))
    assert r.code == 0, r.err
    book = load_workbook(out, read_only=True)
    rows = [row for ws in book.worksheets for row in ws.iter_rows(values_only=True)]
    names = ("Tiếp cận dịch vụ", "Kết quả dịch vụ", "Khác")
    by_dim = {row[0]: row for row in rows if len(row) > 3 and row[1] in names}
    assert set(by_dim) - {None, ""} == {"1", "2"} and len(by_dim) == 3
    assert by_dim.get(None, by_dim.get(""))[2:4] == (1, 1)
    # every SIPAS task counted once: the dimension lines add up to the applicable tasks
    results = with_sipas("tasks", "list", "--year", "2026", "--index", "SIPAS", "--json").json()
    counted = [x for x in results if not x["before_tracking"]
               and (x["due"] <= "2026-11-20" or x["status"] == "done")]  # fmt: skip
    assert sum(row[3] for row in by_dim.values()) == len(counted)
    pdf = tmp_path / "bang-kiem.pdf"
    r = with_sipas("report", "checklist", "--year", "2026", "--index", "SIPAS", "-o", str(pdf))
    assert r.code == 0, r.err
    assert pdf.stat().st_size > 1000
    before = dump(data_dir)
    r = with_sipas("report", "progress", "--year", "2026", "--index", "PCI", "-o",
                   str(tmp_path / "x.pdf"))  # fmt: skip
    assert r.code == 2 and "chỉ số “PCI”" in r.err and dump(data_dir) == before
    assert not (tmp_path / "x.pdf").exists()


def test_a_second_index_goes_down_and_its_answers_come_back_by_usb(cli, tmp_path):
    office, commune = tmp_path / "so", tmp_path / "xa"
    assert cli("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA, data=office).code == 0  # fmt: skip
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--tracking-from",
               "01/01/2026", data=commune).code == 0  # fmt: skip
    up, down = tmp_path / "usb-up", tmp_path / "usb-down"
    up.mkdir()
    down.mkdir()
    assert cli("sync", "export", "--to", str(up), data=commune).code == 0
    assert cli("sync", "import", str(up), "--trust-new", data=office).code == 0

    src = sipas_workbook(cli, tmp_path, data=office)
    r = cli("framework", "publish", str(src), "--index", "SIPAS", data=office)
    assert r.code == 0, r.err
    assert cli("sync", "export", "--to", str(down), data=office).code == 0
    r = cli("sync", "import", str(down), "--trust-new", data=commune)
    assert r.code == 0, r.err

    rows = cli("tasks", "list", "--year", "2026", "--index", "SIPAS", "--json", data=commune)
    by_code = {x["code"]: x for x in rows.json()}
    assert by_code["S1-02"]["criteria"] == ["1.1", "2.1"] and by_code["S9-01"]["dimension"] == ""
    r = cli("tasks", "set", "S1-02", "--index", "SIPAS", "--period", "2026", "--status", "done",
            "--done-on", "10/11/2026", data=commune)  # fmt: skip
    assert r.code == 0, r.err
    for f in up.iterdir():
        f.unlink()
    assert cli("sync", "export", "--to", str(up), data=commune).code == 0
    assert cli("sync", "import", str(up), data=office).code == 0
    listed = cli("communes", "list", "--year", "2026", "--index", "SIPAS", "--json", data=office)
    row = next(x for x in listed.json() if x["unit"] == DEMO_COMMUNE)
    assert row["completion"] and row["completion"] > 0
    papi = cli("communes", "list", "--year", "2026", "--json", data=office).json()
    assert next(x for x in papi if x["unit"] == DEMO_COMMUNE)["completion"] == 0
