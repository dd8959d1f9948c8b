"""Excel workbooks written and read with openpyxl."""
