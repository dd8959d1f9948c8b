"""PDF documents in the Decree 30/2020/NĐ-CP layout (reportlab)."""
