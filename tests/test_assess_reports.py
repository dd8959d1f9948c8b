"""PAR documents: the appraisal workbook and the self-assessment workbook open in
LibreOffice with the database's totals; text typed by users never becomes a formula; the
PDFs render (pdftoppm) and carry the figures (pdftotext)."""

from __future__ import annotations

import csv
import shutil
import subprocess
from datetime import date

import pytest
from openpyxl import load_workbook

from papi_desktop.services import assess, assess_demo
from papi_desktop.services.context import AppContext
from papi_desktop.services.district_demo import commune_folder

TODAY = date(2026, 11, 20)
N = 5


@pytest.fixture(scope="module")
def season(tmp_path_factory):
    base = tmp_path_factory.mktemp("par-season")
    out = assess_demo.build_season(base / "office", base / "work", communes=N, today=TODAY)
    return base, out["codes"]


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _to_csv(path, tmp_path) -> list[list[str]]:
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [_soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76", "--outdir", str(tmp_path), str(path)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with open(path.with_suffix(".csv"), encoding="utf-8") as f:
        return list(csv.reader(f))


def _num(text: str) -> float | None:
    return float(text) if text else None


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed")
def test_appraisal_workbook_totals_equal_the_database(season, cli, tmp_path):
    base, codes = season
    with AppContext(base / "office", auto_backup=False, today=TODAY) as office:
        from papi_desktop.services import scores

        scores.add(office, 2025, total=84.37, rank=12, of_n=34, index="PAR INDEX")
    out = tmp_path / "tham-dinh.xlsx"
    r = cli("report", "appraisal", "--index", "PAR", "--year", "2026", "-o", str(out),
            data=base / "office")  # fmt: skip
    assert r.code == 0, r.err
    lines = _to_csv(out, tmp_path)
    header_at = next(i for i, line in enumerate(lines) if line and line[0] == "STT")
    col = {h: i for i, h in enumerate(lines[header_at])}
    body = [line for line in lines[header_at + 1 :] if line and line[0].isdigit()]
    with AppContext(base / "office", auto_backup=False, today=TODAY) as office:
        res = assess.results(office, "PAR", 2026)
    expected = {c["unit"]: c for c in res["communes"]}
    assert len(body) == N and set(expected) == set(codes)
    for line in body:
        c = expected[line[col["Mã xã"]]]
        assert line[col["Xã/phường"]] == c["name"]
        assert _num(line[col["Tổng tự chấm"]]) == pytest.approx(c["self_total"])
        assert _num(line[col["Tổng thẩm định"]]) == pytest.approx(c["appraised_total"])
        assert int(line[col["Xếp hạng"]]) == c["rank"]
        field_sum = sum(_num(line[col[h]]) or 0 for h in col if "thẩm định (/" in h)
        assert field_sum == pytest.approx(c["appraised_total"])
    head = " ".join(x for line in lines[:header_at] for x in line)
    assert "MẪU THAM KHẢO" in head
    assert "PAR INDEX của tỉnh năm 2025 (Bộ Nội vụ công bố): 84,37 điểm, hạng 12/34" in head
    text = cli("assess", "results", "--index", "PAR", "--year", "2026", data=base / "office").out
    assert text.splitlines()[-1] == (
        "PAR INDEX của tỉnh năm 2025 (Bộ Nội vụ công bố): 84,37 điểm, hạng 12/34."
    )


@pytest.mark.skipif(_soffice() is None, reason="LibreOffice not installed")
def test_self_assessment_workbook_totals_and_text_cells(season, cli, tmp_path):
    base, codes = season
    folder = commune_folder(base / "work", codes[0])
    with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
        card = assess.list_items(ctx, "PAR", 2026)
        # A note typed like a formula must stay text (written here as the commune typed it).
        rid = ctx.db.scalar("SELECT id FROM self_score WHERE code = '1.3'")
        from papi_desktop.store import rows

        with ctx.db.transaction():
            rows.update(ctx.db, "self_score", rid, {"note": '=HYPERLINK("http://x")'})
    out = tmp_path / "tu-cham.xlsx"
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o", str(out),
            data=folder)  # fmt: skip
    assert r.code == 0, r.err
    ws = load_workbook(out)["Tự chấm điểm"]
    formula_cells = [c for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formula_cells == []
    lines = _to_csv(out, tmp_path)
    by_code = {line[0]: line for line in lines if line and line[0]}
    assert by_code["1.3"][5] == '=HYPERLINK("http://x")'
    total = next(line for line in lines if len(line) > 2 and line[2] == "TỔNG CỘNG")
    assert float(total[3]) == card["max_total"] and float(total[4]) == pytest.approx(
        card["self_total"]
    )
    for item in card["items"]:
        assert _num(by_code[item["code"]][4]) == pytest.approx(item["self_points"])


def test_pdfs_render_with_the_figures(season, cli, tmp_path):
    base, codes = season
    folder = commune_folder(base / "work", codes[0])
    pdf = tmp_path / "tu-cham.pdf"
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o", str(pdf),
            "--number", "12", data=folder)  # fmt: skip
    assert r.code == 0, r.err
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())  # fmt: skip
    with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
        card = assess.list_items(ctx, "PAR", 2026)
    from papi_desktop.domain.scoring import fmt_points

    assert "BÁO CÁO" in text and "Tự đánh giá, chấm điểm" in text and "12/BC-UBND" in text
    assert f"Tổng điểm tự chấm: {fmt_points(card['self_total'])}/100 điểm" in text
    assert "MẪU THAM KHẢO" in text and "TỔNG CỘNG" in text
    subprocess.run(["pdftoppm", "-r", "40", "-png", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "p")], check=True)  # fmt: skip
    assert (tmp_path / "p-1.png").stat().st_size > 5000

    pdf = tmp_path / "tham-dinh.pdf"
    r = cli("report", "appraisal", "--index", "PAR", "--year", "2026", "-o", str(pdf),
            data=base / "office")  # fmt: skip
    assert r.code == 0, r.err
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())  # fmt: skip
    with AppContext(base / "office", auto_backup=False, today=TODAY) as office:
        first = assess.results(office, "PAR", 2026)["communes"][0]
    assert "Kết quả thẩm định" in text and first["name"] in text
    assert fmt_points(first["appraised_total"]) in text


def test_report_refusals(season, cli, tmp_path):
    base, codes = season
    r = cli("report", "appraisal", "--index", "PAR", "--year", "2026", "-o",
            str(tmp_path / "x.odt"), data=base / "office")  # fmt: skip
    assert r.code == 2 and ".xlsx" in r.err and ".docx" in r.err
    r = cli("report", "appraisal", "--index", "PAR", "--year", "2026", "-o",
            str(tmp_path / "x.xlsx"), data=commune_folder(base / "work", codes[0]))  # fmt: skip
    assert r.code == 2 and "cơ quan giám sát" in r.err
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o",
            str(tmp_path / "x.pdf"), data=base / "office")  # fmt: skip
    assert r.code == 2


def _docx_rows(path) -> list[list[str]]:
    from docx import Document

    return [[c.text for c in row.cells] for t in Document(str(path)).tables for row in t.rows]


def _vn(text: str) -> float | None:
    text = text.strip()
    return float(text.replace(".", "").replace(",", ".")) if text not in ("", "—") else None


def test_word_copies_carry_the_totals_of_assess_list_and_results(season, cli, tmp_path):
    """The .docx self-assessment shows every criterion's maximum and self-score and the
    totals that ``assess list --json`` gives; the .docx appraisal the office's totals and
    ranks as ``assess results --json``; both open in LibreOffice."""
    import json

    base, codes = season
    folder = commune_folder(base / "work", codes[0])
    r = cli("assess", "list", "--index", "PAR", "--year", "2026", "--json", data=folder)
    assert r.code == 0, r.err
    listed = json.loads(r.out)
    out = tmp_path / "tu-cham.docx"
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o", str(out),
            data=folder)  # fmt: skip
    assert r.code == 0, r.err
    rows = {row[0]: row for row in _docx_rows(out) if len(row) == 5}
    for item in listed["items"]:
        if item["level"] == "field":
            continue
        row = rows[item["code"]]
        assert _vn(row[2]) == pytest.approx(item["max_points"])
        if item["method"] == "self":
            assert _vn(row[3]) == pytest.approx(item["self_points"])
    total = next(row for row in _docx_rows(out) if len(row) == 5 and row[1] == "TỔNG CỘNG")
    assert _vn(total[2]) == pytest.approx(listed["max_total"])
    assert _vn(total[3]) == pytest.approx(listed["self_total"])

    r = cli("assess", "results", "--index", "PAR", "--year", "2026", "--json", data=base / "office")
    assert r.code == 0, r.err
    results = {c["unit"]: c for c in json.loads(r.out)}
    appraisal = tmp_path / "tham-dinh.docx"
    r = cli("report", "appraisal", "--index", "PAR", "--year", "2026", "-o", str(appraisal),
            data=base / "office")  # fmt: skip
    assert r.code == 0, r.err
    seen = 0
    for row in _docx_rows(appraisal):
        unit = row[1].split(" ")[0] if len(row) > 3 else ""
        if unit in results:
            c = results[unit]
            assert int(row[0]) == c["rank"]
            assert _vn(row[-3]) == pytest.approx(c["self_total"])
            assert _vn(row[-2]) == pytest.approx(c["appraised_total"])
            seen += 1
    assert seen == N
    if _soffice() is None:
        return
    for doc in (out, appraisal):
        subprocess.run(
            [_soffice(), f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless",
             "--convert-to", "pdf", "--outdir", str(tmp_path / "lo-out"), str(doc)],
            check=True, capture_output=True, timeout=180,
        )  # fmt: skip
        pdf = tmp_path / "lo-out" / doc.with_suffix(".pdf").name
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout  # fmt: skip
        assert "TỔNG CỘNG" in text or "Kết quả thẩm định" in text


def test_the_documents_registry_offers_the_par_documents(season, cli, tmp_path):
    """The Documents page and its file names come from the registry: the commune gets the
    self-assessment, the office the appraisal, each in its formats; the CLI refuses to
    overwrite an existing file unless told."""
    from papi_desktop.services.reports.registry import SPECS, ReportRequest, specs_for

    base, codes = season
    own, office_doc = SPECS["self_assessment"], SPECS["appraisal"]
    assert own in specs_for("commune") and own not in specs_for("district")
    assert office_doc in specs_for("district") and office_doc not in specs_for("commune")
    assert own.formats == (".pdf", ".docx", ".xlsx")
    folder = commune_folder(base / "work", codes[0])
    request = ReportRequest(year=2026, number=4)
    with AppContext(folder, auto_backup=False, today=TODAY) as ctx:
        assert own.default_path(ctx, request, ".docx").name == "tu-cham-diem-par_nam-2026.docx"
        word = own.make(ctx, request, tmp_path / "tu-cham.docx")
    assert "4/BC-UBND" in " ".join(" ".join(r) for r in _docx_rows(word))
    with AppContext(base / "office", auto_backup=False, today=TODAY) as office:
        path = office_doc.default_path(office, request, ".xlsx")
        assert path.name == "tham-dinh-par_nam-2026.xlsx"
        book = office_doc.make(office, request, tmp_path / "tham-dinh.xlsx")
    assert load_workbook(book).active.max_row > N
    before = word.read_bytes()
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o", str(word),
            data=folder)  # fmt: skip
    assert r.code == 2 and "--overwrite" in r.err and word.read_bytes() == before
    r = cli("report", "self-assessment", "--index", "PAR", "--year", "2026", "-o", str(word),
            "--overwrite", data=folder)  # fmt: skip
    assert r.code == 0, r.err
