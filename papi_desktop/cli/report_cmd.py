"""Printing and Excel commands: ``report …`` (posting notice, minutes, register, framework
sheet, checklists, progress report) and ``framework template|export|import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp


def register(sub: argparse._SubParsersAction) -> None:
    rep = sub.add_parser("report", help="in tài liệu (PDF) và báo cáo (PDF/Excel)").add_subparsers(
        dest="report_cmd", metavar="DOCUMENT", required=True
    )
    p = rep.add_parser("posting-notice", help="thông báo niêm yết công khai")
    p.add_argument("id", help="mã nội dung công khai")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--content", metavar="FILE.xlsx|csv", help="danh sách kèm theo")
    p.add_argument(
        "--columns", metavar="1,2,5", help="các cột của danh sách cần in (số thứ tự hoặc tên cột)"
    )
    p.add_argument("--number", type=int, help="số văn bản (bỏ trống để ghi tay)")
    p.set_defaults(func=cmd_posting_notice)

    p = rep.add_parser("minutes", help="biên bản niêm yết / kết thúc niêm yết")
    p.add_argument("id")
    p.add_argument("--kind", required=True, choices=("start", "end"))
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--number", type=int)
    p.add_argument(
        "--place", metavar="NAME", help="biên bản cho một địa điểm (ngày niêm yết riêng của nó)"
    )
    p.set_defaults(func=cmd_minutes)

    p = rep.add_parser("register", help="danh mục nội dung đã công khai trong quý")
    p.add_argument("--quarter", required=True, metavar="2026Q1")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--number", type=int)
    p.set_defaults(func=cmd_register)

    p = rep.add_parser("framework", help="bộ khung nhiệm vụ để niêm yết")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.add_argument("--number", type=int)
    p.set_defaults(func=cmd_framework_sheet)

    p = rep.add_parser("checklist", help="phiếu theo dõi nhiệm vụ (trống hoặc đã điền)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--blank", action="store_true")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_checklist)

    p = rep.add_parser("disclosure-checklist", help="bảng kiểm công khai theo kế hoạch năm")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))
    p.add_argument("--blank", action="store_true")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    p.set_defaults(func=cmd_disclosure_checklist)

    p = rep.add_parser("progress", help="báo cáo kết quả gửi cơ quan giám sát (.pdf hoặc .xlsx)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.xlsx")
    p.add_argument("--number", type=int)
    p.set_defaults(func=cmd_progress)

    fw = sub.add_parser("framework", help="bộ khung nhiệm vụ: mẫu Excel, xuất, nạp").add_subparsers(
        dest="framework_cmd", metavar="ACTION", required=True
    )
    p = fw.add_parser("template", help="tạo mẫu Excel để nhập bộ khung nhiệm vụ")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_fw_template)
    p = fw.add_parser("export", help="xuất bộ khung hiện hành ra Excel (cùng mẫu)")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx")
    p.set_defaults(func=cmd_fw_export)
    p = fw.add_parser("import", help="nạp bộ khung nhiệm vụ từ tệp Excel theo mẫu")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
    p.add_argument(
        "--allow-retire",
        action="store_true",
        help="cho phép thôi áp dụng các nhiệm vụ không còn trong tệp",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_fw_import)


def _done(app: CliApp, path: Path) -> int:
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0


def cmd_posting_notice(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output))
    ctx = app.context()
    content = Path(args.content) if args.content else None
    return _done(
        app,
        reports.posting_notice(
            ctx,
            args.id,
            Path(args.output),
            content,
            number=args.number,
            content_columns=args.columns,
        ),
    )


def cmd_minutes(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output))
    path = reports.posting_minutes(
        app.context(), args.id, args.kind, Path(args.output), args.place, number=args.number
    )
    return _done(app, path)


def cmd_register(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.parse_quarter(args.quarter)
    reports.check_output(Path(args.output))
    path = reports.register(app.context(), args.quarter, Path(args.output), number=args.number)
    return _done(app, path)


def cmd_framework_sheet(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output))
    return _done(app, reports.framework_sheet(app.context(), Path(args.output), number=args.number))


def cmd_checklist(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output))
    return _done(app, reports.checklist(app.context(), args.year, Path(args.output), args.blank))


def cmd_disclosure_checklist(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output))
    path = reports.disclosure_checklist(
        app.context(), args.year, args.quarter, Path(args.output), args.blank
    )
    return _done(app, path)


def cmd_progress(app: CliApp, args) -> int:
    from papi_desktop.services import reports

    reports.check_output(Path(args.output), (".pdf", ".xlsx"))
    path = reports.progress(app.context(), args.year, Path(args.output), number=args.number)
    return _done(app, path)


def cmd_fw_template(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    return _done(app, framework_io.write_template(app.context(), Path(args.output)))


def cmd_fw_export(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    return _done(app, framework_io.export_framework(app.context(), Path(args.output)))


def cmd_fw_import(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    summary = framework_io.import_framework(
        app.context(), Path(args.file), dry_run=args.dry_run, allow_retire=args.allow_retire
    )
    if args.json:
        app.print_json(summary)
        return 0
    app.out(framework_io.describe_summary(summary, app.lang))
    if args.dry_run:
        retired = len(summary["retired"])
        if retired and not args.allow_retire:
            app.out(app.t(f"CHÚ Ý: {retired} nhiệm vụ đang dùng sẽ thôi áp dụng; khi nạp phải "
                          "thêm --allow-retire (hoặc bắt đầu từ: papi-desktop framework export).",
                          f"WARNING: {retired} tasks in use would be retired; importing needs "
                          "--allow-retire (or start from: papi-desktop framework export)."))  # fmt: skip
        app.out(app.t("Chạy thử: chưa ghi gì. Bỏ --dry-run để nạp.",
                      "Dry run: nothing written. Drop --dry-run to import."))  # fmt: skip
    else:
        app.out(app.t(f"Đã nạp bộ khung phiên bản {summary['new_version']}.",
                      f"Imported framework version {summary['new_version']}."))  # fmt: skip
    return 0
