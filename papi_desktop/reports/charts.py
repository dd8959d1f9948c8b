"""Charts shared by the window and the PDF reports (matplotlib ``Figure``, never pyplot).

pyplot keeps global figure state that leaks in a long-running Tk app, so figures are built
directly; the UI wraps them in ``FigureCanvasTkAgg``, the PDF takes ``figure_png_bytes``.
matplotlib is imported inside the functions so the window opens fast.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NO_VALUE = "—"


def progress_by_dimension_figure(
    labels: list[str], percents: list[float | None], title: str
) -> Figure:
    """Horizontal bars 0–100 % per dimension, first label at the top; "—" where no task applies."""
    from matplotlib.figure import Figure

    if len(labels) != len(percents):
        raise ValueError("labels and percents must have the same length")
    labels = [unicodedata.normalize("NFC", str(x)) for x in labels]
    n = len(labels)
    fig = Figure(figsize=(7.5, 0.3 * max(n, 1) + 0.9), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    values = [0.0 if p is None else max(0.0, min(100.0, float(p))) for p in percents]
    colours = [
        "#bdbdbd" if p is None else "#2e7d32" if p >= 80 else "#f9a825" if p >= 50 else "#c62828"
        for p in percents
    ]
    ax.barh(ys, values, color=colours, height=0.6)
    for y, value, p in zip(ys, values, percents, strict=True):
        text = NO_VALUE if p is None else f"{p:.0f} %"
        ax.text(min(value + 1.5, 101), y, text, va="center", ha="left", fontsize=9)
    ax.set_yticks(ys, labels, fontsize=9)
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100 %"], fontsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(unicodedata.normalize("NFC", title), fontsize=11)
    return fig


def figure_png_bytes(fig: Figure, dpi: int = 200) -> bytes:
    """The figure as PNG (Agg; no GUI backend needed)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, facecolor="white")
    return buf.getvalue()
