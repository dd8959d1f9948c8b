"""Saving documents the one way (issue 13 item 5) and the minutes' place and date (item 4),
below the window: file names, the documents folder setting, never overwriting, the choice
of OS call for open / open folder / print, and the minutes of one place or all places."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.errors import UserError

# -- names and folder ---------------------------------------------------------------------


def test_file_names_say_what_the_document_is_without_marks():
    from papi_desktop.services.reports.files import file_name, slug

    name = file_name(
        ["bien-ban-niem-yet", "Kết quả rà soát hộ nghèo: năm 2026 (đợt 1)", "Thôn Mỹ Lợi",
         date(2026, 3, 2)], ".pdf",
    )  # fmt: skip
    assert (
        name
        == "bien-ban-niem-yet_ket-qua-ra-soat-ho-ngheo-nam-2026-dot-1_thon-my-loi_2026-03-02.pdf"
    )
    assert all(c not in name for c in '<>:"/\\|?*')
    assert slug("CON") == "con-" and slug("Đường/ngõ " * 20).startswith("duong-ngo")
    assert len(slug("Đường ngõ " * 20)) <= 48 and not slug("Đường ngõ " * 20).endswith("-")


def test_documents_folder_default_setting_and_refusals(commune_ctx, tmp_path, monkeypatch):
    from papi_desktop.services.reports import files

    monkeypatch.setenv("XDG_DOCUMENTS_DIR", str(tmp_path / "Docs"))
    assert files.documents_dir(commune_ctx) == tmp_path / "Docs" / "PAPI Desktop" / "2026"
    assert files.documents_dir(commune_ctx, 2025).name == "2025"
    chosen = tmp_path / "Văn bản"
    assert files.set_documents_dir(commune_ctx, str(chosen)) == chosen and chosen.is_dir()
    assert files.documents_dir(commune_ctx) == chosen / "2026"
    a_file = tmp_path / "a.txt"
    a_file.write_text("x")
    for bad, message in ((a_file, "là một tệp"), ("tuong-doi/thu-muc", "không phải đường dẫn")):
        with pytest.raises(UserError, match=message):
            files.set_documents_dir(commune_ctx, bad)
        assert files.documents_base(commune_ctx) == chosen  # nothing changed
    files.set_documents_dir(commune_ctx, "")
    assert files.documents_base(commune_ctx) == tmp_path / "Docs" / "PAPI Desktop"


def test_free_path_never_reuses_a_name(tmp_path):
    from papi_desktop.services.reports.files import check_new, free_path

    first = tmp_path / "bao-cao.pdf"
    assert free_path(first) == first
    first.write_bytes(b"1")
    assert free_path(first).name == "bao-cao (2).pdf"
    (tmp_path / "bao-cao (2).pdf").write_bytes(b"2")
    assert free_path(first).name == "bao-cao (3).pdf"
    with pytest.raises(UserError, match="--overwrite"):
        check_new(first)
    assert check_new(first, overwrite=True) == first


# -- open, open folder, print: the OS call chosen ----------------------------------------


class Calls:
    def __init__(self, *, tools=(), startfile_fails=(), lp_code=0):
        self.log: list = []
        self.tools = set(tools)
        self.startfile_fails = set(startfile_fails)
        self.lp_code = lp_code

    def which(self, name):
        return f"/usr/bin/{name}" if name in self.tools else None

    def startfile(self, path, verb="open"):
        self.log.append(("startfile", verb, Path(path).name))
        if verb in self.startfile_fails:
            raise OSError(1155, "No application is associated")

    def popen(self, args):
        self.log.append(("popen", *[Path(a).name if "/" in a else a for a in args]))

    def run(self, args, **kwargs):
        self.log.append(("run", *[Path(a).name if "/" in a else a for a in args]))
        return subprocess.CompletedProcess(args, self.lp_code)

    def kw(self, platform):
        return dict(platform=platform, which=self.which, startfile=self.startfile,
                    popen=self.popen, run=self.run)  # fmt: skip


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "bien-ban.pdf"
    path.write_bytes(b"%PDF-1.4")
    return path


def test_print_on_windows_uses_the_print_verb_and_falls_back_to_open(doc):
    from papi_desktop.services import desktop_open

    c = Calls()
    assert desktop_open.print_file(doc, **c.kw("win32")) == desktop_open.PRINTED
    assert c.log == [("startfile", "print", doc.name)]
    c = Calls(startfile_fails={"print"})
    assert desktop_open.print_file(doc, **c.kw("win32")) == desktop_open.OPENED
    assert c.log == [("startfile", "print", doc.name), ("startfile", "open", doc.name)]
    c = Calls(startfile_fails={"print", "open"})
    with pytest.raises(desktop_open.NoViewer, match=r"chưa có chương trình mở tệp \.pdf"):
        desktop_open.print_file(doc, **c.kw("win32"))


def test_print_elsewhere_uses_lp_where_it_exists(doc):
    from papi_desktop.services import desktop_open

    c = Calls(tools={"lp", "xdg-open"})
    assert desktop_open.print_file(doc, **c.kw("linux")) == desktop_open.PRINTED
    assert c.log == [("run", "lp", doc.name)]
    c = Calls(tools={"lp", "xdg-open"}, lp_code=1)  # lp without a default printer
    assert desktop_open.print_file(doc, **c.kw("linux")) == desktop_open.OPENED
    assert c.log[-1] == ("popen", "xdg-open", doc.name)
    c = Calls(tools={"xdg-open"})
    assert desktop_open.print_file(doc, **c.kw("linux")) == desktop_open.OPENED
    assert c.log == [("popen", "xdg-open", doc.name)]
    c = Calls(tools={"lp"})
    assert desktop_open.print_file(doc, **c.kw("darwin")) == desktop_open.PRINTED


def test_open_and_open_folder_and_no_viewer(doc):
    from papi_desktop.services import desktop_open

    c = Calls(tools={"xdg-open"})
    desktop_open.open_file(doc, **c.kw("linux"))
    desktop_open.open_folder(doc, **c.kw("linux"))
    assert c.log == [("popen", "xdg-open", doc.name), ("popen", "xdg-open", doc.parent.name)]
    c = Calls()
    desktop_open.open_folder(doc, **c.kw("win32"))
    assert c.log[0][:2] == ("popen", "explorer")
    with pytest.raises(desktop_open.NoViewer) as err:
        desktop_open.open_file(doc, **Calls().kw("linux"))  # no xdg-open at all
    assert err.value.message("en").startswith("No program on this computer opens .pdf")
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        desktop_open.open_file(doc.with_name("khong-co.pdf"), **c.kw("win32"))


# -- minutes: the selected place or all places, dated the event's day -------------------


@pytest.fixture
def posted(commune_ctx):
    """An item posted at the office on 02/11 and at Thôn Phú Hòa on 04/11/2026; both ended
    and taken down (the office on 04/12, the village on 07/12); today 20/12/2026."""
    from papi_desktop.services import disclosures, units

    ctx = commune_ctx
    ctx.set_today(date(2026, 11, 2))
    hq = next(p["name"] for p in units.list_places(ctx) if p["kind"] != "village")
    item = disclosures.add(
        ctx, "KTXH-KEHOACH", "Kế hoạch phát triển năm 2027", trigger_date=date(2026, 10, 30),
        places=[hq, "Thôn Phú Hòa"],
    )  # fmt: skip
    disclosures.record_posting(ctx, item, hq, date(2026, 11, 2))
    ctx.set_today(date(2026, 11, 4))
    disclosures.record_posting(ctx, item, "Thôn Phú Hòa", date(2026, 11, 4))
    ctx.set_today(date(2026, 12, 20))
    disclosures.record_takedown(ctx, item, hq, date(2026, 12, 4))
    disclosures.record_takedown(ctx, item, "Thôn Phú Hòa", date(2026, 12, 7))
    return ctx, item, hq


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout


def test_minutes_of_the_selected_place_carry_its_own_dates(posted, tmp_path):
    from papi_desktop.services.reports.minutes import minutes_data
    from papi_desktop.services.reports.registry import SPECS, ReportRequest

    ctx, item, hq = posted
    start = SPECS["minutes_start"]
    one = minutes_data(ctx, item, "start", hq)
    assert one.act_time.date() == date(2026, 11, 2) and one.act_place.startswith(hq)
    assert [p.name for p in one.places] == [hq]
    village = minutes_data(ctx, item, "start", "Thôn Phú Hòa")
    assert village.act_time.date() == date(2026, 11, 4) and "Phú Hòa" in village.act_place
    # all places: dated the latest posting, held where that posting was
    both = minutes_data(ctx, item, "start")
    assert both.act_time.date() == date(2026, 11, 4) and "Phú Hòa" in both.act_place
    # end minutes: the place and the date belong together
    end_all = minutes_data(ctx, item, "end")
    assert "Phú Hòa" in end_all.act_place and end_all.act_time.date() > date(2026, 12, 4)
    end_hq = minutes_data(ctx, item, "end", hq)
    assert end_hq.act_place.startswith(hq) and end_hq.act_time.date() < end_all.act_time.date()
    # the file name says kind, item, place and date
    path = start.default_path(ctx, ReportRequest(item_id=item, place="Thôn Phú Hòa"))
    assert path.name == "bien-ban-niem-yet_ke-hoach-phat-trien-nam-2027_thon-phu-hoa_2026-11-04.pdf"
    path = start.default_path(ctx, ReportRequest(item_id=item), ".docx")
    assert (
        path.name
        == "bien-ban-niem-yet_ke-hoach-phat-trien-nam-2027_tat-ca-dia-diem_2026-11-04.docx"
    )


def test_cli_minutes_date_defaults_to_the_event_and_refuses_an_earlier_one(
    posted, cli, data_dir, tmp_path
):
    _ctx, item, hq = posted
    out = tmp_path / "bb.pdf"
    r = cli("report", "minutes", item, "--kind", "start", "--place", hq, "-o", str(out))
    assert r.code == 0, r.err
    text = _pdf_text(out)
    assert "ngày 02 tháng 11 năm 2026" in text and "Phú Hòa" not in text
    later = tmp_path / "bb2.pdf"
    r = cli("report", "minutes", item, "--kind", "start", "--place", hq, "--date", "05/11/2026",
            "-o", str(later))  # fmt: skip
    assert r.code == 0 and "ngày 05 tháng 11 năm 2026" in _pdf_text(later)
    bad = tmp_path / "bb3.pdf"
    for date_text, message in (
        ("01/11/2026", "trước ngày 02/11/2026"),
        ("31/02/2026", "dd/mm/yyyy"),
    ):
        r = cli("report", "minutes", item, "--kind", "start", "--place", hq, "--date", date_text,
                "-o", str(bad))  # fmt: skip
        assert r.code == 2 and message in r.err and len(r.err.strip().splitlines()) == 1
        assert not bad.exists()
    # the same file again is refused, not overwritten
    before = out.read_bytes()
    r = cli("report", "minutes", item, "--kind", "start", "--place", hq, "-o", str(out))
    assert r.code == 2 and "--overwrite" in r.err and out.read_bytes() == before


def test_every_registered_document_is_a_report_command(cli):
    from papi_desktop.services.reports.registry import SPECS

    for spec in SPECS.values():
        r = cli("report", spec.command, "--help")
        assert r.code == 0, spec.command
        assert "-o" in r.out and "--overwrite" in r.out, spec.command


def test_cli_notice_is_dated_its_first_posting_day_unless_told(posted, cli, tmp_path):
    _ctx, item, _hq = posted
    out = tmp_path / "tb.pdf"
    assert cli("report", "posting-notice", item, "-o", str(out)).code == 0
    assert "ngày 02 tháng 11 năm 2026" in _pdf_text(out)
    other = tmp_path / "tb2.docx"
    r = cli("report", "posting-notice", item, "--date", "30/10/2026", "-o", str(other))
    assert r.code == 0, r.err
    from docx import Document

    heading = Document(str(other)).tables[0].cell(1, 1).text
    assert heading.endswith("ngày 30 tháng 10 năm 2026")


def test_cli_notice_date_cannot_precede_its_document_or_be_a_mistyped_year(
    posted, cli, data_dir, tmp_path
):
    from tests.test_cli_core import dump

    _ctx, item, _hq = posted  # trigger date 30/10/2026, no decision date
    before = dump(data_dir)
    for day, words in (("29/10/2026", "trước ngày văn bản được công khai (30/10/2026)"),
                       ("01/01/2031", "quá xa")):  # fmt: skip
        r = cli("report", "posting-notice", item, "--date", day, "-o", str(tmp_path / "x.pdf"))
        assert r.code == 2 and words in r.err, r.err
        assert not (tmp_path / "x.pdf").exists()
    assert dump(data_dir) == before
