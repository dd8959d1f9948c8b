"""Supervising-office commands: communes, review, scores, framework publish, consolidated report.

``framework`` and ``report`` are command groups registered by ``report_cmd`` (loaded
first); ``publish`` and ``consolidated`` are added to those groups here by finding each
group's sub-parser action (``_group_actions``), so one ``papi-desktop framework …`` /
``papi-desktop report …`` lists them all. If a group is missing it is created here.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp, number
from papi_desktop.domain.text import vi_sort_key
from papi_desktop.errors import UserError

OVERVIEW_KEYS = (
    "unit", "name", "framework_version", "framework_current", "last_package_at",
    "package_age_days", "stale", "submission", "changed_since_submitted", "completion",
    "overdue_tasks",
    "late_disclosures", "missing_disclosures", "rank",
)  # fmt: skip
COMMUNES_HEADER = {
    "vi": ("Mã", "Xã/phường", "Khung", "Hoàn thành", "Quá hạn", "CK trễ", "Thiếu", "Gói",
           "Báo cáo năm"),
    "en": ("Code", "Commune", "Frame", "Done", "Overdue", "Late", "Missing", "Pkg",
           "Year report"),
}  # fmt: skip
STATUS_HEADER = {
    "vi": ("Mã", "Xã/phường", "Trạng thái", "Lần", "Ngày gửi", "Ngày duyệt", "Nhận xét"),
    "en": ("Code", "Commune", "State", "Round", "Submitted", "Decided", "Comments"),
}


def _group(sub: argparse._SubParsersAction, name: str, help_text: str, dest: str):
    """The sub-parser action of the command group ``name``, created when absent."""
    parser = sub.choices.get(name)
    if parser is None:
        return sub.add_parser(name, help=help_text).add_subparsers(
            dest=dest, metavar="ACTION", required=True
        )
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return parser.add_subparsers(dest=dest, metavar="ACTION", required=True)


def register(sub: argparse._SubParsersAction) -> None:
    com = sub.add_parser("communes", help="xã/phường thuộc cơ quan giám sát").add_subparsers(
        dest="communes_cmd", metavar="ACTION", required=True
    )
    p = com.add_parser("list", help="danh sách xã/phường với tiến độ, gói USB, báo cáo")
    p.add_argument("--year", type=int)
    p.add_argument("--index", help="chỉ số có bộ khung nhiệm vụ (mặc định PAPI)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_communes_list)

    rev = sub.add_parser("review", help="gửi, duyệt, trả lại, mở lại báo cáo năm").add_subparsers(
        dest="review_cmd", metavar="ACTION", required=True
    )
    for action, help_text in (("accept", "chấp nhận báo cáo của xã"),
                              ("return", "trả lại báo cáo để xã bổ sung")):  # fmt: skip
        p = rev.add_parser(action, help=help_text)
        p.add_argument("unit", metavar="UNIT_CODE")
        p.add_argument("--year", type=int, required=True)
        p.add_argument("--comment")
        p.add_argument(
            "--force",
            action="store_true",
            help="trả lại báo cáo đã được chấp nhận (được ghi nhật ký)",
        )
        p.set_defaults(
            func=cmd_review_decide, decision="accepted" if action == "accept" else "returned"
        )
    p = rev.add_parser("comment", help="nhận xét một kết quả nhiệm vụ của xã")
    p.add_argument("unit", metavar="UNIT_CODE")
    p.add_argument("task", metavar="TASK_CODE")
    p.add_argument("--period", required=True)
    p.add_argument("--comment", required=True)
    p.set_defaults(func=cmd_review_comment)
    p = rev.add_parser("submit", help="(xã) gửi báo cáo năm lên cơ quan giám sát")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--note")
    p.set_defaults(func=cmd_review_submit)
    p = rev.add_parser("reopen", help="(xã) mở lại báo cáo đã được chấp nhận để sửa")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--reason", required=True)
    p.set_defaults(func=cmd_review_reopen)
    p = rev.add_parser("status", help="trạng thái báo cáo năm và nhận xét")
    p.add_argument("unit", nargs="?", metavar="UNIT_CODE")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_review_status)

    sc = sub.add_parser("scores", help="kết quả chỉ số PAPI, PAR INDEX, SIPAS, PCI").add_subparsers(
        dest="scores_cmd", metavar="ACTION", required=True
    )
    p = sc.add_parser("add", help="ghi kết quả một năm (tổng hợp, thứ hạng, nội dung, mục tiêu)")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--index", default="PAPI", help="PAPI, PAR INDEX, SIPAS, PCI…")
    p.add_argument("--total", type=number)
    p.add_argument("--rank", type=int)
    p.add_argument("--of", type=int, dest="of_n")
    p.add_argument("--group", help="cao nhất / trung bình cao / trung bình thấp / thấp nhất")
    p.add_argument("--target", type=number)
    p.add_argument("--dimension", action="append", default=[], metavar="D")
    p.add_argument("--score", action="append", default=[], type=number, metavar="S")
    p.add_argument("--source", default="")
    p.set_defaults(func=cmd_scores_add)
    p = sc.add_parser("list", help="các kết quả đã ghi")
    p.add_argument("--index")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_scores_list)
    p = sc.add_parser("import", help="nạp kết quả từ sổ Excel đơn giản")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true")
    p.set_defaults(func=cmd_scores_import)

    fw = _group(sub, "framework", "bộ khung nhiệm vụ", "framework_cmd")
    p = fw.add_parser("publish", help="(cơ quan giám sát) ban hành bộ khung mới từ Excel")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="chỉ so sánh, không ghi")
    p.add_argument(
        "--allow-retire",
        action="store_true",
        help="đồng ý cho thôi áp dụng các nhiệm vụ không còn trong tệp",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_framework_publish)

    rep = _group(sub, "report", "in tài liệu và báo cáo", "report_cmd")
    p = rep.add_parser("consolidated", help="(cơ quan giám sát) báo cáo tổng hợp các xã")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE.xlsx|FILE.pdf|FILE.docx")
    p.add_argument(
        "--overwrite", action="store_true", help="ghi đè nếu tệp đã có (mặc định: từ chối)"
    )
    p.set_defaults(func=cmd_report_consolidated)


# -- handlers -----------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}%"


def _cols(cells: list[tuple[str, int, str]]) -> str:
    """One line of aligned columns: (text, width, "<" or ">") each."""
    return "  ".join(f"{text:{align}{width}}" for text, width, align in cells).rstrip()


def cmd_communes_list(app: CliApp, args) -> int:
    from papi_desktop.services import district, review, tasks

    ctx = app.context()
    rows = district.communes_overview(ctx, args.year, tasks.check_index(ctx, args.index))
    if args.json:
        app.print_json([{k: r[k] for k in OVERVIEW_KEYS} for r in rows])
        return 0
    if not rows:
        app.out(app.t("Chưa nhận dữ liệu của xã/phường nào. Hãy nhập gói USB của các xã.",
                      "No commune data yet. Import the communes' USB packages."))  # fmt: skip
        return 0
    code_w = max(5, *(len(r["unit"]) for r in rows))
    name_w = min(28, max(len(r["name"]) for r in rows))
    widths = [(code_w, "<"), (name_w, "<"), (5, "<"), (7, ">"), (7, ">"), (6, ">"), (6, ">"),
              (6, ">"), (18, "<")]  # fmt: skip
    header = COMMUNES_HEADER[app.lang]
    # A header wider than its column widens the column.
    widths = [(max(w, len(h)), a) for (w, a), h in zip(widths, header, strict=True)]
    app.out(_cols([(h, w, a) for h, (w, a) in zip(header, widths, strict=True)]))
    for r in rows:
        flags = []
        if not r["framework_current"]:
            flags.append(app.t(f"KHUNG CŨ v{r['framework_version']}",
                               f"OLD FRAMEWORK v{r['framework_version']}"))  # fmt: skip
        if r["stale"]:
            flags.append(app.t("QUÁ 35 NGÀY CHƯA GỬI GÓI", "NO PACKAGE FOR 35+ DAYS"))
        if r["changed_since_submitted"]:
            flags.append(app.t("ĐÃ SỬA SAU KHI GỬI BÁO CÁO", "CHANGED SINCE SUBMITTED"))
        age = "—" if r["package_age_days"] is None else f"{r['package_age_days']}d"
        cells = [r["unit"], r["name"][:name_w], f"v{r['framework_version']}",
                 _pct(r["completion"]), str(r["overdue_tasks"]), str(r["late_disclosures"]),
                 str(r["missing_disclosures"]), age,
                 review.STATE_LABELS[r["submission"]][app.lang]]  # fmt: skip
        line = _cols([(c, w, a) for c, (w, a) in zip(cells, widths, strict=True)])
        app.out(line + (f"  [{'; '.join(flags)}]" if flags else ""))
    return 0


def cmd_review_decide(app: CliApp, args) -> int:
    from papi_desktop.services import review

    ctx = app.context()
    before = review.state_of(ctx, args.unit.strip(), args.year)
    st = review.decide(ctx, args.unit, args.year, args.decision, args.comment, force=args.force)
    if review.already_decided(before, args.decision):
        app.out(
            app.t(
                f"Báo cáo năm {st.year} của {st.unit} đã được chấp nhận ngày "
                f"{review.date_text(st.decided_at)} (lần gửi {st.round}); không thay đổi gì.",
                f"{st.unit}'s {st.year} report was already accepted on "
                f"{review.date_text(st.decided_at)} (round {st.round}); nothing changed.",
            )
        )
        return 0
    forced = args.force and before.state == "accepted"
    app.out(
        app.t(
            f"{st.label('vi')}: báo cáo năm {st.year} của {st.unit} (lần gửi {st.round})"
            + (" — đã hủy quyết định chấp nhận trước đó, có ghi nhật ký" if forced else "")
            + ". Kết quả được gửi về xã trong gói USB tiếp theo.",
            f"{st.label('en')}: {st.unit}'s {st.year} report (round {st.round})"
            + (" — the earlier acceptance is overridden and logged" if forced else "")
            + ". The commune gets it with the next USB package.",
        )
    )
    return 0


def cmd_review_comment(app: CliApp, args) -> int:
    from papi_desktop.services import review

    rid = review.comment_result(app.context(), args.unit, args.task, args.period, args.comment)
    app.out(
        app.t(
            f"Đã ghi nhận xét cho nhiệm vụ {args.task.strip()} kỳ {args.period} của xã/phường "
            f"{args.unit.strip()} (mã nhận xét {rid}). Xã nhận được trong gói USB tiếp theo.",
            f"Recorded a comment on task {args.task.strip()}, period {args.period}, of commune "
            f"{args.unit.strip()} (comment id {rid}). The commune gets it with the next USB "
            "package.",
        )
    )
    return 0


def cmd_review_submit(app: CliApp, args) -> int:
    from papi_desktop.services import review

    st = review.submit(app.context(), args.year, args.note)
    app.out(
        app.t(
            f"Đã gửi báo cáo năm {st.year} (lần {st.round}). Hãy xuất gói USB "
            "(papi-desktop sync export) để chuyển lên cơ quan giám sát.",
            f"Submitted the {st.year} report (round {st.round}). Export a USB package "
            "(papi-desktop sync export) to deliver it.",
        )
    )
    return 0


def cmd_review_reopen(app: CliApp, args) -> int:
    from papi_desktop.services import review

    st = review.reopen(app.context(), args.year, args.reason)
    app.out(
        app.t(
            f"Đã mở lại báo cáo năm {st.year}; việc mở lại được ghi nhật ký và gửi lên cơ quan "
            "giám sát trong gói USB tiếp theo. Sửa xong hãy gửi lại (papi-desktop review submit).",
            f"Reopened the {st.year} report; this is logged and sent to the supervising office "
            "with the next package. Submit again when done (papi-desktop review submit).",
        )
    )
    return 0


def cmd_review_status(app: CliApp, args) -> int:
    from papi_desktop.services import review

    ctx = app.context()
    site = ctx.require_site()
    unit = site.unit_code if site.is_commune else args.unit
    if not unit:
        return _review_status_all(app, args)
    st = review.state_of(ctx, unit, args.year)
    comments = review.reviews(ctx, year=args.year, unit=unit)
    events = review.history(ctx, unit, args.year)
    if args.json:
        app.print_json({**st.as_dict(), "reviews": comments, "history": events})
        return 0
    app.out(
        f"{unit} {args.year}: {st.label(app.lang)}" + (f" — {st.comment}" if st.comment else "")
    )
    if st.reopen_reason and st.state == "reopened":
        app.out(app.t(f"Lý do mở lại: {st.reopen_reason}", f"Reopened because: {st.reopen_reason}"))
    for c in comments:
        app.out(f"  {c['task_code']} {c['period']}: {c['comment']}")
    return 0


def _review_status_all(app: CliApp, args) -> int:
    """The office without a UNIT_CODE: every commune's report state for the year."""
    from papi_desktop.services import district, review

    ctx = app.context()
    year = district.check_year(ctx, args.year)
    units = district.enrolled_units(ctx)
    names = district.unit_names(ctx, units)
    states = review.states_for_year(ctx, year)
    counts: dict[str, int] = {}
    for c in review.reviews(ctx, year=year):
        counts[c["unit"]] = counts.get(c["unit"], 0) + 1
    entries = []
    for u in sorted(units, key=lambda u: vi_sort_key(names[u])):
        st = states.get(u) or review.SubmissionState(unit=u, year=year, state="draft", round=0)
        entries.append({**st.as_dict(), "name": names[u], "reviews": counts.get(u, 0)})
    if args.json:
        app.print_json(entries)
        return 0
    if not entries:
        app.out(app.t("Chưa nhận dữ liệu của xã/phường nào. Hãy nhập gói USB của các xã.",
                      "No commune data yet. Import the communes' USB packages."))  # fmt: skip
        return 0
    header = STATUS_HEADER[app.lang]
    name_w = min(28, max(len(e["name"]) for e in entries))
    widths = [(max(5, len(header[0])), "<"), (max(name_w, len(header[1])), "<"), (18, "<"),
              (4, ">"), (10, "<"), (10, "<"), (8, ">")]  # fmt: skip
    app.out(_cols([(h, w, a) for h, (w, a) in zip(header, widths, strict=True)]))
    for e in entries:
        state = review.STATE_LABELS[e["state"]][app.lang]
        if e["changed_since_submitted"]:
            state += review.CHANGED_LABEL[app.lang]
        cells = [e["unit"], e["name"][:name_w], state,
                 str(e["round"]), review.date_text(e["submitted_at"]) if e["submitted_at"]
                 else "—", review.date_text(e["decided_at"]) if e["decided_at"] else "—",
                 str(e["reviews"])]  # fmt: skip
        app.out(_cols([(c, w, a) for c, (w, a) in zip(cells, widths, strict=True)]))
    done = sum(1 for e in entries if e["state"] != "draft")
    app.out(
        app.t(
            f"{len(entries)} xã/phường; {done} đã gửi báo cáo năm {year}. Chi tiết một xã: "
            f"papi-desktop review status MÃ_XÃ --year {year}",
            f"{len(entries)} communes; {done} submitted their {year} report. One commune: "
            f"papi-desktop review status UNIT_CODE --year {year}",
        )
    )
    return 0


def cmd_scores_add(app: CliApp, args) -> int:
    from papi_desktop.services import scores

    if len(args.dimension) != len(args.score):
        raise UserError(
            "Mỗi --dimension cần đúng một --score đi kèm.",
            "Each --dimension needs exactly one --score.",
        )
    counts = scores.add(
        app.context(),
        args.year,
        total=args.total,
        rank=args.rank,
        of_n=args.of_n,
        group=args.group,
        target=args.target,
        dimensions=dict(zip(args.dimension, args.score, strict=True)),
        index=args.index,
        source=args.source,
    )
    app.out(
        app.t(
            f"Đã ghi kết quả năm {args.year}: {counts['new']} mới, {counts['updated']} cập nhật.",
            f"Recorded {args.year}: {counts['new']} new, {counts['updated']} updated.",
        )
    )
    return 0


def cmd_scores_list(app: CliApp, args) -> int:
    from papi_desktop.services import scores

    entries = scores.list_scores(app.context(), args.index)
    if args.json:
        app.print_json(entries)
        return 0
    if not entries:
        app.out(app.t("Chưa ghi kết quả chỉ số nào.", "No index results recorded."))
        return 0
    for e in entries:
        parts = [f"{e['index']} {e['year']}:"]
        if e["total"] is not None:
            parts.append(f"{e['total']:.2f}")
        if e["rank"]:
            parts.append(app.t(f"hạng {e['rank']}/{e['of']}", f"rank {e['rank']}/{e['of']}"))
        if e["group"]:
            label = scores.GROUP_LABELS[e["group"]][app.lang]
            parts.append(
                app.t(f"nhóm {label}", f"group {label}")
                + (
                    " (ước tính)"
                    if e["group_estimated"] and app.lang == "vi"
                    else " (estimated)"
                    if e["group_estimated"]
                    else ""
                )
            )
        if e["target"] is not None:
            met = {
                True: app.t(" — đạt", " — met"),
                False: app.t(" — chưa đạt", " — not met"),
                None: "",
            }[e["target_met"]]
            parts.append(
                app.t(f"mục tiêu ≥ {e['target']:.2f}", f"target ≥ {e['target']:.2f}") + met
            )
        if e["dimensions"]:
            parts.append(" ".join(f"D{d}={s:.2f}" for d, s in sorted(e["dimensions"].items())))
        app.out(" ".join(parts))
    return 0


def cmd_scores_import(app: CliApp, args) -> int:
    from papi_desktop.services import scores

    s = scores.import_scores(app.context(), Path(args.file), dry_run=args.dry_run)
    prefix = app.t("Thử (chưa ghi): ", "Dry run (nothing written): ") if args.dry_run else ""
    app.out(
        prefix
        + app.t(
            f"{s['rows']} dòng: {s['new']} mới, {s['updated']} cập nhật, {s['same']} không đổi.",
            f"{s['rows']} rows: {s['new']} new, {s['updated']} updated, {s['same']} unchanged.",
        )
    )
    return 0


def cmd_framework_publish(app: CliApp, args) -> int:
    from papi_desktop.services import district

    ctx = app.context()
    summary = district.publish_framework(
        ctx,
        Path(args.file),
        dry_run=args.dry_run,
        allow_retire=args.allow_retire,
        index=getattr(args, "index", None),
    )
    if args.json:
        app.print_json(summary)
        return 0
    app.out(district.describe_publish(summary, app.lang))
    return 0


def cmd_report_consolidated(app: CliApp, args) -> int:
    from papi_desktop.services.reports import files
    from papi_desktop.services.reports.registry import SPECS, ReportRequest

    spec = SPECS["consolidated"]
    out = files.check_new(spec.check_output(Path(args.output)), args.overwrite)
    path = spec.make(app.context(), ReportRequest(year=args.year), out)
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0
