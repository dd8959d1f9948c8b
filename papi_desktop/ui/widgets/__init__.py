"""Reusable widgets: dd/mm/yyyy date field, tone-insensitive search box, sortable list,
scrolling page area."""

from papi_desktop.ui.widgets.datefield import DateField
from papi_desktop.ui.widgets.scrollarea import ScrollArea
from papi_desktop.ui.widgets.search import FoldedCombobox, UnitPicker
from papi_desktop.ui.widgets.sortable import Column, SortableList

__all__ = ["Column", "DateField", "FoldedCombobox", "ScrollArea", "SortableList", "UnitPicker"]
