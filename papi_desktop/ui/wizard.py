"""First run: a four-step wizard that sets up this PC, or a one-click demo.

1. language and role (commune, or supervising office with its own label);
2. province and commune from the official list (tone-insensitive type-ahead), or the
   supervising office's province and name;
3. the user's name and who signs documents (name, title, "TM. ỦY BAN NHÂN DÂN");
4. villages / tổ dân phố (one per line).
Everything is written through ``services.setup.init_site`` and the settings.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services.formatting import nfc
from papi_desktop.ui import dialogs, i18n
from papi_desktop.ui.widgets import FoldedCombobox, UnitPicker

DEMO_UNIT_CODE = "22528"  # Phường Ninh Hòa, Tỉnh Khánh Hòa
DEFAULT_SIGNER_TITLE = "CHỦ TỊCH"
DEFAULT_SIGNER_AUTHORITY = "TM. ỦY BAN NHÂN DÂN"


class Wizard(ttk.Frame):
    """The first-run screen. ``on_finish()`` is called once the site exists."""

    STEPS = 4

    def __init__(
        self, master: Any, ctx: Any, *, lang: str = "vi", on_finish: Callable[[], None]
    ) -> None:
        super().__init__(master, padding=24)
        self.ctx = ctx
        self.lang = lang
        self.on_finish = on_finish
        self.step = 0
        self.role_var = ttk.StringVar(value="commune")
        self.lang_var = ttk.StringVar(value=lang)
        self.supervisor_var = ttk.StringVar(value="")
        self.user_var = ttk.StringVar(value="")
        self.signer_name_var = ttk.StringVar(value="")
        self.signer_title_var = ttk.StringVar(value=DEFAULT_SIGNER_TITLE)
        self.signer_authority_var = ttk.StringVar(value=DEFAULT_SIGNER_AUTHORITY)
        self._villages_text = ""
        self._province_code: str | None = None
        self._unit_label = ""
        self._unit: dict | None = None
        self.unit_box: UnitPicker | None = None
        self.villages_text: Any = None
        self.build()

    def tr(self, vi: str, en: str) -> str:
        return i18n.pick(self.lang, vi, en)

    # -- layout ------------------------------------------------------------
    def build(self) -> None:
        for child in self.winfo_children():
            child.destroy()
        self.columnconfigure(0, weight=1)
        ttk.Label(
            self,
            text=self.tr("Chào mừng đến với PAPI Desktop", "Welcome to PAPI Desktop"),
            font="-size 18 -weight bold",
            bootstyle="primary",
        ).grid(row=0, column=0, sticky="w")
        self.step_label = ttk.Label(self, text="", bootstyle="secondary")
        self.step_label.grid(row=1, column=0, sticky="w", pady=(2, 12))
        self.body = ttk.Frame(self)
        self.body.grid(row=2, column=0, sticky="nsew")
        self.rowconfigure(2, weight=1)
        self.error_label = ttk.Label(self, text="", bootstyle="danger", wraplength=760)
        self.error_label.grid(row=3, column=0, sticky="w", pady=6)
        bar = ttk.Frame(self)
        bar.grid(row=4, column=0, sticky="ew")
        self.demo_button = ttk.Button(
            bar,
            text=self.tr("Dùng thử với dữ liệu mẫu", "Try with demo data"),
            icon="magic",
            command=self.use_demo,
            bootstyle="info-outline",
        )
        self.demo_button.pack(side="left")
        self.next_button = ttk.Button(
            bar, text="", command=self.next, bootstyle="primary", width=14
        )
        self.next_button.pack(side="right")
        self.back_button = ttk.Button(
            bar, text=self.tr("◀ Quay lại", "◀ Back"), command=self.back, width=12
        )
        self.back_button.pack(side="right", padx=6)
        self.bind_all_keys()
        self.show_step(self.step)

    def bind_all_keys(self) -> None:
        top = self.winfo_toplevel()
        top.bind("<Return>", self._on_return)
        top.bind("<Escape>", lambda _e: self.back())

    def _on_return(self, event: Any) -> None:
        if getattr(event.widget, "winfo_class", lambda: "")() == "Text":
            return
        self.next()

    def destroy(self) -> None:
        try:
            top = self.winfo_toplevel()
            top.unbind("<Return>")
            top.unbind("<Escape>")
        except Exception:
            pass
        super().destroy()

    def _field(self, row: int, label: str, widget: Any, hint: str = "") -> Any:
        ttk.Label(self.body, text=label).grid(row=row, column=0, sticky="nw", pady=6, padx=(0, 12))
        widget.grid(row=row, column=1, sticky="w", pady=6)
        if hint:
            ttk.Label(self.body, text=hint, bootstyle="secondary", wraplength=420).grid(
                row=row, column=2, sticky="w", padx=12
            )
        return widget

    def show_step(self, step: int) -> None:
        self._remember_step()
        self.step = step
        for child in self.body.winfo_children():
            child.destroy()
        self.error_label.configure(text="")
        self.step_label.configure(
            text=self.tr(f"Bước {step + 1}/{self.STEPS}", f"Step {step + 1} of {self.STEPS}")
            + " — "
            + self.tr(*self.step_titles()[step])
        )
        getattr(self, f"_step_{step}")()
        self.back_button.configure(state="normal" if step > 0 else "disabled")
        last = step == self.STEPS - 1 or (step == 2 and self.role_var.get() == "district")
        self.next_button.configure(
            text=self.tr("Hoàn tất ✔", "Finish ✔") if last else self.tr("Tiếp ▶", "Next ▶")
        )

    def step_titles(self) -> list[tuple[str, str]]:
        return [
            ("Ngôn ngữ và vai trò của máy này", "Language and role of this PC"),
            ("Đơn vị", "Unit"),
            ("Người dùng và người ký văn bản", "User and document signer"),
            ("Thôn, tổ dân phố", "Villages"),
        ]

    def _remember_step(self) -> None:
        if getattr(self, "villages_text", None) is not None and self.villages_text.winfo_exists():
            self._villages_text = self.villages_text.get("1.0", "end").strip()
        if getattr(self, "unit_box", None) is not None and self.unit_box.winfo_exists():
            self._unit_label = self.unit_box.get()
            self._unit = self.unit_box.unit

    # step 1: language and role
    def _step_0(self) -> None:
        lang_box = ttk.Frame(self.body)
        for value, text in (("vi", "Tiếng Việt"), ("en", "English")):
            ttk.Radiobutton(
                lang_box, text=text, value=value, variable=self.lang_var, command=self._lang_changed
            ).pack(side="left", padx=(0, 16))
        self._field(0, self.tr("Ngôn ngữ", "Language"), lang_box)
        role_box = ttk.Frame(self.body)
        self.role_buttons = {}
        for value, vi, en in (
            ("commune", "UBND xã/phường", "Commune / ward"),
            (
                "district",
                "Cơ quan giám sát (Sở Nội vụ, huyện…)",
                "Supervising office (Department of Home Affairs…)",
            ),
        ):
            b = ttk.Radiobutton(role_box, text=self.tr(vi, en), value=value, variable=self.role_var)
            b.pack(anchor="w", pady=2)
            self.role_buttons[value] = b
        self._field(
            1,
            self.tr("Máy này dùng cho", "This PC is for"),
            role_box,
            self.tr(
                "Chọn xã/phường nếu anh/chị theo dõi nhiệm vụ PAPI và công khai của một xã. "
                "Cơ quan giám sát nhận dữ liệu của các xã qua USB.",
                "Choose commune to keep one commune's PAPI tasks and disclosures. The "
                "supervising office receives the communes' data by USB.",
            ),
        )
        self.role_buttons["commune"].focus_set()

    def _lang_changed(self) -> None:
        lang = self.lang_var.get()
        if lang != self.lang:
            self.lang = lang
            i18n.apply_language(lang)
            dialogs.set_language(lang)
            self.build()

    # step 2: unit
    def _step_1(self) -> None:
        from papi_desktop.services import units

        provinces = units.provinces(self.ctx)
        self.province_box = FoldedCombobox(
            self.body,
            [(p["name"], p["code"]) for p in provinces],
            on_select=self._province_chosen,
            width=40,
        )
        if self._province_code:
            self.province_box.select_value(self._province_code)
        self._field(
            0,
            self.tr("Tỉnh/thành phố", "Province"),
            self.province_box,
            self.tr("Gõ vài chữ, không cần dấu: “khanh hoa”.", "Type a few letters: “khanh hoa”."),
        )
        if self.role_var.get() == "commune":
            self.unit_box = UnitPicker(
                self.body,
                self.ctx,
                province_code=self._province_code,
                on_select=self._unit_chosen,
            )
            if self._unit_label:
                self.unit_box.filter(self._unit_label)
                self.unit_box.set(self._unit_label)
            self._field(
                1,
                self.tr("Xã/phường", "Commune / ward"),
                self.unit_box,
                self.tr(
                    "Gõ tên xã không cần dấu, ví dụ “ninh hoa”, rồi chọn trong danh sách.",
                    "Type the name without tones, e.g. “ninh hoa”, then pick it.",
                ),
            )
        else:
            self.unit_box = None
            self.supervisor_entry = ttk.Entry(self.body, textvariable=self.supervisor_var, width=42)
            self._field(
                1,
                self.tr("Tên cơ quan giám sát", "Supervising office"),
                self.supervisor_entry,
                self.tr(
                    "Ví dụ “Sở Nội vụ tỉnh Khánh Hòa” hoặc “Huyện …”. Tên này in trên báo cáo.",
                    "E.g. “Sở Nội vụ tỉnh Khánh Hòa”. Printed on reports.",
                ),
            )
        self.province_box.focus_set()

    def _province_chosen(self, code: Any) -> None:
        self._province_code = code
        if self.unit_box is not None:
            self.unit_box.set("")
            self.unit_box.set_province(code)
        elif code and not self.supervisor_var.get().strip():
            name = self.province_box.get()
            self.supervisor_var.set(f"Sở Nội vụ {name[0].lower()}{name[1:]}" if name else "")

    # step 3: user and signer
    def _step_2(self) -> None:
        self.user_entry = ttk.Entry(self.body, textvariable=self.user_var, width=40)
        self._field(
            0,
            self.tr("Họ và tên người dùng", "Your full name"),
            self.user_entry,
            self.tr("Ghi vào nhật ký mỗi thay đổi.", "Recorded with every change."),
        )
        self.signer_name_entry = ttk.Entry(self.body, textvariable=self.signer_name_var, width=40)
        self._field(
            1,
            self.tr("Người ký (Chủ tịch)", "Signer (chairman)"),
            self.signer_name_entry,
            self.tr("Họ tên in dưới chữ ký.", "Name printed under the signature."),
        )
        self._field(
            2,
            self.tr("Chức vụ", "Title"),
            ttk.Entry(self.body, textvariable=self.signer_title_var, width=40),
        )
        self._field(
            3,
            self.tr("Thẩm quyền ký", "Signing authority"),
            ttk.Entry(self.body, textvariable=self.signer_authority_var, width=40),
            self.tr(
                "Ví dụ “TM. ỦY BAN NHÂN DÂN”; để trống nếu không dùng.",
                "E.g. “TM. ỦY BAN NHÂN DÂN”; leave empty if unused.",
            ),
        )
        self.user_entry.focus_set()

    # step 4: villages
    def _step_3(self) -> None:
        import tkinter as tk

        self.villages_text = tk.Text(self.body, width=44, height=10, wrap="none")
        self.villages_text.insert("1.0", self._villages_text)
        self._field(
            0,
            self.tr("Thôn, tổ dân phố\n(mỗi dòng một tên)", "Villages\n(one per line)"),
            self.villages_text,
            self.tr(
                "Nơi niêm yết công khai ngoài trụ sở UBND. Có thể thêm sau ở mục Danh mục.",
                "Posting places besides the commune office. You can add more later in Catalogues.",
            ),
        )
        self.villages_text.focus_set()

    def _unit_chosen(self, value: Any) -> None:
        """A valid choice clears the "pick the commune from the list" message."""
        if value is not None:
            self.error_label.configure(text="")

    # -- navigation --------------------------------------------------------
    def back(self) -> None:
        if self.step > 0:
            self.show_step(self.step - 1)

    def next(self) -> None:
        try:
            self.check_step()
        except UserError as exc:
            self.error_label.configure(text=exc.message(self.lang))
            return
        last = self.step == self.STEPS - 1 or (self.step == 2 and self.role_var.get() == "district")
        if last:
            self.finish()
        else:
            self.show_step(self.step + 1)

    def check_step(self) -> None:
        if self.step == 1:
            if self.role_var.get() == "commune":
                if self.unit_box.unit is None:
                    raise UserError(
                        "Hãy chọn xã/phường trong danh sách (gõ tên rồi chọn một dòng).",
                        "Pick the commune from the list (type its name, then choose a line).",
                    )
            else:
                if not self.province_box.value:
                    raise UserError("Hãy chọn tỉnh/thành phố.", "Choose the province.")
                if not nfc(self.supervisor_var.get().strip()):
                    raise UserError(
                        "Hãy nhập tên cơ quan giám sát.", "Enter the supervising office's name."
                    )
        if self.step == 2 and not self.user_var.get().strip():
            raise UserError("Hãy nhập họ tên người dùng.", "Enter your name.")

    def villages(self) -> list[str]:
        self._remember_step()
        return [nfc(x.strip()) for x in self._villages_text.splitlines() if x.strip()]

    def finish(self) -> None:
        from papi_desktop.services import setup, units

        role = self.role_var.get()
        if role == "commune":
            unit = self._unit if self.step != 1 else self.unit_box.unit
            setup.init_site(self.ctx, "commune", unit_code=unit["code"], user=self.user_var.get())
        else:
            setup.init_site(
                self.ctx,
                "district",
                unit_name=self.supervisor_var.get(),
                province_code=self._province_code,
                user=self.user_var.get(),
                supervisor_label=self.supervisor_var.get(),
            )
        from papi_desktop.services import catalogs

        catalogs.set_signer(
            self.ctx,
            self.signer_name_var.get(),
            self.signer_title_var.get(),
            self.signer_authority_var.get(),
            require_title=False,
        )
        catalogs.set_preferences(self.ctx, ui_language=self.lang)
        if role == "commune":
            names = self.villages()
            if names:
                units.add_places(self.ctx, names)
        self.on_finish()

    def use_demo(self) -> None:
        """Set up Phường Ninh Hòa with demo data (for training and trying things out)."""
        from papi_desktop.services import catalogs, demo, setup

        if not dialogs.ask_yes_no(
            self,
            self.tr(
                "Máy này sẽ được thiết lập cho Phường Ninh Hòa (Khánh Hòa) với dữ liệu mẫu để "
                "tập dùng. Dữ liệu thật nên dùng một thư mục dữ liệu khác. Tiếp tục?",
                "This PC will be set up as Phường Ninh Hòa (Khánh Hòa) with demo data for "
                "training. Use another data folder for real work. Continue?",
            ),
        ):
            return
        setup.init_site(
            self.ctx,
            "commune",
            unit_code=DEMO_UNIT_CODE,
            user=self.user_var.get().strip() or self.tr("Người dùng thử", "Demo user"),
        )
        demo.mark_demo_folder(self.ctx)
        result = demo.generate(self.ctx, years=1)
        catalogs.set_preferences(self.ctx, ui_language=self.lang)
        dialogs.info(self, result["message_en"] if self.lang == "en" else result["message_vi"])
        self.on_finish()
