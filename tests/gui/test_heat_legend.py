"""The office's heat map paints each cell in the band its legend names: red below 50 %,
amber 50–79 %, green from 80 %, grey when nothing is due."""

from __future__ import annotations

import ttkbootstrap as ttk

from papi_desktop.ui.pages.communes_charts import HeatGrid

RED, AMBER, GREEN, GREY = "#c62828", "#f9a825", "#2e7d32", "#e0e0e0"


def test_cells_use_the_legend_bands(root):
    frame = ttk.Frame(root)
    grid = HeatGrid(frame, ["1", "2", "3", "4", "5", "6"],
                    [("Phường Ninh Hòa", [0.0, 49.9, 50.0, 79.9, 80.0, None])])  # fmt: skip
    fills = [
        grid.body.itemcget(i, "fill")
        for i in grid.body.find_all()
        if grid.body.type(i) == "rectangle"
    ]
    assert fills == [RED, RED, AMBER, AMBER, GREEN, GREY]
