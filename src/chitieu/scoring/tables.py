"""Reading an uploaded table (CSV or XLSX): its non-empty rows with their numbers, header first.

Survey results and published scores come as such tables; the messages name the file."""

from __future__ import annotations

import io

from chitieu.scoring.errors import ScoringError

MAX_TABLE_BYTES = 5 * 1024 * 1024
MAX_TABLE_ROWS = 20000


def read_table(file_name: str, data: bytes) -> list[tuple[int, list]]:
    """(row number, cells) of a CSV or XLSX table, header first; empty rows skipped."""
    if len(data) > MAX_TABLE_BYTES:
        raise ScoringError(f"{file_name}: tệp quá lớn (tối đa {MAX_TABLE_BYTES // 1024 // 1024} MB).")
    name = file_name.lower()
    if name.endswith(".xlsx"):
        from openpyxl import load_workbook

        from chitieu.extraction.readers import ReadError, check_zip

        try:
            check_zip(data, file_name)
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            rows = []
            for r in wb.worksheets[0].iter_rows(values_only=True):
                rows.append(list(r))
                if len(rows) > MAX_TABLE_ROWS:
                    raise ScoringError(f"{file_name}: quá {MAX_TABLE_ROWS} dòng.")
        except ReadError as exc:
            raise ScoringError(str(exc))
        except ScoringError:
            raise
        except Exception:
            raise ScoringError(f"{file_name}: không mở được tệp Excel.")
    elif name.endswith(".csv"):
        import csv

        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ScoringError(f"{file_name}: tệp CSV phải mã hóa UTF-8.")
        if "\x00" in text:
            raise ScoringError(f"{file_name}: tệp không phải văn bản CSV.")
        first = text.split("\n", 1)[0]
        delimiter = ";" if first.count(";") > first.count(",") else ","
        rows = [list(r) for r in csv.reader(io.StringIO(text), delimiter=delimiter)]
        if len(rows) > MAX_TABLE_ROWS:
            raise ScoringError(f"{file_name}: quá {MAX_TABLE_ROWS} dòng.")
    else:
        raise ScoringError(f"{file_name}: chỉ nhận tệp .csv hoặc .xlsx.")
    return [(n, r) for n, r in enumerate(rows, start=1) if any(str(c or "").strip() for c in r)]


def cell(row: list, index: int | None) -> str:
    if index is None or index >= len(row) or row[index] is None:
        return ""
    return str(row[index]).strip()
