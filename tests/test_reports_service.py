"""Printed documents made from the database: text (pdftotext), A4 pages, every text box
inside the Decree 30 margins (pdftotext -bbox), embedded fonts (pdffonts), progress and
cancellation, bad input refused with nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils (pdftotext, pdffonts) not installed"
)

MM = 72 / 25.4
A4 = (595.276, 841.89)
TOL = 1.0  # points


def pdf_text(path: Path) -> str:
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return re.sub(r"[ \t]+", " ", out)


def page_sizes(path: Path) -> list[tuple[float, float]]:
    info = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "9999", str(path)], capture_output=True, text=True, check=True
    ).stdout
    return [
        (float(w), float(h))
        for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", info)
    ]


def assert_a4(path: Path) -> int:
    sizes = page_sizes(path)
    assert sizes
    for w, h in sizes:
        assert sorted((round(w, 1), round(h, 1))) == [595.3, 841.9]
    return len(sizes)


def assert_inside_margins(path: Path) -> None:
    """Body text within left 30 / right 15 / top 20 / bottom 20 mm; the top margin only
    holds the page number (from page 2) and the bottom margin only the trace line."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = re.split(r"<page ", html)[1:]
    assert pages
    for n, page in enumerate(pages, start=1):
        w, h = (float(x) for x in re.search(r'width="([\d.]+)" height="([\d.]+)"', page).groups())
        top, bottom = [], []
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>',
            page,
        ):
            x0, y0, x1, y1 = float(x0), float(y0), float(x1), float(y1)
            assert x0 >= 30 * MM - TOL and x1 <= w - 15 * MM + TOL, (n, word, x0, x1)
            if y0 < 20 * MM - TOL:
                top.append(word)
            elif y1 > h - 20 * MM + TOL:
                bottom.append(word)
        if n == 1:
            assert top == [], top
        else:
            assert top == [str(n)], (n, top)
        assert " ".join(bottom).startswith("PAPI Desktop"), (n, bottom)


def assert_fonts_embedded(path: Path) -> None:
    out = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert out, "no fonts listed"
    for line in out:
        parts = line.split()
        # columns: name type [encoding…] emb sub uni object ID
        emb = parts[-5]
        assert emb == "yes", line
        assert "Helvetica" not in parts[0]


def check_pdf(path: Path) -> str:
    assert path.is_file()
    assert_a4(path)
    assert_inside_margins(path)
    assert_fonts_embedded(path)
    return pdf_text(path)


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory):
    """Phường Ninh Hòa with the demo data (villages, results, disclosures), 20/11/2026."""
    from papi_desktop.services import demo, setup
    from papi_desktop.services.context import AppContext

    ctx = AppContext(tmp_path_factory.mktemp("demo"), today=date(2026, 11, 20))
    setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
    demo.mark_demo_folder(ctx)
    demo.generate(ctx)
    yield ctx
    ctx.close()


def _items(ctx, *states):
    from papi_desktop.services import disclosures

    return [i for i in disclosures.list_items(ctx) if i["status"] in states]


def test_posting_notice_names_the_item_places_and_period(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    item = _items(demo_ctx, "posting", "ending_soon")[0]
    out = reports.posting_notice(demo_ctx, item["id"], tmp_path / "tb.pdf")
    text = check_pdf(out)
    assert "THÔNG BÁO" in text
    assert "PHƯỜNG NINH HÒA" in text
    assert "Ninh Hòa, ngày 20 tháng 11 năm 2026" in text
    assert "/TB-UBND" in text
    assert "Về việc niêm yết công khai" in text
    for p in item["places"]:
        assert p["place"].split()[-1] in text
    first = item["places"][0]
    ends = date.fromisoformat(first["ends_on"])
    assert f"{ends:%d/%m/%Y}" in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "Trần Văn Hùng" in text  # demo signer settings
    assert "Nơi nhận:" in text
    assert "Khung nhiệm vụ v1" in text  # the trace line names unit, period and version
    assert "Năm 2026" in text


@pytest.mark.parametrize("kind", ["start", "end"])
def test_minutes_of_a_completed_posting(demo_ctx, tmp_path, kind):
    from papi_desktop.services import reports

    item = _items(demo_ctx, "complete")[0]
    text = check_pdf(reports.posting_minutes(demo_ctx, item["id"], kind, tmp_path / "bb.pdf"))
    text = " ".join(text.split())
    assert "BIÊN BẢN" in text and "/BB-UBND" in text
    assert "Thành phần gồm có" in text
    assert "UBMTTQ" in text and "NGƯỜI CHỨNG" in text and "Trần Văn Hùng" in text
    posted = min(p["posted_on"] for p in item["places"] if p["posted_on"])
    assert f"{date.fromisoformat(posted):%d/%m/%Y}" in text
    if kind == "end":
        assert "Kết thúc niêm yết công khai" in text
        assert "Ý kiến phản ánh, góp ý nhận được" in text
    else:
        assert "Niêm yết công khai" in text


def test_end_minutes_refused_while_the_posting_runs(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    item = _items(demo_ctx, "posting")[0]
    with pytest.raises(UserError, match="chưa hết thời gian niêm yết"):
        reports.posting_minutes(demo_ctx, item["id"], "end", tmp_path / "x.pdf")
    assert not (tmp_path / "x.pdf").exists()


def test_register_lists_what_was_posted_in_the_quarter(demo_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    text = check_pdf(reports.register(demo_ctx, "2026Q4", tmp_path / "dm.pdf"))
    assert "Quý IV năm 2026" in text
    q4 = [
        i
        for i in disclosures.list_items(demo_ctx)
        if any(p["posted_on"] and p["posted_on"] >= "2026-10-01" for p in i["places"])
        and min(p["posted_on"] for p in i["places"] if p["posted_on"]) >= "2026-10-01"
    ]
    assert q4
    flat = " ".join(text.split())
    for i in q4:
        assert " ".join(i["title"].split()[:3]) in flat
    assert "Quý 4/2026" in text  # trace line period


def test_framework_sheet_prints_every_task(demo_ctx, tmp_path):
    from papi_desktop.services import reports, tasks

    text = check_pdf(reports.framework_sheet(demo_ctx, tmp_path / "kh.pdf"))
    codes = [t.code for t in tasks.framework_tasks(demo_ctx)]
    assert len(codes) > 20 and "D1.1-01" in codes
    words = text.split()
    assert [c for c in codes if c not in words] == []  # no code wraps in its column
    assert "Tham gia của người dân ở cấp cơ sở" in text
    assert "Khung nhiệm vụ v1" in text


@pytest.mark.parametrize("blank", [False, True])
def test_task_checklist(demo_ctx, tmp_path, blank):
    from papi_desktop.services import reports, tasks

    text = check_pdf(reports.checklist(demo_ctx, 2026, tmp_path / "c.pdf", blank=blank))
    assert "Hoàn" in text and "Năm 2026" in text
    if blank:  # every task is listed, none of the codes wrapped
        words = text.split()
        assert [t.code for t in tasks.framework_tasks(demo_ctx) if t.code not in words] == []
    if blank:
        assert "20/11/2026" not in text.split("PAPI Desktop")[0]  # no date filled in
    else:
        assert "số liệu đến ngày 20/11/2026" in " ".join(text.split())
        assert "Đã xong" in text


@pytest.mark.parametrize("blank,quarter", [(False, None), (True, 2)])
def test_disclosure_checklist(demo_ctx, tmp_path, blank, quarter):
    from papi_desktop.services import disclosures, reports

    out = reports.disclosure_checklist(demo_ctx, 2026, quarter, tmp_path / "d.pdf", blank=blank)
    text = check_pdf(out)
    flat = " ".join(text.split())
    plan = disclosures.list_plan(demo_ctx, 2026)
    if quarter:
        plan = [p for p in plan if "2026-04-01" <= p["due"] <= "2026-06-30"]
        assert "Quý 2/2026" in text
        assert "Thực hiện công khai thông tin Quý 2 năm 2026" in flat
        assert "thông tin năm 2026" not in flat
    else:
        assert "Thực hiện công khai thông tin năm 2026" in flat
    assert plan
    for p in plan[:5]:
        assert " ".join((p["label"] or p["type_name"]).split()[:3]) in flat
    # a phường: its own office and residential groups, no number line (internal paper)
    cells = " ".join(
        subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True).stdout.split()
    )
    assert "Trụ sở UBND phường Ninh Hòa" in cells and "UBND xã" not in cells
    assert "hóa các tổ dân phố" in cells and "các thôn, tổ dân phố" not in cells
    assert "Số:" not in cells


def test_progress_report_pdf(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    data = reports.progress_data(demo_ctx, 2026)
    text = check_pdf(reports.progress(demo_ctx, 2026, tmp_path / "bc.pdf"))
    assert "BÁO CÁO" in text and "/BC-UBND" in text
    assert "(phiên bản 1)" in " ".join(text.split())
    done = sum(d for _, _, d, _ in data["dimensions"])
    applicable = sum(a for _, _, _, a in data["dimensions"])
    assert str(applicable) in text and str(done) in text


def test_signer_defaults_and_blank_name_when_unset(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = disclosures.add(
        commune_ctx, "KTXH-KEHOACH", "Kế hoạch phát triển kinh tế - xã hội năm 2027",
        trigger_date="2026-11-16", decision_no="25/NQ-HĐND", decision_date="2026-11-16",
    )  # fmt: skip
    disclosures.record_posting(commune_ctx, did, "Trụ sở UBND phường Ninh Hòa", "2026-11-18")
    text = check_pdf(reports.posting_notice(commune_ctx, did, tmp_path / "tb.pdf"))
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert "Căn cứ Nghị quyết số 25/NQ-HĐND ngày 16/11/2026" in " ".join(text.split())
    assert "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15" in " ".join(text.split())
    assert "Số: /TB-UBND" in " ".join(text.split())  # number left blank to write by hand
    commune_ctx.db.set_setting("signer_authority", "KT. CHỦ TỊCH")
    commune_ctx.db.set_setting("signer_title", "PHÓ CHỦ TỊCH")
    commune_ctx.db.set_setting("signer_name", "Lê Thị Mai")
    out = reports.posting_notice(commune_ctx, did, tmp_path / "tb2.pdf", number=5)
    text = pdf_text(out)
    assert "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text and "Lê Thị Mai" in text
    assert "Số: 05/TB-UBND" in " ".join(text.split())


def test_progress_callback_and_cancel(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    seen: list[float] = []
    reports.framework_sheet(demo_ctx, tmp_path / "a.pdf", progress=lambda f, m: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)

    cancel = threading.Event()

    def stop_midway(f: float, message: str) -> None:
        if f > 0.3:
            cancel.set()

    with pytest.raises(reports.ReportCancelled):
        reports.framework_sheet(demo_ctx, tmp_path / "b.pdf", progress=stop_midway, cancel=cancel)
    assert list(tmp_path.glob("b.pdf*")) == []
    with pytest.raises(reports.ReportCancelled):
        reports.progress(demo_ctx, 2026, tmp_path / "c.xlsx", progress=stop_midway, cancel=cancel)
    assert list(tmp_path.glob("c.xlsx*")) == []


@pytest.mark.parametrize(
    "call,message",
    [
        (lambda r, c, d: r.register(c, "2026Q5", d / "x.pdf"), "quý 5 không tồn tại"),
        (lambda r, c, d: r.register(c, "2026H1", d / "x.pdf"), "không phải một quý"),
        (lambda r, c, d: r.posting_notice(c, "khong-co", d / "x.pdf"), "Không có nội dung"),
        (lambda r, c, d: r.framework_sheet(c, d / "x.docx"), "phải có đuôi .pdf"),
        (lambda r, c, d: r.progress(c, 2026, d / "x.csv"), "phải có đuôi .pdf, .xlsx"),
        (lambda r, c, d: r.checklist(c, 2026, d / "missing" / "x.pdf"), "Không có thư mục"),
        (lambda r, c, d: r.checklist(c, 1800, d / "x.pdf"), "không hợp lệ"),
        (lambda r, c, d: r.posting_minutes(c, "x", "middle", d / "x.pdf"), "start"),
    ],
)
def test_bad_input_is_refused_and_nothing_written(demo_ctx, tmp_path, call, message):
    from papi_desktop.services import reports

    with pytest.raises(UserError, match=message):
        call(reports, demo_ctx, tmp_path)
    assert list(tmp_path.iterdir()) == []


# ---- permanent postings, period units, opinions, minutes signers -----------------------


def _of_type(ctx, code):
    from papi_desktop.services import disclosures

    return next(i for i in disclosures.list_items(ctx) if i["type"] == code)


@pytest.mark.parametrize(
    "code,wording",
    [
        ("TTHC-XA", "(không có ngày kết thúc; cập nhật khi có thay đổi)"),
        ("QUYCHE-DANCHU", "(không có ngày kết thúc; cập nhật khi có thay đổi)"),
        (
            "DAT-QUYHOACH-SDD",
            "(giữ trong suốt kỳ quy hoạch, kế hoạch sử dụng đất; cập nhật khi có thay đổi)",
        ),
    ],
)
def test_permanent_postings_print_notice_and_start_minutes(demo_ctx, tmp_path, code, wording):
    from papi_desktop.services import reports

    item = _of_type(demo_ctx, code)
    first = min(p["posted_on"] for p in item["places"] if p["posted_on"])
    since = f"niêm yết thường xuyên từ ngày {date.fromisoformat(first):%d/%m/%Y} {wording}"
    notice = " ".join(
        check_pdf(reports.posting_notice(demo_ctx, item["id"], tmp_path / "tb.pdf")).split()
    )
    assert since in notice
    assert "đến hết ngày" not in notice.split("Nơi nhận")[0]
    minutes = " ".join(
        check_pdf(
            reports.posting_minutes(demo_ctx, item["id"], "start", tmp_path / "bb.pdf")
        ).split()
    )
    assert f"3. Thời gian niêm yết N{since[1:]}." in minutes
    assert "đến hết ngày" not in minutes
    with pytest.raises(UserError, match="niêm yết thường xuyên"):
        reports.posting_minutes(demo_ctx, item["id"], "end", tmp_path / "end.pdf")
    assert not (tmp_path / "end.pdf").exists()


def test_working_day_period_prints_its_unit(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    item = _of_type(demo_ctx, "HO-NGHEO-RASOAT")  # 03 working days
    notice = " ".join(
        pdf_text(reports.posting_notice(demo_ctx, item["id"], tmp_path / "tb.pdf")).split()
    )
    assert "(03 ngày làm việc)" in notice
    start = " ".join(
        pdf_text(reports.posting_minutes(demo_ctx, item["id"], "start", tmp_path / "s.pdf")).split()
    )
    # posted on different days: each place has its own period, the length is per place
    assert (
        "Mỗi địa điểm niêm yết ít nhất 03 ngày làm việc kể từ ngày niêm yết tại địa điểm đó"
        in start
    )
    office = item["places"][0]["place"]
    one = " ".join(
        pdf_text(
            reports.posting_minutes(demo_ctx, item["id"], "start", tmp_path / "o.pdf", office)
        ).split()
    )
    assert re.search(r"Từ ngày \d\d/11/2026 đến hết ngày \d\d/11/2026 \(03 ngày làm việc\)\.", one)
    end = " ".join(
        pdf_text(reports.posting_minutes(demo_ctx, item["id"], "end", tmp_path / "e.pdf")).split()
    )
    assert "muộn nhất đến hết ngày 19/11/2026" in end
    budget = _of_type(demo_ctx, "NS-DUTOAN-QD")  # 30 calendar days
    notice = " ".join(
        pdf_text(reports.posting_notice(demo_ctx, budget["id"], tmp_path / "b.pdf")).split()
    )
    assert "(30 ngày)" in notice and "ngày làm việc)" not in notice


def _ended_item(ctx) -> str:
    """A 30-day item posted at the office and a village on 01/09/2026 (ended by 20/11)."""
    from papi_desktop.services import disclosures

    did = disclosures.add(
        ctx, "KTXH-KEHOACH", "Kế hoạch phát triển kinh tế - xã hội năm 2027",
        trigger_date="2026-08-28", places=["Trụ sở UBND phường Ninh Hòa", "Thôn Phú Hòa"],
    )  # fmt: skip
    for place in ("Trụ sở UBND phường Ninh Hòa", "Thôn Phú Hòa"):
        disclosures.record_posting(ctx, did, place, "2026-09-01")
    return did


@pytest.mark.parametrize(
    "count,summary,expected",
    [
        (0, "", "Không có ý kiến."),
        (2, "", "Tổng số: 02 ý kiến (chưa ghi tóm tắt nội dung)."),
        (
            2,
            "Đề nghị làm rõ nguồn vốn đường thôn Phú Hòa",
            "Tổng số: 02 ý kiến. Nội dung: Đề nghị làm rõ nguồn vốn đường thôn Phú Hòa.",
        ),
    ],
)
def test_end_minutes_print_the_recorded_opinions(commune_ctx, tmp_path, count, summary, expected):
    from papi_desktop.services import disclosures, reports

    did = _ended_item(commune_ctx)
    disclosures.update_item(
        commune_ctx, did, {"opinions_count": count, "opinions_summary": summary}
    )
    text = " ".join(
        check_pdf(reports.posting_minutes(commune_ctx, did, "end", tmp_path / "bb.pdf")).split()
    )
    assert f"Ý kiến phản ánh, góp ý nhận được {expected}" in text
    assert "(30 ngày)" in text or "(31 ngày)" in text  # actual period, calendar days


def test_minutes_signers_default_and_configured(commune_ctx, demo_ctx, tmp_path):
    from papi_desktop.services import reports

    # default row: UBND (signer name and title), UB MTTQ, village head, witness
    village = _of_type(demo_ctx, "DAT-QUYHOACH-SDD")
    text = " ".join(
        pdf_text(
            reports.posting_minutes(demo_ctx, village["id"], "start", tmp_path / "a.pdf")
        ).split()
    )
    assert "1. Ông/Bà Trần Văn Hùng - Chủ tịch Ủy ban nhân dân phường Ninh Hòa;" in text
    assert "2. Ông/Bà ......................... - Đại diện Ủy ban Mặt trận Tổ quốc" in text
    # a phường: the head of the residential group, never "Trưởng thôn"
    assert "3. Ông/Bà ......................... - Tổ trưởng tổ dân phố nơi niêm yết;" in text
    assert "4. Ông/Bà ......................... - Người dân (người chứng kiến);" in text
    assert "TỔ TRƯỞNG TỔ" in text and "CHỨNG" in text and "TRƯỞNG THÔN" not in text
    # posted at the office only: no village head
    office = _of_type(demo_ctx, "QUYCHE-DANCHU")
    text = " ".join(
        pdf_text(
            reports.posting_minutes(demo_ctx, office["id"], "start", tmp_path / "b.pdf")
        ).split()
    )
    assert "Tổ trưởng tổ dân phố nơi niêm yết" not in text and "TRƯỞNG THÔN" not in text
    assert "3. Ông/Bà ......................... - Người dân (người chứng kiến);" in text
    # configured signers replace the defaults
    did = _ended_item(commune_ctx)
    commune_ctx.db.set_setting(
        "minutes_signers",
        '[{"title": "Đại diện UBND phường", "name": "Lê Thị Mai", "position": "Phó Chủ tịch UBND"},'
        ' {"title": "Thư ký", "name": "Võ Văn Bình", "position": "Công chức Văn phòng"}]',
    )
    text = " ".join(
        pdf_text(reports.posting_minutes(commune_ctx, did, "start", tmp_path / "c.pdf")).split()
    )
    assert "1. Ông/Bà Lê Thị Mai - Phó Chủ tịch UBND;" in text
    assert "2. Ông/Bà Võ Văn Bình - Công chức Văn phòng;" in text
    assert "THƯ KÝ" in text and "CHỨNG KIẾN" not in text


# ---- minutes of places posted on different days, forms, interruptions, wording ----------

OFFICE = "Trụ sở UBND phường Ninh Hòa"


def _flat_pdf(path: Path) -> str:
    return " ".join(check_pdf(path).split())


def _plan_item(ctx, code="KTXH-KEHOACH", places=(OFFICE, "Thôn Phú Hòa", "Tổ dân phố 3")):
    from papi_desktop.services import disclosures

    return disclosures.add(
        ctx, code, "Kế hoạch phát triển kinh tế - xã hội năm 2027", trigger_date="2026-10-28",
        places=list(places), decision_no="15/NQ-HĐND", decision_date="2025-12-10",
    )  # fmt: skip


def _ends(ctx, did, place):
    from papi_desktop.services import disclosures

    p = next(x for x in disclosures.get_item(ctx, did)["places"] if x["place"] == place)
    return date.fromisoformat(p["ends_on"])


def test_start_minutes_of_places_posted_on_different_days(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = _plan_item(commune_ctx)
    disclosures.record_posting(commune_ctx, did, OFFICE, "2026-11-02")
    disclosures.record_posting(commune_ctx, did, "Thôn Phú Hòa", "2026-11-10")
    office_end, village_end = (
        _ends(commune_ctx, did, OFFICE),
        _ends(commune_ctx, did, "Thôn Phú Hòa"),
    )

    text = _flat_pdf(reports.posting_minutes(commune_ctx, did, "start", tmp_path / "all.pdf"))
    # dated the latest posting, at the place posted that day
    assert "ngày 10 tháng 11 năm 2026" in text and "Địa điểm: Thôn Phú Hòa" in text
    # each place with its own dates and days; no single span of both
    assert f"{OFFICE} 02/11/2026 {office_end:%d/%m/%Y} 30" in text
    assert f"Thôn Phú Hòa 10/11/2026 {village_end:%d/%m/%Y} 30" in text
    assert f"Từ ngày 02/11/2026 đến hết ngày {village_end:%d/%m/%Y} (30 ngày)" not in text
    assert "Mỗi địa điểm niêm yết ít nhất 30 ngày kể từ ngày niêm yết tại địa điểm đó" in text
    # the place not posted yet is named as such, and only there
    assert "Chưa niêm yết tại: Tổ dân phố 3" in text and text.count("Tổ dân phố 3") == 1

    one = _flat_pdf(
        reports.posting_minutes(commune_ctx, did, "start", tmp_path / "one.pdf", OFFICE)
    )
    assert "ngày 02 tháng 11 năm 2026" in one
    assert f"Từ ngày 02/11/2026 đến hết ngày {office_end:%d/%m/%Y} (30 ngày)." in one
    assert "10/11/2026" not in one and "Thôn Phú Hòa" not in one and "Chưa niêm yết" not in one

    for place, message in (("Tổ dân phố 3", "Chưa ghi ngày niêm yết"), ("Thôn X", "không có")):
        with pytest.raises(UserError, match=message):
            reports.posting_minutes(commune_ctx, did, "start", tmp_path / "x.pdf", place)
    assert not (tmp_path / "x.pdf").exists()

    # posted everywhere on one day: one act on that day, one period line
    did = _plan_item(commune_ctx)
    for place in (OFFICE, "Thôn Phú Hòa", "Tổ dân phố 3"):
        disclosures.record_posting(commune_ctx, did, place, "2026-11-02")
    same = _flat_pdf(reports.posting_minutes(commune_ctx, did, "start", tmp_path / "same.pdf"))
    assert "ngày 02 tháng 11 năm 2026" in same and "Chưa niêm yết" not in same
    assert f"Từ ngày 02/11/2026 đến hết ngày {office_end:%d/%m/%Y} (30 ngày)." in same


def test_notice_and_minutes_name_the_same_other_forms(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = _plan_item(commune_ctx, "CS-ANSINH", (OFFICE, "Thôn Phú Hòa"))
    disclosures.update_item(
        commune_ctx, did,
        {"loudspeaker_days": 3, "loudspeaker_from": "2026-11-03", "web_url": "https://ninhhoa.vn/ck"},
    )  # fmt: skip
    for place in (OFFICE, "Thôn Phú Hòa"):
        disclosures.record_posting(commune_ctx, did, place, "2026-11-03")
    notice = _flat_pdf(reports.posting_notice(commune_ctx, did, tmp_path / "tb.pdf"))
    minutes = _flat_pdf(reports.posting_minutes(commune_ctx, did, "start", tmp_path / "bb.pdf"))
    for line in (
        "Thông báo trên hệ thống loa truyền thanh 03 ngày liên tục, từ ngày 03/11/2026 đến "
        "ngày 05/11/2026;",
        "Đăng trên Trang thông tin điện tử: https://ninhhoa.vn/ck;",
        "Thông báo qua Tổ trưởng tổ dân phố để thông tin đến Nhân dân.",
    ):
        assert line in notice and line in minutes, line
    assert "Các hình thức công khai khác Không có" not in minutes

    # a type posted only: neither document invents another form
    only = _plan_item(commune_ctx, "DAT-TDC-DUTHAO", (OFFICE,))
    disclosures.record_posting(commune_ctx, only, OFFICE, "2026-11-03")
    notice = _flat_pdf(reports.posting_notice(commune_ctx, only, tmp_path / "tb2.pdf"))
    minutes = _flat_pdf(reports.posting_minutes(commune_ctx, only, "start", tmp_path / "bb2.pdf"))
    assert "Hình thức công khai khác" not in notice
    assert "4. Các hình thức công khai khác Không có." in minutes


def test_end_minutes_report_early_takedown_and_reposts_consistently(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = _ended_item(commune_ctx)
    office_end = _ends(commune_ctx, did, OFFICE)
    # taken down during its last day: the period runs to the END of that day (BLDS Đ148)
    disclosures.record_takedown(commune_ctx, did, OFFICE, office_end.isoformat())
    disclosures.record_posting(commune_ctx, did, "Thôn Phú Hòa", "2026-09-02")  # re-posted
    village_end = _ends(commune_ctx, did, "Thôn Phú Hòa")
    text = _flat_pdf(reports.posting_minutes(commune_ctx, did, "end", tmp_path / "end.pdf"))
    section5 = text.split("5. Niêm yết lại, gián đoạn")[1].split("6. Ý kiến")[0]
    assert "liên tục, đầy đủ." not in section5.replace("không liên tục, đầy đủ", "")
    assert f"bị gỡ xuống ngày {office_end:%d/%m/%Y}, trước khi hết thời gian niêm yết" in section5
    assert (
        "Tại Thôn Phú Hòa: niêm yết lại ngày 02/09/2026 (lần trước niêm yết ngày 01/09/2026)"
        in (section5)
    )
    conclusion = text.split("7. Kết luận")[1]
    assert "gỡ bản niêm yết trước khi hết thời gian" in conclusion
    assert f"{OFFICE}, ngày {office_end:%d/%m/%Y}" in conclusion
    assert "đầy đủ, đúng thời gian quy định" not in conclusion
    # dated after the last end (02/10/2026, a Friday) -> Saturday 03/10 -> Monday 05/10
    assert village_end == date(2026, 10, 2)
    assert "ngày 05 tháng 10 năm 2026" in text
    commune_ctx.db.set_setting(reports.MINUTES_ON_DAYS_OFF, "1")
    text = _flat_pdf(reports.posting_minutes(commune_ctx, did, "end", tmp_path / "end2.pdf"))
    assert "ngày 03 tháng 10 năm 2026" in text


def test_end_minutes_of_an_uninterrupted_posting_say_so(commune_ctx, tmp_path):
    from papi_desktop.services import reports

    did = _ended_item(commune_ctx)
    text = _flat_pdf(reports.posting_minutes(commune_ctx, did, "end", tmp_path / "end.pdf"))
    assert "Không có; tài liệu được niêm yết liên tục, đầy đủ." in text
    assert "đầy đủ, đúng thời gian quy định" in text
    # ended 01/10/2026 (Thursday): the minutes are made on Friday 02/10
    assert "ngày 02 tháng 10 năm 2026" in text


def test_notice_prints_planned_dates_apart_from_recorded_ones(commune_ctx, tmp_path):
    from papi_desktop.services import disclosures, reports

    did = _plan_item(commune_ctx)
    disclosures.record_posting(commune_ctx, did, OFFICE, "2026-11-16")
    text = _flat_pdf(reports.posting_notice(commune_ctx, did, tmp_path / "tb.pdf"))
    office_end = _ends(commune_ctx, did, OFFICE)
    assert f"{OFFICE}: từ ngày 16/11/2026 đến hết ngày {office_end:%d/%m/%Y}" in text
    assert re.search(
        r"Thôn Phú Hòa, Tổ dân phố 3: dự kiến từ ngày 20/11/2026 đến hết ngày \d\d/12/2026", text
    )
    assert "Thôn Phú Hòa: từ ngày" not in text
    # ward wording, legal bases written out, the decision's date and issuer
    assert "Tổ trưởng các tổ dân phố" in text and "Trưởng các thôn" not in text
    assert "Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 Điều 11 khoản 1" in text
    assert "Căn cứ Nghị quyết số 15/NQ-HĐND ngày 10/12/2025 của HĐND phường Ninh Hòa." in text


def test_legal_bases_are_written_out(demo_ctx, tmp_path):
    from papi_desktop.services import reports

    item = _of_type(demo_ctx, "HO-NGHEO-RASOAT")
    text = _flat_pdf(reports.posting_notice(demo_ctx, item["id"], tmp_path / "tb.pdf"))
    assert "Căn cứ Quyết định số 24/2021/QĐ-TTg;" in text
    assert "Căn cứ Thông tư số 07/2021/TT-BLĐTBXH" in text
    assert "Căn cứ QĐ" not in text and "Căn cứ TT " not in text


def test_unit_level_wording():
    from papi_desktop.services.reports import document_basis, unit_level, village_words

    assert unit_level("Xã Ninh Hòa") == "commune" and unit_level("Phường An Lạc") == "ward"
    assert unit_level("Đặc khu Phú Quốc") == "special"
    assert village_words("Xã Ninh Hòa")["head"] == "Trưởng thôn"
    assert village_words("Phường An Lạc")["heads"] == "Tổ trưởng các tổ dân phố"
    assert "tổ dân phố" in village_words("Đặc khu Phú Quốc")["group"]
    assert (
        document_basis("101/QĐ-UBND", "2026-11-10", "xã Ninh Hòa")
        == "Căn cứ Quyết định số 101/QĐ-UBND ngày 10/11/2026 của UBND xã Ninh Hòa"
    )


def _page_lines(path: Path) -> list[list[str]]:
    """Per page, non-empty ``pdftotext -layout`` lines without page number and trace line."""
    pages = []
    for number, page in enumerate(pdf_text(path).split("\f"), start=1):
        lines = [ln.strip() for ln in page.splitlines() if ln.strip()]
        if not lines:
            continue
        if number > 1 and lines[0] == str(number):
            lines = lines[1:]
        pages.append([ln for ln in lines if not ln.startswith("PAPI Desktop ·")])
    return pages


def test_documents_of_items_posted_at_many_places_have_no_near_empty_page(demo_ctx, tmp_path):
    """The demo's items posted at every village (9 places): the minutes and the notice put
    at least four lines on every page, the signatures on the last page with at least three
    lines of body text before the closing paragraph, and the start minutes on two pages."""
    from papi_desktop.services import reports

    items = [i for i in _items(demo_ctx, "posting", "complete") if len(i["places"]) >= 9]
    assert items
    for n, item in enumerate(items):
        docs = [
            (reports.posting_minutes(demo_ctx, item["id"], "start", tmp_path / f"s{n}.pdf"),
             "Biên bản kết thúc vào lúc"),
            (reports.posting_notice(demo_ctx, item["id"], tmp_path / f"n{n}.pdf"),
             "Ủy ban nhân dân phường Ninh Hòa thông báo để"),
        ]  # fmt: skip
        if item["status"] == "complete":
            path = reports.posting_minutes(demo_ctx, item["id"], "end", tmp_path / f"e{n}.pdf")
            docs.append((path, "Biên bản kết thúc vào lúc"))
        for path, closing in docs:
            pages = _page_lines(path)
            assert all(len(lines) >= 4 for lines in pages), (path.name, pages)
            last = pages[-1]
            assert "Trần Văn Hùng" in " ".join(last), path.name
            assert "Nơi nhận:" in " ".join(last)
            assert all("Nơi nhận:" not in " ".join(p) for p in pages[:-1]), path.name
            at = next(i for i, ln in enumerate(last) if ln.startswith(closing))
            assert len(pages) == 1 or at >= 3, (path.name, last)
            if path.name.startswith("s"):
                assert len(pages) <= 2, path.name
