"""Every CSV and XLSX the platform hands out is written here, with user text made inert.

Names and titles are typed by schools and companies; a cell starting with `=`, `+`, `-`, `@`,
a tab or a carriage return is run as a formula by Excel and LibreOffice (CSV injection). Such
text gets a leading `'` (the OWASP rule), and XLSX cells holding text are typed as text, so a
spreadsheet program never evaluates what a user wrote. Numbers stay numbers: they come from the
platform (ids, counts, minutes), not from free text.

Both are made for Dutch Excel, where most of our users open them: a CSV separated by `;` (a
Dutch locale reads `,` as the decimal mark and opens a comma file as one column) with a BOM, and
a workbook whose header row stays in view, carries a filter and has columns wide enough to read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def inert(value: Any) -> Any:
    """`value`, with text a spreadsheet would run as a formula prefixed by a single quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]], delimiter: str = ";") -> bytes:
    """A CSV in UTF-8 with a BOM, so Excel reads accents right; `;` for Dutch Excel."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow([inert(h) for h in header])
    writer.writerows([inert(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode()


def xlsx_bytes(title: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A one-sheet workbook whose text cells are typed as text, never as formulas."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = title[:31]  # Excel's limit on sheet names
    widths = [len(str(h)) for h in header]
    for number, row in enumerate([header, *rows], start=1):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = inert(value)
            if isinstance(value, str):
                cell.data_type, cell.number_format = "s", "@"
            if value is not None and column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(str(value)))
    if header:
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{sheet.max_row}"
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width, 60) + 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
