"""What an official reads when a sync package is refused or skipped, in Vietnamese and English.

The checks in ``package``, ``merge`` and ``services.sync`` raise ``PackageRefused`` with a
reason code and a technical description; that description goes to the log and the
``--json`` ``detail`` field only. The message shown is built here from the reason code and
the names involved (file, sender, this unit, the intended receiver): one line saying what is
wrong and what to do, without file-system paths, table names or library errors.
"""

from __future__ import annotations

from dataclasses import dataclass

# Where a package is addressed when it is not for this PC (``Names.where``).
OWN = "own"  # exported by this PC
ROLE = "role"  # for the other side: a commune's upload seen at a commune, and the reverse
PROVINCE = "province"  # for (or from) another province
UNIT = "unit"  # for another commune of this province
PC = "pc"  # for another PC of this unit (an old or replaced one)
OTHERS = "others"  # for the communes without a package of their own; this one has its own
RESTORE = "restore"  # a restore package this PC cannot take


@dataclass
class Names:
    """The names a message needs; empty strings when unknown (a damaged file)."""

    file: str
    sender: str = ""
    sender_province: str = ""
    here: str = ""
    here_is_commune: bool = True
    target: str = ""  # the unit the package is meant for
    fingerprint: str = ""
    where: str = ""  # one of the constants above, for ``receiver`` / ``own``
    what: tuple[str, str] = ("", "")  # the kind of data a rule was broken for (vi, en)
    limit: str = ""  # which limit a package broke: text / rows / attachment
    old_fingerprint: str = ""  # the unit's PC already trusted, and since when (dd/mm/yyyy)
    since: str = ""

    def who(self, lang: str) -> str:
        if self.sender:
            return self.sender
        return "máy gửi" if lang == "vi" else "the sender"

    def province(self, lang: str) -> str:
        """`` (tỉnh Khánh Hòa)`` after the sender's name, or nothing."""
        p = self.sender_province.strip()
        if not p:
            return ""
        return f" ({p[0].lower() + p[1:]})" if lang == "vi" else f" ({p})"

    def here_name(self, lang: str) -> str:
        if self.here:
            return self.here
        return "đơn vị này" if lang == "vi" else "this unit"

    def target_name(self, lang: str) -> str:
        if self.target:
            return self.target
        if self.where in (ROLE, OWN):
            if self.here_is_commune:
                return "cơ quan giám sát" if lang == "vi" else "the supervising office"
            return "các xã/phường" if lang == "vi" else "the communes"
        return "đơn vị khác" if lang == "vi" else "another unit"


def refusal(code: str, n: Names) -> tuple[str, str]:
    """The one-line message (vi, en) for a refused package with reason ``code``."""
    f, s, se = n.file, n.who("vi"), n.who("en")
    if code == "damaged":
        return (
            f"Gói dữ liệu {f} bị hỏng hoặc đã bị sửa sau khi xuất (nội dung không khớp với bản kê "
            f"có chữ ký, có thể do rút USB khi đang chép); không nhập gì. Hãy nhờ {s} xuất lại "
            "gói và chép lại.",
            f"Package {f} is damaged or was altered after export (its content does not match "
            "the signed list; perhaps the USB stick was pulled out while copying); nothing was "
            f"imported. Ask {se} to export it again and copy it again.",
        )
    if code == "unreadable":
        return (
            f"Không đọc được gói {f} trên USB (USB bị rút hoặc bị lỗi). Hãy cắm lại USB rồi "
            f"nhận lại; nếu vẫn lỗi, hãy nhờ {s} chép lại gói.",
            f"Package {f} cannot be read from the USB stick (removed or faulty). Plug it in "
            f"again and retry; if it still fails, ask {se} to copy the package again.",
        )
    if code == "not_found":
        return (
            f"Không tìm thấy tệp {f}. Hãy kiểm tra USB đã cắm và chọn đúng ổ hoặc thư mục.",
            f"File {f} not found. Check that the USB stick is plugged in and pick the right "
            "drive or folder.",
        )
    if code in ("limits", "path", "members"):
        return (
            f"Gói {f} có nội dung bất thường (có thể đã bị sửa hoặc là tệp độc hại); không "
            f"nhập gì. Hãy xóa tệp này khỏi USB và nhờ {s} xuất lại gói.",
            f"Package {f} has unusual content (it may have been altered or be harmful); "
            f"nothing was imported. Delete it from the stick and ask {se} to export it again.",
        )
    if code == "signature":
        return (
            f"Gói {f} đã bị thay đổi sau khi xuất hoặc không do {s} tạo ra (chữ ký không "
            f"khớp); không nhập gì. Hãy nhờ {s} xuất lại gói và chép lại.",
            f"Package {f} was changed after it was exported or was not made by {se} (the "
            f"signature does not match); nothing was imported. Ask {se} to export it again.",
        )
    if code == "format":
        return (
            f"Tệp {f} không phải gói dữ liệu của PAPI Desktop; không nhập gì. Hãy kiểm tra "
            "lại tệp trên USB (gói đúng có đuôi .papisync do PAPI Desktop xuất ra).",
            f"{f} is not a PAPI Desktop data package; nothing was imported. Check the files "
            "on the stick (real packages are .papisync files exported by PAPI Desktop).",
        )
    if code == "format_version":
        return (
            f"Gói {f} do phiên bản PAPI Desktop mới hơn tạo ra nên máy này chưa đọc được; "
            "không nhập gì. Hãy cập nhật PAPI Desktop trên máy này rồi nhận lại.",
            f"Package {f} was made by a newer PAPI Desktop that this PC cannot read yet; "
            "nothing was imported. Update PAPI Desktop on this PC, then import it again.",
        )
    if code == "schema":
        return (
            f"Gói {f} của {s} có dữ liệu mà phiên bản PAPI Desktop trên máy này chưa hiểu; "
            f"không nhập gì. Hãy cập nhật PAPI Desktop trên máy này, hoặc nhờ {s} xuất lại gói.",
            f"Package {f} from {se} holds data this PC's PAPI Desktop does not understand; "
            f"nothing was imported. Update PAPI Desktop here, or ask {se} to export it again.",
        )
    if code == "ownership":
        return (
            f"Gói {f} mang tên {s} nhưng chứa dữ liệu không phải của đơn vị đó (có thể đã bị "
            f"sửa); không nhập gì. Hãy gọi điện cho {s} để kiểm tra và nhờ xuất lại gói.",
            f"Package {f} claims to come from {se} but holds data that is not theirs (it may "
            f"have been altered); nothing was imported. Call {se} and ask for a new package.",
        )
    if code == "sanity":
        return (
            f"Gói {f} của {s} không đầy đủ (số bản ghi không khớp); không nhập gì. Hãy nhờ "
            f"{s} xuất lại gói, chọn “Gửi toàn bộ dữ liệu”.",
            f"Package {f} from {se} is incomplete (record counts do not match); nothing was "
            f"imported. Ask {se} to export again with “Send everything” ticked.",
        )
    if code == "key_changed":
        return (
            f"Gói {f} mang tên {s} nhưng được ký bằng khóa khác với máy đã đăng ký (có thể là "
            f"gói giả mạo, hoặc {s} đã cài lại máy); không nhập gì. Hãy gọi điện cho {s} để hỏi.",
            f"Package {f} claims to come from {se} but is signed with another key than the "
            f"enrolled PC (a forgery, or {se} reinstalled the PC); nothing was imported. "
            f"Call {se} to ask.",
        )
    if code == "revoked":
        return (
            f"Máy đã xuất gói {f} của {s} đã bị thu hồi hoặc được thay bằng máy khác; không "
            f"nhập gì. Hãy nhờ {s} xuất gói từ máy đang dùng.",
            f"The PC of {se} that exported {f} was revoked or replaced; nothing was "
            f"imported. Ask {se} to export from the PC they use now.",
        )
    if code == "unknown_sender":
        return (
            f"{s} gửi gói tới máy này lần đầu; mã nhận dạng của máy gửi là {n.fingerprint}. "
            f"Hãy gọi điện cho {s} để đối chiếu mã này rồi xác nhận (dòng lệnh: thêm "
            "--trust-new); chưa nhập gì.",
            f"{se} sends to this PC for the first time; the sending PC's fingerprint is "
            f"{n.fingerprint}. Call {se} to compare it, then confirm (command line: add "
            "--trust-new); nothing was imported yet.",
        )
    if code == "not_allowed":
        return (
            f"Gói {f} do {s}{n.province('vi')} gửi, không thuộc danh sách xã/phường của cơ "
            f"quan này; không nhập gì. Hãy kiểm tra lại USB; nếu cơ quan này có theo dõi {s}, "
            "hãy nhờ cán bộ kỹ thuật thêm vào danh sách.",
            f"Package {f} was sent by {se}{n.province('en')}, which is not on this office's "
            f"list of communes; nothing was imported. Check the stick; if this office does "
            f"supervise {se}, ask the IT officer to add it to the list.",
        )
    if code == "demo":
        return (
            f"Gói {f} của {s} được xuất từ thư mục dữ liệu MẪU (để tập dùng), không phải dữ "
            "liệu thật; không nhập gì. Hãy nhờ máy gửi xuất gói từ thư mục dữ liệu thật.",
            f"Package {f} from {se} was exported from a DEMO data folder (for training), not "
            "real data; nothing was imported. Ask the sender to export from the real data folder.",
        )
    if code in ("receiver", "own"):
        return _not_for_here(n)
    if code in _AUTH_CODES:
        return _authorization(code, n)
    return (
        f"Không nhận gói {f}; không nhập gì. Hãy nhờ {s} xuất lại gói.",
        f"Package {f} was refused; nothing was imported. Ask {se} to export it again.",
    )


def _not_for_here(n: Names) -> tuple[str, str]:
    f, s, se = n.file, n.who("vi"), n.who("en")
    here, here_en = n.here_name("vi"), n.here_name("en")
    t, te = n.target_name("vi"), n.target_name("en")
    if n.where == OWN:
        return (
            f"Gói {f} do chính máy này xuất ra; không cần nhận. Hãy mang USB tới {t}.",
            f"Package {f} was exported by this PC; there is nothing to import. Take the "
            f"stick to {te}.",
        )
    if n.where == PROVINCE and not n.here_is_commune:
        prov = n.sender_province.strip()
        office = f"cơ quan giám sát của {prov[0].lower() + prov[1:]}" if prov else (
            "cơ quan giám sát của đơn vị gửi"
        )  # fmt: skip
        office_en = f"the supervising office of {prov}" if prov else "the sender's office"
        return (
            f"Gói {f} do {s}{n.province('vi')} gửi, không thuộc danh sách xã/phường của cơ "
            f"quan này; không nhập gì. Hãy để gói này trên USB để mang tới {office}.",
            f"Package {f} was sent by {se}{n.province('en')}, which is not on this office's "
            f"list of communes; nothing was imported. Leave it on the stick for {office_en}.",
        )
    if n.where == PROVINCE:
        return (
            f"Gói {f} do {s}{n.province('vi')} gửi cho xã/phường của tỉnh đó, không dành cho "
            f"{here}; không nhập gì.",
            f"Package {f} was sent by {se}{n.province('en')} to that province's communes, not "
            f"to {here_en}; nothing was imported.",
        )
    if n.where == ROLE:
        return (
            f"Gói {f} do {s} gửi cho {t}, không dành cho {here}; không nhập gì. Hãy để gói "
            f"này trên USB để mang tới {t}.",
            f"Package {f} was sent by {se} to {te}, not to {here_en}; nothing was imported. "
            f"Leave it on the stick for {te}.",
        )
    if n.where == PC:
        return (
            f"Gói {f} gửi cho một máy khác của {here} (máy cũ hoặc máy đã thay), không phải "
            f"máy này; không nhập gì. Hãy gửi một gói từ máy này cho {s} rồi nhờ xuất lại.",
            f"Package {f} is addressed to another PC of {here_en} (an old or replaced one); "
            f"nothing was imported. Send {se} a package from this PC, then ask for a new one.",
        )
    if n.where == OTHERS:
        return (
            f"Gói {f} dành cho các xã/phường chưa có gói riêng, không phải {here} ({here} có "
            "gói riêng trên USB); không nhập gì. Hãy nhận cả thư mục USB để máy chọn đúng gói.",
            f"Package {f} is for the communes without a package of their own, not {here_en} "
            "(which has its own on the stick); nothing was imported. Import the whole USB "
            "folder so the right package is picked.",
        )
    if n.where == RESTORE:
        return (
            f"Gói trả dữ liệu {f} không dành cho máy này; không nhập gì. Hãy gửi một gói từ "
            f"máy này cho {s} rồi nhờ xuất lại gói trả dữ liệu.",
            f"Restore package {f} is not for this PC; nothing was imported. Send {se} a "
            "package from this PC, then ask for a new restore package.",
        )
    return (
        f"Gói {f} dành cho {t}, không phải {here}; không nhập gì. Hãy đưa gói này cho {t}, "
        "hoặc nhận cả thư mục USB để máy tự bỏ qua gói của đơn vị khác.",
        f"Package {f} is for {te}, not {here_en}; nothing was imported. Give it to {te}, or "
        "import the whole USB folder so other units' packages are skipped.",
    )


def skipped(n: Names) -> tuple[str, str]:
    """The one-line message (vi, en) for a package left aside in a folder import."""
    if n.where == OWN:
        return (
            "Gói do chính máy này xuất ra; không cần nhận.",
            "Exported by this PC; nothing to import.",
        )
    s, se = n.who("vi"), n.who("en")
    t, te = n.target_name("vi"), n.target_name("en")
    if n.where == OTHERS:
        t = "các xã/phường chưa có gói riêng"
        te = "the communes without a package of their own"
    elif n.where == PC:
        t, te = "một máy khác của đơn vị này", "another PC of this unit"
    return (
        f"Không dành cho đơn vị này (gói {s} gửi {t}); không nhập gì.",
        f"Not for this unit (sent by {se} to {te}); nothing imported.",
    )


_AUTH_CODES = ("other_unit", "office_owned", "commune_owned", "owner_change", "takeover",
               "planted_conflict", "unit_mismatch", "second_pc", "too_large", "manifest")  # fmt: skip
_LIMITS = {
    "text": ("một ô chữ (ví dụ ghi chú) dài hơn 20.000 ký tự",
             "a text field (e.g. a note) longer than 20,000 characters"),
    "rows": ("quá 300.000 bản ghi trong một gói", "more than 300,000 records in one package"),
    "attachment": ("tệp minh chứng lớn hơn 200 MB", "an evidence file larger than 200 MB"),
}  # fmt: skip


def _authorization(code: str, n: Names) -> tuple[str, str]:
    """A trusted sender's package that tries to change what it does not own, or breaks a
    limit: who sent it and what it tried, in one line."""
    f, s, se = n.file, n.who("vi"), n.who("en")
    t, te = n.target or "một đơn vị khác", n.target or "another unit"
    w, we = n.what[0] or "dữ liệu", n.what[1] or "data"
    call, call_en = (
        f"Hãy gọi điện cho {s} để kiểm tra máy gửi.",
        f"Call {se} to have the sending PC checked.",
    )
    if code == "other_unit":
        return (
            f"Gói {f} của {s} chứa dữ liệu của {t} ({w}); không nhập gì. {call}",
            f"Package {f} from {se} holds data of {te} ({we}); nothing was imported. {call_en}",
        )
    if code == "office_owned":
        return (
            f"Gói {f} của {s} định sửa {w} do cơ quan giám sát quản lý; không nhập gì. {call}",
            f"Package {f} from {se} tries to change {we}, which the supervising office owns; "
            f"nothing was imported. {call_en}",
        )
    if code == "commune_owned":
        here, here_en = n.here_name("vi"), n.here_name("en")
        return (
            f"Gói {f} của {s} định thay {w} do {here} tự nhập; không nhập gì. {call}",
            f"Package {f} from {se} tries to replace {we} entered by {here_en}; nothing was "
            f"imported. {call_en}",
        )
    if code == "owner_change":
        return (
            f"Gói {f} của {s} định chuyển {w} của {t} sang đơn vị khác; không nhập gì. {call}",
            f"Package {f} from {se} tries to move {we} of {te} to another unit; nothing was "
            f"imported. {call_en}",
        )
    if code == "takeover":
        return (
            f"Gói {f} của {s} định thay {w} của {t} bằng một bản ghi mới; không nhập gì. {call}",
            f"Package {f} from {se} tries to replace {we} of {te} with a new record; nothing "
            f"was imported. {call_en}",
        )
    if code == "planted_conflict":
        return (
            f"Gói {f} của {s} chứa bản ghi xung đột về {w} không phải của {s}; không nhập gì. "
            f"{call}",
            f"Package {f} from {se} carries a conflict record about {we} that is not theirs; "
            f"nothing was imported. {call_en}",
        )
    if code == "unit_mismatch":
        return (
            f"Gói {f} được ký bằng máy của {s} nhưng ghi là của {t}; không nhập gì. {call}",
            f"Package {f} is signed by the PC of {se} but claims to come from {te}; nothing "
            f"was imported. {call_en}",
        )
    if code == "second_pc":
        since = _dmy(n.since)
        return (
            f"{s} đã có một máy được tin cậy (mã {n.old_fingerprint}, từ {since}); gói {f} "
            f"đến từ một máy khác (mã {n.fingerprint}); chưa nhập gì. Nếu {s} đã thay máy, "
            "hãy gọi điện đối chiếu mã rồi nhận lại với --replace (máy cũ sẽ bị thu hồi).",
            f"{se} already has a trusted PC (fingerprint {n.old_fingerprint}, since {since}); "
            f"package {f} comes from another PC (fingerprint {n.fingerprint}); nothing was "
            "imported. If the PC was replaced, confirm the fingerprint by phone and import "
            "again with --replace (the old PC is then retired).",
        )
    if code == "too_large":
        lim, lim_en = _LIMITS.get(n.limit, ("giới hạn", "a limit"))
        return (
            f"Gói {f} của {s} vượt giới hạn: {lim}; không nhập gì. Hãy nhờ {s} kiểm tra dữ "
            "liệu rồi xuất lại gói.",
            f"Package {f} from {se} exceeds a limit: {lim_en}; nothing was imported. Ask "
            f"{se} to check the data and export again.",
        )
    return (
        f"Phần mô tả của gói {f} của {s} sai cấu trúc; không nhập gì. Hãy nhờ {s} cập nhật "
        "PAPI Desktop rồi xuất lại gói.",
        f"The description part of package {f} from {se} is malformed; nothing was imported. "
        f"Ask {se} to update PAPI Desktop and export again.",
    )


def _dmy(iso: str) -> str:
    parts = iso[:10].split("-")
    return "/".join(reversed(parts)) if len(parts) == 3 else iso
