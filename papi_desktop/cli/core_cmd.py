"""Core commands: init, demo, units, places, tasks, disclosures, backup, restore, check."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from papi_desktop.cli import CliApp
from papi_desktop.domain.dates import format_date, parse_date

INDEX_HELP = "chỉ số có bộ khung nhiệm vụ (mặc định PAPI)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="thiết lập máy: xã/phường hoặc cơ quan giám sát")
    p.add_argument("--role", required=True, choices=("commune", "district"))
    p.add_argument("--unit-code", help="mã xã/phường (5 chữ số)")
    p.add_argument("--unit-name", help="tên cơ quan giám sát")
    p.add_argument("--province-code", help="mã tỉnh (2 chữ số)")
    p.add_argument("--user", help="họ tên người dùng")
    p.add_argument("--supervisor-label", help="tên cơ quan giám sát hiển thị, vd. Sở Nội vụ tỉnh …")
    p.add_argument(
        "--tracking-from", metavar="DATE", help="ngày bắt đầu theo dõi (mặc định: hôm nay)"
    )
    p.set_defaults(func=cmd_init)

    p = sub.add_parser(
        "demo", help="thiết lập thư mục dữ liệu trống làm bản mẫu (không dùng cho dữ liệu thật)"
    )
    p.add_argument(
        "--role", choices=("commune", "district"), default="commune", help="vai trò của bản mẫu"
    )
    p.add_argument("--communes", type=int, default=30, help="số xã mẫu (máy cơ quan giám sát)")
    p.add_argument("--years", type=int, default=1, help="số năm dữ liệu mẫu")
    p.set_defaults(func=cmd_demo)

    units = sub.add_parser("units", help="danh mục đơn vị hành chính").add_subparsers(
        dest="units_cmd", metavar="ACTION", required=True
    )
    p = units.add_parser("search", help="tìm xã/phường (không cần dấu)")
    p.add_argument("text", nargs="+")
    p.add_argument("--limit", type=int, default=20)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units_search)
    p = units.add_parser("provinces", help="danh sách tỉnh/thành phố và mã tỉnh")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_units_provinces)
    p = units.add_parser("import", help="nạp danh mục hành chính mới hơn từ tệp (.json/.csv/.xlsx)")
    p.add_argument("file")
    p.add_argument("--version", dest="list_version")
    p.set_defaults(func=cmd_units_import)

    places = sub.add_parser("places", help="thôn, tổ dân phố và địa điểm niêm yết").add_subparsers(
        dest="places_cmd", metavar="ACTION", required=True
    )
    p = places.add_parser("list")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_places_list)
    p = places.add_parser("add")
    p.add_argument("names", nargs="+")
    p.set_defaults(func=cmd_places_add)

    tasks = sub.add_parser("tasks", help="nhiệm vụ PAPI").add_subparsers(
        dest="tasks_cmd", metavar="ACTION", required=True
    )
    p = tasks.add_parser("list", help="danh sách nhiệm vụ theo kỳ")
    p.add_argument("--year", type=int)
    p.add_argument("--status", choices=("todo", "doing", "review", "done"))
    p.add_argument("--dimension")
    p.add_argument("--unit")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--index", help=INDEX_HELP)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_tasks_list)
    p = tasks.add_parser("set", help="cập nhật kết quả một nhiệm vụ")
    p.add_argument("code")
    p.add_argument("--period", required=True)
    p.add_argument("--status", required=True, choices=("todo", "doing", "review", "done"))
    p.add_argument("--result", choices=("met", "partial", "not_met", "na", "unassessed"))
    p.add_argument("--done-on")
    p.add_argument("--note")
    p.add_argument("--follow-up", action="store_true", default=None)
    p.add_argument("--evidence", action="append", default=[], metavar="FILE")
    p.add_argument("--index", help=INDEX_HELP)
    p.set_defaults(func=cmd_tasks_set)

    dis = sub.add_parser("disclosures", help="sổ theo dõi công khai").add_subparsers(
        dest="dis_cmd", metavar="ACTION", required=True
    )
    p = dis.add_parser("types", help="danh mục loại công khai")
    p.add_argument("--year", type=int, help="in kèm hạn trong kế hoạch năm (mặc định: năm nay)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dis_types)
    p = dis.add_parser("add", help="ghi một nội dung công khai")
    p.add_argument("--type", required=True, dest="type_code")
    p.add_argument("--title", required=True)
    p.add_argument("--trigger-date")
    p.add_argument("--decision-no")
    p.add_argument("--decision-date")
    p.add_argument("--period", help="kỳ của nghĩa vụ, ví dụ 2026 hoặc 2026Q1")
    p.add_argument("--place", action="append", default=[], metavar="NAME",
                   help="địa điểm đã có trong danh sách thôn, tổ dân phố")  # fmt: skip
    p.add_argument("--new-place", action="append", default=[], metavar="NAME",
                   help="thêm địa điểm mới vào danh sách (có chủ ý)")  # fmt: skip
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dis_add)
    for action, helptext in (("post", "ghi ngày niêm yết"), ("end", "ghi ngày kết thúc niêm yết")):
        p = dis.add_parser(action, help=helptext)
        p.add_argument("id")
        # repeat --place to record one date for several places at once (all or none)
        if action == "post":
            where = p.add_mutually_exclusive_group(required=True)
            where.add_argument("--place", action="append", metavar="NAME")
            where.add_argument("--new-place", metavar="NAME",
                               help="niêm yết tại địa điểm mới và thêm nó vào danh sách")  # fmt: skip
        else:
            p.add_argument("--place", required=True, action="append", metavar="NAME")
        p.add_argument("--on", required=True)
        p.set_defaults(func=cmd_dis_post if action == "post" else cmd_dis_end)
    p = dis.add_parser("undo", help="bỏ ngày niêm yết / ngày gỡ ghi nhầm (có lưu lịch sử)")
    p.add_argument("id")
    p.add_argument("--place", required=True)
    p.add_argument("--record", required=True, choices=["post", "end"])
    p.set_defaults(func=cmd_dis_undo)
    p = dis.add_parser("correct", help="sửa ngày niêm yết / ngày gỡ ghi nhầm (có lưu lịch sử)")
    p.add_argument("id")
    p.add_argument("--place", required=True)
    p.add_argument("--record", required=True, choices=["post", "end"])
    p.add_argument("--on", required=True)
    p.set_defaults(func=cmd_dis_correct)
    p = dis.add_parser("list", help="danh sách nội dung công khai")
    p.add_argument("--due-within", type=int, metavar="DAYS")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dis_list)
    p = dis.add_parser("plan", help="kế hoạch công khai của năm")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_dis_plan)

    settings = sub.add_parser(
        "settings", help="người ký, người liên hệ, cách tính ngày"
    ).add_subparsers(dest="settings_cmd", metavar="ACTION", required=True)
    p = settings.add_parser("show", help="xem các mục cài đặt")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_settings_show)
    p = settings.add_parser("set", help="đổi một mục cài đặt")
    p.add_argument("key")
    p.add_argument("value")
    p.set_defaults(func=cmd_settings_set)

    p = sub.add_parser("backup", help="sao lưu dữ liệu")
    p.add_argument("--to", metavar="FILE")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="khôi phục từ bản sao lưu")
    p.add_argument("file")
    p.set_defaults(func=cmd_restore)
    p = sub.add_parser("check", help="kiểm tra toàn vẹn dữ liệu")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_check)


# -- handlers ---------------------------------------------------------------


def cmd_init(app: CliApp, args) -> int:
    from papi_desktop.config import resolve_data_dir
    from papi_desktop.services import setup

    tracking_from = parse_date(args.tracking_from) if args.tracking_from else None
    # A refused setup leaves the folder as it was: no database, no empty sub-folders.
    with setup.undone_on_failure(resolve_data_dir(args.data_dir), app.close):
        ctx = app.context(auto_backup=False, create=True)
        site = setup.init_site(
            ctx,
            args.role,
            unit_code=args.unit_code,
            unit_name=args.unit_name,
            province_code=args.province_code,
            user=args.user,
            supervisor_label=args.supervisor_label,
            tracking_from=tracking_from,
        )
    app.out(
        app.t(
            f"Đã thiết lập: {site.unit_name} ({'xã/phường' if site.is_commune else 'cơ quan giám sát'}).",
            f"Set up: {site.unit_name} ({site.role}).",
        )
    )
    app.out(app.t(f"Thư mục dữ liệu: {ctx.paths.root}", f"Data folder: {ctx.paths.root}"))
    return 0


def cmd_demo(app: CliApp, args) -> int:
    from papi_desktop.services import demo

    demo.check_sizes(args.communes, args.years)
    ctx = app.context(auto_backup=False, create=True)
    demo.refuse_real_folder(ctx)
    summary = demo.setup_demo(ctx, args.role, communes=args.communes, years=args.years)
    app.out(app.t(summary["message_vi"], summary["message_en"]))
    return 0


def cmd_units_search(app: CliApp, args) -> int:
    from papi_desktop.services import units

    # The official list is needed to find the code for ``init``: this may create the database.
    ctx = app.context(auto_backup=False, create=True)
    found = units.search_units(ctx, " ".join(args.text), args.limit)
    if args.json:
        app.print_json(found)
        return 0
    if not found:
        app.out(app.t("Không tìm thấy xã/phường nào.", "No commune found."))
        return 0
    for u in found:
        app.out(f"{u['code']}  {u['name']}, {u['province_name']}")
    return 0


def cmd_units_provinces(app: CliApp, args) -> int:
    from papi_desktop.services import units

    found = units.provinces(app.context(auto_backup=False))
    if args.json:
        app.print_json(found)
        return 0
    for p in found:
        app.out(f"{p['code']}  {p['name']}")
    return 0


def cmd_units_import(app: CliApp, args) -> int:
    from papi_desktop.catalog.admin_units import parse_unit_list_file
    from papi_desktop.catalog.loaders import load_admin_units

    units = parse_unit_list_file(Path(args.file), version=args.list_version)
    ctx = app.context(create=True)  # a newer list may be loaded before ``init``
    with ctx.db.transaction():
        n = load_admin_units(ctx.db, units)
    app.out(
        app.t(
            f"Đã nạp danh mục hành chính phiên bản {units.version}: {len(units.provinces)} tỉnh, {n} xã/phường.",
            f"Loaded unit list {units.version}: {len(units.provinces)} provinces, {n} communes.",
        )
    )
    return 0


def cmd_places_list(app: CliApp, args) -> int:
    from papi_desktop.services import units

    places = units.list_places(app.context())
    if args.json:
        app.print_json([{"name": p["name"], "kind": p["kind"]} for p in places])
    else:
        for p in places:
            app.out(p["name"])
    return 0


def cmd_places_add(app: CliApp, args) -> int:
    from papi_desktop.services import units

    results = units.add_places(app.context(), args.names)
    added = [name for name, is_new in results if is_new]
    existing = [name for name, is_new in results if not is_new]
    if added:
        app.out(app.t("Đã thêm: ", "Added: ") + ", ".join(added))
    if existing:
        app.out(app.t("Đã có sẵn, không thêm lại: ", "Already there: ") + ", ".join(existing))
    return 0


def cmd_tasks_list(app: CliApp, args) -> int:
    from papi_desktop.services import tasks

    ctx = app.context()
    found = tasks.list_results(
        ctx,
        year=args.year,
        status=args.status,
        dimension=args.dimension,
        unit=args.unit,
        overdue_only=args.overdue,
        index=tasks.check_index(ctx, args.index),
    )
    if args.json:
        keys = ("code", "title", "dimension", "criteria", "period", "status", "result", "due",
                "overdue", "unit", "done_on", "note", "framework_version", "disclosure_type",
                "before_tracking", "provisional", "index")  # fmt: skip
        app.print_json([{k: r[k] for k in keys} for r in found])
        return 0
    if not found:
        app.out(app.t("Không có nhiệm vụ nào khớp điều kiện lọc.", "No task matches."))
        return 0
    for r in found:
        flag = app.t(" QUÁ HẠN", " OVERDUE") if r["overdue"] else ""
        if r["before_tracking"]:
            flag = app.t(" (trước khi theo dõi)", " (before tracking)")
        if r["provisional"]:
            flag += app.t(" [lịch nghỉ tạm tính]", " [provisional calendar]")
        app.out(
            f"{r['unit']}  {r['code']:<9} {r['period']:<8} {tasks.status_label(r['status'], app.lang):<14}"
            f" {app.t('hạn', 'due')} {format_date_iso(r['due'])}{flag}  {r['title'][:70]}"
        )
    return 0


def format_date_iso(text: str | None) -> str:
    from datetime import date

    return format_date(date.fromisoformat(text)) if text else ""


def cmd_tasks_set(app: CliApp, args) -> int:
    from papi_desktop.services import review, tasks

    ctx = app.context()
    index = tasks.check_index(ctx, args.index)
    unit, level = tasks.own_unit(ctx)
    notice = review.edit_after_submit_notice(ctx, unit, args.period) if level == "commune" else None
    tasks.set_result(
        ctx,
        args.code,
        args.period,
        status=args.status,
        result=args.result,
        done_on=args.done_on,
        note=args.note,
        follow_up=args.follow_up,
        evidence=[Path(f) for f in args.evidence],
        index=index,
    )
    app.out(app.t(f"Đã lưu {args.code} kỳ {args.period}.", f"Saved {args.code} for {args.period}."))
    if notice:
        app.warn(app.t(*notice))
    return 0


def cmd_dis_types(app: CliApp, args) -> int:
    from papi_desktop.services import catalogs, disclosures

    ctx = app.context()
    types = disclosures.list_types(ctx)
    year = args.year or ctx.today().year
    dated: dict[str, list] = {}
    for o in disclosures.plan_obligations(ctx, year):
        dated.setdefault(o.type_code, []).append(o)
    if args.json:
        keys = ("code", "name_vi", "name_en", "legal_basis", "deadline_days", "deadline_unit",
                "deadline_direction", "period_days", "period_unit", "confidence",
                "confidence_note_vi", "places", "forms", "loudspeaker_days")  # fmt: skip
        out = []
        for t in types:
            row = {k: t[k] for k in keys}
            row["plan"] = [
                {"period": o.period_code, "obligation_period": str(o.period),
                 "due": o.due.isoformat(), "estimated": o.estimated, "provisional": o.provisional,
                 "basis": o.basis, "confidence": o.confidence, "label_vi": o.label_vi}
                for o in dated.get(t["code"], [])
            ]  # fmt: skip
            out.append(row)
        app.print_json(out)
        return 0
    origin = catalogs.catalogue_origin(ctx, "disclosure_type", "disclosure-types")
    who = ", ".join(
        {"this PC": app.t("máy này", "this PC"), "catalog": app.t("phần mềm", "the app")}.get(p, p)
        for p in origin["publishers"]
    )
    app.warn(
        app.t(
            f"Danh mục loại công khai: bản {origin['catalog_version']} kèm phần mềm; do {who}"
            f" ban hành; sửa lần cuối {format_date_iso(origin['updated_at'][:10])}"
            f" ({origin['updated_by'] or '—'}).",
            f"Disclosure types: app catalogue {origin['catalog_version']}; published by {who};"
            f" last changed {format_date_iso(origin['updated_at'][:10])}"
            f" ({origin['updated_by'] or '—'}).",
        )
    )
    for t in types:
        period = (
            app.t("thường xuyên", "permanent")
            if t["period_unit"] == "permanent"
            else f"{t['period_days']} {app.t('ngày làm việc', 'working days') if t['period_unit'] == 'working' else app.t('ngày', 'days')}"
        )
        app.out(f"{t['code']:<22} [{t['confidence']}] {t['name_vi']} — {period}")
        for o in dated.get(t["code"], []):
            est = app.t(" (dự kiến)", " (expected)") if o.estimated else ""
            prov = (
                app.t(" [lịch nghỉ tạm tính]", " [provisional calendar]") if o.provisional else ""
            )
            app.out(
                f"{'':<22}   {app.t('kỳ', 'period')} {o.period}: {app.t('hạn', 'due')}"
                f" {format_date(o.due)}{est}{prov} [{o.confidence}]"
            )
    return 0


def cmd_dis_add(app: CliApp, args) -> int:
    from papi_desktop.services import disclosures, units

    ctx = app.context()
    site = ctx.require_site("commune")
    new_places = [p for p in args.new_place if units.find_place(ctx, site.unit_code, p) is None]
    did = disclosures.add(
        ctx,
        args.type_code,
        args.title,
        trigger_date=args.trigger_date,
        decision_no=args.decision_no,
        decision_date=args.decision_date,
        places=args.place or None,
        new_places=args.new_place or None,
        period=args.period,
    )
    item = disclosures.get_item(ctx, did)
    if args.json:
        app.print_json(item)
    else:
        app.out(did)  # the id alone on standard output, for scripts
        # What the official needs to know goes to the terminal, not into the captured id.
        app.warn(app.t(item["deadline_explain_vi"], item["deadline_explain_en"]))
    for name in new_places:
        _warn_new_place(app, ctx, site.unit_code, name)
    return 0


def _warn_new_place(app: CliApp, ctx, unit_code: str, name: str) -> None:
    app.warn(
        app.t(
            f"Lưu ý: đã thêm địa điểm mới “{name}” vào danh sách thôn, tổ dân phố.",
            f"Note: the new place “{name}” was added to the list of villages.",
        )
    )


def cmd_dis_post(app: CliApp, args) -> int:
    from papi_desktop.services import postings

    ctx = app.context()
    if args.new_place is not None:
        done = postings.record_postings(ctx, args.id, [args.new_place], args.on, new_place=True)
    else:
        done = postings.record_postings(ctx, args.id, args.place, args.on)
    for res in done:
        _said_posting(app, ctx, res)
    return 0


def _said_posting(app: CliApp, ctx: Any, res: dict[str, Any]) -> None:
    if res["new_place"]:
        _warn_new_place(app, ctx, ctx.require_site().unit_code, res["place"])
    if res["repost"]:
        prev = res["repost"]
        app.warn(
            app.t(
                f"Niêm yết lại tại {res['place']}: lần trước từ {format_date_iso(prev['posted_on'])}"
                + (
                    f" (gỡ ngày {format_date_iso(prev['taken_down_on'])})"
                    if prev["taken_down_on"]
                    else ""
                )
                + "; thời gian niêm yết được tính lại từ ngày mới, lần trước vẫn lưu trong lịch sử.",
                f"Re-posted at {res['place']}: previously from {format_date_iso(prev['posted_on'])}"
                + (
                    f" (taken down {format_date_iso(prev['taken_down_on'])})"
                    if prev["taken_down_on"]
                    else ""
                )
                + "; the period counts again from the new date, the earlier one stays in the history.",
            )
        )
    if res["ends_on"]:
        app.out(
            app.t(
                f"Đã ghi niêm yết tại {res['place']} ngày {format_date(res['posted_on'])}; "
                f"niêm yết đến hết ngày {format_date(res['ends_on'])}. {res['explain_vi']}",
                f"Posted at {res['place']} on {format_date(res['posted_on'])}; "
                f"keep it up until {format_date(res['ends_on'])}. {res['explain_en']}",
            )
        )
    else:
        app.out(app.t(f"Đã ghi niêm yết tại {res['place']}. {res['explain_vi']}",
                      f"Posted at {res['place']}. {res['explain_en']}"))  # fmt: skip


def cmd_dis_end(app: CliApp, args) -> int:
    from papi_desktop.services import postings

    for res in postings.record_takedowns(app.context(), args.id, args.place, args.on):
        _said_takedown(app, res)
    return 0


def cmd_dis_undo(app: CliApp, args) -> int:
    from papi_desktop.services import postings

    res = postings.undo_record(app.context(), args.id, args.place, args.record)
    now = res["now"]
    if args.record == "end":
        said = app.t(
            f"Đã bỏ ngày gỡ / kết thúc tại {res['place']}; nội dung lại đang niêm yết.",
            f"Take-down at {res['place']} undone; the item is posted again.",
        )
    elif now.get("posted_on"):
        said = app.t(
            f"Đã bỏ lần niêm yết lại tại {res['place']}; trở về lần niêm yết ngày "
            f"{format_date_iso(now['posted_on'])}.",
            f"Re-posting at {res['place']} undone; back to the posting of "
            f"{format_date_iso(now['posted_on'])}.",
        )
    else:
        said = app.t(
            f"Đã bỏ ngày niêm yết tại {res['place']}; nơi này chưa niêm yết.",
            f"Posting at {res['place']} undone; the place is not posted.",
        )
    app.out(said + app.t(" Thay đổi được lưu trong lịch sử.", " The change is in the history."))
    return 0


def cmd_dis_correct(app: CliApp, args) -> int:
    from papi_desktop.services import postings

    res = postings.correct_record(app.context(), args.id, args.place, args.record, args.on)
    what = (
        app.t("ngày niêm yết", "posting date")
        if args.record == "post"
        else app.t("ngày gỡ / kết thúc", "take-down date")
    )
    app.out(
        app.t(
            f"Đã sửa {what} tại {res['place']} thành {format_date(res['on'])}; thay đổi được "
            "lưu trong lịch sử.",
            f"{what.capitalize()} at {res['place']} corrected to {format_date(res['on'])}; "
            "the change is in the history.",
        )
    )
    return 0


def _said_takedown(app: CliApp, res: dict[str, Any]) -> None:
    app.out(
        app.t(
            f"Đã ghi kết thúc niêm yết tại {res['place']}.",
            f"End of posting recorded at {res['place']}.",
        )
    )
    if res["early"]:
        app.warn(
            app.t(
                f"Cảnh báo: gỡ trước ngày hết hạn niêm yết ({format_date(res['ends_on'])}).",
                f"Warning: taken down before the legal end ({format_date(res['ends_on'])}).",
            )
        )


def cmd_dis_list(app: CliApp, args) -> int:
    from papi_desktop.services import disclosures

    items = disclosures.list_items(app.context(), due_within=args.due_within)
    if args.json:
        app.print_json([_disclosure_json(i) for i in items])
        return 0
    if not items:
        app.out(app.t("Chưa có nội dung công khai nào.", "No disclosure items."))
    for i in items:
        label = disclosures.ITEM_STATE_LABELS[i["status"]][app.lang]
        deadline = ""
        if i["status"] in ("to_post", "overdue_post") and i["post_deadline"]:
            deadline = app.t(" — hạn niêm yết ", " — post by ") + format_date_iso(
                i["post_deadline"]
            )
        app.out(f"{i['id'][:8]}  {label:<28} {i['title']}{deadline}")
        for p in i["places"]:
            app.out(
                f"          - {p['place']}: "
                + (app.t("niêm yết ", "posted ") + format_date_iso(p["posted_on"]) if p["posted_on"] else app.t("chưa niêm yết", "not posted"))
                + (app.t(" → hết hạn ", " → ends ") + format_date_iso(p["ends_on"]) if p["ends_on"] else "")
            )  # fmt: skip
    return 0


def cmd_dis_plan(app: CliApp, args) -> int:
    from papi_desktop.domain.labels import label
    from papi_desktop.services import disclosures

    ctx = app.context()
    plan = disclosures.list_plan(ctx, args.year)
    if args.json:
        app.print_json(plan)
        return 0
    for p in plan:
        est = app.t(" (dự kiến)", " (expected)") if p["estimated"] else ""
        prov = app.t(" [lịch nghỉ tạm tính]", " [provisional calendar]") if p["provisional"] else ""
        app.out(
            f"{format_date_iso(p['due'])}{est}{prov}  {label('plan', p['state'], app.lang):<26}"
            f" {p['label'] if app.lang == 'vi' else p['label_en']} ({p['type']}, {p['obligation_period']})"
        )
        basis = (
            f" — {app.t('căn cứ', 'basis')}: {p['basis']} [{p['confidence']}]" if p["basis"] else ""
        )
        app.out("            " + app.t(p["reason_vi"], p["reason_en"]) + basis)
    if any(p["provisional"] for p in plan):
        app.warn(ctx.calendar().horizon_note(app.lang))
    return 0


def cmd_backup(app: CliApp, args) -> int:
    from papi_desktop.services import maintenance

    path = maintenance.backup(app.context(auto_backup=False), Path(args.to) if args.to else None)
    app.out(app.t(f"Đã sao lưu vào {path}", f"Backed up to {path}"))
    return 0


def cmd_restore(app: CliApp, args) -> int:
    from papi_desktop.services import maintenance

    safety = maintenance.restore(args.data_dir, Path(args.file))
    app.out(app.t(f"Đã khôi phục từ {args.file}.", f"Restored from {args.file}."))
    if safety:
        app.out(app.t(f"Bản dữ liệu trước khi khôi phục được giữ tại {safety}",
                      f"The previous data was kept at {safety}"))  # fmt: skip
    return 0


def cmd_check(app: CliApp, args) -> int:
    from papi_desktop.errors import StorageError
    from papi_desktop.services import maintenance

    try:
        report = maintenance.check(app.context(auto_backup=False))
    except StorageError as exc:
        if exc.kind != "corrupt":
            raise
        report = maintenance.damaged_report(args.data_dir, exc)  # too damaged to open
    if args.json:
        app.print_json(report)
    else:
        app.out(maintenance.describe_check(report, app.lang))
    return 0 if report["ok"] else 1


def _disclosure_json(item: dict) -> dict:
    keys = ("id", "type", "title", "unit", "trigger_date", "period", "post_deadline",
            "legal_deadline", "status", "posted_late", "provisional")  # fmt: skip
    place_keys = ("place", "posted_on", "ends_on", "taken_down_on", "state", "judgement")
    out = {k: item[k] for k in keys}
    out["places"] = [{k: p[k] for k in place_keys} for p in item["places"]]
    return out


def cmd_settings_show(app: CliApp, args) -> int:
    from papi_desktop.services import catalogs

    values = catalogs.list_settings(app.context())
    if args.json:
        app.print_json(values)
        return 0
    from papi_desktop.services.formatting import iso_to_text

    for key, (vi, en) in catalogs.SETTINGS.items():
        value = values[key]
        if key.endswith("_from") or key.endswith("_on"):
            value = iso_to_text(value)  # dates read as dd/mm/yyyy, as they are typed
        app.out(f"{key:<24} = {value or '—'}   ({app.t(vi, en)})")
    return 0


def cmd_settings_set(app: CliApp, args) -> int:
    from papi_desktop.services import catalogs

    catalogs.change_setting(app.context(), args.key, args.value)
    app.out(app.t(f"Đã lưu {args.key}.", f"Saved {args.key}."))
    return 0
