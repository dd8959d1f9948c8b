"""The supervising office with 30 demo communes imported from real USB packages: the
Xã/phường figures equal each commune's own figures, the consolidated workbook opens in
LibreOffice headless with the same figures, the PDF names what it should, and the CLI
contract of ``communes list --json``."""

from __future__ import annotations

import csv
import itertools
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest

from papi_desktop.domain.progress import progress
from papi_desktop.services import (
    consolidated_report,
    disclosures,
    district,
    district_demo,
    reports,
    tasks,
)
from papi_desktop.services.context import AppContext

TODAY = date(2026, 11, 20)
N = 30


@pytest.fixture(scope="module")
def office_dir(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("office30")
    built = district_demo.build_from_packages(
        root / "office", root / "work", communes=N, years=1, today=TODAY
    )
    assert {r.status for r in built["reports"]} == {"applied"}
    return {"office": root / "office", "work": root / "work", "codes": built["codes"]}


@pytest.fixture
def office(office_dir):
    ctx = AppContext(office_dir["office"], auto_backup=False, today=TODAY)
    yield ctx
    ctx.close()


def commune_figures(folder: Path) -> dict:
    """What the commune computes on its own PC (its progress report and task list)."""
    with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
        info = reports.progress_data(ctx, 2026)
        p = progress((r["status"], r["result"]) for r in info["results"]
                     if date.fromisoformat(r["due"]) <= TODAY or r["status"] == "done")  # fmt: skip
        overdue = len(tasks.list_results(ctx, year=2026, overdue_only=True))
        items = disclosures.list_items(ctx, year=2026)
        late = sum(1 for i in items if i["status"] == "overdue_post" or i["posted_late"])
        missing = sum(1 for x in disclosures.list_plan(ctx, 2026) if x["state"] == "missing")
        dims = {c: (d, a) for c, _n, d, a in info["dimensions"]}
        return {"done": p.done, "applicable": p.applicable, "overdue": overdue,
                "late": late, "missing": missing, "dims": dims}  # fmt: skip


def test_thirty_communes_from_packages_have_their_own_figures(office, office_dir):
    rows = district.communes_overview(office, 2026)
    assert sorted(r["unit"] for r in rows) == sorted(office_dir["codes"])
    assert len(rows) == N
    for r in rows:
        own = commune_figures(district_demo.commune_folder(office_dir["work"], r["unit"]))
        assert (r["done"], r["applicable"]) == (own["done"], own["applicable"]), r["unit"]
        assert r["overdue_tasks"] == own["overdue"], r["unit"]
        assert r["late_disclosures"] == own["late"], r["unit"]
        assert r["missing_disclosures"] == own["missing"], r["unit"]
        for code, (d, a) in own["dims"].items():
            assert (r["dimensions"][code]["done"], r["dimensions"][code]["applicable"]) == (d, a)
        assert r["framework_version"] == 1 and r["framework_current"]
        assert r["last_package_at"] and r["stale"] is False
        assert r["submission"] == "draft"
    ranked = sorted((r for r in rows), key=lambda r: r["rank"])
    assert ranked[0]["rank"] == 1
    assert all(a["completion"] >= b["completion"] for a, b in itertools.pairwise(ranked))


def test_package_older_than_35_days_is_flagged(office):
    office.set_today(TODAY + timedelta(days=40))
    rows = district.communes_overview(office, 2026)
    assert all(r["stale"] and r["package_age_days"] >= 36 for r in rows)


def test_communes_list_json_contract(office_dir, cli):
    r = cli("communes", "list", "--year", "2026", "--json", data=office_dir["office"])
    assert r.code == 0, r.err
    rows = r.json()
    assert len(rows) == N
    for key in ("unit", "name", "framework_version", "last_package_at", "submission",
                "completion", "overdue_tasks", "late_disclosures"):  # fmt: skip
        assert all(key in x for x in rows)
    r = cli("communes", "list", data=office_dir["office"])
    assert r.code == 0
    header, *lines = r.out.rstrip("\n").splitlines()
    assert len(lines) == N
    # A header line, and columns aligned under it: each heading ends where its numbers
    # end (right-aligned) or starts where its texts start (left-aligned).
    assert header.split("  ")[0] == "Mã" and "Xã/phường" in header
    done_end = header.index("Hoàn thành") + len("Hoàn thành")
    name_at = header.index("Xã/phường")
    late_end = header.index("CK trễ") + len("CK trễ")
    by_unit = {x["unit"]: x for x in rows}
    for line in lines:
        x = by_unit[line[:5]]
        assert line[name_at:].startswith(x["name"][:20])
        assert line[:done_end].endswith(f"{x['completion']:.1f}%")
        assert line[:late_end].endswith(f" {x['late_disclosures']}")


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed")
def test_consolidated_workbook_opens_in_libreoffice_with_the_same_figures(office, tmp_path):
    from papi_desktop.reports.xlsx.consolidated import HEADER_ROW

    out = consolidated_report.write(office, 2026, tmp_path / "tong-hop.xlsx")
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(out)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with open(tmp_path / "tong-hop.csv", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    header = lines[HEADER_ROW - 1]
    col = {h: i for i, h in enumerate(header)}
    body = [x for x in lines[HEADER_ROW:] if x and x[1].isdigit()]
    expected = {r["unit"]: r for r in district.communes_overview(office, 2026)}
    assert len(body) == N
    for line in body:
        r = expected[line[col["Mã xã"]]]
        assert line[col["Xã/phường"]] == r["name"]
        assert float(line[col["Hoàn thành (%)"]]) == pytest.approx(r["completion"])
        assert int(line[col["Đã xong"]]) == r["done"]
        assert int(line[col["Phải làm"]]) == r["applicable"]
        assert int(line[col["Nhiệm vụ quá hạn"]]) == r["overdue_tasks"]
        assert int(line[col["Công khai trễ hạn"]]) == r["late_disclosures"]
        assert int(line[col["Công khai còn thiếu"]]) == r["missing_disclosures"]
        assert int(line[col["Xếp hạng"]]) == r["rank"]
        for d in "12345678":
            value = r["dimensions"][d]["completion"]
            cell = line[col[f"CSND {d} (%)"]]
            assert (cell == "" and value is None) or float(cell) == pytest.approx(value)


def test_consolidated_pdf_text_and_fonts(office, tmp_path):
    out = consolidated_report.write(office, 2026, tmp_path / "tong-hop.pdf")
    raw = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                         check=True).stdout  # fmt: skip
    text = " ".join(raw.split())
    assert "BÁO CÁO" in text and "SỞ NỘI VỤ" in text
    assert "năm 2026" in text and "Toàn tỉnh" in text
    for r in district.communes_overview(office, 2026)[:5]:
        assert r["name"] in text
    from tests.test_district_pdf_fonts import unembedded

    assert unembedded(out) == []
    # The communes table follows the overview on page 1 (it used to start on page 2).
    page1 = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(out), "-"],
                           capture_output=True, text=True, check=True).stdout  # fmt: skip
    first = district.communes_overview(office, 2026)[0]["name"]
    assert "II. KẾT QUẢ THEO XÃ" in page1 and first in " ".join(page1.split())


def test_report_refuses_a_bad_output(office, tmp_path):
    from papi_desktop.errors import UserError

    with pytest.raises(UserError):
        consolidated_report.write(office, 2026, tmp_path / "x.doc")


def test_consolidated_word_copy_says_what_the_pdf_says(office, tmp_path):
    """The office's report as .docx (issue 13 item 6), from the registry, with its chart."""
    from docx import Document

    from papi_desktop.services.reports.registry import SPECS, ReportRequest, specs_for

    spec = SPECS["consolidated"]
    assert spec in specs_for("district") and spec not in specs_for("commune")
    assert spec.default_path(office, ReportRequest(year=2026), ".docx").name == (
        "tong-hop-papi_nam-2026.docx"
    )
    pdf = spec.make(office, ReportRequest(year=2026), tmp_path / "tong-hop.pdf")
    word = spec.make(office, ReportRequest(year=2026), tmp_path / "tong-hop.docx")
    doc = Document(str(word))
    assert doc.sections[0].page_width > doc.sections[0].page_height  # landscape
    assert doc.inline_shapes  # the charts
    text = " ".join(
        [p.text for p in doc.paragraphs]
        + [c.text for t in doc.tables for row in t.rows for c in row.cells]
    )
    raw = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    for r in district.communes_overview(office, 2026)[:5]:
        assert r["name"] in text and r["name"] in " ".join(raw.split())
    assert "BÁO CÁO" in text and "Toàn tỉnh" in text
