"""Index scores: seed 003 (Khánh Hòa PAPI 2022: 43.44 points, rank 16/61, top group; target
≥ 45.00 for 2023), validation, the quartile estimate of the group, Excel import (all or
nothing, errors with row numbers) and the CLI."""

from __future__ import annotations

import pytest

from papi_desktop.errors import UserError
from papi_desktop.services import scores


def test_seed_003_results_and_target(district_ctx):
    scores.add(district_ctx, 2022, total=43.44, rank=16, of_n=61,
               dimensions={"1": 5.31, "2": 5.12, "8": 3.9}, source="Kế hoạch 2023")  # fmt: skip
    scores.add(district_ctx, 2023, target=45.0)
    entries = scores.list_scores(district_ctx)
    e22, e23 = entries
    assert (e22["year"], e22["total"], e22["rank"], e22["of"]) == (2022, 43.44, 16, 61)
    assert e22["group"] == "high" and e22["group_estimated"] is True
    assert scores.weakest_dimensions(e22, 2) == [("8", 3.9), ("2", 5.12)]
    assert e23["target"] == 45.0 and e23["total"] is None and e23["target_met"] is None
    # Recording the 2023 result later keeps the target and compares with it.
    scores.add(district_ctx, 2023, total=44.1, rank=20, of_n=61, group="trung bình cao")
    e23 = scores.list_scores(district_ctx)[1]
    assert e23["target"] == 45.0 and e23["target_met"] is False
    assert e23["group"] == "high_avg" and e23["group_estimated"] is False
    assert e23["change"] == pytest.approx(0.66)


@pytest.mark.parametrize(
    "n, expected",
    [(63, [16, 16, 15, 16]), (61, [16, 15, 14, 16]), (34, [9, 8, 8, 9])],
)
def test_estimated_groups_are_quartiles(n, expected):
    groups = [scores.estimated_group(r, n) for r in range(1, n + 1)]
    assert [groups.count(g) for g in scores.GROUPS] == expected


def test_bad_input_is_refused(district_ctx, commune_ctx):
    with pytest.raises(UserError, match="8–80"):
        scores.add(district_ctx, 2024, total=95)
    with pytest.raises(UserError, match="1–10"):
        scores.add(district_ctx, 2024, total=45, dimensions={"3": 11})
    with pytest.raises(UserError, match="--of"):
        scores.add(district_ctx, 2024, total=45, rank=3)
    with pytest.raises(UserError, match="1–8"):
        scores.add(district_ctx, 2024, dimensions={"9": 5})
    with pytest.raises(UserError):
        scores.add(district_ctx, 2024)
    with pytest.raises(UserError):
        scores.add(commune_ctx, 2024, total=45)
    assert scores.list_scores(district_ctx) == []


def _sheet(path, rows):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Bảng kết quả chỉ số của tỉnh"])
    ws.append(["Chỉ số", "Năm", "Nội dung", "Điểm", "Thứ hạng", "Trên tổng số", "Nhóm",
               "Mục tiêu"])  # fmt: skip
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_excel_import_all_or_nothing(district_ctx, tmp_path):
    good = _sheet(tmp_path / "ok.xlsx", [
        ["PAPI", 2022, "Tổng hợp", "43,44", 16, 61, "Cao nhất", None],
        ["PAPI", 2022, "Chỉ số nội dung 1", 5.31, None, None, None, None],
        ["PAPI", 2023, "Tổng hợp", None, None, None, None, 45],
        ["PAR INDEX", 2023, "Tổng hợp", 86.5, 20, 63, None, None],
    ])  # fmt: skip
    dry = scores.import_scores(district_ctx, good, dry_run=True)
    assert (dry["new"], dry["rows"]) == (4, 4) and scores.list_scores(district_ctx) == []
    done = scores.import_scores(district_ctx, good)
    assert done["new"] == 4
    entries = {(e["index"], e["year"]): e for e in scores.list_scores(district_ctx)}
    assert entries[("PAPI", 2022)]["total"] == 43.44
    assert entries[("PAPI", 2022)]["dimensions"] == {"1": 5.31}
    assert entries[("PAPI", 2022)]["group"] == "high"
    assert entries[("PAR INDEX", 2023)]["rank"] == 20
    assert scores.import_scores(district_ctx, good)["same"] == 4

    bad = _sheet(tmp_path / "bad.xlsx", [
        ["PAPI", 2024, "Tổng hợp", 44.0, None, None, None, None],
        ["PAPI", 2024, "Chỉ số nội dung 9", 5, None, None, None, None],
        ["PAPI", 2024, "Tổng hợp", 99, None, None, None, None],
        ["PAPI", "hai nghìn", "Tổng hợp", 40, None, None, None, None],
    ])  # fmt: skip
    before = list(district_ctx.db.con.iterdump())
    with pytest.raises(UserError) as err:
        scores.import_scores(district_ctx, bad)
    msg = err.value.message("vi")
    assert "Dòng 4" in msg and "Dòng 5" in msg and "Dòng 6" in msg
    assert list(district_ctx.db.con.iterdump()) == before
    with pytest.raises(UserError, match=r"\.xlsx"):
        scores.import_scores(district_ctx, tmp_path / "x.xls")


def test_scores_cli(district_ctx, cli):
    folder = district_ctx.paths.root
    district_ctx.close()
    r = cli("scores", "add", "--year", "2022", "--total", "43.44", "--rank", "16", "--of", "61",
            "--dimension", "2", "--score", "5.12", data=folder)  # fmt: skip
    assert r.code == 0, r.err
    r = cli("scores", "add", "--year", "2023", "--target", "45", data=folder)
    assert r.code == 0, r.err
    r = cli("scores", "add", "--year", "2023", "--dimension", "2", data=folder)
    assert r.code == 2
    r = cli("scores", "list", "--json", data=folder)
    got = r.json()
    assert [(e["year"], e["total"], e["target"]) for e in got] == [(2022, 43.44, None),
                                                                    (2023, None, 45.0)]  # fmt: skip
    r = cli("scores", "list", data=folder)
    assert "43.44" in r.out and "16/61" in r.out and "45.00" in r.out
