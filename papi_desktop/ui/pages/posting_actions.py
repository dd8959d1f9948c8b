"""Recording, correcting and undoing posting records from the disclosure editor's places
table: one date for every chosen place, always confirmed first (an early take-down or a
re-posting is said before anything is written), through ``services.postings``.

``PostingActions`` is mixed into ``DisclosureDetail``, which provides ``item``,
``place_tree``, ``act_date``, ``ctx``, ``tr``, ``lang`` and ``page``.
"""

from __future__ import annotations

from typing import Any

from papi_desktop.errors import StorageError, UserError
from papi_desktop.services import postings
from papi_desktop.ui import dialogs
from papi_desktop.ui.pages import fields


class PostingActions:
    """The posting buttons' actions (see the module docstring)."""

    item: dict[str, Any] | None
    place_tree: Any
    act_date: Any
    page: Any

    def _selected_places(self) -> list[dict[str, Any]]:
        """The place rows chosen in the table (one or several)."""
        if self.item is None:
            return []
        return [self.item["places"][int(i)] for i in self.place_tree.selection()]

    def _act(self, what: str) -> None:
        """Record one date at every chosen place, after the user confirmed what it means."""
        chosen = self._selected_places()
        top = self.winfo_toplevel()
        if not chosen:
            dialogs.warning(
                top,
                self.tr(
                    "Hãy chọn một hoặc nhiều địa điểm trong bảng (giữ Ctrl để chọn nhiều).",
                    "Choose one or more places in the table (hold Ctrl for several).",
                ),
            )
            return
        names = [p["place"] for p in chosen]
        try:
            day = fields.read_date(self.act_date, "Ngày", "Date")
            if day is None:
                raise UserError("Hãy nhập ngày (dd/mm/yyyy).", "Enter the date (dd/mm/yyyy).")
            if not dialogs.ask_yes_no(top, self._confirm_text(what, chosen, day)):
                return
            if what == "post":
                postings.record_postings(self.ctx, self.item["id"], names, day)
            else:
                postings.record_takedowns(self.ctx, self.item["id"], names, day)
        except (UserError, StorageError) as exc:
            dialogs.error(top, fields.message_of(exc, self.lang))
            return
        self._reselect(self.place_tree.selection())

    def _confirm_text(self, what: str, chosen: list[dict[str, Any]], day: Any) -> str:
        """What recording will do, in plain words, with the warnings first."""
        when = f"{day:%d/%m/%Y}"
        places = ", ".join(p["place"] for p in chosen)
        lines = []
        if what == "post":
            lines.append(
                self.tr(
                    f"Ghi niêm yết ngày {when} tại: {places}?",
                    f"Record posting on {when} at: {places}?",
                )
            )
            for p in chosen:
                if p["posted_on"] and p["posted_on"] != day.isoformat():
                    old = fields.iso_to_text(p["posted_on"])
                    lines.append(
                        self.tr(
                            f"• {p['place']} đã ghi niêm yết ngày {old}: đây là niêm yết lại, thời gian tính lại từ {when}.",
                            f"• {p['place']} was posted on {old}: this is a re-posting, the period counts again from {when}.",
                        )
                    )
        else:
            lines.append(
                self.tr(
                    f"Ghi ngày gỡ / kết thúc {when} tại: {places}?",
                    f"Record taking down on {when} at: {places}?",
                )
            )
            for p in chosen:
                if p["ends_on"] and day.isoformat() <= p["ends_on"]:
                    end = fields.iso_to_text(p["ends_on"])
                    lines.append(
                        self.tr(
                            f"• {p['place']}: GỠ SỚM — phải niêm yết đến hết ngày {end}; ghi thế này là niêm yết chưa đủ thời gian.",
                            f"• {p['place']}: EARLY — it must stay up until {end}; this records an incomplete posting.",
                        )
                    )
        lines.append(
            self.tr(
                "Ghi nhầm có thể sửa bằng “Sửa ngày” hoặc “Bỏ lần ghi cuối”.",
                "A wrong record can be fixed with “Correct date” or “Undo last record”.",
            )
        )
        return "\n".join(lines)

    def _one_recorded_place(self) -> dict[str, Any] | None:
        chosen = self._selected_places()
        top = self.winfo_toplevel()
        if len(chosen) != 1:
            dialogs.warning(
                top, self.tr("Hãy chọn đúng một địa điểm.", "Choose exactly one place.")
            )
            return None
        if not chosen[0]["posted_on"]:
            dialogs.warning(
                top,
                self.tr(
                    f"Tại {chosen[0]['place']} chưa ghi ngày nào.",
                    f"Nothing recorded at {chosen[0]['place']}.",
                ),
            )
            return None
        return chosen[0]

    def undo_record(self) -> None:
        """Undo the last record at the chosen place: the take-down if any, else the posting."""
        p = self._one_recorded_place()
        if p is None:
            return
        record = "end" if p["taken_down_on"] else "post"
        when = fields.iso_to_text(p["taken_down_on"] if record == "end" else p["posted_on"])
        question = (
            self.tr(
                f"Bỏ ngày gỡ / kết thúc {when} tại {p['place']}? Nội dung sẽ lại là đang niêm yết.",
                f"Undo the take-down of {when} at {p['place']}? The item is posted again.",
            )
            if record == "end"
            else self.tr(
                f"Bỏ ngày niêm yết {when} tại {p['place']}?",
                f"Undo the posting of {when} at {p['place']}?",
            )
        )
        top = self.winfo_toplevel()
        if not dialogs.ask_yes_no(
            top, question + self.tr(" (Lưu trong lịch sử.)", " (Kept in the history.)")
        ):
            return
        try:
            postings.undo_record(self.ctx, self.item["id"], p["place"], record)
        except (UserError, StorageError) as exc:
            dialogs.error(top, fields.message_of(exc, self.lang))
            return
        self._reselect(self.place_tree.selection())

    def correct_record(self) -> None:
        """Put the date typed in the Date box in place of the last record at the place."""
        p = self._one_recorded_place()
        if p is None:
            return
        top = self.winfo_toplevel()
        record = "end" if p["taken_down_on"] else "post"
        try:
            day = fields.read_date(self.act_date, "Ngày", "Date")
            if day is None:
                raise UserError(
                    "Nhập ngày đúng vào ô Ngày rồi bấm “Sửa ngày”.",
                    "Type the right date in the Date box, then press “Correct date”.",
                )
            old = fields.iso_to_text(p["taken_down_on"] if record == "end" else p["posted_on"])
            what = (
                self.tr("ngày gỡ / kết thúc", "take-down date")
                if record == "end"
                else self.tr("ngày niêm yết", "posting date")
            )
            question = self.tr(
                f"Sửa {what} tại {p['place']} từ {old} thành {day:%d/%m/%Y}? (Lưu trong lịch sử.)",
                f"Change the {what} at {p['place']} from {old} to {day:%d/%m/%Y}? (Kept in the history.)",
            )
            if not dialogs.ask_yes_no(top, question):
                return
            postings.correct_record(self.ctx, self.item["id"], p["place"], record, day)
        except (UserError, StorageError) as exc:
            dialogs.error(top, fields.message_of(exc, self.lang))
            return
        self._reselect(self.place_tree.selection())

    def _reselect(self, chosen: tuple[str, ...]) -> None:
        self.page.item_changed(self.item["id"])
        kept = [i for i in chosen if self.place_tree.exists(i)]
        if kept:
            self.place_tree.selection_set(kept)
