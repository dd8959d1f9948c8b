"""Inspection visits through the command line: the office plans, prints the pre-filled
checklist, records findings, closes and prints the minutes; the findings reach the commune
by USB, the commune answers with a fix and evidence, and the office sees it fixed. Bad input
exits 2 with the database unchanged."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from datetime import date
from pathlib import Path

import pytest

from papi_desktop.services import district_demo, sync
from papi_desktop.services.context import AppContext

TODAY = date(2026, 11, 20)


def dump(folder: Path) -> str:
    con = sqlite3.connect(folder / "papi.sqlite3")
    try:
        return "\n".join(con.iterdump())
    finally:
        con.close()


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def usb_exchange(sender: Path, receiver: Path, usb: Path) -> None:
    """Every package the sender writes, imported at the receiver (others are skipped)."""
    if usb.exists():
        shutil.rmtree(usb)
    usb.mkdir(parents=True)
    with AppContext(sender, auto_backup=False, today=TODAY) as s:
        sync.export_package(s, usb)
    with AppContext(receiver, auto_backup=False, today=TODAY) as r:
        reports = sync.import_packages(r, sync.package_files([usb]), trust_new=True)
    assert any(rep.status == "applied" for rep in reports), [rep.status for rep in reports]


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("inspections")
    made = district_demo.build_from_packages(
        root / "office", root / "work", communes=2, years=1, today=TODAY
    )
    return {"root": root, "codes": made["codes"]}


@pytest.fixture
def sites(built, tmp_path) -> dict:
    """Fresh copies of the office and both communes for each test."""
    out = {"office": tmp_path / "office"}
    shutil.copytree(built["root"] / "office", out["office"])
    for i, code in enumerate(built["codes"]):
        out[f"c{i}"] = tmp_path / f"c{i}"
        shutil.copytree(district_demo.commune_folder(built["root"] / "work", code), out[f"c{i}"])
    out["codes"] = built["codes"]
    return out


def docx_text(path) -> str:
    """Every paragraph and table cell of a Word file, as one line of text."""
    from docx import Document

    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return " ".join(" ".join(parts).split())


needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="no poppler")


@needs_pdftotext
def test_round_trip_office_commune_office(sites, cli, tmp_path):
    office, commune, unit = sites["office"], sites["c0"], sites["codes"][0]
    r = cli("inspections", "plan", unit, "--on", "20/11/2026",
            "--team", "Nguyễn Văn An; Trần Thị Bình", data=office)  # fmt: skip
    assert r.code == 0, r.err
    iid = r.out.strip()
    short = iid[:8]

    r = cli("inspections", "checklist", short, "-o", str(tmp_path / "phieu.pdf"), data=office)
    assert r.code == 0, r.err
    text = pdf_text(tmp_path / "phieu.pdf")
    assert "PHIẾU KIỂM TRA" in text and "Nguyễn Văn An" in text
    assert "D1.1-01@2026" in text  # the key the team types back
    assert "kỳ đến hạn đã hoàn thành" in text  # pre-filled from the commune's package
    r = cli("inspections", "checklist", short, "-o", str(tmp_path / "phieu.docx"), data=office)
    assert r.code == 0, r.err
    assert "PHIẾU KIỂM TRA" in docx_text(tmp_path / "phieu.docx")

    r = cli("inspections", "record", short, "--item", "D1.1-01", "--finding", "issue",
            "--note", "Thiếu biên bản họp thôn tháng 10", "--fix-by", "15/12/2026",
            data=office)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("inspections", "record", short, "--item", "D1.1-02@2026", "--finding", "ok",
            data=office)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("inspections", "close", short, "--reps", "Lê Văn Cường - Chủ tịch UBND",
            "--conclusion", "Cơ bản thực hiện đầy đủ.", data=office)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("report", "inspection-minutes", short, "-o", str(tmp_path / "bb.pdf"), data=office)
    assert r.code == 0, r.err
    minutes = pdf_text(tmp_path / "bb.pdf")
    for words in ("BIÊN BẢN KIỂM TRA", "Nguyễn Văn An - Trưởng đoàn", "Lê Văn Cường",
                  "Thiếu biên bản họp thôn tháng 10", "hoàn thành trước ngày 15/12/2026",
                  "Có tồn tại", "Đạt", "SỞ NỘI VỤ"):  # fmt: skip
        assert words in minutes, words
    r = cli("report", "inspection-minutes", short, "-o", str(tmp_path / "bb.docx"), data=office)
    assert r.code == 0, r.err
    word = docx_text(tmp_path / "bb.docx")
    for words in ("BIÊN BẢN KIỂM TRA", "Thiếu biên bản họp thôn tháng 10", "Lê Văn Cường"):
        assert words in word, words

    usb_exchange(office, commune, tmp_path / "usb1")
    seen = cli("inspections", "list", "--json", data=commune).json()
    assert [i["id"] for i in seen] == [iid]
    issue = next(f for f in seen[0]["findings"] if f["finding"] == "issue")
    assert issue == {
        "item": "D1.1-01@2026", "label": issue["label"], "finding": "issue",
        "note": "Thiếu biên bản họp thôn tháng 10", "fix_by": "2026-12-15", "fixed_on": None,
    }  # fmt: skip

    proof = tmp_path / "bien-ban-hop-thon.pdf"
    shutil.copy(tmp_path / "bb.pdf", proof)
    r = cli("inspections", "fix", short, "--item", "D1.1-01@2026", "--on", "20/11/2026",
            "--note", "Đã bổ sung", "--evidence", str(proof), data=commune)  # fmt: skip
    assert r.code == 0, r.err

    usb_exchange(commune, office, tmp_path / "usb2")
    listed = cli("inspections", "list", "--unit", unit, "--json", data=office).json()
    assert listed[0]["issues"] == 1 and listed[0]["fixed"] == 1
    assert listed[0]["overdue_fixes"] == 0 and listed[0]["state"] == "closed"


def _planned_with_issue(cli, office: Path, unit: str) -> str:
    iid = cli("inspections", "plan", unit, "--on", "20/11/2026", "--team", "A",
              data=office).out.strip()  # fmt: skip
    r = cli("inspections", "record", iid, "--item", "D1.1-01", "--finding", "issue",
            "--note", "x", "--fix-by", "01/12/2026", data=office)  # fmt: skip
    assert r.code == 0, r.err
    return iid


def test_bad_input_is_refused_with_nothing_changed(sites, cli):
    office, unit = sites["office"], sites["codes"][0]
    iid = _planned_with_issue(cli, office, unit)
    before = dump(office)
    cases = [
        (("inspections", "plan", "99999", "--on", "20/11/2026", "--team", "A"), "99999"),
        (("inspections", "plan", "01234", "--on", "20/11/2026", "--team", "A"), "01234"),
        (("inspections", "plan", unit, "--on", "31/02/2026", "--team", "A"), "31/02/2026"),
        (("inspections", "plan", unit, "--on", "20/11/2026", "--team", " ; "), "--team"),
        (("inspections", "plan", unit, "--on", "20/11/2026", "--team", "A", "--scope", "x"),
         "x"),
        (("inspections", "record", "deadbeef", "--item", "D1.1-01", "--finding", "ok"),
         "deadbeef"),
        (("inspections", "record", iid, "--item", "Z9.9-99", "--finding", "ok"), "Z9.9-99"),
        (("inspections", "record", iid, "--item", "D1.1-02", "--finding", "issue",
          "--note", "x", "--fix-by", "19/11/2026"), "19/11/2026"),
        (("inspections", "record", iid, "--item", "D1.1-02", "--finding", "issue"), "--note"),
        (("inspections", "record", iid, "--item", "D1.1-02", "--finding", "ok",
          "--fix-by", "01/12/2026"), "--fix-by"),
        (("inspections", "close", iid, "--on", "19/11/2026"), "19/11/2026"),
        (("report", "inspection-minutes", iid, "-o", "/tmp/never.pdf"), "close"),
        (("inspections", "fix", iid, "--item", "D1.1-01", "--on", "20/11/2026"), ""),
    ]  # fmt: skip
    for args, named in cases:
        r = cli(*args, data=office)
        assert r.code == 2, (args, r.out, r.err)
        assert named in r.err and len(r.err.strip().splitlines()) == 1, (args, r.err)
        assert dump(office) == before, args


def test_commune_cannot_fix_another_communes_finding_or_before_the_visit(sites, cli, tmp_path):
    office, c0, c1 = sites["office"], sites["c0"], sites["c1"]
    unit0 = sites["codes"][0]
    iid = _planned_with_issue(cli, office, unit0)
    usb_exchange(office, c0, tmp_path / "usb")
    # Commune 1 imports the same stick: the office's package for commune 0 is not for it.
    with AppContext(c1, auto_backup=False, today=TODAY) as ctx:
        sync.import_packages(ctx, sync.package_files([tmp_path / "usb"]), trust_new=True)
    before1, before0 = dump(c1), dump(c0)
    r = cli("inspections", "fix", iid, "--item", "D1.1-01", "--on", "20/11/2026", data=c1)
    assert r.code == 2 and iid[:4] in r.err
    r = cli("inspections", "fix", iid, "--item", "D1.1-01", "--on", "19/11/2026", data=c0)
    assert r.code == 2 and "19/11/2026" in r.err
    r = cli("inspections", "fix", iid, "--item", "D1.1-01", "--on", "21/11/2026", data=c0)
    assert r.code == 2 and "21/11/2026" in r.err  # the future
    r = cli("inspections", "plan", unit0, "--on", "20/11/2026", "--team", "A", data=c0)
    assert r.code == 2
    assert dump(c1) == before1 and dump(c0) == before0


def test_an_unfixed_issue_past_its_deadline_is_overdue(sites, cli, monkeypatch):
    office, unit = sites["office"], sites["codes"][0]
    _planned_with_issue(cli, office, unit)
    assert cli("inspections", "list", "--json", data=office).json()[0]["overdue_fixes"] == 0
    monkeypatch.setenv("PAPI_DESKTOP_TODAY", "2026-12-02")
    listed = cli("inspections", "list", "--json", data=office).json()
    assert listed[0]["overdue_fixes"] == 1 and listed[0]["fixed"] == 0


def test_implausible_inspection_dates_are_refused(sites, cli):
    office, unit = sites["office"], sites["codes"][0]
    before = dump(office)
    cases = [
        (("inspections", "plan", unit, "--on", "10/12/2026", "--team", "Lê B", "--year", "3000"),
         "Năm được kiểm tra 3000"),
        (("inspections", "plan", unit, "--on", "10/12/2030", "--team", "Lê B"),
         "còn hơn một năm nữa"),
    ]  # fmt: skip
    for args, words in cases:
        r = cli(*args, data=office)
        assert r.code == 2 and words in r.err, (args, r.err)
    assert dump(office) == before
    iid = _planned_with_issue(cli, office, unit)
    before = dump(office)
    r = cli("inspections", "record", iid, "--item", "D1.1-02", "--finding", "issue", "--note",
            "x", "--fix-by", "01/01/2040", data=office)  # fmt: skip
    assert r.code == 2 and "quá xa" in r.err, r.err
    assert dump(office) == before
