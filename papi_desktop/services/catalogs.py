"""Small catalogues the user maintains: holidays per year, the document signer, and a few
settings. Holiday changes reset the cached work calendar, so computed deadlines follow.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from papi_desktop.domain.calendar import HOLIDAY_KINDS
from papi_desktop.domain.dates import parse_date
from papi_desktop.domain.labels import HOLIDAY_KIND_LABELS  # noqa: F401  (re-exported for the window)
from papi_desktop.domain.task_levels import OFFICE_TRACKING_SETTING
from papi_desktop.domain.text import nfc
from papi_desktop.errors import UserError
from papi_desktop.services import units
from papi_desktop.services.context import AppContext
from papi_desktop.store import rows

HOLIDAY_FIELDS = ("day", "kind", "name_vi", "name_en", "legal_basis", "provisional")

SIGNER_KEYS = ("signer_name", "signer_title", "signer_authority")


def _holiday(r: Any) -> dict[str, Any]:
    d = dict(r)
    d["provisional"] = bool(d["provisional"])
    return d


def holiday_years(ctx: AppContext) -> list[int]:
    """Years that have holiday rows, plus the current and next year."""
    years = {
        int(r[0])
        for r in ctx.db.query("SELECT DISTINCT substr(day, 1, 4) FROM holiday WHERE deleted = 0")
    }
    today = ctx.today()
    years |= {today.year, today.year + 1}
    return sorted(years)


def list_holidays(ctx: AppContext, year: int) -> list[dict[str, Any]]:
    return [
        _holiday(r)
        for r in ctx.db.query(
            "SELECT id, day, kind, name_vi, name_en, legal_basis, source, confidence, provisional "
            "FROM holiday WHERE deleted = 0 AND substr(day, 1, 4) = ? ORDER BY day",
            (str(year),),
        )
    ]


def get_holiday(ctx: AppContext, holiday_id: str) -> dict[str, Any]:
    r = ctx.db.one(
        "SELECT id, day, kind, name_vi, name_en, legal_basis, source, confidence, provisional "
        "FROM holiday WHERE id = ? AND deleted = 0",
        (holiday_id,),
    )
    if r is None:
        raise UserError("Không còn ngày nghỉ này (đã bị xóa).", "This day off no longer exists.")
    return _holiday(r)


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    bad = set(values) - set(HOLIDAY_FIELDS)
    if bad:
        raise UserError(
            f"Không sửa được trường: {', '.join(sorted(bad))}.", f"Not editable: {bad}."
        )
    out: dict[str, Any] = {}
    if "day" in values:
        out["day"] = parse_date(values["day"]).isoformat()
    if "kind" in values:
        if values["kind"] not in HOLIDAY_KINDS:
            raise UserError(
                f"Loại ngày “{values['kind']}” không hợp lệ.", f"Unknown kind “{values['kind']}”."
            )
        out["kind"] = values["kind"]
    for key in ("name_vi", "name_en", "legal_basis"):
        if key in values:
            out[key] = nfc(str(values[key] or "").strip()) or ""
    if "provisional" in values:
        out["provisional"] = 1 if values["provisional"] else 0
    if "name_vi" in out and not out["name_vi"]:
        raise UserError("Hãy nhập tên ngày nghỉ, ví dụ “Tết Dương lịch”.", "Enter the name.")
    if (
        out.get("kind") == "swap-work"
        and "day" in out
        and date.fromisoformat(out["day"]).weekday() != 5
    ):
        raise UserError("Ngày làm bù phải là thứ Bảy.", "A swapped working day must be a Saturday.")
    return out


def _check_free(ctx: AppContext, day: str, except_id: str | None = None) -> Any:
    r = ctx.db.one("SELECT id, deleted, name_vi FROM holiday WHERE day = ?", (day,))
    if r is not None and not r["deleted"] and r["id"] != except_id:
        shown = date.fromisoformat(day).strftime("%d/%m/%Y")
        raise UserError(
            f"Ngày {shown} đã có trong danh mục ({r['name_vi']}). Hãy sửa dòng đó.",
            f"{shown} is already listed ({r['name_vi']}). Edit that row instead.",
        )
    return r


def add_holiday(
    ctx: AppContext,
    day: str | date,
    kind: str,
    name_vi: str,
    name_en: str = "",
    legal_basis: str = "",
    provisional: bool = False,
) -> str:
    """Add a day off (or a worked Saturday); returns its id."""
    values = _clean(
        {
            "day": day,
            "kind": kind,
            "name_vi": name_vi,
            "name_en": name_en,
            "legal_basis": legal_basis,
            "provisional": provisional,
        }
    )
    with ctx.db.transaction():
        old = _check_free(ctx, values["day"])
        if old is not None:  # a deleted row keeps the day (UNIQUE): bring it back
            rows.restore(ctx.db, "holiday", old["id"])
            rows.update(ctx.db, "holiday", old["id"], {**values, "source": "user"})
            hid = old["id"]
        else:
            hid = rows.insert(ctx.db, "holiday", {**values, "source": "user", "confidence": ""})
    ctx.invalidate_calendar()
    return hid


def update_holiday(ctx: AppContext, holiday_id: str, changes: dict[str, Any]) -> str:
    """Edit a row; returns the id of the row that now holds the values (the same id, unless
    the new day belonged to a deleted row, which is then brought back instead — rows are
    never hard-deleted because sync relies on tombstones)."""
    current = get_holiday(ctx, holiday_id)
    merged = {k: current[k] for k in HOLIDAY_FIELDS}
    merged.update(changes)
    values = _clean(merged)
    with ctx.db.transaction():
        target = holiday_id
        if values["day"] != current["day"]:
            old = _check_free(ctx, values["day"], except_id=holiday_id)
            if old is not None:
                rows.restore(ctx.db, "holiday", old["id"])
                rows.tombstone(ctx.db, "holiday", holiday_id)
                target = old["id"]
        rows.update(ctx.db, "holiday", target, values)
    ctx.invalidate_calendar()
    return target


def delete_holiday(ctx: AppContext, holiday_id: str) -> None:
    get_holiday(ctx, holiday_id)
    with ctx.db.transaction():
        rows.tombstone(ctx.db, "holiday", holiday_id)
    ctx.invalidate_calendar()


# -- signer and settings -------------------------------------------------------


# A name, title or contact line is printed in a document's heading or signature block: a
# few words, never a page (a long one pushes the signature off its page).
SETTING_MAX_CHARS = {"signer_name": 80, "signer_title": 80, "signer_authority": 120,
                     "contact": 200, "minutes_signers": 4000}  # fmt: skip


def _check_setting_text(key: str, value: str) -> None:
    from papi_desktop.domain.text import CONTROL_CHARS

    label_vi, label_en = SETTINGS.get(key, (key, key))
    limit = SETTING_MAX_CHARS.get(key)
    if limit is not None and len(value) > limit:
        raise UserError(
            f"“{label_vi}” dài {len(value)} ký tự, tối đa {limit} (in ở phần đầu hoặc khối chữ "
            "ký của văn bản). Hãy rút gọn.",
            f"“{label_en}” is {len(value)} characters long, at most {limit} (it is printed in "
            "the heading or signature block). Shorten it.",
        )
    if CONTROL_CHARS.search(value):
        raise UserError(
            f"“{label_vi}” có ký tự điều khiển không in được (thường do dán từ chương trình "
            "khác). Hãy gõ lại.",
            f"“{label_en}” holds an unprintable control character (usually pasted). Type it again.",
        )


def get_signer(ctx: AppContext) -> dict[str, str]:
    return {k: ctx.db.get_setting(k, "") or "" for k in SIGNER_KEYS}


def set_signer(
    ctx: AppContext, name: str, title: str, authority: str, *, require_title: bool = True
) -> None:
    """Save who signs the printed documents. The first-run wizard passes
    ``require_title=False``: the title may be filled in later under Danh mục."""
    values = {
        "signer_name": nfc(name.strip()) or "",
        "signer_title": nfc(title.strip()) or "",
        "signer_authority": nfc(authority.strip()) or "",
    }
    if require_title and not values["signer_title"]:
        raise UserError("Hãy nhập chức vụ người ký, ví dụ “CHỦ TỊCH”.", "Enter the signer's title.")
    for k, v in values.items():
        _check_setting_text(k, v)
    with ctx.db.transaction():
        for k, v in values.items():
            ctx.db.set_setting(k, v)


def get_contact(ctx: AppContext) -> dict[str, str]:
    """The contact person and phone printed on posting notices (the ``contact`` setting,
    stored as "person, điện thoại phone", the form the notices read)."""
    text = ctx.db.get_setting("contact") or ""
    at = text.lower().rfind(", điện thoại")
    if at < 0:
        return {"contact_person": text.strip(), "contact_phone": ""}
    return {
        "contact_person": text[:at].strip(),
        "contact_phone": text[at + len(", điện thoại") :].strip(" :"),
    }


def set_contact(ctx: AppContext, person: str, phone: str) -> None:
    """Save the contact person and phone that notices print; a phone is digits with spaces,
    dots, dashes or a leading +, 8 to 15 digits."""
    import re

    person = nfc(person.strip()) or ""
    phone = " ".join(phone.split())
    digits = re.sub(r"\D", "", phone)
    if phone and (not re.fullmatch(r"\+?[0-9 .\-()]+", phone) or not 8 <= len(digits) <= 15):
        raise UserError(
            f"Số điện thoại “{phone}” không hợp lệ: nhập 8–15 chữ số, ví dụ 0258 3840 123.",
            f"Phone “{phone}” is not valid: type 8–15 digits, e.g. 0258 3840 123.",
        )
    if phone and not person:
        raise UserError(
            "Hãy nhập người liên hệ (chức vụ, họ tên) đi kèm số điện thoại.",
            "Enter the contact person to go with the phone.",
        )
    text = f"{person}, điện thoại {phone}" if phone else person
    _check_setting_text("contact", text)
    with ctx.db.transaction():
        ctx.db.set_setting("contact", text)


def set_signer_and_contact(
    ctx: AppContext, name: str, title: str, authority: str, person: str, phone: str
) -> None:
    """The Settings page's Save: signer and contact together, all or nothing."""
    with ctx.db.transaction():
        set_signer(ctx, name, title, authority)
        set_contact(ctx, person, phone)


def set_posting_day_is_day_one(ctx: AppContext, value: bool) -> None:
    """Whether the posting day counts as day 1 of the posting period (default: not counted,
    Civil Code 2015 Art. 147)."""
    with ctx.db.transaction():
        ctx.db.set_setting("posting_day_is_day_one", "1" if value else "0")


# The window's own choices, kept in the data folder so they follow the data.
UI_PREFERENCES = ("ui_language", "theme", "demo_data")


def get_preference(ctx: AppContext, key: str) -> str | None:
    """A window preference: "ui_language" ("vi"/"en"), "theme" ("light"/"dark"), "demo_data"."""
    if key not in UI_PREFERENCES:
        raise KeyError(key)
    return ctx.db.get_setting(key)


def set_preferences(ctx: AppContext, **values: str) -> None:
    """Save window preferences (see ``get_preference``) in one transaction."""
    unknown = set(values) - set(UI_PREFERENCES)
    if unknown:
        raise KeyError(", ".join(sorted(unknown)))
    with ctx.db.transaction():
        for key, value in values.items():
            ctx.db.set_setting(key, value)


# -- settings the command line can change --------------------------------------------

SETTINGS: dict[str, tuple[str, str]] = {
    "signer_name": ("Họ tên người ký văn bản", "Name of the signer"),
    "signer_title": ("Chức vụ người ký, ví dụ CHỦ TỊCH", "Signer's title, e.g. CHỦ TỊCH"),
    "signer_authority": ("Thẩm quyền ký, ví dụ TM. ỦY BAN NHÂN DÂN", "Signing authority"),
    "contact": ("Người liên hệ in trên thông báo niêm yết", "Contact printed on notices"),
    "posting_day_is_day_one": (
        "1 = tính ngày niêm yết là ngày thứ nhất; 0 = không tính (BLDS Điều 147, mặc định)",
        "1 = the posting day counts as day 1; 0 = it does not (default)",
    ),
    "minutes_signers": (
        'Thành phần ký biên bản, JSON: [{"title": "…", "name": "…", "position": "…"}]',
        "Minutes signers as JSON",
    ),
    "tracking_from": (
        "Ngày bắt đầu theo dõi (dd/mm/yyyy): kỳ có hạn trước ngày này không tính quá hạn,"
        " không tính vào tỷ lệ hoàn thành",
        "Tracking start date: periods due before it are neither overdue nor counted",
    ),
}


def list_settings(ctx: AppContext) -> dict[str, str]:
    out = {k: ctx.db.get_setting(k, "") or "" for k in SETTINGS}
    site = ctx.site
    tracked = units.tracking_dates(ctx).get(site.unit_code) if site and site.unit_code else None
    if site is not None and site.is_district:
        # The office's own checklist (issue 14) starts on its own day.
        from papi_desktop.services.tasks import office_tracking_from

        tracked = office_tracking_from(ctx)
    out["tracking_from"] = tracked.isoformat() if tracked else ""
    return out


def change_setting(ctx: AppContext, key: str, value: str) -> None:
    """Validate and save one setting; UserError names the problem."""
    import json

    if key not in SETTINGS:
        raise UserError(
            f"Không có mục cài đặt “{key}”. Các mục: {', '.join(SETTINGS)}.",
            f"Unknown setting “{key}”. Settings: {', '.join(SETTINGS)}.",
        )
    value = nfc(value) or ""
    if key == "tracking_from":
        site = ctx.require_site()
        day = parse_date(value) if value else None
        if day is not None and day > ctx.today():
            raise UserError(
                f"Ngày bắt đầu theo dõi {day:%d/%m/%Y} ở tương lai.",
                f"The tracking start date {day:%d/%m/%Y} is in the future.",
            )
        from papi_desktop.services.tasks import answer_years

        first = min(answer_years(ctx))
        if day is not None and day.year < first:
            raise UserError(
                f"Ngày bắt đầu theo dõi {day:%d/%m/%Y} quá xa: kết quả chỉ được ghi từ năm "
                f"{first}. Hãy kiểm tra lại năm.",
                f"The tracking start date {day:%d/%m/%Y} is too far back: results are kept "
                f"from {first}. Check the year.",
            )
        if site.is_district:
            ctx.db.set_setting(OFFICE_TRACKING_SETTING, day.isoformat() if day else None)
            return
        units.set_tracking_from(ctx, site.unit_code, day)
        return
    _check_setting_text(key, value)
    if key == "posting_day_is_day_one" and value not in ("0", "1"):
        raise UserError(
            "posting_day_is_day_one chỉ nhận 0 hoặc 1.", "posting_day_is_day_one takes 0 or 1."
        )
    if key == "minutes_signers" and value:
        try:
            signers = json.loads(value)
            ok = isinstance(signers, list) and all(
                isinstance(x, dict) and x.get("title") for x in signers
            )
        except ValueError:
            ok = False
        if not ok:
            raise UserError(
                'minutes_signers phải là danh sách JSON, mỗi người có "title", ví dụ '
                '[{"title": "Đại diện UBND", "name": "Trần Văn Hùng"}].',
                'minutes_signers must be a JSON list of objects with a "title".',
            )
    with ctx.db.transaction():
        ctx.db.set_setting(key, value)


def catalogue_origin(ctx: AppContext, table: str, catalog: str) -> dict[str, Any]:
    """Who a shared catalogue (``disclosure_type`` or ``holiday`` rows) came from: the
    version shipped with the app, the sites that own rows (this PC, or the office that
    published them by USB, by name) and the latest change with its author."""
    if table not in ("disclosure_type", "holiday"):
        raise ValueError(table)
    me = ctx.db.site_id
    peers = {
        r["site_id"]: r["unit_name"] or r["unit_code"] or r["site_id"][:8]
        for r in ctx.db.query("SELECT site_id, unit_name, unit_code FROM sync_peer")
    }
    owners: set[str] = set()
    latest = {"updated_at": "", "updated_by": ""}
    for r in ctx.db.query(
        f"SELECT owner_site, max(updated_at) AS at FROM {table} WHERE deleted = 0 "
        "GROUP BY owner_site"
    ):
        site = r["owner_site"]
        owners.add("this PC" if site == me else peers.get(site, site))
        if r["at"] > latest["updated_at"]:
            row = ctx.db.one(
                f"SELECT updated_at, updated_by FROM {table} WHERE owner_site = ? "
                "ORDER BY updated_at DESC LIMIT 1",
                (site,),
            )
            latest = {"updated_at": row["updated_at"], "updated_by": row["updated_by"]}
    shipped = ctx.db.one("SELECT version FROM catalog_version WHERE name = ?", (catalog,))
    return {
        "catalog_version": shipped["version"] if shipped else "",
        "publishers": sorted(owners),
        **latest,
    }
