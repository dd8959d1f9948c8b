"""Report timings (issue 4 targets), on one commune with the demo data:

    python benchmarks/bench_reports.py [--out /tmp/papi-bench-reports] [--rows 1000]

Measures, in process after one warm-up run (fonts registered, modules imported), median of
5 runs of wall time:
- the posting notice with a 1,000-row content list read from .xlsx (target < 1 s);
- the progress workbook (.xlsx) for the commune-year (target < 1 s);
- the progress report PDF (for reference);
and, in the same run, the same posting notice made by LibreOffice headless from an
equivalent HTML document (``soffice --headless --convert-to pdf``; median of 3, a fresh
profile warmed once), and prints the ratio. LibreOffice is skipped when not installed.
"""

from __future__ import annotations

import argparse
import html
import os
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

TODAY = date(2026, 11, 20)


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def household_xlsx(path: Path, rows: int) -> Path:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("DS")
    ws.append(["STT", "Họ và tên chủ hộ", "Thôn", "Số khẩu", "Phân loại", "Ghi chú"])
    for i in range(1, rows + 1):
        ws.append(
            [i, f"Nguyễn Văn Hộ {i}", ["Thôn Phú Hòa", "Thôn Mỹ Lợi", "Tổ dân phố 3"][i % 3],
             1 + i % 6, "Hộ nghèo" if i % 3 else "Hộ cận nghèo", ""]
        )  # fmt: skip
    wb.save(path)
    return path


def equivalent_html(path: Path, rows: int) -> Path:
    """The same notice and list as HTML for LibreOffice Writer (A4, Decree 30 margins,
    Times/DejaVu Serif, table header repeated via <thead>)."""
    body = [
        "<html><head><meta charset='utf-8'><style>",
        "@page { size: A4; margin: 20mm 15mm 20mm 30mm; }",
        "body { font-family: 'Times New Roman', 'DejaVu Serif'; font-size: 13pt; }",
        "table.list { border-collapse: collapse; width: 100%; font-size: 11pt; }",
        "table.list td, table.list th { border: 0.5pt solid black; padding: 2pt; }",
        "</style></head><body>",
        "<table width='100%'><tr><td align='center'><b>ỦY BAN NHÂN DÂN<br>PHƯỜNG NINH HÒA</b>"
        "</td><td align='center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - "
        "Hạnh phúc</b></td></tr><tr><td align='center'>Số: &nbsp;&nbsp;&nbsp;/TB-UBND</td>"
        "<td align='center'><i>Ninh Hòa, ngày 20 tháng 11 năm 2026</i></td></tr></table>",
        "<p align='center'><b>THÔNG BÁO<br>Về việc niêm yết công khai danh sách hộ nghèo, hộ "
        "cận nghèo năm 2027</b></p>",
        "<p><i>Căn cứ Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15;</i></p>",
        "<p><b>1. Nội dung niêm yết:</b> Danh sách hộ nghèo, hộ cận nghèo năm 2027.</p>",
        "<p><b>2. Địa điểm và thời gian niêm yết:</b> Trụ sở UBND phường Ninh Hòa: từ ngày "
        "19/11/2026 đến hết ngày 19/12/2026.</p>",
        "<p><b>3. Tiếp nhận ý kiến:</b> trực tiếp tại Bộ phận Một cửa.</p>",
        "<p align='right'><b>TM. ỦY BAN NHÂN DÂN<br>CHỦ TỊCH</b></p>",
        "<p style='page-break-before: always' align='center'><b>DANH SÁCH HỘ NGHÈO</b></p>",
        "<table class='list'><thead><tr><th>STT</th><th>Họ và tên chủ hộ</th><th>Thôn</th>"
        "<th>Số khẩu</th><th>Phân loại</th><th>Ghi chú</th></tr></thead><tbody>",
    ]
    for i in range(1, rows + 1):
        village = ["Thôn Phú Hòa", "Thôn Mỹ Lợi", "Tổ dân phố 3"][i % 3]
        kind = "Hộ nghèo" if i % 3 else "Hộ cận nghèo"
        body.append(
            f"<tr><td>{i}</td><td>{html.escape(f'Nguyễn Văn Hộ {i}')}</td><td>{village}</td>"
            f"<td>{1 + i % 6}</td><td>{kind}</td><td></td></tr>"
        )
    body.append("</tbody></table></body></html>")
    path.write_text("\n".join(body), encoding="utf-8")
    return path


def libreoffice_pdf(src: Path, outdir: Path, profile: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", "--headless",
         "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(outdir), str(src)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default="/tmp/papi-bench-reports")
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    os.environ["PAPI_DESKTOP_TODAY"] = TODAY.isoformat()

    from papi_desktop.services import demo, disclosures, reports, setup
    from papi_desktop.services.context import AppContext

    ctx = AppContext(out / "data", today=TODAY, auto_backup=False)
    setup.init_site(ctx, "commune", unit_code="22528", user="Nguyễn Văn An")
    demo.mark_demo_folder(ctx)
    demo.generate(ctx)
    did = disclosures.add(
        ctx, "HO-NGHEO-RASOAT", "Danh sách hộ nghèo, hộ cận nghèo năm 2027",
        trigger_date="2026-11-18", decision_no="120/QĐ-UBND", decision_date="2026-11-18",
    )  # fmt: skip
    disclosures.record_posting(ctx, did, "Trụ sở UBND phường Ninh Hòa", "2026-11-19")
    src = household_xlsx(out / "ho-ngheo.xlsx", args.rows)

    results = {}
    notice = out / "thong-bao.pdf"
    results["notice"] = timed(lambda: reports.posting_notice(ctx, did, notice, src))
    pages = subprocess.run(["pdfinfo", str(notice)], capture_output=True, text=True).stdout
    n_pages = next((ln.split()[-1] for ln in pages.splitlines() if ln.startswith("Pages")), "?")
    results["xlsx"] = timed(lambda: reports.progress(ctx, 2026, out / "bao-cao.xlsx"))
    results["pdf"] = timed(lambda: reports.progress(ctx, 2026, out / "bao-cao.pdf"))
    n_results = len(reports.progress_data(ctx, 2026)["results"])

    print(f"Posting notice, {args.rows}-row list from .xlsx ({n_pages} pages): "
          f"median {results['notice'][0]:.3f} s (min {results['notice'][1]:.3f}) — target < 1 s")  # fmt: skip
    print(f"Progress workbook .xlsx, one commune-year ({n_results} task-periods): "
          f"median {results['xlsx'][0]:.3f} s (min {results['xlsx'][1]:.3f}) — target < 1 s")  # fmt: skip
    print(f"Progress report .pdf: median {results['pdf'][0]:.3f} s (min {results['pdf'][1]:.3f})")

    if shutil.which("soffice") or shutil.which("libreoffice"):
        doc = equivalent_html(out / "thong-bao-lo.html", args.rows)
        profile = out / "lo-profile"
        libreoffice_pdf(doc, out / "lo", profile)  # first start creates the profile
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            libreoffice_pdf(doc, out / "lo", profile)
            times.append(time.perf_counter() - t0)
        lo = statistics.median(times)
        lo_pages = subprocess.run(
            ["pdfinfo", str(out / "lo" / "thong-bao-lo.pdf")], capture_output=True, text=True
        ).stdout
        lo_n = next((ln.split()[-1] for ln in lo_pages.splitlines() if ln.startswith("Pages")), "?")
        print(
            f"Same notice via LibreOffice headless (HTML -> PDF, {lo_n} pages): median {lo:.3f} s"
        )
        print(f"Ratio LibreOffice / PAPI Desktop: {lo / results['notice'][0]:.1f}x")
    else:
        print("LibreOffice not installed: comparison skipped.")
    ctx.close()
    ok = results["notice"][0] < 1.0 and results["xlsx"][0] < 1.0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
