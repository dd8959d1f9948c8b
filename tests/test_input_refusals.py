"""Input that makes no sense is refused, not stored (issue 10, section 6).

Every refusal goes through the command line and compares the database dump before and
after: exit 2, one line in the chosen language, nothing changed.
"""

from __future__ import annotations

import pytest

from tests.conftest import DEMO_COMMUNE, KHANH_HOA, run_cli_subprocess
from tests.test_cli_core import dump

MONTHLY_TASK = "D1.1-01"


@pytest.fixture
def commune(cli):
    assert cli("init", "--role", "commune", "--unit-code", DEMO_COMMUNE, "--user", "Hoa").code == 0
    assert cli("places", "add", "Thôn Phú Hòa", "Tổ dân phố 3").code == 0
    return cli


@pytest.fixture
def office(cli, tmp_path):
    data = tmp_path / "office"
    data.mkdir()

    def run(*args: str):
        return cli(*args, data=data)

    run.data_dir = data
    assert run("init", "--role", "district", "--unit-name", "Sở Nội vụ tỉnh Khánh Hòa",
               "--province-code", KHANH_HOA).code == 0  # fmt: skip
    return run


def refused(run, data_dir, *args: str, needle: str) -> str:
    """Run a command that must be refused; check exit 2, one line, dump unchanged."""
    before = dump(data_dir)
    r = run(*args)
    assert r.code == 2, (r.code, r.out, r.err)
    assert r.err.count("\n") == 1 and "Traceback" not in r.err, r.err
    assert needle in r.err, r.err
    assert dump(data_dir) == before
    return r.err.strip()


# -- review comments --------------------------------------------------------------------


def test_review_comment_needs_a_known_task_and_a_real_period(office):
    d = office.data_dir
    refused(office, d, "review", "comment", DEMO_COMMUNE, "X9.9-99", "--period", "2026-05",
            "--comment", "Thiếu minh chứng", needle="Không có nhiệm vụ mã “X9.9-99”")  # fmt: skip
    refused(office, d, "review", "comment", DEMO_COMMUNE, MONTHLY_TASK, "--period", "2026",
            "--comment", "Thiếu", needle="không có kỳ “2026”")  # fmt: skip
    refused(office, d, "review", "comment", DEMO_COMMUNE, MONTHLY_TASK, "--period", "2031-05",
            "--comment", "Thiếu", needle="Kỳ “2031-05” thuộc năm 2031, ngoài các năm")  # fmt: skip
    refused(office, d, "review", "comment", DEMO_COMMUNE, MONTHLY_TASK, "--period", "2026-12",
            "--comment", "Thiếu", needle="Kỳ 2026-12 chưa bắt đầu")  # fmt: skip
    refused(office, d, "--lang", "en", "review", "comment", DEMO_COMMUNE, MONTHLY_TASK,
            "--period", "2026", "--comment", "x", needle="has no period “2026”")  # fmt: skip
    ok = office("review", "comment", DEMO_COMMUNE, MONTHLY_TASK, "--period", "2026-05",
                "--comment", "Thiếu minh chứng")  # fmt: skip
    assert ok.code == 0, ok.err


# -- task results -----------------------------------------------------------------------


def test_a_period_far_from_this_year_is_a_typo_not_a_plan(commune, data_dir):
    # The years the Tasks page offers (today 20/11/2026: 2020..2027) are the years a result
    # may be kept for; "2031-05" is almost always "2026-05" mistyped.
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2031-05", "--status",
            "doing", needle="ngoài các năm được ghi kết quả (2020–2027)")  # fmt: skip
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2019-12", "--status",
            "doing", needle="thuộc năm 2019")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "tasks", "set", MONTHLY_TASK, "--period",
            "2031-05", "--status", "doing", needle="outside the years results are kept for")  # fmt: skip
    for period in ("2027-01", "2020-01"):  # next year's plan and six years back are kept
        r = commune("tasks", "set", MONTHLY_TASK, "--period", period, "--status", "doing")
        assert r.code == 0, r.err


def test_done_on_must_be_given_and_inside_the_period(commune, data_dir):
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status",
            "done", "--done-on", "", needle="Ngày hoàn thành để trống")  # fmt: skip
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status",
            "done", "--done-on", "28/02/2026", needle="trước khi kỳ 2026-03 bắt đầu")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "tasks", "set", MONTHLY_TASK, "--period",
            "2026-03", "--status", "done", "--done-on", " ", needle="The done date is empty")  # fmt: skip
    r = commune("tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status", "done",
                "--done-on", "02/03/2026")  # fmt: skip
    assert r.code == 0, r.err


def test_met_cannot_go_with_a_task_not_started(commune, data_dir):
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status",
            "todo", "--result", "met", needle="“Đạt” không đi cùng trạng thái “Chưa làm”")  # fmt: skip
    assert commune("tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status", "done",
                   "--result", "met").code == 0  # fmt: skip
    # Moving the saved "met" back to "todo" without changing the result is refused too.
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status",
            "todo", needle="không đi cùng trạng thái")  # fmt: skip
    r = commune("tasks", "set", MONTHLY_TASK, "--period", "2026-03", "--status", "todo",
                "--result", "unassessed")  # fmt: skip
    assert r.code == 0, r.err


# -- disclosure dates and places ---------------------------------------------------------


def test_trigger_dates_outside_the_window_are_refused(commune, data_dir):
    for day in ("01/01/1900", "15/06/2099", "31/12/1999", "21/11/2031"):
        msg = refused(commune, data_dir, "disclosures", "add", "--type", "NS-QUYETTOAN",
                      "--title", "Quyết toán", "--trigger-date", day,
                      needle="nằm ngoài khoảng cho phép 01/01/2000 – 20/11/2031")  # fmt: skip
        assert day in msg
    refused(commune, data_dir, "disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Q",
            "--trigger-date", "05/11/2026", "--decision-date", "01/01/1900",
            needle="Ngày văn bản 01/01/1900")  # fmt: skip
    r = commune("disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Quyết toán",
                "--trigger-date", "20/11/2031")  # fmt: skip
    assert r.code == 0, r.err


def test_posting_before_the_document_or_trigger_date_is_refused(commune, data_dir):
    did = commune("disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Quyết toán 2025",
                  "--trigger-date", "05/11/2026", "--decision-date", "03/11/2026",
                  "--place", "Thôn Phú Hòa").out.strip()  # fmt: skip
    refused(commune, data_dir, "disclosures", "post", did, "--place", "Thôn Phú Hòa", "--on",
            "02/11/2026", needle="trước ngày ban hành văn bản 03/11/2026")  # fmt: skip
    refused(commune, data_dir, "disclosures", "post", did, "--place", "Thôn Phú Hòa", "--on",
            "04/11/2026", needle="trước ngày căn cứ 05/11/2026")  # fmt: skip
    assert commune("disclosures", "post", did, "--place", "Thôn Phú Hòa", "--on",
                   "05/11/2026").code == 0  # fmt: skip


def test_a_mistyped_place_is_refused_with_the_nearest_names(commune, data_dir):
    msg = refused(commune, data_dir, "disclosures", "add", "--type", "NS-QUYETTOAN", "--title",
                  "Q", "--place", "Thon Phu Hoaa", needle="Có phải ý bạn là: Thôn Phú Hòa?")  # fmt: skip
    assert "--new-place" in msg
    did = commune("disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Q",
                  "--trigger-date", "05/11/2026", "--place", "thon phu hoa").out.strip()  # fmt: skip
    refused(commune, data_dir, "disclosures", "post", did, "--place", "Tổ dân phố 33", "--on",
            "06/11/2026", needle="Có phải ý bạn là: Tổ dân phố 3?")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "disclosures", "post", did, "--place", "Thôn X",
            "--on", "06/11/2026", needle="add it on purpose with --new-place")  # fmt: skip
    places = [p["name"] for p in commune("places", "list", "--json").json()]
    assert "Thôn X" not in places and "Tổ dân phố 33" not in places
    r = commune("disclosures", "post", did, "--new-place", "Thôn Mới", "--on", "06/11/2026")
    assert r.code == 0 and "đã thêm địa điểm mới “Thôn Mới”" in r.err
    r = commune("disclosures", "add", "--type", "NS-QUYETTOAN", "--title", "Q2",
                "--new-place", "Tổ dân phố 9", "--json")  # fmt: skip
    assert r.code == 0 and [p["place"] for p in r.json()["places"]] == ["Tổ dân phố 9"]
    assert {"Thôn Mới", "Tổ dân phố 9"} <= {
        p["name"] for p in commune("places", "list", "--json").json()
    }


# -- the office's list of communes --------------------------------------------------------


def test_sync_communes_add_refuses_a_ward_of_another_province(office):
    refused(office, office.data_dir, "sync", "communes", "--add", "06529",
            needle="Xã Lộc Bình (mã 06529) thuộc Tỉnh Lạng Sơn, không thuộc Tỉnh Khánh Hòa")  # fmt: skip
    refused(office, office.data_dir, "--lang", "en", "sync", "communes", "--add", "6529",
            needle="belongs to Tỉnh Lạng Sơn, not to this office's Tỉnh Khánh Hòa")  # fmt: skip


# -- a report changed after it was submitted -----------------------------------------------


def test_editing_a_submitted_report_warns_and_marks_it(commune, office, data_dir, tmp_path):
    # a year with no results at all is refused (nothing to send)
    r = commune("review", "submit", "--year", "2026")
    assert r.code == 2 and "chưa có kết quả nhiệm vụ nào" in r.err
    assert (
        commune("tasks", "set", MONTHLY_TASK, "--period", "2026-04", "--status", "done").code == 0
    )
    assert commune("review", "submit", "--year", "2026").code == 0
    st = commune("review", "status", "--year", "2026", "--json").json()
    assert st["state"] == "submitted" and st["changed_since_submitted"] is False
    r = commune("tasks", "set", MONTHLY_TASK, "--period", "2026-05", "--status", "doing")
    assert r.code == 0 and "đã gửi ngày" in r.err and "“đã sửa sau khi gửi”" in r.err
    st = commune("review", "status", "--year", "2026", "--json").json()
    assert st["changed_since_submitted"] is True
    assert (
        "Đã gửi, chờ duyệt (đã sửa sau khi gửi)"
        in commune("review", "status", "--year", "2026").out
    )
    # The office sees it in its list of communes once the package arrives.
    usb = tmp_path / "usb"
    usb.mkdir()
    assert commune("sync", "export", "--to", str(usb)).code == 0
    pkg = next(usb.iterdir())
    assert office("sync", "import", str(pkg), "--trust-new").code == 0
    rows = {r["unit"]: r for r in office("communes", "list", "--year", "2026", "--json").json()}
    assert rows[DEMO_COMMUNE]["changed_since_submitted"] is True
    assert "ĐÃ SỬA SAU KHI GỬI BÁO CÁO" in office("communes", "list", "--year", "2026").out
    listed = office("review", "status", "--year", "2026", "--json").json()
    assert {e["unit"]: e["changed_since_submitted"] for e in listed}[DEMO_COMMUNE] is True


# -- one line, in the chosen language ---------------------------------------------------------


def test_usage_errors_are_one_line_in_the_chosen_language(office, commune, data_dir):
    d = office.data_dir
    msg = refused(office, d, "scores", "add", "--year", "2025", "--total", "bảy",
                  needle="--total phải là một số, ví dụ 7,25")  # fmt: skip
    assert "invalid" not in msg
    # A decimal comma, as officials type it, is a number.
    r = office("scores", "add", "--year", "2025", "--total", "43,44", "--rank", "5", "--of", "63")
    assert r.code == 0, r.err
    assert office("scores", "list", "--json").json()[0]["total"] == 43.44
    refused(office, d, "--lang", "en", "scores", "add", "--year", "2025", "--total", "x",
            needle="--total needs a number such as 7.25")  # fmt: skip
    msg = refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-03",
                  "--status", "xong", needle="giá trị “xong” không hợp lệ cho --status")  # fmt: skip
    assert "invalid choice" not in msg
    msg = refused(commune, data_dir, "disclosures", "post", "abc", "--on", "06/11/2026",
                  needle="cần một trong các tham số --place, --new-place")  # fmt: skip
    refused(commune, data_dir, "disclosures", "post", "abc", "--on", "06/11/2026", "--place",
            "A", "--new-place", "B", needle="không dùng --new-place cùng với --place")  # fmt: skip


def test_a_refused_package_prints_no_english_second_line(office, tmp_path):
    """In a child process, as district IT staff run it (pytest's own log capture would hide
    a second line printed by Python's logging)."""
    bad = tmp_path / "PAPI-22528-20261120-0900-0001.papisync"
    bad.write_bytes(b"not a zip at all")
    before = dump(office.data_dir)
    for lang, word in (("vi", "bị hỏng"), ("en", "damaged")):
        r = run_cli_subprocess("--data-dir", str(office.data_dir), "--lang", lang, "sync",
                               "import", str(bad))  # fmt: skip
        assert r.code == 2 and r.err == "", r.err
        assert r.out.count("\n") == 1 and word in r.out and "zip" not in r.out
    assert dump(office.data_dir) == before


# -- unit codes ------------------------------------------------------------------------------


def test_unit_codes_without_leading_zeros_search_by_code_and_provinces(cli):
    r = cli("units", "search", "6529", "--json")
    assert r.code == 0 and r.json()[0]["code"] == "06529" and r.json()[0]["name"] == "Xã Lộc Bình"
    assert cli("units", "search", "22528").out.startswith("22528  Phường Ninh Hòa, Tỉnh Khánh Hòa")
    provinces = cli("units", "provinces", "--json").json()
    assert (
        len(provinces) == 34
        and {"code": "56", "name": "Tỉnh Khánh Hòa"}.items()
        <= {k: v for p in provinces if p["code"] == "56" for k, v in p.items()}.items()
    )
    assert "01  Thành phố Hà Nội" in cli("units", "provinces").out
    r = cli("init", "--role", "commune", "--unit-code", "6529")
    assert r.code == 0 and "Xã Lộc Bình" in r.out


def test_office_province_code_without_leading_zero(cli):
    r = cli("init", "--role", "district", "--unit-name", "Sở Nội vụ Hà Nội", "--province-code", "1")
    assert r.code == 0 and "Sở Nội vụ Hà Nội" in r.out


# -- text a receiving PC would refuse -----------------------------------------------------


def test_a_note_the_office_would_refuse_is_refused_when_typed(commune, data_dir):
    # The office refuses a package with a text field over 20,000 characters: the commune
    # must not be able to store one, or nothing of it would get through any more.
    refused(commune, data_dir, "tasks", "set", "D2.2-01", "--period", "2026", "--status",
            "doing", "--note", "a" * 20_001, needle="quá giới hạn 20.000 ký tự")  # fmt: skip
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-10", "--status",
            "doing", "--note", "x\x01\x1b[31m", needle="ký tự điều khiển")  # fmt: skip
    refused(commune, data_dir, "--lang", "en", "tasks", "set", MONTHLY_TASK, "--period",
            "2026-10", "--status", "doing", "--note", "x\x07", needle="control character")  # fmt: skip
    r = commune("tasks", "set", "D2.2-01", "--period", "2026", "--status", "doing",
                "--note", "a" * 19_990 + "\n\tdòng 2")  # fmt: skip
    assert r.code == 0, r.err


def test_a_commune_with_an_office_does_not_load_a_framework_of_its_own(cli, tmp_path):
    # Its own version 2 would meet the office's version 2 under the same key, and every
    # package from the office would be refused from then on.
    from datetime import date

    from openpyxl import load_workbook

    from papi_desktop.services import district_demo

    built = district_demo.build_from_packages(
        tmp_path / "office", tmp_path / "work", communes=1, today=date(2026, 11, 20)
    )
    commune = district_demo.commune_folder(tmp_path / "work", built["codes"][0])
    usb = tmp_path / "usb"
    usb.mkdir()
    r = cli("sync", "export", "--to", str(usb), data=tmp_path / "office")
    assert r.code == 0, r.err
    r = cli("sync", "import", str(usb), "--trust-new", data=commune)
    assert r.code == 0, r.err
    out = tmp_path / "k.xlsx"
    assert cli("framework", "export", "-o", str(out), data=commune).code == 0
    wb = load_workbook(out)
    wb["Khung nhiệm vụ"]["D4"] = "2"
    wb.save(out)
    r = cli("framework", "import", str(out), "--dry-run", data=commune)
    assert r.code == 0, r.err  # looking is fine
    refused(lambda *a: cli(*a, data=commune), commune, "framework", "import", str(out),
            needle="nhận bộ khung nhiệm vụ từ Sở Nội vụ")  # fmt: skip


def test_the_office_lists_only_checklists_it_has(office):
    d = office.data_dir
    refused(office, d, "tasks", "list", "--unit", "99999", "--year", "2026",
            needle="Không có xã/phường mã “99999”")  # fmt: skip
    refused(office, d, "tasks", "list", "--unit", DEMO_COMMUNE, "--year", "2026",
            needle="chưa nhận gói USB nào")  # fmt: skip
    r = office("tasks", "list", "--unit", "office", "--year", "2026", "--json")
    assert r.code == 0 and {x["unit"] for x in r.json()} == {"office"}


def test_settings_printed_in_documents_are_short_plain_text(commune, data_dir):
    refused(commune, data_dir, "settings", "set", "signer_name", "A" * 300,
            needle="dài 300 ký tự, tối đa 80")  # fmt: skip
    refused(commune, data_dir, "settings", "set", "signer_title", "CHỦ\x01TỊCH",
            needle="ký tự điều khiển")  # fmt: skip
    refused(commune, data_dir, "settings", "set", "tracking_from", "01/01/1990",
            needle="quá xa: kết quả chỉ được ghi từ năm 2020")  # fmt: skip
    assert commune("settings", "set", "signer_name", "Trần Văn Hùng").code == 0


def test_a_too_short_item_id_says_so(commune, data_dir):
    refused(commune, data_dir, "disclosures", "post", "4", "--place", "Thôn Phú Hòa", "--on",
            "20/11/2026", needle="Mã “4” quá ngắn")  # fmt: skip


def test_an_empty_file_is_not_evidence(commune, data_dir, tmp_path):
    empty = tmp_path / "bien-ban.pdf"
    empty.write_bytes(b"")
    refused(commune, data_dir, "tasks", "set", MONTHLY_TASK, "--period", "2026-10", "--status",
            "doing", "--evidence", str(empty), needle="rỗng (0 byte)")  # fmt: skip
