"""PDF documents in the Decree 30/2020/NĐ-CP layout (reportlab).

The documents take plain data (``models``) and never touch the database:

- ``posting.build_posting_notice`` / ``posting.build_posting_minutes`` (kind "start"/"end");
- ``disclosures.build_disclosure_register`` / ``disclosures.build_disclosure_checklist``;
- ``framework.build_framework_sheet`` / ``framework.build_task_checklist``;
- ``report.build_progress_report``.

Each is ``build_<name>(data, path, progress=None) -> Path``. ``layout`` holds the page
layout and cells of the decree, ``fonts`` the embedded serif family (worked sample data is
in ``tests/pdf_samples.py``). Importing this package does not import reportlab.
"""
