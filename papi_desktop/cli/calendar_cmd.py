"""Days-off calendar commands: ``holidays list`` (with where each year's list came from and
how far the official days off go) and ``holidays import FILE.xlsx`` (a commune with no
office imports a year's notice; ``--dry-run`` shows what would change)."""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp
from papi_desktop.domain.dates import format_date
from papi_desktop.domain.labels import label


def register(sub: argparse._SubParsersAction) -> None:
    hol = sub.add_parser("holidays", help="lịch ngày nghỉ lễ, Tết, nghỉ bù").add_subparsers(
        dest="holidays_cmd", metavar="ACTION", required=True
    )
    p = hol.add_parser("list", help="các ngày nghỉ và nguồn của từng năm")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holidays_list)
    p = hol.add_parser("import", help="nạp danh sách ngày nghỉ từ tệp Excel .xlsx")
    p.add_argument("file", metavar="FILE.xlsx")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không lưu")
    p.add_argument(
        "--allow-remove", action="store_true",
        help="cho bỏ phần lớn ngày nghỉ của một năm (tệp là danh sách đầy đủ của năm đó)",
    )  # fmt: skip
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_holidays_import)


def _source(app: CliApp, s: str, version: str) -> str:
    if s == "catalog":
        return app.t(f"danh mục kèm phần mềm (bản {version})", f"app catalogue ({version})")
    if s == "user":
        return app.t("nhập tay", "entered by hand")
    return app.t(f"tệp {s[5:]}", f"file {s[5:]}")


def _who(app: CliApp, p: str) -> str:
    if p == "this PC":
        return app.t("máy này", "this PC")
    if p == "catalog":
        return app.t("phần mềm", "the app")
    return p


def _where(app: CliApp, v: dict) -> str:
    who = ", ".join(_who(app, p) for p in v["publishers"])
    src = ", ".join(_source(app, s, v["catalog_version"]) for s in v["sources"])
    when = format_date(_day(v["updated_at"])) if v["updated_at"] else ""
    return app.t(
        f"nguồn {src}; do {who} ban hành, cập nhật {when} ({v['updated_by'] or '—'})",
        f"source {src}; published by {who}, updated {when} ({v['updated_by'] or '—'})",
    )


def _day(text: str):
    from datetime import date

    return date.fromisoformat(text[:10])


def cmd_holidays_list(app: CliApp, args) -> int:
    from papi_desktop.services import catalogs, holidays_io

    ctx = app.context()
    versions = {v["year"]: v for v in holidays_io.calendar_versions(ctx)}
    years = [args.year] if args.year else sorted(versions)
    cal = ctx.calendar()
    if args.json:
        app.print_json(
            {
                "last_official_year": cal.last_year(),
                "horizon_note": cal.horizon_note(app.lang),
                "years": [
                    {**versions[y], "days_off": catalogs.list_holidays(ctx, y)}
                    for y in years
                    if y in versions
                ],
            }
        )
        return 0
    for y in years:
        v = versions.get(y)
        if v is None:
            app.out(app.t(f"Năm {y}: chưa có lịch ngày nghỉ.", f"{y}: no days off listed."))
            continue
        prov = app.t(" — TẠM TÍNH", " — PROVISIONAL") if v["provisional"] else ""
        app.out(f"{y}{prov}: {v['days']} {app.t('ngày', 'days')}; {_where(app, v)}")
        for h in catalogs.list_holidays(ctx, y):
            mark = app.t(" (tạm tính)", " (provisional)") if h["provisional"] else ""
            kind = label("holiday", h["kind"], app.lang)
            name = (h["name_en"] or h["name_vi"]) if app.lang == "en" else h["name_vi"]
            app.out(f"  {format_date(_day(h['day']))}  {kind:<24} {name}{mark}")
    app.warn(cal.horizon_note(app.lang))
    return 0


def cmd_holidays_import(app: CliApp, args) -> int:
    from papi_desktop.services import holidays_io

    ctx = app.context()
    report = holidays_io.import_holidays(
        ctx, Path(args.file), dry_run=args.dry_run, allow_remove=args.allow_remove
    )
    if args.json:
        app.print_json(report)
        return 0
    head = (
        app.t("Xem trước (chưa lưu)", "Dry run (nothing saved)")
        if args.dry_run
        else app.t("Đã nạp", "Imported")
    )
    app.out(f"{head}: {Path(args.file).name}")
    for year in report["per_year"]:
        counts = {k: len(year[k]) for k in ("added", "changed", "removed", "unchanged")}
        app.out(
            app.t(
                f"  Năm {year['year']}: thêm {counts['added']}, sửa {counts['changed']}, "
                f"bỏ {counts['removed']}, giữ nguyên {counts['unchanged']}.",
                f"  {year['year']}: added {counts['added']}, changed {counts['changed']}, "
                f"removed {counts['removed']}, unchanged {counts['unchanged']}.",
            )
        )
        for key, vi, en in (("added", "thêm", "add"), ("changed", "sửa", "change"),
                            ("removed", "bỏ", "remove")):  # fmt: skip
            for d in year[key]:
                app.out(f"    {app.t(vi, en)} {format_date(_day(d))}")
    app.out(
        app.t(
            "Các năm khác không thay đổi.",
            "Other years are unchanged.",
        )
    )
    return 0
