"""Printing and Excel commands: ``report …`` (posting notice, minutes, register, framework
sheet, checklists, progress report) and ``framework template|export|import``."""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp


def register(sub: argparse._SubParsersAction) -> None:
    from papi_desktop.services.reports.registry import SPECS

    rep = sub.add_parser(
        "report", help="in tài liệu (PDF, Word .docx) và báo cáo (PDF/Word/Excel)"
    ).add_subparsers(dest="report_cmd", metavar="DOCUMENT", required=True)

    def add(key: str, *, metavar: str = "FILE.pdf|FILE.docx") -> argparse.ArgumentParser:
        spec = SPECS[key]
        p = rep.add_parser(spec.command, help=spec.help_vi or spec.label_vi)
        p.add_argument(
            "-o", "--output", required=True, metavar=metavar,
            help="tệp kết quả; định dạng theo đuôi tệp",
        )  # fmt: skip
        p.add_argument(
            "--overwrite", action="store_true", help="ghi đè nếu tệp đã có (mặc định: từ chối)"
        )
        p.set_defaults(func=cmd_document, spec_key=key)
        return p

    p = add("posting_notice")
    p.add_argument("id", help="mã nội dung công khai")
    p.add_argument("--content", metavar="FILE.xlsx|csv", help="danh sách kèm theo")
    p.add_argument(
        "--columns", metavar="1,2,5", help="các cột của danh sách cần in (số thứ tự hoặc tên cột)"
    )
    p.add_argument("--number", type=int, help="số văn bản (bỏ trống để ghi tay)")
    p.add_argument("--date", metavar="DD/MM/YYYY", help="ngày văn bản (mặc định: ngày niêm yết)")

    p = add("minutes_start")
    p.add_argument("id")
    p.add_argument("--kind", required=True, choices=("start", "end"))
    p.add_argument("--number", type=int)
    p.add_argument(
        "--place", metavar="NAME", help="biên bản cho một địa điểm (ngày niêm yết riêng của nó)"
    )
    p.add_argument(
        "--date", metavar="DD/MM/YYYY",
        help="ngày lập biên bản (mặc định: ngày niêm yết / ngày sau khi hết thời gian niêm yết)",
    )  # fmt: skip

    p = add("register")
    p.add_argument("--quarter", required=True, metavar="2026Q1")
    p.add_argument("--number", type=int)

    index_help = "chỉ số có bộ khung nhiệm vụ (mặc định PAPI)"
    p = add("framework")
    p.add_argument("--number", type=int)
    p.add_argument("--index", help=index_help)

    p = add("checklist")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--blank", action="store_true")
    p.add_argument("--index", help=index_help)

    p = add("disclosure_checklist")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--quarter", type=int, choices=(1, 2, 3, 4))
    p.add_argument("--blank", action="store_true")

    p = add("progress", metavar="FILE.pdf|FILE.docx|FILE.xlsx")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--number", type=int)
    p.add_argument("--index", help=index_help)

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


def _day(text: str | None):
    from papi_desktop.domain.dates import parse_date
    from papi_desktop.errors import UserError

    if not text:
        return None
    try:
        return parse_date(text)
    except (ValueError, UserError):
        raise UserError(
            f"Ngày “{text}” không hợp lệ; viết dạng dd/mm/yyyy, ví dụ 02/03/2026.",
            f"Invalid date “{text}”; write dd/mm/yyyy, e.g. 02/03/2026.",
        ) from None


def cmd_document(app: CliApp, args) -> int:
    """Every ``report …`` document: the inputs go into one ``ReportRequest`` and the spec
    the sub-command was declared from builds it (format chosen by the -o extension)."""
    from papi_desktop.services.reports import files, parse_quarter
    from papi_desktop.services.reports.registry import SPECS, ReportRequest

    key = args.spec_key
    if key == "minutes_start" and args.kind == "end":
        key = "minutes_end"
    spec = SPECS[key]
    request = ReportRequest(
        item_id=getattr(args, "id", None),
        place=getattr(args, "place", None),
        day=_day(getattr(args, "date", None)),
        year=getattr(args, "year", None),
        quarter=getattr(args, "quarter", None),
        blank=bool(getattr(args, "blank", False)),
        number=getattr(args, "number", None),
        content=Path(args.content) if getattr(args, "content", None) else None,
        columns=getattr(args, "columns", None),
    )
    if getattr(args, "index", None):
        from papi_desktop.services import tasks

        request.index = tasks.check_index(app.context(), args.index)
    if key == "register":
        q = parse_quarter(args.quarter)
        request.year, request.quarter = q.year, q.index
    out = spec.check_output(Path(args.output))
    files.check_new(out, args.overwrite)
    return _done(app, spec.make(app.context(), request, out))


def cmd_fw_template(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    return _done(app, framework_io.write_template(app.context(), Path(args.output), _index(args)))


def cmd_fw_export(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    return _done(app, framework_io.export_framework(app.context(), Path(args.output), _index(args)))


def _index(args) -> str:
    """The checklist index of a ``framework`` command (``--index``, added by assess_cmd)."""
    from papi_desktop.services.tasks import DEFAULT_INDEX

    return (getattr(args, "index", None) or "").strip() or DEFAULT_INDEX


def cmd_fw_import(app: CliApp, args) -> int:
    from papi_desktop.services import framework_io

    summary = framework_io.import_framework(
        app.context(),
        Path(args.file),
        dry_run=args.dry_run,
        allow_retire=args.allow_retire,
        index=getattr(args, "index", None),
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
