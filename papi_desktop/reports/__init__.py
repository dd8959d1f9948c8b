"""Printed and exported documents: PDF (Decree 30 layout), Excel, charts."""
