"""Submissions and reviews of a commune's yearly report (DHIS2-style approval).

A commune *submits* a year (``submit``); the supervising office *accepts* it or *returns*
it with a comment (``decide``), and may comment on a single task result
(``comment_result``). After acceptance the commune can only change that year's results
after an explicit, logged *reopen* (``reopen``); ``ensure_period_open`` is the check the
task service calls before saving a result.

Both sides' changes merge cleanly because each side writes only its own rows: every
submission round is one ``submission`` row of kind ``submit`` owned by the commune (its
reopen is a change of that same row), and the office's decision on that round is a
separate row of kind ``decision`` owned by the office. Comments on results are ``review``
rows owned by the office. Ids are deterministic (unit, year, kind, round), so a repeated
action on a restored PC meets the same row and the sync conflict rules apply.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from papi_desktop.domain.task_levels import OFFICE_UNIT
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

STATES = ("draft", "submitted", "accepted", "returned", "reopened")
STATE_LABELS = {
    "draft": {"vi": "Chưa gửi", "en": "Draft"},
    "submitted": {"vi": "Đã gửi, chờ duyệt", "en": "Submitted"},
    "accepted": {"vi": "Đã chấp nhận", "en": "Accepted"},
    "returned": {"vi": "Trả lại để bổ sung", "en": "Returned"},
    "reopened": {"vi": "Xã mở lại để sửa", "en": "Reopened"},
}
MAX_COMMENT = 2000
CHANGED_LABEL = {"vi": " (đã sửa sau khi gửi)", "en": " (changed since submitted)"}


@dataclass(frozen=True)
class SubmissionState:
    """Where a commune's report for one year stands, as both sides see it."""

    unit: str
    year: int
    state: str
    round: int
    submitted_at: str | None = None
    submitted_by: str = ""
    submit_note: str = ""
    decided_at: str | None = None
    decided_by: str = ""
    comment: str = ""
    reopened_at: str | None = None
    reopen_reason: str = ""
    framework_version: int | None = None
    completion: float | None = None
    # Results of the year were changed after the report was sent (and before a decision):
    # the office reviews something other than what was submitted.
    changed_since_submitted: bool = False

    def label(self, lang: str = "vi") -> str:
        text = STATE_LABELS[self.state][lang]
        if self.changed_since_submitted:
            text += CHANGED_LABEL[lang]
        return text

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _check_year(ctx: AppContext, year: int) -> int:
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise UserError(f"Năm “{year}” không hợp lệ.", f"Invalid year “{year}”.") from None
    if not 2000 <= year <= ctx.today().year:
        raise UserError(
            f"Năm {year} không hợp lệ: chỉ gửi/duyệt báo cáo của năm đã bắt đầu "
            f"(từ 2000 đến {ctx.today().year}).",
            f"Invalid year {year}: only years that have started (2000–{ctx.today().year}).",
        )
    return year


def _clean_comment(
    text: str | None,
    *,
    required: bool,
    what_vi: str,
    what_en: str,
    option: str = "--comment",
    why_vi: str = "để xã biết cần bổ sung gì",
    why_en: str = "so the commune knows what to fix",
) -> str:
    text = nfc(text or "").strip()
    if required and not text:
        raise UserError(
            f'Hãy ghi {what_vi} ({option} "…") {why_vi}.',
            f'Please give {what_en} ({option} "…") {why_en}.',
        )
    if len(text) > MAX_COMMENT:
        raise UserError(
            f"Nội dung quá dài ({len(text)} ký tự; tối đa {MAX_COMMENT}).",
            f"Text too long ({len(text)} characters; at most {MAX_COMMENT}).",
        )
    return text


def _submission_id(unit: str, year: int, kind: str, round_no: int) -> str:
    return rows.deterministic_id("submission", unit, year, kind, round_no)


def _fold_states(
    submits: dict[str, Any],
    decisions: dict[tuple[str, int], Any],
    unit: str,
    year: int,
    last_change: dict[str, str] | None = None,
) -> SubmissionState:
    s = submits.get(unit)
    if s is None:
        return SubmissionState(unit=unit, year=year, state="draft", round=0)
    d = decisions.get((unit, s["round"]))
    base = {
        "unit": unit,
        "year": year,
        "round": s["round"],
        "submitted_at": s["acted_at"],
        "submitted_by": s["acted_by"],
        "submit_note": s["comment"],
        "framework_version": s["framework_version"],
        "completion": s["completion"],
        "reopened_at": s["reopened_at"],
        "reopen_reason": s["reopen_reason"],
    }
    if d is not None:
        base.update(decided_at=d["acted_at"], decided_by=d["acted_by"], comment=d["comment"])
    if s["state"] == "reopened":
        return SubmissionState(state="reopened", **base)
    if d is None:
        changed = (last_change or {}).get(unit, "") > s["version"]
        return SubmissionState(state="submitted", changed_since_submitted=changed, **base)
    return SubmissionState(state=d["state"], **base)


def _last_result_changes(ctx: AppContext, year: int) -> dict[str, str]:
    """The newest row version of each unit's results of ``year`` (a deletion counts too).
    Versions are hybrid-clock stamps, so they order a commune's own writes exactly."""
    return {
        r[0]: r[1]
        for r in ctx.db.query(
            "SELECT unit_code, max(version) FROM task_result WHERE substr(period, 1, 4) = ? "
            "AND unit_code != ? GROUP BY unit_code",
            (str(year), OFFICE_UNIT),
        )
    }


def states_for_year(ctx: AppContext, year: int) -> dict[str, SubmissionState]:
    """The state of every unit that has a submission row for ``year`` (others are drafts)."""
    submits: dict[str, Any] = {}
    decisions: dict[tuple[str, int], Any] = {}
    for r in ctx.db.query(
        "SELECT * FROM submission WHERE deleted = 0 AND period = ? ORDER BY round",
        (str(year),),
    ):
        if r["kind"] == "submit":
            submits[r["unit_code"]] = r  # the highest round wins (ordered)
        else:
            decisions[(r["unit_code"], r["round"])] = r
    last = _last_result_changes(ctx, year) if submits else {}
    return {u: _fold_states(submits, decisions, u, year, last) for u in submits}


def state_of(ctx: AppContext, unit: str, year: int) -> SubmissionState:
    """The submission state of ``unit`` for ``year`` (draft when nothing was submitted)."""
    found = states_for_year(ctx, year).get(unit)
    return found or SubmissionState(unit=unit, year=year, state="draft", round=0)


def ensure_period_open(ctx: AppContext, unit: str, period: str | int) -> None:
    """Raise a UserError when ``unit``'s results of that period's year were accepted and not
    reopened. ``services.tasks.set_result`` calls this before saving."""
    year = int(str(period)[:4])
    st = state_of(ctx, unit, year)
    if st.state == "accepted":
        when = date_text(st.decided_at)
        raise UserError(
            f"Báo cáo năm {year} đã được cơ quan giám sát chấp nhận ({when}); kết quả của năm "
            "này đang được khóa. Muốn sửa, hãy mở lại kỳ báo cáo và ghi lý do: "
            f'papi-desktop review reopen --year {year} --reason "…" '
            "(việc mở lại được ghi nhật ký và gửi lên cơ quan giám sát).",
            f"The {year} report was accepted by the supervising office ({when}); its results "
            "are locked. To change them, reopen the period with a reason: "
            f'papi-desktop review reopen --year {year} --reason "…" '
            "(the reopening is logged and sent to the supervising office).",
        )


def edit_after_submit_notice(
    ctx: AppContext, unit: str, period: str | int
) -> tuple[str, str] | None:
    """What to tell the commune when it changes a result of a year whose report was sent and
    awaits review: the change is allowed, and the report shows as changed since submitted."""
    try:
        year = int(str(period).strip()[:4])
    except ValueError:
        return None  # the save itself refuses the period
    st = state_of(ctx, unit, year)
    if st.state != "submitted":
        return None
    when = date_text(st.submitted_at)
    return (
        f"Lưu ý: báo cáo năm {year} đã gửi ngày {when} và đang chờ duyệt; thay đổi này được ghi "
        "nhận và báo cáo được đánh dấu “đã sửa sau khi gửi” để cơ quan giám sát biết.",
        f"Note: the {year} report was submitted on {when} and awaits review; this change is "
        "recorded and the report is marked “changed since submitted” for the supervising office.",
    )


def date_text(iso: str | None) -> str:
    if not iso:
        return "—"
    try:
        return date.fromisoformat(iso[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def _completion_snapshot(ctx: AppContext, year: int) -> tuple[int | None, float | None]:
    from papi_desktop.services import district, tasks

    try:
        fw = tasks.current_framework(ctx)
    except UserError:
        return None, None
    site = ctx.require_site()
    figs = district.unit_figures(ctx, year, [site.unit_code])
    f = figs.get(site.unit_code)
    return fw["fw_version"], (f["completion"] if f else None)


# -- commune side ----------------------------------------------------------------------


def submit(ctx: AppContext, year: int, note: str | None = None) -> SubmissionState:
    """Send this commune's report of ``year`` for review (it travels in the next package)."""
    site = ctx.require_site("commune")
    year = _check_year(ctx, year)
    note_c = _clean_comment(note, required=False, what_vi="ghi chú", what_en="a note")
    st = state_of(ctx, site.unit_code, year)
    if st.state == "submitted":
        raise UserError(
            f"Báo cáo năm {year} đã gửi ngày {date_text(st.submitted_at)} và đang chờ "
            "cơ quan giám sát duyệt.",
            f"The {year} report was submitted on {date_text(st.submitted_at)} and awaits review.",
        )
    if st.state == "accepted":
        raise UserError(
            f"Báo cáo năm {year} đã được chấp nhận; không cần gửi lại. Nếu cần sửa, hãy mở lại "
            "kỳ báo cáo trước (papi-desktop review reopen).",
            f"The {year} report was already accepted. To change it, reopen it first.",
        )
    if not ctx.db.scalar(
        "SELECT count(*) FROM task_result WHERE deleted = 0 AND unit_code = ? "
        "AND substr(period, 1, 4) = ?",
        (site.unit_code, str(year)),
    ):
        raise UserError(
            f"Năm {year} chưa có kết quả nhiệm vụ nào nên chưa có gì để gửi. Hãy cập nhật kết "
            "quả trong trang Nhiệm vụ PAPI trước.",
            f"There are no task results for {year} yet, so there is nothing to send.",
        )
    fw_version, completion = _completion_snapshot(ctx, year)
    round_no = st.round + 1
    with ctx.db.transaction():
        rows.insert(
            ctx.db,
            "submission",
            {
                "unit_code": site.unit_code,
                "period": str(year),
                "kind": "submit",
                "round": round_no,
                "state": "submitted",
                "comment": note_c,
                "acted_at": ctx.clock.now_iso(),
                "acted_by": ctx.db.user_name,
                "framework_version": fw_version,
                "completion": completion,
            },
            row_id=_submission_id(site.unit_code, year, "submit", round_no),
        )
    return state_of(ctx, site.unit_code, year)


def reopen(ctx: AppContext, year: int, reason: str) -> SubmissionState:
    """Reopen an accepted year to change its results: logged, and sent to the office."""
    site = ctx.require_site("commune")
    year = _check_year(ctx, year)
    text = _clean_comment(
        reason, required=True, what_vi="lý do mở lại", what_en="a reason", option="--reason",
        why_vi="để cơ quan giám sát biết vì sao báo cáo đã chấp nhận được sửa lại",
        why_en="so the supervising office knows why an accepted report is being changed",
    )  # fmt: skip
    st = state_of(ctx, site.unit_code, year)
    if st.state != "accepted":
        raise UserError(
            f"Chỉ mở lại được báo cáo đã được chấp nhận; báo cáo năm {year} đang ở trạng thái "
            f"“{st.label('vi')}” nên vẫn sửa được bình thường.",
            f"Only an accepted report can be reopened; the {year} report is "
            f"“{st.label('en')}” and can be edited as it is.",
        )
    rid = _submission_id(site.unit_code, year, "submit", st.round)
    with ctx.db.transaction():
        rows.update(
            ctx.db,
            "submission",
            rid,
            {
                "state": "reopened",
                "reopened_at": ctx.clock.now_iso(),
                "reopened_by": ctx.db.user_name,
                "reopen_reason": text,
            },
        )
    return state_of(ctx, site.unit_code, year)


# -- supervising-office side -----------------------------------------------------------


def _known_unit(ctx: AppContext, unit: str) -> str:
    from papi_desktop.services.units import unit_code

    unit = unit_code(unit)
    row = ctx.db.one(
        "SELECT code, name FROM admin_unit WHERE level = 'commune' AND code = ?", (unit,)
    )
    if row is None:
        raise UserError(
            f"Không có xã/phường mã “{unit}”. Xem danh sách bằng: papi-desktop communes list",
            f"No commune with code “{unit}”. See: papi-desktop communes list",
        )
    return unit


def decide(
    ctx: AppContext,
    unit: str,
    year: int,
    decision: str,
    comment: str | None = None,
    *,
    force: bool = False,
) -> SubmissionState:
    """Accept or return a commune's submitted report of ``year``.

    A decision is never reversed silently: accepting an already accepted report changes
    nothing (the state is returned as it is, see ``already_decided``); returning an
    accepted report is refused unless ``force``, and a forced return is logged in the
    audit trail (field ``override``) besides the decision row's own history."""
    ctx.require_site("district")
    if decision not in ("accepted", "returned"):
        raise ValueError(decision)
    year = _check_year(ctx, year)
    unit = _known_unit(ctx, unit)
    text = _clean_comment(
        comment,
        required=decision == "returned",
        what_vi="lý do trả lại",
        what_en="the reason for returning it",
    )
    st = state_of(ctx, unit, year)
    name = _unit_name(ctx, unit)
    if st.state in ("draft", "reopened"):
        extra_vi = " (xã đã mở lại để sửa)" if st.state == "reopened" else ""
        extra_en = " (the commune reopened it)" if st.state == "reopened" else ""
        raise UserError(
            f"{name} chưa gửi báo cáo năm {year}{extra_vi}; chỉ duyệt được báo cáo "
            "đã gửi. Báo cáo đến cùng gói USB tiếp theo của xã.",
            f"{name} has not submitted its {year} report{extra_en}; only a submitted "
            "report can be reviewed. It arrives with the commune's next USB package.",
        )
    if already_decided(st, decision):
        return st
    if st.state == "returned" and decision == "accepted":
        raise UserError(
            f"Báo cáo năm {year} của {name} đã trả lại ngày {date_text(st.decided_at)} để bổ "
            "sung; chỉ chấp nhận được khi xã gửi lại (đến cùng gói USB tiếp theo của xã).",
            f"{name}'s {year} report was returned on {date_text(st.decided_at)}; it can be "
            "accepted once the commune sends it again.",
        )
    overriding = st.state == "accepted" and decision == "returned"
    if overriding and not force:
        raise UserError(
            f"Báo cáo năm {year} của {name} đã được chấp nhận ngày {date_text(st.decided_at)}"
            f"{' (' + st.decided_by + ')' if st.decided_by else ''}; chưa trả lại. Nếu thật sự "
            "cần trả lại báo cáo đã chấp nhận, thêm --force (việc này được ghi nhật ký và xã "
            "thấy trong gói USB tiếp theo).",
            f"{name}'s {year} report was accepted on {date_text(st.decided_at)}; not returned. "
            "To return an accepted report, add --force (this is logged and the commune sees it "
            "with the next USB package).",
        )
    rid = _submission_id(unit, year, "decision", st.round)
    values = {
        "state": decision,
        "comment": text,
        "acted_at": ctx.clock.now_iso(),
        "acted_by": ctx.db.user_name,
    }
    with ctx.db.transaction():
        if overriding:
            rows.write_audit(
                ctx.db, "submission", rid, "override", "accepted", f"returned (--force): {text}"
            )
        if ctx.db.one("SELECT id FROM submission WHERE id = ?", (rid,)):
            rows.restore(ctx.db, "submission", rid)
            rows.update(ctx.db, "submission", rid, values)
        else:
            rows.insert(
                ctx.db,
                "submission",
                {
                    "unit_code": unit,
                    "period": str(year),
                    "kind": "decision",
                    "round": st.round,
                    "framework_version": st.framework_version,
                    **values,
                },
                row_id=rid,
            )
    return state_of(ctx, unit, year)


def _unit_name(ctx: AppContext, unit: str) -> str:
    """The commune's name for messages ("Phường Ninh Hòa"), its code when unknown."""
    from papi_desktop.services import units

    found = units.commune(ctx, unit)
    return found["name"] if found else f"Xã/phường {unit}"


def already_decided(st: SubmissionState, decision: str) -> bool:
    """True when ``decision`` is "accepted" and the report is already accepted: accepting
    again changes nothing."""
    return decision == "accepted" and st.state == "accepted"


def comment_result(ctx: AppContext, unit: str, task_code: str, period: str, comment: str) -> str:
    """The office's comment on one task result of a commune; returns the review id."""
    from papi_desktop.domain.periods import Period
    from papi_desktop.services import tasks

    ctx.require_site("district")
    unit = _known_unit(ctx, unit)
    text = _clean_comment(comment, required=True, what_vi="nội dung nhận xét", what_en="a comment")
    code = (task_code or "").strip()
    if not code:
        raise UserError("Hãy chọn nhiệm vụ cần nhận xét.", "Choose the task to comment on.")
    task = tasks.task_by_code(ctx, code)
    code = task.code
    parsed = Period.parse(period)
    tasks.check_answer_year(ctx, parsed)
    if parsed.start > ctx.today():
        raise UserError(
            f"Kỳ {parsed} chưa bắt đầu (bắt đầu {parsed.start:%d/%m/%Y}); chỉ nhận xét được "
            "kết quả của kỳ đã bắt đầu.",
            f"Period {parsed} has not started (it starts {parsed.start:%d/%m/%Y}); only results "
            "of a period that has started can be commented on.",
        )
    p = str(parsed)
    allowed = tasks.valid_periods(task, parsed.year)
    if p not in allowed:
        shown = ", ".join(allowed[:12]) or "—"
        raise UserError(
            f"Nhiệm vụ {code} ({task.due_rule.label_vi}) không có kỳ “{period}”. "
            f"Các kỳ của năm {parsed.year}: {shown}.",
            f"Task {code} ({task.due_rule.label_en}) has no period “{period}”. "
            f"Periods of {parsed.year}: {shown}.",
        )
    result = ctx.db.one(
        "SELECT id FROM task_result WHERE unit_code = ? AND task_code = ? AND period = ?",
        (unit, code, p),
    )
    with ctx.db.transaction():
        return rows.insert(
            ctx.db,
            "review",
            {
                "unit_code": unit,
                "task_code": code,
                "period": p,
                "year": int(p[:4]),
                "result_id": result["id"] if result else None,
                "comment": text,
                "acted_at": ctx.clock.now_iso(),
                "acted_by": ctx.db.user_name,
            },
        )


def reviews(
    ctx: AppContext, *, year: int | None = None, unit: str | None = None
) -> list[dict[str, Any]]:
    """Comments on results, newest first; a commune sees only its own."""
    site = ctx.require_site()
    where, params = ["deleted = 0"], []
    if site.is_commune:
        where.append("unit_code = ?")
        params.append(site.unit_code)
    elif unit:
        where.append("unit_code = ?")
        params.append(unit)
    if year:
        where.append("year = ?")
        params.append(int(year))
    return [
        dict(r)
        for r in ctx.db.query(
            "SELECT id, unit_code AS unit, task_code, period, year, result_id, comment, "
            f"acted_at, acted_by FROM review WHERE {' AND '.join(where)} "
            "ORDER BY acted_at DESC, rowid DESC",
            params,
        )
    ]


def feedback(ctx: AppContext, year: int) -> dict[str, Any]:
    """What the commune's task page shows: the report's state and the office's comments."""
    site = ctx.require_site()
    unit = site.unit_code if site.is_commune else None
    if unit is None:
        raise UserError(
            "Phần phản hồi chỉ có trên máy của xã/phường.", "Feedback is shown on a commune PC."
        )
    return {"state": state_of(ctx, unit, int(year)), "reviews": reviews(ctx, year=int(year))}


def history(ctx: AppContext, unit: str, year: int) -> list[dict[str, Any]]:
    """Every round of ``unit``'s report for ``year``: submissions, decisions and reopenings,
    oldest first (both sides see the same list once the packages are exchanged)."""
    out: list[dict[str, Any]] = []
    for r in ctx.db.query(
        "SELECT kind, round, state, comment, acted_at, acted_by, reopened_at, reopened_by, "
        "reopen_reason "
        "FROM submission WHERE deleted = 0 AND unit_code = ? AND period = ? "
        "ORDER BY round, CASE kind WHEN 'submit' THEN 0 ELSE 1 END",
        (unit, str(year)),
    ):
        if r["kind"] == "submit":
            out.append({"round": r["round"], "event": "submitted", "at": r["acted_at"],
                        "by": r["acted_by"], "text": r["comment"]})  # fmt: skip
        else:
            out.append({"round": r["round"], "event": r["state"], "at": r["acted_at"],
                        "by": r["acted_by"], "text": r["comment"]})  # fmt: skip
        if r["kind"] == "submit" and r["reopened_at"]:
            out.append({"round": r["round"], "event": "reopened", "at": r["reopened_at"],
                        "by": r["reopened_by"], "text": r["reopen_reason"]})  # fmt: skip
    # Within a round the order is fixed: submitted, then the decision, then a reopening.
    step = {"submitted": 0, "accepted": 1, "returned": 1, "reopened": 2}
    out.sort(key=lambda e: (e["round"], step[e["event"]]))
    return out
