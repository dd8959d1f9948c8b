"""The report and framework commands: files written, exit 2 with one line and nothing
written on bad input."""

from __future__ import annotations

import shutil

import pytest

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils missing")


@pytest.fixture
def demo_dir(cli, data_dir):
    assert cli("demo").code == 0  # an empty folder becomes the demo commune
    return data_dir


def _first_item(cli, state: str) -> str:
    items = cli("disclosures", "list", "--json").json()
    return next(i["id"] for i in items if i["status"] == state)


def test_every_document_command(cli, demo_dir, tmp_path):
    done = _first_item(cli, "complete")
    posting = _first_item(cli, "posting")
    out = tmp_path / "out"
    out.mkdir()
    commands = [
        (["report", "posting-notice", posting, "-o", str(out / "tb.pdf")], "tb.pdf"),
        (["report", "minutes", done, "--kind", "start", "-o", str(out / "bb1.pdf")], "bb1.pdf"),
        (["report", "minutes", done, "--kind", "end", "-o", str(out / "bb2.pdf")], "bb2.pdf"),
        (["report", "register", "--quarter", "2026Q3", "-o", str(out / "dm.pdf")], "dm.pdf"),
        (["report", "framework", "-o", str(out / "kh.pdf")], "kh.pdf"),
        (["report", "checklist", "--year", "2026", "--blank", "-o", str(out / "c.pdf")], "c.pdf"),
        (
            [
                "report",
                "disclosure-checklist",
                "--year",
                "2026",
                "--quarter",
                "3",
                "-o",
                str(out / "d.pdf"),
            ],
            "d.pdf",
        ),
        (["report", "progress", "--year", "2026", "-o", str(out / "bc.pdf")], "bc.pdf"),
        (["report", "progress", "--year", "2026", "-o", str(out / "bc.xlsx")], "bc.xlsx"),
        (["framework", "template", "-o", str(out / "mau.xlsx")], "mau.xlsx"),
        (["framework", "export", "-o", str(out / "khung.xlsx")], "khung.xlsx"),
    ]
    for args, name in commands:
        r = cli(*args)
        assert r.code == 0, (args, r.err)
        assert f"Đã tạo {out / name}" in r.out
        head = (out / name).read_bytes()[:4]
        assert head == (b"%PDF" if name.endswith(".pdf") else b"PK\x03\x04")
    r = cli("framework", "import", str(out / "khung.xlsx"), "--dry-run")
    assert r.code == 2 and "không mới hơn" in r.err


def test_posting_notice_with_a_content_list(cli, demo_dir, tmp_path):
    posting = _first_item(cli, "posting")
    src = tmp_path / "ds.csv"
    src.write_text(
        "STT,Họ và tên,Thôn\n" + "".join(f"{i},Hộ {i},Thôn Phú Hòa\n" for i in range(1, 80))
    )
    r = cli(
        "report", "posting-notice", posting, "-o", str(tmp_path / "tb.pdf"), "--content", str(src)
    )
    assert r.code == 0, r.err
    import subprocess

    text = subprocess.run(["pdftotext", str(tmp_path / "tb.pdf"), "-"], capture_output=True,
                          text=True).stdout  # fmt: skip
    assert "Hộ 79" in text


def test_framework_import_dry_run_and_apply(cli, demo_dir, tmp_path):
    from openpyxl import load_workbook

    assert cli("framework", "export", "-o", str(tmp_path / "k.xlsx")).code == 0
    wb = load_workbook(tmp_path / "k.xlsx")
    wb["Khung nhiệm vụ"]["D4"] = "2"
    wb.save(tmp_path / "k2.xlsx")
    r = cli("framework", "import", str(tmp_path / "k2.xlsx"), "--dry-run", "--json")
    assert r.code == 0 and r.json()["new_version"] == 2 and r.json()["dry_run"] is True
    assert cli("tasks", "list", "--json").json()[0]["framework_version"] == 1
    r = cli("framework", "import", str(tmp_path / "k2.xlsx"))
    assert r.code == 0 and "Đã nạp bộ khung phiên bản 2" in r.out
    assert cli("tasks", "list", "--json").json()[0]["framework_version"] == 2


def test_a_framework_version_that_is_a_typo_is_refused(cli, demo_dir, tmp_path):
    from openpyxl import load_workbook

    from tests.test_cli_core import dump

    assert cli("framework", "export", "-o", str(tmp_path / "k.xlsx")).code == 0
    before = dump(demo_dir)
    for typo in ("99999999999999999999", "10000", "0"):
        wb = load_workbook(tmp_path / "k.xlsx")
        wb["Khung nhiệm vụ"]["D4"] = typo
        wb.save(tmp_path / "k2.xlsx")
        for dry in ((), ("--dry-run",)):
            r = cli("framework", "import", str(tmp_path / "k2.xlsx"), *dry)
            assert r.code == 2 and "phải là số nguyên từ 1 đến 9999" in r.err, r.err
            assert "Traceback" not in r.err
    assert dump(demo_dir) == before


@pytest.mark.parametrize(
    "args,message",
    [
        (["report", "register", "--quarter", "2026Q5", "-o", "{tmp}/x.pdf"], "quý 5 không tồn tại"),
        (["report", "posting-notice", "khong-co-ma", "-o", "{tmp}/x.pdf"], "Không có nội dung"),
        (["report", "framework", "-o", "{tmp}/x.txt"], "phải có đuôi .pdf"),
        (["report", "progress", "--year", "2026", "-o", "{tmp}/x.doc"], "đuôi .pdf, .docx, .xlsx"),
        (["report", "checklist", "--year", "2026", "-o", "{tmp}/no/x.pdf"], "Không có thư mục"),
        (["framework", "template", "-o", "{tmp}/x.xls"], "đuôi .xlsx"),
        (["framework", "import", "{tmp}/nope.xlsx"], "Không tìm thấy tệp"),
    ],
)
def test_bad_input_exits_2_with_one_line(cli, demo_dir, tmp_path, args, message):
    out = tmp_path / "out"
    out.mkdir()
    r = cli(*[a.format(tmp=out) for a in args])
    assert r.code == 2
    assert message in r.err
    assert len(r.err.strip().splitlines()) == 1
    assert list(out.iterdir()) == []


def test_minutes_of_one_place(cli, demo_dir, tmp_path):
    import subprocess

    items = cli("disclosures", "list", "--json").json()
    item = next(
        i for i in items if len({p["posted_on"] for p in i["places"] if p["posted_on"]}) > 1
    )
    place = next(p for p in item["places"] if p["posted_on"])
    out = tmp_path / "bb.pdf"
    r = cli("report", "minutes", item["id"], "--kind", "start", "--place", place["place"],
            "-o", str(out))  # fmt: skip
    assert r.code == 0, r.err
    text = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    y, m, d = place["posted_on"].split("-")
    assert f"Từ ngày {d}/{m}/{y} đến hết ngày" in text
    # one place, one period: no per-place table, no other places not yet posted
    assert text.count("Từ ngày") == 1 and "Mỗi địa điểm" not in text
    assert "Chưa niêm yết tại" not in text
    r = cli("report", "minutes", item["id"], "--kind", "start", "--place", "Nơi không có",
            "-o", str(tmp_path / "x.pdf"))  # fmt: skip
    assert r.code == 2 and "Nơi không có" in r.err and not (tmp_path / "x.pdf").exists()
