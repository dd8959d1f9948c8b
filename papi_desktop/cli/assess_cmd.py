"""Scored indices (PAR INDEX at commune level): ``assess list|set|submit|appraise|reopen|
results``,
``report self-assessment|appraisal``, and the scored path of ``framework template|import|
publish``.

``framework`` and ``report`` are groups made by report_cmd/district_cmd (loaded first).
This module adds ``--index`` (and ``--sample`` for the template) to ``framework template``,
``export``, ``import`` and ``publish`` and wraps their handlers: a scored index, or a workbook that is a
scored-criteria template, goes to ``services.assess_framework``; anything else reaches the
PAPI handler unchanged.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp
from papi_desktop.domain.scoring import fmt_points


def _group(sub: argparse._SubParsersAction, name: str, help_text: str, dest: str):
    from papi_desktop.cli.district_cmd import _group as group

    return group(sub, name, help_text, dest)


def register(sub: argparse._SubParsersAction) -> None:
    from papi_desktop.services.reports.registry import SPECS

    asg = sub.add_parser("assess", help="tự chấm điểm và thẩm định chỉ số (PAR INDEX cấp xã)")
    acts = asg.add_subparsers(dest="assess_cmd", metavar="ACTION", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--index", required=True, metavar="PAR")
        p.add_argument("--year", type=int, required=True)

    p = acts.add_parser("list", help="(xã) các tiêu chí với điểm tự chấm, thẩm định, minh chứng")
    common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_list)
    p = acts.add_parser("set", help="(xã) tự chấm điểm một tiêu chí")
    p.add_argument("code", metavar="CODE")
    common(p)
    p.add_argument("--points", required=True, metavar="P")
    p.add_argument("--note", help="giải trình")
    p.add_argument("--evidence", action="append", metavar="FILE", help="tài liệu kiểm chứng")
    p.set_defaults(func=cmd_set)
    p = acts.add_parser("submit", help="(xã) gửi kết quả tự chấm của năm")
    common(p)
    p.set_defaults(func=cmd_submit)
    p = acts.add_parser("appraise", help="(cơ quan giám sát) thẩm định điểm một tiêu chí của xã")
    p.add_argument("unit", metavar="UNIT")
    p.add_argument("code", metavar="CODE")
    common(p)
    p.add_argument("--points", required=True, metavar="P")
    p.add_argument("--comment")
    p.set_defaults(func=cmd_appraise)
    p = acts.add_parser("reopen", help="(cơ quan giám sát) trả lại kết quả tự chấm để xã sửa")
    p.add_argument("unit", metavar="UNIT")
    common(p)
    p.add_argument("--comment", help="ý kiến: cần sửa gì")
    p.set_defaults(func=cmd_reopen)
    p = acts.add_parser("results", help="(cơ quan giám sát) kết quả và xếp hạng các xã")
    common(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_results)

    rep = _group(sub, "report", "in tài liệu và báo cáo", "report_cmd")
    for key, metavar, func in (
        ("self_assessment", "FILE.pdf|FILE.docx|FILE.xlsx", cmd_report_self),
        ("appraisal", "FILE.xlsx|FILE.pdf|FILE.docx", cmd_report_appraisal),
    ):
        spec = SPECS[key]
        p = rep.add_parser(spec.command, help=spec.help_vi)
        common(p)
        p.add_argument("-o", "--output", required=True, metavar=metavar)
        p.add_argument("--number", type=int)
        p.add_argument(
            "--overwrite", action="store_true", help="ghi đè nếu tệp đã có (mặc định: từ chối)"
        )
        p.set_defaults(func=func)

    fw = _group(sub, "framework", "bộ khung nhiệm vụ", "framework_cmd")
    for name in ("template", "export", "import", "publish"):
        parser = fw.choices.get(name)
        if parser is None:
            continue
        parser.add_argument("--index", metavar="PAPI|PAR", help="chỉ số (mặc định PAPI)")
        if name == "template":
            parser.add_argument(
                "--sample", action="store_true", help="điền sẵn bộ tiêu chí MẪU THAM KHẢO"
            )
        parser.set_defaults(func=_scored_or(name, parser.get_default("func")))


def _scored_or(action: str, papi_handler):
    def handler(app: CliApp, args) -> int | None:
        from papi_desktop.services import assess_framework

        index = (getattr(args, "index", None) or "").strip().upper()
        if index and index not in assess_framework.SCORED_INDICES:
            # a checklist index (PAPI, or a province's own such as SIPAS): the PAPI handler,
            # which reads ``args.index``
            if action == "template" and getattr(args, "sample", False):
                assess_framework.check_index(index)  # one line: only scored indices have one
            return papi_handler(app, args)
        if action == "template":
            if index in ("", "PAPI"):
                if getattr(args, "sample", False):
                    assess_framework.check_index("PAPI")  # one line: PAPI has no sample
                return papi_handler(app, args)
            path = assess_framework.write_template(
                app.context(), Path(args.output), index, sample=args.sample
            )
            app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
            return 0
        if action == "export":
            if index in ("", "PAPI"):
                return papi_handler(app, args)
            path = assess_framework.export_current(app.context(), Path(args.output), index)
            app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
            return 0
        if index == "PAPI":
            return papi_handler(app, args)
        if index:
            assess_framework.check_index(index)
        elif not assess_framework.is_scored_workbook(Path(args.file)):
            return papi_handler(app, args)
        return _load_scored(app, args, publish=action == "publish")

    return handler


def _load_scored(app: CliApp, args, *, publish: bool) -> int:
    from papi_desktop.services import assess_framework

    ctx = app.context()
    load = assess_framework.publish if publish else assess_framework.import_local
    summary = load(ctx, Path(args.file), dry_run=args.dry_run)
    if getattr(args, "json", False):
        app.print_json(summary)
        return 0
    app.out(assess_framework.describe(summary, app.lang))
    if args.dry_run:
        app.out(app.t("Chạy thử: chưa ghi gì. Bỏ --dry-run để nạp.",
                      "Dry run: nothing written. Drop --dry-run to load."))  # fmt: skip
    else:
        app.out(app.t(f"Đã nạp bộ tiêu chí {summary['index']} phiên bản {summary['new_version']}.",
                      f"Loaded {summary['index']} criteria version {summary['new_version']}."))  # fmt: skip
    return 0


LIST_KEYS = ("code", "level", "title", "max_points", "self_points", "appraised_points",
             "evidence_count", "comment", "state", "note", "method")  # fmt: skip


def cmd_list(app: CliApp, args) -> int:
    from papi_desktop.services import assess

    card = assess.list_items(app.context(), args.index, args.year)
    if args.json:
        app.print_json(
            {k: card[k] for k in ("unit", "index", "year", "framework_version", "sample",
                                  "max_total", "self_total", "appraised_total", "state")}
            | {"returned": _returned(card["returned"])}
            | {"items": [{k: i[k] for k in LIST_KEYS} for i in card["items"]]}
        )  # fmt: skip
        return 0
    if card["returned"] is not None:
        ret = card["returned"]
        by = f" ({ret['acted_by']})" if ret["acted_by"] else ""
        app.out(app.t(f"Cơ quan giám sát trả lại để sửa{by}: {ret['comment'] or '—'}. Sửa điểm "
                      "rồi gửi lại (assess submit).",
                      f"Returned by the office for correction{by}: {ret['comment'] or '—'}. "
                      "Correct the scores and submit again."))  # fmt: skip
    if card["sample"]:
        app.out(app.t("(Bộ tiêu chí MẪU THAM KHẢO — tỉnh ban hành bộ tiêu chí riêng)",
                      "(SAMPLE criteria — the province issues its own)"))  # fmt: skip
    app.out(app.t(f"{'Mã':<10} {'Tự chấm':>12} {'Thẩm định':>9} {'Minh chứng':>10}  Tiêu chí",
                  f"{'Code':<10} {'Self':>12} {'Appraised':>9} {'Evidence':>10}  Criterion"))  # fmt: skip
    for i in card["items"]:
        indent = {"field": "", "criterion": "  ", "sub": "    "}[i["level"]]
        state = assess.ITEM_STATE_VI.get(i["state"], "") if app.lang == "vi" else i["state"]
        own = f"{fmt_points(i['self_points']) or '—'}/{fmt_points(i['max_points'])}"
        app.out(
            f"{indent + i['code']:<10} {own:>12} {fmt_points(i['appraised_points']) or '—':>9} "
            f"{i['evidence_count'] or '':>10}  {i['title'][:60]}" + (f" [{state}]" if state else "")
        )
    app.out(
        app.t(
            f"Tổng tự chấm: {fmt_points(card['self_total']) or '0'}/{fmt_points(card['max_total'])}"
            f" — thẩm định: {fmt_points(card['appraised_total']) or 'chưa'} — "
            f"{assess.STATE_VI[card['state']]}",
            f"Self total {card['self_total'] or 0:g}/{card['max_total']:g} — appraised "
            f"{card['appraised_total'] if card['appraised_total'] is not None else '—'} — "
            f"{card['state']}",
        )
    )
    return 0


def _returned(ret: dict | None) -> dict | None:
    return {k: ret[k] for k in ("comment", "acted_by", "acted_at")} if ret else None


def cmd_set(app: CliApp, args) -> int:
    from papi_desktop.services import assess

    r = assess.set_score(
        app.context(), args.code, args.index, args.year, args.points,
        note=args.note, evidence=args.evidence,
    )  # fmt: skip
    app.out(app.t(
        f"Đã ghi {r['code']}: {fmt_points(r['points'])}/{fmt_points(r['max_points'])} điểm"
        + (f", thêm {r['evidence_added']} tài liệu kiểm chứng." if r["evidence_added"] else "."),
        f"Recorded {r['code']}: {r['points']:g}/{r['max_points']:g} points.",
    ))  # fmt: skip
    return 0


def cmd_submit(app: CliApp, args) -> int:
    from papi_desktop.services import assess

    r = assess.submit(app.context(), args.index, args.year)
    app.out(app.t(
        f"Đã gửi kết quả tự chấm {r['index']} năm {r['year']}: {fmt_points(r['self_total'])}/"
        f"{fmt_points(r['max_total'])} điểm. Gửi gói USB để cơ quan giám sát thẩm định.",
        f"Submitted {r['index']} {r['year']}: {r['self_total']:g}/{r['max_total']:g} points.",
    ))  # fmt: skip
    return 0


def cmd_appraise(app: CliApp, args) -> int:
    from papi_desktop.services import assess

    r = assess.appraise(
        app.context(), args.unit, args.code, args.index, args.year, args.points,
        comment=args.comment,
    )  # fmt: skip
    app.out(app.t(
        f"Đã thẩm định {r['unit']} {r['code']}: {fmt_points(r['points'])}/"
        f"{fmt_points(r['max_points'])} điểm.",
        f"Appraised {r['unit']} {r['code']}: {r['points']:g}/{r['max_points']:g}.",
    ))  # fmt: skip
    return 0


def cmd_reopen(app: CliApp, args) -> int:
    from papi_desktop.services import assess_reopen

    r = assess_reopen.reopen(app.context(), args.unit, args.index, args.year,
                             comment=args.comment)  # fmt: skip
    app.out(app.t(
        f"Đã trả lại kết quả tự chấm {r['index']} năm {r['year']} cho {r['name']} sửa. Gửi gói "
        "USB để xã nhận.",
        f"Returned the {r['index']} {r['year']} self-assessment to {r['name']} for correction.",
    ))  # fmt: skip
    return 0


RESULT_KEYS = ("unit", "name", "self_total", "appraised_total", "max_total", "rank", "state",
               "appraised_items", "items")  # fmt: skip


def cmd_results(app: CliApp, args) -> int:
    from papi_desktop.services import assess

    res = assess.results(app.context(), args.index, args.year)
    if args.json:
        app.print_json([{k: c[k] for k in RESULT_KEYS} for c in res["communes"]])
        return 0
    for c in res["communes"]:
        state = assess.STATE_VI[c["state"]] if app.lang == "vi" else c["state"]
        app.out(
            f"{c['rank'] or '—':>3} {c['unit']:<6} {c['name'][:32]:<32} "
            f"{fmt_points(c['self_total']) or '—':>6} {fmt_points(c['appraised_total']) or '—':>6}"
            f"/{fmt_points(c['max_total'])} {state}"
        )
    if not res["communes"]:
        app.out(app.t("Chưa có xã/phường nào gửi kết quả tự chấm.", "No commune has data yet."))
    province = assess.province_index_text(res["province_index"])
    if province:  # the province's published PAR INDEX beside the communes' totals
        app.out(province)
    return 0


def _new(args) -> Path:
    """The output file, refused when it exists and --overwrite was not given."""
    from papi_desktop.services.reports.files import check_new

    return check_new(Path(args.output), args.overwrite)


def cmd_report_self(app: CliApp, args) -> int:
    from papi_desktop.services import assess_reports

    path = assess_reports.self_assessment(
        app.context(), args.index, args.year, _new(args), number=args.number
    )
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0


def cmd_report_appraisal(app: CliApp, args) -> int:
    from papi_desktop.services import assess_reports

    path = assess_reports.appraisal(
        app.context(), args.index, args.year, _new(args), number=args.number
    )
    app.out(app.t(f"Đã tạo {path}", f"Wrote {path}"))
    return 0
