"""The "Chấm điểm" page: a commune scores criteria with a note and evidence through the
page (running totals per field and overall), a bad score shows the service's one line and
changes nothing, submitting locks and a return from the office unlocks it with the comment;
the office sees the communes ranked, appraises one criterion and returns a commune's year
from the page."""

from __future__ import annotations

from datetime import date

from papi_desktop.services import assess, assess_demo, assess_framework
from papi_desktop.services.context import AppContext
from tests.gui.conftest import pump

TODAY = date(2026, 11, 20)


def _type(entry, text):
    entry.delete(0, "end")
    entry.insert(0, text)


def test_commune_scores_through_the_page(gui_ctx, make_window, fake_dialogs, tmp_path):
    window = make_window(gui_ctx)
    shell = window.shell
    assert shell.open_page("assess")
    pump(shell)
    page = shell.pages["assess"]
    assert "Chưa có bộ tiêu chí" in page.message.cget("text")
    assert not page.tree.get_children()

    assess_framework.install_sample(gui_ctx)
    page.refresh()
    assert page.tree.get_children() == ("1", "2", "3", "4", "5", "6", "7")
    assert "MẪU THAM KHẢO" in page.sample_label.cget("text")

    page.tree.selection_set("1.1.1")
    pump(shell)
    assert "Hướng dẫn chấm" in page.guidance.cget("text")
    evidence = tmp_path / "quyet-dinh.pdf"
    evidence.write_bytes(b"%PDF-1.4 qd")
    fake_dialogs.answer("ask_open_files", [str(evidence)])
    page.add_evidence()
    _type(page.points, "1,5")
    _type(page.note, "Ban hành ngày 05/02")
    page.save()
    pump(shell)
    card = assess.list_items(gui_ctx, "PAR", 2026)
    item = next(i for i in card["items"] if i["code"] == "1.1.1")
    assert item["self_points"] == 1.5 and item["evidence"] == ["quyet-dinh.pdf"]
    assert item["note"] == "Ban hành ngày 05/02"
    # Running totals: the criterion, the field and the header.
    assert page.tree.set("1.1", "self") == "1,5" and page.tree.set("1", "self") == "1,5"
    assert "Tự chấm 1,5/100" in page.total_label.cget("text")

    before = list(gui_ctx.db.con.iterdump())
    page.tree.selection_set("1.2")
    pump(shell)
    _type(page.points, "3,5")
    page.save()
    assert "ngoài khoảng 0 đến 3" in fake_dialogs.messages("error")[-1]
    assert list(gui_ctx.db.con.iterdump()) == before

    # Submitting with criteria left unscored is refused; after scoring all it locks.
    fake_dialogs.answer("ask_yes_no", True)
    page.submit()
    assert "chưa tự chấm" in fake_dialogs.messages("error")[-1]
    assess_demo.self_score_all(gui_ctx, 2026, submit=False)
    fake_dialogs.answer("ask_yes_no", True)
    page.submit()
    assert assess.list_items(gui_ctx, "PAR", 2026)["state"] == "submitted"
    assert "đã gửi" in page.total_label.cget("text")
    assert str(page.save_button.cget("state")) == "disabled"
    assert str(page.submit_button.cget("state")) == "disabled"

    # The office returns the year (its row, as a USB package brings it): the page says so
    # with the comment and the commune can edit again.
    from papi_desktop.store import rows

    version = gui_ctx.db.scalar("SELECT version FROM assess_submission")
    with gui_ctx.db.transaction():
        rows.insert(gui_ctx.db, "assess_return", {"unit_code": gui_ctx.site.unit_code,
                    "index_name": "PAR", "year": 2026, "submission_version": version,
                    "comment": "Bổ sung minh chứng 1.2", "acted_at": "2026-11-20T09:00:00Z",
                    "acted_by": "Sở Nội vụ"}, owner_site="office-site")  # fmt: skip
    page.refresh()
    assert "trả lại" in page.message.cget("text")
    assert "Bổ sung minh chứng 1.2" in page.message.cget("text")
    assert str(page.save_button.cget("state")) == "normal"
    assert str(page.submit_button.cget("state")) == "normal"

    # The self-assessment report from the page, opened after saving.
    out = tmp_path / "tu-cham.xlsx"
    fake_dialogs.answer("ask_save_file", str(out))
    page.print_report()
    assert out.is_file() and ("open_path", str(out)) in fake_dialogs.calls


def test_office_ranks_and_appraises_through_the_page(tmp_path, make_window, fake_dialogs):
    assess_demo.build_season(tmp_path / "office", tmp_path / "work", communes=3,
                                   today=TODAY)  # fmt: skip
    ctx = AppContext(tmp_path / "office", auto_backup=False, today=TODAY)
    try:
        from papi_desktop.services import scores

        scores.add(ctx, 2025, total=84.37, rank=12, of_n=34, index="PAR INDEX")
        window = make_window(ctx)
        shell = window.shell
        assert shell.open_page("assess")
        pump(shell)
        page = shell.pages["assess"]
        res = assess.results(ctx, "PAR", 2026)
        assert "PAR INDEX của tỉnh năm 2025" in page.message.cget("text")
        assert "84,37 điểm, hạng 12/34" in page.message.cget("text")
        shown = page.result_tree.get_children()
        assert list(shown) == [c["unit"] for c in res["communes"]]
        first = res["communes"][0]
        assert page.result_tree.set(first["unit"], "rank") == "1"
        unit = res["communes"][-1]["unit"]
        page.result_tree.selection_set(unit)
        pump(shell)
        assert page.tree.get_children()
        page.tree.selection_set("1.2")
        pump(shell)
        _type(page.points, "0,5")
        _type(page.note, "Thiếu báo cáo quý II")
        page.save()
        pump(shell)
        card = assess.scorecard(ctx, unit, "PAR", 2026)
        item = next(i for i in card["items"] if i["code"] == "1.2")
        assert item["appraised_points"] == 0.5 and item["comment"] == "Thiếu báo cáo quý II"
        assert page.tree.set("1.2", "appraised") == "0,5"
        fake_dialogs.answer("ask_string", "Xem lại tiêu chí 1.2")
        page.reopen()
        pump(shell)
        assert page.result_tree.set(unit, "state") == assess.STATE_VI["returned"]
        assert assess.scorecard(ctx, unit, "PAR", 2026)["returned"]["comment"] == (
            "Xem lại tiêu chí 1.2"
        )
        out = tmp_path / "tham-dinh.docx"
        fake_dialogs.answer("ask_save_file", str(out))
        page.print_report()
        assert out.read_bytes().startswith(b"PK")
        out = tmp_path / "tham-dinh.pdf"
        fake_dialogs.answer("ask_save_file", str(out))
        page.print_report()
        assert out.read_bytes().startswith(b"%PDF")
    finally:
        ctx.close()
