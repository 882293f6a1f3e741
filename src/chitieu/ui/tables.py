"""Every dashboard table can be downloaded: ``?format=xlsx`` or ``?format=csv`` on its page."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.http import HttpRequest, HttpResponse

from chitieu.core import sheets, vntext

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    filename: str = "bang"


def cell(v):
    """Exports keep full precision: exact fractions become decimals with 6 places (display pages
    round; a spreadsheet user rounds as they need)."""
    if isinstance(v, Fraction):
        return float(round(Decimal(v.numerator) / Decimal(v.denominator), 6))
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    return v


def export_response(request: HttpRequest, table: Table) -> HttpResponse | None:
    """The file when the request asks for one; None to render the page; 400 for an unknown format."""
    fmt = request.GET.get("format")
    if not fmt:
        return None
    if fmt not in FORMATS:
        return HttpResponse(
            f"Định dạng '{fmt[:20]}' không hỗ trợ; chọn xlsx hoặc csv.",
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    rows = [[cell(v) for v in r] for r in table.rows]
    name = re.sub(r"[^a-z0-9]+", "-", vntext.fold(table.filename)).strip("-")[:80] or "bang"
    if fmt == "xlsx":
        body: bytes = sheets.table_xlsx(table.headers, rows, title=table.title)
    else:
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(sheets.csv_row(table.headers))
        w.writerows(sheets.csv_row(r) for r in rows)
        body = ("\ufeff" + buf.getvalue()).encode("utf-8")  # BOM: Excel opens Vietnamese text right
    resp = HttpResponse(body, content_type=FORMATS[fmt])
    resp["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return resp
