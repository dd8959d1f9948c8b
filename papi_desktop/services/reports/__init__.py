"""Printed documents and report workbooks made from the database.

Each document module reads the records through the services, fills the plain-data models
of ``papi_desktop.reports.pdf.models`` (or the workbook model of ``reports.xlsx``) and
calls the builder, which writes the file atomically: a PDF, or with a ``.docx`` path the
same document as a Word file officials can edit. Every function takes an optional
``progress(fraction, message)`` callback and a ``cancel`` event; a cancelled build writes
nothing. The signer comes from the settings ``signer_name``, ``signer_title`` and
``signer_authority``; document numbers are left blank to be written by hand unless given.
Every printout names the unit, the period and the framework version it was answered
against.

``common`` holds the letterhead, signer, trace and shared wording; ``notice``, ``minutes``,
``register``, ``framework``, ``disclosure_checklist`` and ``progress`` one document each;
``registry`` declares them all once (``SPECS``) for the CLI and the window; ``files`` says
where they are saved and what they are called.
"""

from papi_desktop.services.reports.common import (
    MINUTES_ON_DAYS_OFF,
    ProgressFn,
    ReportCancelled,
    _contact,
    _Steps,
    check_output,
    document_basis,
    legal_basis_lines,
    letterhead,
    other_channels,
    places_text,
    signer,
    trace,
    unit_level,
    village_words,
)
from papi_desktop.services.reports.disclosure_checklist import disclosure_checklist
from papi_desktop.services.reports.framework import checklist, framework_sheet
from papi_desktop.services.reports.minutes import end_minutes_day, posting_minutes, taken_down_early
from papi_desktop.services.reports.notice import posting_notice
from papi_desktop.services.reports.progress import progress, progress_data
from papi_desktop.services.reports.register import parse_quarter, register
from papi_desktop.services.reports.registry import SPECS, ReportRequest, ReportSpec, spec

__all__ = [
    "MINUTES_ON_DAYS_OFF",
    "SPECS",
    "ProgressFn",
    "ReportCancelled",
    "ReportRequest",
    "ReportSpec",
    "_Steps",
    "_contact",
    "check_output",
    "checklist",
    "disclosure_checklist",
    "document_basis",
    "end_minutes_day",
    "framework_sheet",
    "legal_basis_lines",
    "letterhead",
    "other_channels",
    "parse_quarter",
    "places_text",
    "posting_minutes",
    "posting_notice",
    "progress",
    "progress_data",
    "register",
    "signer",
    "spec",
    "taken_down_early",
    "trace",
    "unit_level",
    "village_words",
]
