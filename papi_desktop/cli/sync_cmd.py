"""USB sync commands: ``sync export``, ``sync import``, ``sync peers``, ``sync conflicts``.

Contract (scripted by district IT staff): ``sync export --to DIR [--full] [--json]`` prints the
package path, one per line when several are written (the supervising office writes one per
commune, plus one for the communes not enrolled yet); ``--json`` gives totals and the list
``packages`` (path, package_id, seq, unit_code, full, since, size, counts).
``sync import PATH... [--dry-run] [--trust-new] [--replace] [--json]`` reports per package
``package_id``, ``from``, ``status`` (applied / already_imported / refused / dry_run /
skipped), ``reason`` (a code), ``detail`` (the technical cause), ``message_vi`` /
``message_en`` (one plain line: what is wrong, what to do) and counts, and exits 2 when any
package was refused (nothing of it was written). A well-formed package addressed to another
unit or PC is refused when it is the only file imported and ``skipped`` (exit 0) in a folder
or among several paths, e.g. a stick holding several communes' uploads and the office's
package for each commune.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from papi_desktop.cli import CliApp


def register(sub: argparse._SubParsersAction) -> None:
    sync = sub.add_parser("sync", help="đồng bộ USB với cơ quan giám sát / xã phường")
    actions = sync.add_subparsers(dest="sync_cmd", metavar="ACTION", required=True)

    p = actions.add_parser("export", help="xuất gói đồng bộ ra thư mục (USB)")
    p.add_argument("--to", required=True, metavar="DIR", help="thư mục đích, ví dụ ổ USB")
    p.add_argument("--full", action="store_true", help="xuất toàn bộ dữ liệu (không chỉ phần mới)")
    p.add_argument(
        "--for-unit",
        metavar="CODE",
        help="(cơ quan giám sát) gói trả lại toàn bộ dữ liệu của một xã cho chính xã đó",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_export)

    p = actions.add_parser("import", help="nhập gói đồng bộ (tệp hoặc thư mục)")
    p.add_argument("paths", nargs="+", metavar="PATH")
    p.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")
    p.add_argument(
        "--trust-new", action="store_true", help="chấp nhận máy gửi mới (đã đối chiếu mã)"
    )
    p.add_argument(
        "--replace",
        action="store_true",
        help="máy mới thay máy cũ của cùng xã/phường (máy cũ bị thu hồi)",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("peers", help="các máy đã đăng ký")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_peers)

    p = actions.add_parser(
        "communes", help="(cơ quan giám sát) danh sách xã/phường được nhận gói dữ liệu"
    )
    p.add_argument("--add", nargs="+", default=[], metavar="CODE")
    p.add_argument("--remove", nargs="+", default=[], metavar="CODE")
    p.add_argument("--whole-province", action="store_true", help="trở lại mặc định: cả tỉnh")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_accepted)

    p = actions.add_parser("conflicts", help="các phiên bản bị xung đột (có thể khôi phục)")
    p.add_argument("--restore", metavar="ID", help="khôi phục phiên bản thua trong xung đột ID")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_conflicts)


def cmd_export(app: CliApp, args) -> int:
    from papi_desktop.services import sync

    res = sync.export_package(app.context(), Path(args.to), full=args.full, for_unit=args.for_unit)
    if args.json:
        app.print_json(res.as_dict())
    else:
        for path in res.paths:
            app.out(str(path))
    from papi_desktop.services.demo import is_demo_folder

    if is_demo_folder(app.context()):
        app.warn(
            app.t(
                "Lưu ý: đây là thư mục dữ liệu mẫu; gói chỉ để tập, máy có dữ liệu thật sẽ từ chối nhập.",
                "Note: this is a demo data folder; the package is for training and a PC with "
                "real data will refuse it.",
            )
        )
    from papi_desktop.services.maintenance import evidence_name

    for sha in res.missing_attachments:
        name = evidence_name(app.context(), sha)
        app.warn(
            app.t(
                f"Cảnh báo: thiếu hoặc hỏng tệp minh chứng {name} (không gửi kèm được); hãy "
                "đính kèm lại từ bản gốc.",
                f"Warning: evidence file {name} is missing or damaged (not sent); attach the "
                "original again.",
            )
        )
    return 0


def _counts_text(counts: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items() if v) or "—"


def cmd_import(app: CliApp, args) -> int:
    from papi_desktop.services import sync

    ctx = app.context()
    reports = sync.import_packages(
        ctx,
        [Path(p) for p in args.paths],
        dry_run=args.dry_run,
        trust_new=args.trust_new or args.replace,
        replace=args.replace,
    )
    if args.json:
        app.print_json([r.as_dict() for r in reports])
    else:
        for r in reports:
            who = r.sender.get("unit_name") or "?"
            name = Path(r.file).name
            if r.status == "refused":
                app.out(app.t("TỪ CHỐI: ", "REFUSED: ") + app.t(r.message_vi, r.message_en))
            elif r.status == "skipped":
                app.out(
                    app.t(f"BỎ QUA {name}: ", f"SKIPPED {name}: ")
                    + app.t(r.message_vi, r.message_en)
                )
            elif r.status == "already_imported":
                app.out(
                    app.t(
                        f"{name} ({who}): đã nhập trước đó, không thay đổi gì.",
                        f"{name} ({who}): already imported, nothing changed.",
                    )
                )
            else:
                s = r.summary
                head = app.t(
                    "XEM TRƯỚC" if r.status == "dry_run" else "ĐÃ NHẬP",
                    "DRY RUN" if r.status == "dry_run" else "APPLIED",
                )
                app.out(
                    f"{head} {name} ({who}, #{r.seq}): "
                    + app.t(
                        f"{s['new']} mới, {s['updated']} cập nhật, {s['conflicts']} xung đột, "
                        f"{s['ignored']} bỏ qua (cũ hơn), {s['attachments']} tệp minh chứng",
                        f"{s['new']} new, {s['updated']} updated, {s['conflicts']} conflicts, "
                        f"{s['ignored']} ignored as older, {s['attachments']} attachments",
                    )
                    + (
                        app.t(
                            f"; {s['skipped']} dòng của xã khác không lưu",
                            f"; {s['skipped']} rows about other communes not stored",
                        )
                        if s.get("skipped")
                        else ""
                    )
                )
            for w in r.warnings:
                app.warn(
                    app.t("Cảnh báo: ", "Warning: ") + (w["en"] if app.lang == "en" else w["vi"])
                )
        if reports and all(r.status == "skipped" for r in reports):
            app.out(
                app.t(
                    "Không có gói nào dành cho đơn vị này; không nhập gì.",
                    "No package for this unit; nothing was imported.",
                )
            )
    return 2 if any(r.status == "refused" for r in reports) else 0


def cmd_peers(app: CliApp, args) -> int:
    from papi_desktop.services import sync

    ctx = app.context()
    found = sync.peers(ctx)
    if args.json:
        app.print_json({"me": sync.ensure_identity(ctx), "peers": found})
        return 0
    me = sync.ensure_identity(ctx)
    app.out(
        app.t(
            f"Mã nhận dạng của máy này: {me['fingerprint']}",
            f"This PC's fingerprint: {me['fingerprint']}",
        )
    )
    if not found:
        app.out(app.t("Chưa có máy nào được đăng ký.", "No enrolled site yet."))
    from papi_desktop.services.formatting import stamp_to_text

    status = {"trusted": ("tin cậy", "trusted"), "replaced": ("đã thay máy", "replaced"),
              "revoked": ("đã thu hồi", "revoked")}  # fmt: skip
    for p in found:
        vi, en = status.get(p["status"], (p["status"], p["status"]))
        last = stamp_to_text(p["last_package_at"])
        app.out(
            f"{p['unit_code'] or '—':<6} {p['unit_name'][:40]:<40} {p['fingerprint']}  "
            f"{app.t(vi, en)}  #{p['last_seq']}  "
            + (app.t(f"gói gần nhất {last}", f"last package {last}") if last else "")
        )
    for w in sync.silence_warnings(ctx):
        app.warn(app.t("Cảnh báo: ", "Warning: ") + (w["en"] if app.lang == "en" else w["vi"]))
    return 0


def cmd_conflicts(app: CliApp, args) -> int:
    from papi_desktop.services import sync

    ctx = app.context()
    if args.restore:
        res = sync.restore_conflict(ctx, args.restore)
        app.out(
            app.t(
                f"Đã khôi phục phiên bản cũ vào {res['table']} {res['row_id']}.",
                f"Restored the old version into {res['table']} {res['row_id']}.",
            )
        )
        return 0
    found = sync.conflicts(ctx)
    if args.json:
        app.print_json(found)
        return 0
    if not found:
        app.out(app.t("Không có xung đột nào.", "No conflicts."))
    states = {"open": ("chưa xử lý", "open"), "restored": ("đã khôi phục", "restored"),
              "superseded": ("đã sửa sau đó", "changed since")}  # fmt: skip
    for c in found:
        where = " · ".join(x for x in (c["unit_name"], c["item"]) if x)
        if c["period"]:
            where += app.t(f" · kỳ {c['period']}", f" · period {c['period']}")
        diffs = "; ".join(
            f"{app.t(*_FIELDS.get(d['field'], (d['field'], d['field'])))}: "
            f"“{_short(d['kept'])}” ← “{_short(d['lost'])}”"
            for d in c["changes"]
        ) or app.t("không còn khác biệt", "no difference left")
        lost_who = ", ".join(x for x in (c["lost_by"], c["lost_site"]) if x) or "?"
        app.out(
            f"{where}: "
            + app.t(
                f"giữ bản của {c['kept_by'] or '?'} ({_when(c['kept_at'])}), bản thua của "
                f"{lost_who} ({_when(c['lost_at'])}) — {diffs} "
                f"[{states.get(c['state'], (c['state'],) * 2)[0]}; mã {c['id']}]",
                f"kept the version by {c['kept_by'] or '?'} ({_when(c['kept_at'])}), lost the "
                f"one by {lost_who} ({_when(c['lost_at'])}) — {diffs} "
                f"[{states.get(c['state'], (c['state'],) * 2)[1]}; id {c['id']}]",
            )
        )
    return 0


_FIELDS = {
    "note": ("ghi chú", "note"), "status": ("trạng thái", "status"),
    "result": ("kết quả", "result"), "title": ("tiêu đề", "title"), "name": ("tên", "name"),
    "deleted": ("đã xóa", "deleted"), "done_on": ("ngày xong", "done on"),
    "posted_on": ("ngày niêm yết", "posted on"), "comment": ("nhận xét", "comment"),
    "name_vi": ("tên", "name"), "title_vi": ("tên", "title"), "sort_order": ("thứ tự", "order"),
}  # fmt: skip


def _short(value) -> str:
    from papi_desktop.services.formatting import iso_to_text

    text = "" if value is None else str(value)
    if len(text) == 10 and text[4:5] == "-" and text[7:8] == "-":
        text = iso_to_text(text)  # a date read as a person types it
    return text if len(text) <= 40 else text[:39] + "…"


def _when(iso: str) -> str:
    """Local ``dd/mm/yyyy hh:mm`` from a stored UTC time ("?" when unknown)."""
    from papi_desktop.services.formatting import stamp_to_text

    return stamp_to_text(iso) or "?"


def cmd_accepted(app: CliApp, args) -> int:
    from papi_desktop.services import sync

    units = sync.edit_accepted_units(
        app.context(), add=args.add, remove=args.remove, whole_province=args.whole_province
    )
    if args.json:
        app.print_json(units)
        return 0
    app.out(
        app.t(
            f"Nhận gói dữ liệu từ {len(units)} xã/phường:",
            f"Packages are accepted from {len(units)} communes:",
        )
    )
    for u in units:
        app.out(f"{u['code']}  {u['name']}")
    return 0
