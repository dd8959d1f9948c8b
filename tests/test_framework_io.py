"""Framework import from the Excel template: every bad row reported with its row number in
Vietnamese, nothing imported unless all rows are valid (database dump unchanged), the
dry-run summary, refusing same-or-older versions, refusing a version that retires tasks unless
allowed (the publish guard, also through the CLI), and an upgrade that keeps answers."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from papi_desktop.errors import UserError
from papi_desktop.reports.xlsx.framework_template import SHEET, TASK_HEADER_ROW
from papi_desktop.services import framework_io, tasks
from papi_desktop.services.context import AppContext

FIRST = TASK_HEADER_ROW + 1


def dump(ctx) -> list[str]:
    return list(ctx.db.con.iterdump())


@pytest.fixture
def exported(commune_ctx, tmp_path) -> Path:
    return framework_io.export_framework(commune_ctx, tmp_path / "khung.xlsx")


def edit(src: Path, dst: Path, changes) -> Path:
    """A user editing the exported workbook in Excel (test side only)."""
    from openpyxl import load_workbook

    wb = load_workbook(src)
    changes(wb[SHEET])
    wb.save(dst)
    return dst


def test_upgrade_keeps_answers_adds_and_retires(commune_ctx, exported, tmp_path):
    tasks.set_result(commune_ctx, "D1.1-01", "2026-01", status="done", result="met",
                     done_on="2026-01-20")  # fmt: skip
    tasks.set_result(commune_ctx, "D1.1-02", "2026", status="doing")
    # Every row of the export: the commune's tasks, then the office's own (issue 14).
    codes = [t.code for t in tasks.framework_tasks(commune_ctx, level=None)]

    def change(ws):
        ws["D4"] = "2"
        ws["D5"] = "Bộ khung nhiệm vụ PAPI năm 2027 của tỉnh Khánh Hòa"
        ws.cell(FIRST, 4).value += " (bổ sung)"  # D1.1-01 changed
        for c in range(1, 12):
            ws.cell(FIRST + 1, c).value = None  # D1.1-02 removed -> retired
        row = FIRST + len(codes)
        for c, v in enumerate(["D8.1-09", "8 - Quản trị điện tử", "8.1",
                               "Nhiệm vụ mới về dịch vụ công trực tuyến", "commune",
                               "Công an xã", "", "quarterly+15d"], start=1):  # fmt: skip
            ws.cell(row, c).value = v

    src = edit(exported, tmp_path / "v2.xlsx", change)
    before = dump(commune_ctx)
    summary = framework_io.import_framework(commune_ctx, src, dry_run=True)
    assert dump(commune_ctx) == before  # dry run writes nothing
    assert summary["old_version"] == 1 and summary["new_version"] == 2
    assert summary["added"] == ["D8.1-09"]
    assert summary["changed"] == ["D1.1-01"]
    assert summary["retired"] == ["D1.1-02"]
    assert len(summary["unchanged"]) == len(codes) - 2
    assert summary["results_kept"] == 1
    text = framework_io.describe_summary(summary)
    assert "Thêm mới: 1; thay đổi: 1" in text and "thôi áp dụng: 1" in text

    fid = framework_io.apply_framework(commune_ctx, framework_io.read_framework_workbook(src))
    fw = tasks.current_framework(commune_ctx)
    assert fw["id"] == fid and fw["fw_version"] == 2 and fw["title_vi"].endswith("Khánh Hòa")
    assert commune_ctx.db.scalar("SELECT count(*) FROM framework WHERE is_current = 1") == 1
    active = [t.code for t in tasks.framework_tasks(commune_ctx)]
    assert "D8.1-09" in active and "D1.1-02" not in active
    retired = commune_ctx.db.one(
        "SELECT retired FROM task WHERE framework_id = ? AND code = 'D1.1-02'", (fid,)
    )
    assert retired["retired"] == 1
    kept = tasks.list_results(commune_ctx, year=2026, period="2026-01", search="D1.1-01")
    assert kept[0]["status"] == "done" and kept[0]["result"] == "met"
    assert kept[0]["framework_version"] == 2
    new = tasks.list_results(commune_ctx, year=2026, search="D8.1-09")
    assert {r["result"] for r in new} == {"unassessed"} and len(new) == 4
    with pytest.raises(UserError, match=r"D1\.1-02"):  # retired: read-only
        tasks.set_result(commune_ctx, "D1.1-02", "2026", status="done")
    answer = commune_ctx.db.one("SELECT status FROM task_result WHERE task_code = 'D1.1-02'")
    assert answer["status"] == "doing"  # the retired task's answer is kept


def _retiring_version(exported: Path, dst: Path) -> Path:
    """Version 2 with the second task deleted and the fifth left out (two retired)."""

    def change(ws):
        ws["D4"] = "2"
        for row in (FIRST + 1, FIRST + 4):
            for c in range(1, 12):
                ws.cell(row, c).value = None

    return edit(exported, dst, change)


def test_import_that_retires_tasks_is_refused_without_allow_retire(commune_ctx, exported, tmp_path):

    n = len(tasks.framework_tasks(commune_ctx, level=None))  # the office's tasks too
    src = _retiring_version(exported, tmp_path / "v2.xlsx")
    before = dump(commune_ctx)
    with pytest.raises(UserError) as refused:
        framework_io.import_framework(commune_ctx, src)
    assert dump(commune_ctx) == before
    summary = framework_io.import_framework(commune_ctx, src, dry_run=True)
    # The publish guard's own message: counts and the advice to start from the export.
    assert str(refused.value) == str(framework_io.retire_refusal(summary, every_commune=False))
    assert "ở xã/phường này" in str(refused.value)
    assert f"thêm 0, thay đổi 0 và cho thôi áp dụng 2/{n} nhiệm vụ" in str(refused.value)
    assert "papi-desktop framework export" in str(refused.value)
    assert "--allow-retire" in str(refused.value)

    done = framework_io.import_framework(commune_ctx, src, allow_retire=True)
    assert done["retired"] == summary["retired"] and len(done["retired"]) == 2
    assert tasks.current_framework(commune_ctx)["fw_version"] == 2
    assert len(tasks.framework_tasks(commune_ctx, level=None)) == n - 2


def test_cli_import_refuses_to_retire_tasks_on_an_office_too(district_ctx, tmp_path, cli):
    office_dir = district_ctx.paths.root
    src = _retiring_version(
        framework_io.export_framework(district_ctx, tmp_path / "khung.xlsx"), tmp_path / "v2.xlsx"
    )
    before = dump(district_ctx)
    district_ctx.close()
    r = cli("framework", "import", str(src), data=office_dir)
    assert r.code == 2 and r.out == ""
    line = r.err.strip()
    assert "\n" not in line and "cho thôi áp dụng 2/" in line and "--allow-retire" in line
    r = cli("framework", "import", str(src), "--dry-run", data=office_dir)
    assert r.code == 0 and "CHÚ Ý: 2 nhiệm vụ đang dùng sẽ thôi áp dụng" in r.out
    with AppContext(office_dir, auto_backup=False) as ctx:
        assert dump(ctx) == before
    r = cli("framework", "import", str(src), "--allow-retire", data=office_dir)
    assert r.code == 0 and "Đã nạp bộ khung phiên bản 2" in r.out
    with AppContext(office_dir, auto_backup=False) as ctx:
        assert tasks.current_framework(ctx)["fw_version"] == 2


def test_same_or_older_version_is_refused(commune_ctx, exported):
    before = dump(commune_ctx)
    with pytest.raises(UserError, match="Phiên bản 1 không mới hơn phiên bản đã có \\(1\\)"):
        framework_io.import_framework(commune_ctx, exported)
    assert dump(commune_ctx) == before


def test_every_bad_row_is_reported_and_nothing_imported(commune_ctx, exported, tmp_path):
    def change(ws):
        ws["D4"] = "3"
        ws["D5"] = None  # missing title
        ws.cell(FIRST, 8).value = "weekly"  # bad due rule
        ws.cell(FIRST + 2, 1).value = ws.cell(FIRST + 1, 1).value  # duplicate code
        ws.cell(FIRST + 3, 4).value = None  # missing task text
        ws.cell(FIRST + 4, 3).value = "9.9"  # unknown sub-dimension
        ws.cell(FIRST + 5, 2).value = "9 - Không có"  # unknown dimension
        ws.cell(FIRST + 6, 2).value = "3 - Trách nhiệm giải trình"  # 1.x is not under 3
        ws.cell(FIRST + 7, 5).value = "huyện"  # unknown level
        ws.cell(FIRST + 8, 10).value = "KHONG-CO"  # unknown disclosure type
        ws.cell(FIRST + 9, 8).value = "date:2026-02-30"  # impossible date

    src = edit(exported, tmp_path / "bad.xlsx", change)
    before = dump(commune_ctx)
    with pytest.raises(framework_io.FrameworkErrors) as info:
        framework_io.import_framework(commune_ctx, src, dry_run=True)
    with pytest.raises(framework_io.FrameworkErrors):
        framework_io.import_framework(commune_ctx, src)
    assert dump(commune_ctx) == before
    errors = info.value.errors
    expected = [
        (5, "thiếu tên bộ khung"),
        (FIRST, "Quy tắc hạn “weekly” không hợp lệ"),
        (FIRST + 2, f"trùng với dòng {FIRST + 1}"),
        (FIRST + 3, "thiếu nội dung nhiệm vụ"),
        (FIRST + 4, "mã nội dung thành phần “9.9” không có trong danh mục"),
        (FIRST + 5, "chỉ số nội dung “9” không có trong danh mục"),
        (FIRST + 6, "không thuộc chỉ số nội dung “3”"),
        (FIRST + 7, "cấp thực hiện “huyện” không hợp lệ"),
        (FIRST + 8, "mã loại công khai “KHONG-CO” không có trong danh mục"),
        (FIRST + 9, "ngày 2026-02-30 không tồn tại"),
    ]
    assert len(errors) == len(expected), errors
    for (row, text), message in zip(expected, errors, strict=True):
        assert message.startswith(f"Dòng {row}:") and text in message, (row, message)
    assert "\n" not in info.value.message_vi  # one line on the command line
    assert f"có {len(expected)} lỗi, chưa ghi gì" in info.value.message_vi


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("khung.xls", b"\xd0\xcf\x11\xe0", "không được hỗ trợ"),
        ("khung.xlsm", b"PK", "macro"),
        ("khung.xlsx", b"not a zip", "không phải sổ Excel .xlsx hợp lệ"),
        ("khung.csv", b"a,b", "không phải sổ Excel .xlsx"),
    ],
)
def test_wrong_files_are_refused(commune_ctx, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    before = dump(commune_ctx)
    with pytest.raises(UserError, match=message):
        framework_io.import_framework(commune_ctx, path)
    assert dump(commune_ctx) == before


def test_oversized_macro_and_foreign_workbooks_are_refused(commune_ctx, exported, tmp_path):
    from openpyxl import Workbook

    big = tmp_path / "big.xlsx"
    with big.open("wb") as f:
        f.truncate(framework_io.MAX_FILE_BYTES + 1)
    with pytest.raises(UserError, match="quá lớn"):
        framework_io.read_framework_workbook(big)
    macro = tmp_path / "macro.xlsx"
    macro.write_bytes(exported.read_bytes())
    with zipfile.ZipFile(macro, "a") as zf:
        zf.writestr("xl/vbaProject.bin", b"x")
    with pytest.raises(UserError, match="macro"):
        framework_io.read_framework_workbook(macro)
    other = tmp_path / "other.xlsx"
    Workbook().save(other)
    with pytest.raises(UserError, match="không có trang “Khung nhiệm vụ”"):
        framework_io.read_framework_workbook(other)
    missing = tmp_path / "nope.xlsx"
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        framework_io.read_framework_workbook(missing)


def test_the_user_file_is_never_rewritten(commune_ctx, exported, tmp_path):
    src = edit(exported, tmp_path / "v2.xlsx", lambda ws: ws.__setitem__("D4", "2"))
    data = src.read_bytes()
    mtime = src.stat().st_mtime_ns
    framework_io.import_framework(commune_ctx, src)
    assert src.read_bytes() == data and src.stat().st_mtime_ns == mtime


def test_text_is_nfc_normalised(commune_ctx, exported, tmp_path):
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Tổ chức đối thoại với Nhân dân")

    def change(ws):
        ws["D4"] = "2"
        ws.cell(FIRST, 4).value = decomposed

    framework_io.import_framework(commune_ctx, edit(exported, tmp_path / "n.xlsx", change))
    task = tasks.task_by_code(commune_ctx, "D1.1-01")
    assert task.title_vi == unicodedata.normalize("NFC", decomposed)


def test_a_task_naming_a_disclosure_type_is_due_on_the_types_plan(commune_ctx, exported, tmp_path):
    """The framework workbook's "Mã loại công khai" column: a new task that names a type
    with a yearly plan is due on that plan's dates, whatever due rule the row gives."""
    from openpyxl import load_workbook

    codes = [t.code for t in tasks.framework_tasks(commune_ctx, level=None)]  # every row
    header = [c.value for c in load_workbook(exported)[SHEET][TASK_HEADER_ROW]]
    col = next(i for i, h in enumerate(header, start=1) if h and h.startswith("Mã loại công khai"))

    def change(ws):
        ws["D4"] = "2"
        row = FIRST + len(codes)
        for c, v in enumerate(["D2.3-09", "2 - Công khai, minh bạch", "2.3",
                               "Công khai quyết toán (bản tỉnh)", "commune", "Kế toán", "",
                               "yearly:07-31"], start=1):  # fmt: skip
            ws.cell(row, c).value = v
        ws.cell(row, col).value = "NS-QUYETTOAN"

    src = edit(exported, tmp_path / "v2.xlsx", change)
    framework_io.apply_framework(commune_ctx, framework_io.read_framework_workbook(src))
    rows = tasks.list_results(commune_ctx, year=2026)
    (new,) = [r for r in rows if r["code"] == "D2.3-09"]
    # NS-QUYETTOAN: 30/04/2026 is a holiday, then 01/05 and the weekend → 04/05/2026, not 31/07.
    assert (new["period"], new["due"], new["disclosure_type"]) == ("2026", "2026-05-04",
                                                                   "NS-QUYETTOAN")  # fmt: skip

    def bad(ws):
        ws["D4"] = "3"
        ws.cell(FIRST, col).value = "KHONG-CO"

    before = dump(commune_ctx)
    with pytest.raises(UserError, match="KHONG-CO"):
        framework_io.import_framework(
            commune_ctx, edit(exported, tmp_path / "v3.xlsx", bad), dry_run=False
        )
    assert dump(commune_ctx) == before
