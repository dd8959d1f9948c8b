"""Inspection visits: plan, checklist, record, close, list (office) and fix (commune).

``report inspection-minutes ID -o FILE.pdf|FILE.docx`` is added to the ``report`` group here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp
from papi_desktop.services.formatting import iso_to_text


def _report_group(sub: argparse._SubParsersAction) -> argparse._SubParsersAction:
    from papi_desktop.cli.district_cmd import _group

    return _group(sub, "report", "in tài liệu và báo cáo", "report_cmd")


def register(sub: argparse._SubParsersAction) -> None:
    ins = sub.add_parser("inspections", help="kiểm tra việc thực hiện tại xã/phường")
    act = ins.add_subparsers(dest="inspections_cmd", metavar="ACTION", required=True)
    p = act.add_parser("plan", help="(cơ quan giám sát) lên kế hoạch một đợt kiểm tra")
    p.add_argument("unit", metavar="UNIT_CODE")
    p.add_argument("--on", required=True, metavar="DATE", help="ngày kiểm tra")
    p.add_argument("--team", required=True, help='"Họ tên; Họ tên" (người đầu là trưởng đoàn)')
    p.add_argument("--scope", default="tasks,disclosures", help="tasks,disclosures")
    p.add_argument("--year", type=int, help="năm được kiểm tra (mặc định: năm của ngày kiểm tra)")
    p.set_defaults(func=cmd_plan)
    p = act.add_parser("checklist", help="in phiếu kiểm tra điền sẵn từ gói USB của xã")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.docx")
    p.set_defaults(func=cmd_checklist)
    p = act.add_parser("record", help="ghi kết quả kiểm tra một mục")
    p.add_argument("id", metavar="ID")
    p.add_argument("--item", required=True, metavar="CODE", help="D1.1-01@2026 hoặc CK:1a2b3c4d")
    p.add_argument("--finding", required=True, choices=("ok", "issue", "not_seen"))
    p.add_argument("--note")
    p.add_argument("--fix-by", metavar="DATE")
    p.set_defaults(func=cmd_record)
    p = act.add_parser("close", help="kết thúc đợt kiểm tra")
    p.add_argument("id", metavar="ID")
    p.add_argument("--on", metavar="DATE")
    p.add_argument("--reps", help='đại diện xã: "Họ tên - chức vụ; …"')
    p.add_argument("--conclusion")
    p.set_defaults(func=cmd_close)
    p = act.add_parser("list", help="các đợt kiểm tra")
    p.add_argument("--unit", metavar="UNIT_CODE")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = act.add_parser("fix", help="(xã) ghi đã khắc phục một tồn tại")
    p.add_argument("id", metavar="ID")
    p.add_argument("--item", required=True, metavar="CODE")
    p.add_argument("--on", required=True, metavar="DATE")
    p.add_argument("--note")
    p.add_argument("--evidence", action="append", default=[], metavar="FILE")
    p.set_defaults(func=cmd_fix)

    rep = _report_group(sub)
    p = rep.add_parser("inspection-minutes", help="(cơ quan giám sát) biên bản kiểm tra")
    p.add_argument("id", metavar="ID")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.docx")
    p.set_defaults(func=cmd_minutes)


def cmd_plan(app: CliApp, args) -> int:
    from papi_desktop.services import inspections

    rid = inspections.plan(app.context(), args.unit, args.on, args.team, args.scope, year=args.year)
    app.out(rid)
    return 0


def cmd_checklist(app: CliApp, args) -> int:
    from papi_desktop.services import inspection_documents, inspections

    ctx = app.context()
    data = inspections.checklist(ctx, args.id)
    path = inspection_documents.write_checklist(ctx, args.id, Path(args.output))
    if data["warning"]:
        app.warn(app.t("Lưu ý: ", "Note: ") + data["warning"][app.lang])
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0


def cmd_record(app: CliApp, args) -> int:
    from papi_desktop.services import inspections

    f = inspections.record(app.context(), args.id, args.item, args.finding, args.note, args.fix_by)
    label = inspections.FINDING_LABELS[f["finding"]][app.lang]
    app.out(app.t(f"Đã ghi {f['item']}: {label}", f"Recorded {f['item']}: {label}"))
    return 0


def cmd_close(app: CliApp, args) -> int:
    from papi_desktop.services import inspections

    insp = inspections.close(app.context(), args.id, on=args.on, commune_reps=args.reps,
                             conclusion=args.conclusion)  # fmt: skip
    closed = iso_to_text(insp["closed_on"])
    app.out(
        app.t(
            f"Đã kết thúc đợt kiểm tra ngày {closed}. In biên bản: "
            f"papi-desktop report inspection-minutes {insp['id'][:8]} -o bien-ban.pdf",
            f"Closed on {closed}. Print the minutes: "
            f"papi-desktop report inspection-minutes {insp['id'][:8]} -o minutes.pdf",
        )
    )
    return 0


def cmd_list(app: CliApp, args) -> int:
    from papi_desktop.services import inspections

    found = inspections.list_inspections(app.context(), args.unit)
    if args.json:
        app.print_json(found)
        return 0
    if not found:
        app.out(app.t("Chưa có đợt kiểm tra nào.", "No inspection yet."))
        return 0
    for i in found:
        state = inspections.STATE_LABELS[i["state"]][app.lang]
        app.out(
            f"{i['id'][:8]}  {iso_to_text(i['on'])}  {i['unit']} {i['name']}  {state}  "
            + app.t(
                f"tồn tại {i['issues']}, đã khắc phục {i['fixed']}, quá hạn {i['overdue_fixes']}",
                f"issues {i['issues']}, fixed {i['fixed']}, overdue {i['overdue_fixes']}",
            )
        )
        for f in i.get("findings", []):
            if f["finding"] == "issue":
                done = (
                    app.t("đã khắc phục ", "fixed ") + iso_to_text(f["fixed_on"])
                    if f["fixed_on"]
                    else app.t("chưa khắc phục", "not fixed")
                )
                due = iso_to_text(f["fix_by"]) or "—"
                app.out(f"    {f['item']}: {f['note']} ({app.t('hạn', 'fix by')} {due}; {done})")
    return 0


def cmd_fix(app: CliApp, args) -> int:
    from papi_desktop.services import inspections

    f = inspections.fix(
        app.context(), args.id, args.item, args.on, args.note, [Path(e) for e in args.evidence]
    )
    on = iso_to_text(f["fixed_on"])
    app.out(app.t(f"Đã ghi khắc phục {f['item']} ngày {on}.",
                  f"Recorded the fix of {f['item']} on {on}."))  # fmt: skip
    return 0


def cmd_minutes(app: CliApp, args) -> int:
    from papi_desktop.services import inspection_documents

    path = inspection_documents.write_minutes(app.context(), args.id, Path(args.output))
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0
