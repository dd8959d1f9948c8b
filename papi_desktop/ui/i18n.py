"""The window's language: Vietnamese first, English on request.

The app's own strings are written as (vi, en) pairs and picked with ``pick(lang, vi, en)``
(the shell's ``tr``). ttkbootstrap's own dialogs, calendar popup and table pager translate
their English strings through Tk's msgcat; ttkbootstrap ships no Vietnamese catalogue, so
``load_vietnamese_catalog`` fills one. The key list is read from the installed
``ttkbootstrap/localization/msgs.py`` (``missing_keys`` tells a test if a new ttkbootstrap
release adds a string we do not translate yet).
"""

from __future__ import annotations

LANGUAGES = ("vi", "en")

# English key -> Vietnamese. Keys with "&" (Tk's underline marker) are looked up without it.
VI_MESSAGES: dict[str, str] = {
    # buttons and actions
    "OK": "Đồng ý",
    "Ok": "Đồng ý",
    "ok": "đồng ý",
    "Cancel": "Hủy",
    "cancel": "hủy",
    "Yes": "Có",
    "yes": "có",
    "No": "Không",
    "Abort": "Dừng",
    "abort": "dừng",
    "Retry": "Thử lại",
    "retry": "thử lại",
    "Ignore": "Bỏ qua",
    "ignore": "bỏ qua",
    "Continue": "Tiếp tục",
    "Apply": "Áp dụng",
    "Submit": "Xác nhận",
    "Close": "Đóng",
    "Open": "Mở",
    "Save": "Lưu",
    "Save As": "Lưu thành",
    "Save To Log": "Lưu vào nhật ký",
    "Delete": "Xóa",
    "Add": "Thêm",
    "Remove": "Bỏ",
    "New": "Mới",
    "Edit": "Sửa",
    "Clear": "Xóa trắng",
    "Copy": "Sao chép",
    "Cut": "Cắt",
    "Paste": "Dán",
    "Quit": "Thoát",
    "Exit": "Thoát",
    "Help": "Trợ giúp",
    "File": "Tệp",
    "About...": "Giới thiệu...",
    "Source...": "Nạp mã...",
    "Source...,": "Nạp mã...,",
    "Print": "In",
    "Printer": "Máy in",
    "Preview": "Xem trước",
    "Search": "Tìm",
    "Next": "Tiếp",
    "Prev": "Trước",
    "Previous": "Trước",
    "Current": "Hiện tại",
    "Options": "Tùy chọn",
    "Advanced": "Nâng cao",
    "Details >>": "Chi tiết >>",
    "Skip Messages": "Bỏ qua các thông báo",
    "Application Error": "Lỗi chương trình",
    "Error: %1\\$s": "Lỗi: %1\\$s",
    "Output": "Kết quả",
    "Console": "Cửa sổ lệnh",
    "Clear Console": "Xóa cửa sổ lệnh",
    "Hide Console": "Ẩn cửa sổ lệnh",
    "Tcl Scripts": "Tệp Tcl",
    "Tcl for Windows": "Tcl cho Windows",
    "Select a file to source": "Chọn tệp để nạp",
    "Select Log File": "Chọn tệp nhật ký",
    "Log Files": "Tệp nhật ký",
    "Text Files": "Tệp văn bản",
    "All Files": "Mọi tệp",
    "⎌": "⎌",
    # file dialogs
    "Choose Directory": "Chọn thư mục",
    "Select Directory": "Chọn thư mục",
    "Directory:": "Thư mục:",
    "File name:": "Tên tệp:",
    "File names:": "Tên các tệp:",
    "Files of type:": "Loại tệp:",
    "Files:": "Các tệp:",
    "Filter:": "Lọc:",
    "Selection:": "Đã chọn:",
    "Show Hidden Directories": "Hiện thư mục ẩn",
    "Show Hidden Files and Directories": "Hiện tệp và thư mục ẩn",
    "Show hidden files": "Hiện tệp ẩn",
    "Open Multiple Files": "Mở nhiều tệp",
    "Replace existing file?": "Thay thế tệp đã có?",
    "File already exists. Overwrite?": "Tệp đã có. Ghi đè?",
    "File %1\\$s already exists.\\nDo you want to overwrite it?": (
        "Tệp %1\\$s đã có.\\nCó ghi đè lên tệp đó không?"
    ),
    "File %1\\$s already exists.\\n\\n": "Tệp %1\\$s đã có.\\n\\n",
    "File %1\\$s does not exist.": "Không có tệp %1\\$s.",
    "Directory %1\\$s does not exist.": "Không có thư mục %1\\$s.",
    "Directory  %1\\$s does not exist.": "Không có thư mục %1\\$s.",
    "Cannot change to the directory %1\\$s.\\nPermission denied.": (
        "Không vào được thư mục %1\\$s.\\nKhông có quyền truy cập."
    ),
    "Invalid file name %1\\$s.": "Tên tệp %1\\$s không hợp lệ.",
    "File name": "Tên tệp",
    "Name": "Tên",
    "Modified": "Ngày sửa",
    "modified": "ngày sửa",
    "extension": "đuôi tệp",
    "extensions": "các đuôi tệp",
    # months and weekdays (calendar popup)
    "January": "Tháng 1",
    "February": "Tháng 2",
    "March": "Tháng 3",
    "April": "Tháng 4",
    "May": "Tháng 5",
    "June": "Tháng 6",
    "July": "Tháng 7",
    "August": "Tháng 8",
    "September": "Tháng 9",
    "October": "Tháng 10",
    "November": "Tháng 11",
    "December": "Tháng 12",
    "Mo": "T2",
    "Tu": "T3",
    "We": "T4",
    "Th": "T5",
    "Fr": "T6",
    "Sa": "T7",
    "Sat": "T7",
    "Su": "CN",
    # table (Tableview) menus and pager
    "Page": "Trang",
    "of": "trên",
    "Columns": "Cột",
    "Sort": "Sắp xếp",
    "Sort Ascending": "Sắp xếp tăng dần",
    "Sort Descending": "Sắp xếp giảm dần",
    "Filter": "Lọc",
    "Filter by cell's value": "Lọc theo giá trị ô",
    "Filter by cell’s value": "Lọc theo giá trị ô",
    "Clear filters": "Bỏ lọc",
    "Reset table": "Đặt lại bảng",
    "Export": "Xuất",
    "Export all records": "Xuất mọi dòng",
    "Export current page": "Xuất trang hiện tại",
    "Export current selection": "Xuất các dòng đang chọn",
    "Export records in filter": "Xuất các dòng đang lọc",
    "Hide column": "Ẩn cột",
    "Delete column": "Xóa cột",
    "Delete selected rows": "Xóa các dòng đã chọn",
    "Hide select rows": "Ẩn các dòng đã chọn",
    "Show only select rows": "Chỉ hiện các dòng đã chọn",
    "Show All": "Hiện tất cả",
    "Move": "Di chuyển",
    "Move up": "Lên trên",
    "Move down": "Xuống dưới",
    "Move to top": "Lên đầu",
    "Move to bottom": "Xuống cuối",
    "Move to first": "Về đầu",
    "Move to last": "Về cuối",
    "Move to left": "Sang trái",
    "Move to right": "Sang phải",
    "Align": "Căn lề",
    "Align left": "Căn trái",
    "Align center": "Căn giữa",
    "Align right": "Căn phải",
    # query dialogs and validation
    "Select an item from the list": "Chọn một mục trong danh sách",
    "Invalid data type": "Sai kiểu dữ liệu",
    "Should be of data type": "Phải là kiểu dữ liệu",
    "Out of range": "Ngoài khoảng cho phép",
    "Number cannot be greater than": "Số không được lớn hơn",
    "Number cannot be less than": "Số không được nhỏ hơn",
    # font and colour dialogs
    "Font": "Phông chữ",
    "Font:": "Phông chữ:",
    "Font Selector": "Chọn phông chữ",
    "Font style:": "Kiểu chữ:",
    "Size": "Kích thước",  # the file dialog's column (files and fonts alike)
    "Size:": "Cỡ chữ:",
    "Family": "Họ phông",
    "Weight": "Độ đậm",
    "Slant": "Độ nghiêng",
    "Effects": "Hiệu ứng",
    "Regular": "Thường",
    "normal": "thường",
    "roman": "đứng",
    "Bold": "Đậm",
    "bold": "đậm",
    "negrito": "đậm",
    "Italic": "Nghiêng",
    "italic": "nghiêng",
    "Bold Italic": "Đậm nghiêng",
    "Underline": "Gạch chân",
    "underline": "gạch chân",
    "Strikeout": "Gạch ngang",
    "overstrike": "gạch ngang",
    "Sample": "Mẫu",
    "The quick brown fox jumps over the lazy dog.": "Chữ mẫu: Tiếng Việt có dấu ĂÂĐÊÔƠƯ.",
    "Color": "Màu",
    "Color Chooser": "Chọn màu",
    "color dropper": "lấy màu",
    "Standard": "Chuẩn",
    "Themed": "Theo giao diện",
    "Grayscale": "Thang xám",
    "Red": "Đỏ",
    "red": "đỏ",
    "Green": "Xanh lá",
    "green": "xanh lá",
    "Blue": "Xanh dương",
    "blue": "xanh dương",
    "Hue": "Sắc độ",
    "Sat ": "Độ bão hòa",
    "Lum": "Độ sáng",
    "Hex": "Mã hex",
    "RGB": "RGB",
    "Hi": "Chào",
    # print dialog
    "Paper": "Khổ giấy",
    "A4": "A4",
    "Legal ": "Legal ",
    "Letter ": "Letter ",
    "Orientation": "Hướng giấy",
    "Portrait": "Dọc",
    "Landscape": "Ngang",
    "Scale": "Tỉ lệ",
    "Copies": "Số bản",
    # Tk menu/accelerator entries
    "Clear Console ": "Xóa cửa sổ lệnh",
    "Underline ": "Gạch chân",
}


def library_keys() -> list[str]:
    """Every English string ttkbootstrap's installed catalogue translates."""
    from ttkbootstrap.localization import msgs

    keys: set[str] = set()
    for block in msgs.MESSAGES:
        for pair in block.messages:
            keys.add(pair[0])
    return sorted(keys)


def translate_vi(key: str) -> str | None:
    """Vietnamese for one English ttkbootstrap/Tk key, or None when we have none."""
    if key in VI_MESSAGES:
        return VI_MESSAGES[key]
    bare = key.replace("&", "")
    if bare in VI_MESSAGES:
        return VI_MESSAGES[bare]
    if bare.strip() in VI_MESSAGES:
        return VI_MESSAGES[bare.strip()]
    return None


def missing_keys() -> list[str]:
    """Library keys without a Vietnamese string (should stay empty)."""
    return [k for k in library_keys() if translate_vi(k) is None]


def vietnamese_pairs() -> list[str]:
    """Flat [src, translation, …] list for ``MessageCatalog.set_many``."""
    flat: list[str] = []
    for key in sorted(set(library_keys()) | set(VI_MESSAGES)):
        text = translate_vi(key)
        if text is not None:
            flat += [key, text]
    return flat


_loaded = False


def load_vietnamese_catalog() -> int:
    """Register the Vietnamese strings with Tk's msgcat (idempotent); return how many."""
    global _loaded
    from ttkbootstrap.localization import MessageCatalog

    pairs = vietnamese_pairs()
    MessageCatalog.set_many("vi", *pairs)
    _loaded = True
    return len(pairs) // 2


def apply_language(lang: str) -> None:
    """Make ttkbootstrap's own widgets speak ``lang`` (needs a Tk root)."""
    from ttkbootstrap.localization import MessageCatalog

    if lang not in LANGUAGES:
        lang = "vi"
    if lang == "vi" and not _loaded:
        load_vietnamese_catalog()
    MessageCatalog.locale(lang)


def pick(lang: str, vi: str, en: str) -> str:
    """The string for ``lang`` from a (vi, en) pair."""
    return en if lang == "en" else vi
