"""Cells written to CSV or XLSX, made safe to open in a spreadsheet.

A cell that starts with =, +, -, @, a tab or a carriage return can be run as a formula by a
spreadsheet (OWASP ASVS 5.0, 1.2.10); such a cell gets a leading apostrophe.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value, with a leading ' when a spreadsheet could read it as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value
