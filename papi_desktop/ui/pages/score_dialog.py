"""A small form to record one year's index result of the province (score, rank, group,
target, dimension scores)."""

from __future__ import annotations

import tkinter as tk
from collections.abc import Callable
from typing import Any

import ttkbootstrap as ttk

from papi_desktop.errors import UserError
from papi_desktop.services import scores
from papi_desktop.ui import dialogs


def _num(text: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise UserError(f"“{text}” không phải là số.", f"“{text}” is not a number.") from None


class ScoreDialog(ttk.Toplevel):
    def __init__(self, page: Any, on_saved: Callable[[], None] | None = None) -> None:
        super().__init__(title=page.tr("Ghi kết quả chỉ số", "Record an index result"))
        self.page = page
        self.on_saved = on_saved
        self.tr = page.tr
        self.transient(page.winfo_toplevel())
        self.vars: dict[str, tk.StringVar] = {}
        frame = ttk.Frame(self, padding=12)
        frame.pack(fill="both", expand=True)
        fields = [
            ("index", self.tr("Chỉ số", "Index"), "PAPI"),
            ("year", self.tr("Năm", "Year"), str(page.ctx.today().year - 1)),
            ("total", self.tr("Điểm tổng hợp", "Aggregate score"), ""),
            ("rank", self.tr("Thứ hạng", "Rank"), ""),
            ("of", self.tr("Trên tổng số", "Out of"), ""),
            ("target", self.tr("Mục tiêu", "Target"), ""),
        ]
        for i, (key, label, initial) in enumerate(fields):
            ttk.Label(frame, text=label).grid(row=i, column=0, sticky="w", pady=2)
            self.vars[key] = tk.StringVar(value=initial)
            if key == "index":
                box = ttk.Combobox(
                    frame, textvariable=self.vars[key], values=scores.INDICES, width=12
                )
                box.grid(row=i, column=1, sticky="w")
            else:
                ttk.Entry(frame, textvariable=self.vars[key], width=14).grid(
                    row=i, column=1, sticky="w"
                )
        dims = ttk.Labelframe(
            frame, text=self.tr("Điểm chỉ số nội dung (1–10)", "Dimension scores (1–10)"), padding=6
        )
        dims.grid(row=0, column=2, rowspan=len(fields), sticky="n", padx=(16, 0))
        for d in range(1, 9):
            ttk.Label(dims, text=f"{d}").grid(
                row=(d - 1) % 4, column=2 * ((d - 1) // 4), sticky="e", padx=2
            )
            self.vars[f"d{d}"] = tk.StringVar()
            ttk.Entry(dims, textvariable=self.vars[f"d{d}"], width=7).grid(
                row=(d - 1) % 4, column=2 * ((d - 1) // 4) + 1, pady=2)  # fmt: skip
        buttons = ttk.Frame(frame)
        buttons.grid(row=len(fields) + 1, column=0, columnspan=3, sticky="e", pady=(10, 0))
        ttk.Button(buttons, text=self.tr("Lưu", "Save"), command=self.save).pack(
            side="left", padx=4
        )
        ttk.Button(buttons, text=self.tr("Hủy", "Cancel"), command=self.destroy,
                   bootstyle="secondary").pack(side="left")  # fmt: skip
        self.bind("<Escape>", lambda e: self.destroy())

    def save(self) -> bool:
        v = {k: var.get() for k, var in self.vars.items()}
        try:
            rank = _num(v["rank"])
            of_n = _num(v["of"])
            year = _num(v["year"])
            scores.add(
                self.page.ctx,
                int(year) if year is not None else 0,
                total=_num(v["total"]),
                rank=int(rank) if rank is not None else None,
                of_n=int(of_n) if of_n is not None else None,
                target=_num(v["target"]),
                dimensions={str(d): s for d in range(1, 9) if (s := _num(v[f"d{d}"])) is not None},
                index=v["index"],
            )
        except UserError as exc:
            dialogs.error(self, exc.message(self.page.lang))
            return False
        if self.on_saved:
            self.on_saved()
        self.destroy()
        return True
