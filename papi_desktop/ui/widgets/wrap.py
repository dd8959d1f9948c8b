"""Labels whose lines wrap at the width their panel really has (at 1024x600 as at 1920x1080)
instead of a fixed ``wraplength`` that cuts the text on a small screen."""

from __future__ import annotations

from typing import Any


def wrap_to_parent(label: Any, pad: int = 8, least: int = 160) -> Any:
    """Make ``label`` wrap at its parent's width minus ``pad``; returns the label.

    Only a real change of the parent's width re-wraps: a label taller after re-wrapping
    changes the parent's height, never its width, so this cannot feed itself."""
    parent = label.master
    seen: dict[str, int] = {}

    def follow(event: Any) -> None:
        if event.widget is not parent or seen.get("w") == event.width:
            return
        seen["w"] = event.width
        label.configure(wraplength=max(least, event.width - pad))

    parent.bind("<Configure>", follow, add="+")
    return label


def wrap_labels_in(widget: Any, pad: int = 24) -> int:
    """``wrap_to_parent`` for every explanatory label under ``widget``: those with a fixed
    ``wraplength`` or a sentence of text. Returns how many were set up."""
    from tkinter import ttk as tk_ttk

    count = 0
    for child in widget.winfo_children():
        if isinstance(child, tk_ttk.Label):
            fixed = int(str(child.cget("wraplength") or 0) or 0) > 0
            if fixed or len(str(child.cget("text"))) > 50:
                child.configure(wraplength=min(300, int(str(child.cget("wraplength") or 300))))
                wrap_to_parent(child, pad=pad)
                count += 1
        else:
            count += wrap_labels_in(child, pad)
    return count
