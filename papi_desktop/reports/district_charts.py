"""Charts of the supervising office's dashboard, shared by the window and the PDF report:
the communes × dimensions completion heat map, the ranking, the completion trend and the
province's index scores against their targets.

Each function returns a matplotlib ``Figure`` built without pyplot (see ``charts.py``);
matplotlib is imported inside the functions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

NO_VALUE = "—"


def _nfc(text: object) -> str:
    return unicodedata.normalize("NFC", str(text))


def completion_colour(p: float | None) -> str:
    """The traffic-light colour used everywhere for a completion percentage."""
    if p is None:
        return "#bdbdbd"
    return "#2e7d32" if p >= 80 else "#f9a825" if p >= 50 else "#c62828"


HEAT_STOPS = ("#c62828", "#f9a825", "#2e7d32")  # 0 %, 50 %, 100 %
HEAT_NONE = "#e0e0e0"


def heat_colour(p: float | None) -> str:
    """The heat-map colour of a completion percentage: red through amber to green, linear
    between the stops (the same scale as the heat map figure); grey when nothing applies."""
    if p is None:
        return HEAT_NONE
    x = max(0.0, min(float(p), 100.0)) / 50.0
    i = min(int(x), 1)
    a, b = HEAT_STOPS[i], HEAT_STOPS[i + 1]
    t = x - i
    rgb = [round(int(a[k : k + 2], 16) * (1 - t) + int(b[k : k + 2], 16) * t) for k in (1, 3, 5)]
    return "#" + "".join(f"{c:02x}" for c in rgb)


def heatmap_figure(
    rows: Sequence[str],
    columns: Sequence[str],
    values: Sequence[Sequence[float | None]],
    title: str,
    *,
    width_in: float = 9.0,
    annotate: bool = True,
) -> Figure:
    """Completion (0–100 %) per commune (rows) and dimension (columns); grey where nothing
    applies. Values are written in the cells when ``annotate``."""
    import numpy as np
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.figure import Figure

    n, m = len(rows), len(columns)
    if any(len(r) != m for r in values) or len(values) != n:
        raise ValueError("values must be rows × columns")
    data = np.array(
        [[np.nan if v is None else float(v) for v in r] for r in values], dtype=float
    ).reshape(n, m)
    cmap = LinearSegmentedColormap.from_list("papi", list(HEAT_STOPS)).with_extremes(bad=HEAT_NONE)
    height = 0.24 * max(n, 1) + 1.4
    fig = Figure(figsize=(width_in, height), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(
        np.ma.masked_invalid(data), cmap=cmap, vmin=0, vmax=100, aspect="auto",
        interpolation="nearest",
    )  # fmt: skip
    ax.set_xticks(range(m), [_nfc(c) for c in columns], fontsize=8)
    ax.xaxis.tick_top()
    ax.set_yticks(range(n), [_nfc(r) for r in rows], fontsize=7.5 if n > 40 else 8.5)
    ax.tick_params(length=0)
    if annotate and n * m <= 1200:
        for i in range(n):
            for j in range(m):
                v = data[i, j]
                ax.text(
                    j, i, NO_VALUE if np.isnan(v) else f"{v:.0f}", ha="center", va="center",
                    fontsize=6.5 if n > 40 else 7.5,
                    color="white" if not np.isnan(v) and (v < 35 or v > 80) else "black",
                )  # fmt: skip
    for side in ax.spines.values():
        side.set_visible(False)
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.01)
    bar.set_label("%", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    ax.set_title(_nfc(title), fontsize=11)
    return fig


def ranking_figure(
    names: Sequence[str], percents: Sequence[float | None], title: str, *, first: int = 1
) -> Figure:
    """Horizontal bars, best commune at the top, numbered from ``first``."""
    from matplotlib.figure import Figure

    n = len(names)
    fig = Figure(figsize=(7.5, 0.22 * max(n, 1) + 0.9), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    ys = list(range(n))[::-1]
    vals = [0.0 if p is None else float(p) for p in percents]
    ax.barh(ys, vals, color=[completion_colour(p) for p in percents], height=0.7)
    for y, v, p in zip(ys, vals, percents, strict=True):
        ax.text(v + 1, y, NO_VALUE if p is None else f"{p:.1f} %", va="center", fontsize=7)
    ax.set_yticks(ys, [f"{i}. {_nfc(x)}" for i, x in enumerate(names, start=first)], fontsize=7.5)
    ax.set_xlim(0, 112)
    ax.set_xticks([0, 20, 40, 60, 80, 100], ["0", "20", "40", "60", "80", "100 %"], fontsize=8)
    ax.grid(axis="x", color="#dddddd", linewidth=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_nfc(title), fontsize=11)
    return fig


def trend_figure(
    labels: Sequence[str], percents: Sequence[float | None], title: str, *, width_in: float = 7.5
) -> Figure:
    """Completion per period as a line with its values; gaps where nothing was due."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, 2.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(labels)))
    ys = [float("nan") if p is None else float(p) for p in percents]
    ax.plot(xs, ys, marker="o", color="#1565c0", linewidth=2)
    for x, p in zip(xs, percents, strict=True):
        if p is not None:
            ax.annotate(f"{p:.1f} %", (x, p), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8)  # fmt: skip
    ax.set_xticks(xs, [_nfc(x) for x in labels], fontsize=8)
    ax.set_ylim(0, 110)
    ax.set_yticks([0, 25, 50, 75, 100], ["0", "25", "50", "75", "100 %"], fontsize=8)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_nfc(title), fontsize=11)
    return fig


def scores_figure(
    years: Sequence[int],
    totals: Sequence[float | None],
    targets: Sequence[float | None],
    title: str,
    *,
    width_in: float = 7.5,
) -> Figure:
    """The province's aggregate score per year, with the target of each year as a marker."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, 2.6), dpi=100, layout="constrained")
    ax = fig.add_subplot()
    xs = list(range(len(years)))
    ys = [float("nan") if v is None else float(v) for v in totals]
    ax.plot(xs, ys, marker="o", color="#1565c0", linewidth=2, label="Điểm / Score")
    tx = [x for x, t in zip(xs, targets, strict=True) if t is not None]
    ty = [t for t in targets if t is not None]
    if tx:
        ax.scatter(tx, ty, marker="_", s=400, color="#c62828", linewidths=2.5,
                   label="Mục tiêu / Target", zorder=3)  # fmt: skip
    for x, v in zip(xs, totals, strict=True):
        if v is not None:
            ax.annotate(f"{v:.2f}", (x, v), textcoords="offset points", xytext=(0, 7),
                        ha="center", fontsize=8)  # fmt: skip
    known = [v for v in list(ys) + list(ty) if v == v]
    if known:
        lo, hi = min(known), max(known)
        pad = max(1.0, (hi - lo) * 0.3)
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_xticks(xs, [str(y) for y in years], fontsize=8)
    ax.tick_params(axis="y", labelsize=8)
    ax.grid(axis="y", color="#dddddd", linewidth=0.6)
    ax.legend(fontsize=7, loc="lower right", frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.set_title(_nfc(title), fontsize=11)
    return fig
