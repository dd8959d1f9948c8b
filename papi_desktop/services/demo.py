"""Realistic demo data, for training, screenshots and benchmarks.

On a commune installation it fills the commune's villages, its task results for the chosen
years (most past periods done, some late, a few not applicable with a reason) and a
disclosure register in every state (posted on time, late, ending soon, taken down early,
permanent). On a supervising-office installation it creates the same for N communes of its
province, as if their USB packages had been received. The data is deterministic: the same
call on the same day gives the same records.

Demo data lives only in demo data folders, never beside real data: a folder is a demo
folder when the setting ``demo_data`` is "1" (set when the folder is set up for the demo:
``papi-desktop --demo``, ``papi-desktop demo`` in an empty folder, the wizard's demo button).
``generate`` refuses anywhere else. A demo folder's packages say so in their manifest and
a real installation refuses them (services/sync.py), so demo rows never reach real data.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from papi_desktop.domain.deadlines import post_deadline, posting_end
from papi_desktop.domain.text import fold
from papi_desktop.errors import UserError
from papi_desktop.services import disclosures, tasks, units
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

VILLAGES = [
    "Thôn Phú Hòa", "Thôn Mỹ Lợi", "Thôn Vạn Khê", "Thôn Tân Mỹ", "Tổ dân phố 1",
    "Tổ dân phố 2", "Tổ dân phố 3", "Tổ dân phố Đông Hải",
]  # fmt: skip

NOTES_DONE = [
    "Đã triển khai tại tất cả các thôn, tổ dân phố.",
    "Có biên bản và ảnh chụp lưu hồ sơ.",
    "Đã báo cáo kết quả cho UBND xã.",
    "",
    "",
]
NA_REASONS = [
    "Trong kỳ không phát sinh nội dung này.",
    "Xã không có hệ thống loa truyền thanh.",
]

# (type code, title pattern, trigger (month, day) in the year, how far along at demo time)
DISCLOSURE_SCRIPT: list[tuple[str, str, tuple[int, int]]] = [
    ("NS-DUTOAN-QD", "Dự toán ngân sách {unit} năm {year} đã được HĐND quyết định", (1, 8)),
    ("NS-THUCHIEN-QUY", "Tình hình thực hiện dự toán ngân sách quý I năm {year}", (3, 31)),
    ("NS-QUYETTOAN", "Quyết toán ngân sách {unit} năm {prev} đã được HĐND phê chuẩn", (3, 27)),
    ("TTHC-XA", "Danh mục thủ tục hành chính thuộc thẩm quyền giải quyết của UBND xã", (1, 15)),
    ("QUYCHE-DANCHU", "Quy chế thực hiện dân chủ ở cơ sở của {unit}", (2, 26)),
    ("PAPI-KHUNG", "Bộ khung nhiệm vụ cải thiện Chỉ số PAPI năm {year}", (1, 20)),
    ("NS-THUCHIEN-QUY", "Tình hình thực hiện dự toán ngân sách 6 tháng đầu năm {year}", (6, 30)),
    ("DONGGOP-NHANDAN", "Kết quả huy động đóng góp xây dựng đường bê tông thôn Phú Hòa", (7, 14)),
    ("CS-ANSINH", "Danh sách hộ được hỗ trợ sửa chữa nhà ở năm {year}", (8, 5)),
    ("NS-THUCHIEN-QUY", "Tình hình thực hiện dự toán ngân sách 9 tháng năm {year}", (9, 30)),
    ("DAT-QUYHOACH-SDD", "Kế hoạch sử dụng đất năm {year} của {unit}", (10, 2)),
    (
        "HO-NGHEO-RASOAT",
        "Kết quả rà soát hộ nghèo, hộ cận nghèo năm {year} (thôn Mỹ Lợi)",
        (11, 10),
    ),
    ("LAYYKIEN-NHANDAN", "Lấy ý kiến Nhân dân về dự thảo quy hoạch chung đô thị", (10, 29)),
    ("DANH-MUC-CK-QUY", "Danh mục nội dung đã công khai quý III năm {year}", (10, 5)),
    ("TOCAO-KETLUAN", "Kết luận nội dung tố cáo số 02/KL-UBND", (11, 12)),
    (
        "DAT-BTHT-DUTHAO",
        "Dự thảo phương án bồi thường, hỗ trợ, tái định cư dự án đường ven biển",
        (10, 19),
    ),
    ("NS-DUTOAN-TRINH", "Dự toán ngân sách {unit} năm {next} trình HĐND", (11, 13)),
]
# Items the demo leaves not yet posted (the home page shows them as "to post now").
NOT_YET_POSTED = {"NS-DUTOAN-TRINH"}


DEMO_SETTING = "demo_data"
DEMO_UNIT = "22528"  # Phường Ninh Hòa, Tỉnh Khánh Hòa
DEMO_USER = "Nguyễn Văn An"


def is_demo_folder(ctx: AppContext) -> bool:
    """Whether this data folder was set up for the demo (its data is not real)."""
    return ctx.db.get_setting(DEMO_SETTING) == "1"


def mark_demo_folder(ctx: AppContext) -> None:
    """Mark a data folder that is being set up for the demo (before ``generate``)."""
    with ctx.db.transaction():
        ctx.db.set_setting(DEMO_SETTING, "1")


def refuse_real_folder(ctx: AppContext) -> None:
    """Refuse to put demo data into a folder that holds a real setup."""
    site = ctx.site
    if site is None or is_demo_folder(ctx):
        return
    demo_dir = demo_data_dir(None)
    raise UserError(
        f"Thư mục này chứa dữ liệu thật của {site.unit_name}; không thêm dữ liệu mẫu vào đây "
        "để khỏi lẫn vào báo cáo và gói gửi cơ quan giám sát. Để xem dữ liệu mẫu hãy mở "
        f"papi-desktop --demo (thư mục riêng “{demo_dir}”) hoặc chạy "
        "papi-desktop --data-dir THƯ_MỤC_TRỐNG demo.",
        f"This folder holds the real data of {site.unit_name}; demo data is not added here so "
        "that it never mixes into reports or packages for the office. To see the demo, open "
        f"papi-desktop --demo (its own folder “{demo_dir}”) or run "
        "papi-desktop --data-dir EMPTY_FOLDER demo.",
    )


def check_sizes(communes: int, years: int) -> None:
    if years < 1 or years > 10:
        raise UserError("Số năm dữ liệu mẫu phải từ 1 đến 10.", "--years must be 1..10.")
    if communes < 1 or communes > 500:
        raise UserError("Số xã mẫu phải từ 1 đến 500.", "--communes must be 1..500.")


def setup_demo(
    ctx: AppContext, role: str = "commune", communes: int = 30, years: int = 1
) -> dict[str, Any]:
    """Set up an empty data folder as a demo installation and fill it (commune: Phường
    Ninh Hòa; office: Sở Nội vụ tỉnh Khánh Hòa with ``communes`` communes)."""
    from papi_desktop.services import setup

    check_sizes(communes, years)  # before anything is set up: a refusal changes nothing
    if ctx.site is not None:
        refuse_real_folder(ctx)
        if ctx.db.scalar("SELECT count(*) FROM task_result WHERE deleted = 0"):
            raise UserError(
                "Thư mục mẫu này đã có dữ liệu mẫu; không tạo thêm.",
                "This demo folder already has demo data; nothing was added.",
            )
        return generate(ctx, communes=communes, years=years)
    if role == "district":
        setup.init_site(
            ctx, "district", unit_name="Sở Nội vụ tỉnh Khánh Hòa", province_code="56",
            user="Trần Thị Bình",
        )  # fmt: skip
    else:
        setup.init_site(ctx, "commune", unit_code=DEMO_UNIT, user=DEMO_USER)
    mark_demo_folder(ctx)
    return generate(ctx, communes=communes, years=years)


def generate(
    ctx: AppContext, communes: int = 30, years: int = 1, seed: int = 2026
) -> dict[str, Any]:
    """Fill this demo installation with demo data; returns counts and a message in vi/en.

    Refuses (UserError) in a folder that holds a real setup."""
    site = ctx.require_site()
    refuse_real_folder(ctx)
    check_sizes(communes, years)
    today = ctx.today()
    year_list = list(range(today.year - years + 1, today.year + 1))
    if site.is_commune:
        if ctx.db.scalar("SELECT count(*) FROM task_result WHERE deleted = 0"):
            raise UserError(
                "Máy này đã có dữ liệu nhiệm vụ; không tạo dữ liệu mẫu để tránh lẫn với dữ liệu thật. "
                "Hãy dùng một thư mục dữ liệu mới (--data-dir) để thử.",
                "This PC already has task data; demo data is only added to a fresh data folder.",
            )
        with ctx.db.transaction():
            for name in VILLAGES:
                units.ensure_place(ctx, site.unit_code, name)
            # A typical commune: most past work done, some tasks late, to show every state.
            counts = _fill_unit(
                ctx, site.unit_code, site.unit_name, year_list, ctx.db.site_id, seed, diligence=0.78
            )
            # The demo has a history: it has been tracked since the first demo year.
            units.set_tracking_from(ctx, site.unit_code, date(year_list[0], 1, 1))
            ctx.db.set_setting("signer_name", "Trần Văn Hùng")
            ctx.db.set_setting("signer_title", "CHỦ TỊCH")
            ctx.db.set_setting("signer_authority", "TM. ỦY BAN NHÂN DÂN")
            ctx.db.set_setting(
                "contact", "Công chức Văn phòng – Thống kê, điện thoại 0258 3840 123"
            )
        for y in year_list:
            disclosures.generate_plan(ctx, y)
        _par_sample(ctx)
        return {
            **counts,
            "message_vi": f"Đã tạo dữ liệu mẫu cho {site.unit_name}: {counts['results']} kết quả "
            f"nhiệm vụ, {counts['disclosures']} nội dung công khai, {len(VILLAGES)} thôn/tổ dân phố.",
            "message_en": f"Demo data for {site.unit_name}: {counts['results']} task results, "
            f"{counts['disclosures']} disclosures, {len(VILLAGES)} villages.",
        }
    candidates = units.communes_of_province(ctx, site.province_code)
    chosen = candidates[:communes]
    total = {"results": 0, "disclosures": 0, "communes": len(chosen)}
    for i, c in enumerate(chosen):
        owner = str(uuid.uuid5(uuid.NAMESPACE_URL, f"papi-demo-site/{c['code']}"))
        with ctx.db.transaction():
            for name in VILLAGES[: 3 + i % 5]:
                _insert_place(ctx, c["code"], name, owner)
            counts = _fill_unit(ctx, c["code"], c["name"], year_list, owner, seed + i)
        total["results"] += counts["results"]
        total["disclosures"] += counts["disclosures"]
    _par_season_at_office(ctx, [c["code"] for c in chosen], today.year, seed)
    total["message_vi"] = (
        f"Đã tạo dữ liệu mẫu cho {len(chosen)} xã/phường của {site.province_name}: "
        f"{total['results']} kết quả nhiệm vụ, {total['disclosures']} nội dung công khai."
    )
    total["message_en"] = (
        f"Demo data for {len(chosen)} communes of {site.province_name}: "
        f"{total['results']} task results, {total['disclosures']} disclosures."
    )
    return total


def _insert_place(ctx: AppContext, unit_code: str, name: str, owner: str) -> None:
    if units.find_place(ctx, unit_code, name):
        return
    rows.insert(
        ctx.db,
        "place",
        {"unit_code": unit_code, "name": name, "kind": "village", "search_key": fold(name)},
        owner_site=owner,
        audit=False,
    )


def _fill_unit(
    ctx: AppContext,
    unit_code: str,
    unit_name: str,
    years: list[int],
    owner: str,
    seed: int,
    diligence: float | None = None,
) -> dict[str, int]:
    """Task results and disclosures of one commune; ``diligence`` is the share of past
    periods done (random per commune when None, so communes differ)."""
    rng = random.Random(f"{seed}-{unit_code}")
    today = ctx.today()
    fw = tasks.current_framework(ctx)
    if diligence is None:
        diligence = 0.55 + 0.35 * rng.random()
    n_results = 0
    from papi_desktop.domain.periods import periods_in_year

    for t in tasks.framework_tasks(ctx, fw["id"]):
        for y in years:
            for period, due in periods_in_year(t.schedule, y):
                if period.start > today:
                    continue
                r = rng.random()
                if due < today:
                    if r < diligence:
                        status, result = "done", rng.choice(["met", "met", "met", "partial"])
                    elif r < diligence + 0.05:
                        status, result = "done", "na"
                    elif r < diligence + 0.15:
                        status, result = "doing", "unassessed"
                    else:
                        continue
                else:
                    if r < 0.35:
                        status, result = "doing", "unassessed"
                    elif r < 0.5:
                        status, result = "done", "met"
                    else:
                        continue
                done_on = None
                if status == "done":
                    lag = rng.randint(-20, 12)
                    done_on = min(due + timedelta(days=lag), today)
                    done_on = max(done_on, period.start)
                values = {
                    "unit_code": unit_code,
                    "task_code": t.code,
                    "period": str(period),
                    "framework_version": fw["fw_version"],
                    "status": status,
                    "result": result,
                    "na_reason": rng.choice(NA_REASONS) if result == "na" else "",
                    "done_on": done_on.isoformat() if done_on else None,
                    "note": rng.choice(NOTES_DONE) if status == "done" else "",
                    "follow_up": 1 if (status == "doing" and rng.random() < 0.3) else 0,
                }
                rows.insert(ctx.db, "task_result", values, owner_site=owner, audit=False)
                n_results += 1
    n_disc = 0
    places = [
        p["name"]
        for p in ctx.db.query(
            "SELECT name, kind FROM place WHERE unit_code = ? AND deleted = 0 "
            "ORDER BY CASE kind WHEN 'hq' THEN 0 ELSE 1 END, rowid",
            (unit_code,),
        )
    ] or [f"Trụ sở UBND {unit_name}"]
    cal = ctx.calendar()
    for y in years:
        for code, pattern, (m, d) in DISCLOSURE_SCRIPT:
            trigger = date(y, m, d)
            if trigger > today:
                continue
            try:
                t = disclosures.get_type(ctx, code)
            except UserError:
                continue
            rule = disclosures.rule_of(t)
            deadline = post_deadline(rule, trigger, cal).value
            title = pattern.format(unit=unit_name, year=y, prev=y - 1, next=y + 1)
            did = rows.insert(
                ctx.db,
                "disclosure",
                {
                    "unit_code": unit_code,
                    "type_code": code,
                    "title": title,
                    "decision_no": f"{rng.randint(1, 250):02d}/QĐ-UBND",
                    "decision_date": trigger.isoformat(),
                    "trigger_date": trigger.isoformat(),
                    "post_deadline": deadline.isoformat() if deadline else None,
                    "forms": json.dumps(t["forms"], ensure_ascii=False),
                    "loudspeaker_days": t["loudspeaker_days"],
                    "loudspeaker_from": (trigger + timedelta(days=2)).isoformat()
                    if t["loudspeaker_days"]
                    else None,
                    "opinions_count": rng.choice([0, 0, 0, 1, 2]),
                    "search_key": fold(f"{title} {t['name_vi']}"),
                },
                owner_site=owner,
                audit=False,
            )
            n_disc += 1
            wanted = places if "villages" in t["places"] else places[:1]
            behaviour = rng.random()
            for k, place in enumerate(wanted):
                if (behaviour < 0.08 and k > 0) or (code in NOT_YET_POSTED and y == today.year):
                    posted = None  # not posted yet at this place
                else:
                    lag = rng.randint(0, 3) if behaviour > 0.15 else rng.randint(6, 12)
                    posted = cal.next_working_day(trigger + timedelta(days=1 + lag + k % 2))
                    if posted > today:
                        posted = None
                end = posting_end(
                    rule, posted, cal, posting_day_is_day_one=ctx.posting_day_is_day_one
                ).value
                taken = None
                if posted and end and end < today:
                    taken = end + timedelta(days=rng.randint(1, 4))
                    if taken > today:
                        taken = None
                    if behaviour > 0.96 and k == 0:
                        taken = end - timedelta(days=3)  # taken down early: a violation to fix
                rows.insert(
                    ctx.db,
                    "disclosure_place",
                    {
                        "disclosure_id": did,
                        "place_name": place,
                        "posted_on": posted.isoformat() if posted else None,
                        "ends_on": end.isoformat() if end else None,
                        "taken_down_on": taken.isoformat() if taken else None,
                    },
                    owner_site=owner,
                    audit=False,
                )
    return {"results": n_results, "disclosures": n_disc}


def demo_data_dir(data_dir: str | None = None) -> Path:
    """The folder used by ``papi-desktop --demo``: never the real data folder."""
    from papi_desktop.config import resolve_data_dir

    if data_dir:
        return Path(data_dir)
    real = resolve_data_dir(None)
    return real.with_name(real.name + " (demo)")


def _par_sample(ctx: AppContext) -> None:
    """The SAMPLE PAR criteria, half of them self-scored and not yet submitted: the
    Chấm điểm page of the commune demo shows work in progress (issue 15)."""
    from papi_desktop.services import assess, assess_demo, assess_framework

    assess_framework.install_sample(ctx)
    year = ctx.today().year
    card = assess.list_items(ctx, assess_demo.INDEX, year)
    scorable = [i for i in card["items"] if i["scorable"] and i["method"] == "self"]
    for item in scorable[: len(scorable) // 2]:
        assess.set_score(ctx, item["code"], assess_demo.INDEX, year,
                         round(item["max_points"] * 0.8, item["decimals"]),
                         note="Tự chấm (dữ liệu mẫu)")  # fmt: skip


def _par_season_at_office(ctx: AppContext, codes: list[str], year: int, seed: int) -> None:
    """The office demo's PAR season (issue 15): the SAMPLE criteria, each demo commune's
    self-scores and submission written as that commune's rows (as the rest of this demo),
    then appraised by the office through the real service, so the office can rank them."""
    import random

    from papi_desktop.services import assess_demo, assess_framework

    assess_framework.install_sample(ctx)
    fw = assess_framework.current(ctx, assess_demo.INDEX)
    nodes = fw["nodes"]
    leaves = [c for c in fw["order"] if not nodes[c].children and nodes[c].method == "self"]
    for code in codes:
        owner = str(uuid.uuid5(uuid.NAMESPACE_URL, f"papi-demo-site/{code}"))
        rng = random.Random(f"{seed}-par-{code}-{year}")
        total = 0.0
        with ctx.db.transaction():
            for leaf in leaves:
                n = nodes[leaf]
                points = round(n.max_points * rng.uniform(0.55, 1.0), n.decimals)
                total += points
                rows.insert(ctx.db, "self_score", {
                    "unit_code": code, "index_name": assess_demo.INDEX, "year": year,
                    "code": leaf, "framework_version": fw["fw_version"], "points": points,
                    "note": "Tự chấm (dữ liệu mẫu)",
                }, owner_site=owner)  # fmt: skip
            rows.insert(ctx.db, "assess_submission", {
                "unit_code": code, "index_name": assess_demo.INDEX, "year": year,
                "state": "submitted", "framework_version": fw["fw_version"],
                "self_total": round(total, 2), "acted_at": ctx.clock.now_iso(),
                "acted_by": "Cán bộ văn phòng",
            }, owner_site=owner)  # fmt: skip
    assess_demo.appraise_all(ctx, year, seed=seed)


def prepare_demo(data_dir: str | None = None, role: str = "commune") -> Path:
    """Create (once) a demo installation with data; return its folder."""
    from papi_desktop.services import setup
    from papi_desktop.services.context import AppContext

    folder = demo_data_dir(data_dir)
    if role == "district":
        # The supervising office's demo is built from real USB packages of 30 demo communes.
        from papi_desktop.services.district_demo import prepare_district_demo

        return prepare_district_demo(folder)
    with AppContext(folder, auto_backup=False) as ctx:
        if ctx.site is None:
            setup.init_site(ctx, "commune", unit_code=DEMO_UNIT, user=DEMO_USER)
            mark_demo_folder(ctx)
            generate(ctx, years=1)
        elif data_dir is None and not is_demo_folder(ctx):
            mark_demo_folder(ctx)  # the dedicated demo folder, made before folders were marked
    return folder
