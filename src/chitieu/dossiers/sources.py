"""What kind of file an upload is, where its table is, and the plain CSV the import reads.

Kinds: CSV or Excel's "Unicode text" (UTF-8, UTF-16, Windows-1258), XLSX (the first sheet that
holds a dossier table), the sync-record JSON / JSON Lines (:mod:`.sync`). :func:`inspect` reads
only the first rows (the table's place, see :mod:`.layout`); :func:`materialise` gives DuckDB a
UTF-8 CSV of the data rows (the upload itself when it already is one: no copy).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path

from chitieu.core import vntext
from chitieu.dossiers import layout, sync

Progress = Callable[[str, int, int], None]


class SourceError(ValueError):
    """The file cannot be read; the message names the file and what to do."""


def is_xlsx(path: Path) -> bool:
    with open(path, "rb") as fh:
        return fh.read(2) == b"PK"


def check_xlsx(path: Path, name: str) -> None:
    """A zip bomb disguised as a spreadsheet is refused before openpyxl opens it."""
    import zipfile

    from chitieu.extraction.readers import MAX_ZIP_ENTRIES, MAX_ZIP_UNCOMPRESSED

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile:
        raise SourceError(f"{name}: tệp Excel hỏng hoặc bị cắt cụt.")
    if len(infos) > MAX_ZIP_ENTRIES or sum(i.file_size for i in infos) > MAX_ZIP_UNCOMPRESSED * 5:
        raise SourceError(f"{name}: dung lượng giải nén quá lớn, nghi là tệp độc hại (zip bomb).")
    if any(i.flag_bits & 0x1 for i in infos):
        raise SourceError(f"{name}: tệp có mật khẩu, hãy gỡ mật khẩu rồi tải lên lại.")


def refuse_other(path: Path, name: str) -> None:
    """Files that are neither CSV, JSON nor .xlsx, named for what they are, with what to do."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        raise SourceError(
            f"{name}: tệp Excel 97-2003 (.xls) chưa được hỗ trợ; hãy mở bằng Excel và lưu thành .xlsx hoặc CSV."
        )
    if (
        head.lstrip(codecs.BOM_UTF8 + b" \t\r\n")
        .lower()
        .startswith((b"<!doctype", b"<html", b"<table", b"<?xml"))
    ):
        raise SourceError(
            f"{name}: tệp là trang HTML/XML mang đuôi bảng tính; hãy mở bằng Excel và lưu thành .xlsx hoặc CSV."
        )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # Excel's "Unicode text": UTF-16, read below
    if b"\x00" in head.split(b"\n", 1)[0]:
        raise SourceError(f"{name}: không phải tệp CSV, JSON hay Excel (.xlsx) (nội dung nhị phân).")


def encoding(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(1 << 16)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"  # Excel's "Unicode text" (tab separated)
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start > len(head) - 4:  # a character cut at the end of the sample
            return "utf-8"
        return "cp1258"  # Vietnamese Windows code page


def _delimiter(lines: list[str]) -> str:
    """The separator that splits the most of the first lines into the same number of cells."""
    best, best_score = ",", 0
    for d in (",", ";", "\t", "|"):
        counts = [line.count(d) for line in lines if line.strip()]
        if not counts:
            continue
        widest = max(counts)
        score = widest * sum(1 for c in counts if c == widest)
        if score > best_score:
            best, best_score = d, score
    return best


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _table(rows: list[list], name: str, profile_headers: list[str] | None) -> layout.Table:
    try:
        return layout.find_table(rows, profile_headers=profile_headers, name=name)
    except layout.NoTable as exc:
        raise SourceError(str(exc))


def inspect(path: Path, name: str, *, profile_headers: list[str] | None = None) -> dict:
    """Where the table is: a JSON-able description (kind, encoding, delimiter, sheet, headers,
    header rows, first data row, the rows skipped above the data and why)."""
    try:
        if is_xlsx(path):
            return _inspect_xlsx(path, name, profile_headers)
        refuse_other(path, name)
        if sync.looks_like_json(path):
            try:
                sync.probe(path, name)
            except sync.SyncError as exc:
                raise SourceError(str(exc))
            return {
                "kind": "json",
                "headers": list(sync.COLUMNS),
                "first_row": 1,
                "skipped": [],
                "header_rows": [],
            }
        return _inspect_csv(path, name, profile_headers)
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError(f"{name}: không đọc được tệp ({exc.__class__.__name__}).")


def _inspect_csv(path: Path, name: str, profile_headers: list[str] | None) -> dict:
    enc = encoding(path)
    with open(path, encoding=enc, newline="", errors="replace") as fh:
        sample = [fh.readline() for _ in range(layout.SCAN_ROWS + 2)]
    delim = _delimiter([vntext.nfc(x) for x in sample])
    rows, lines_after = [], []
    reader = csv.reader(io.StringIO("".join(sample)), delimiter=delim)
    try:
        for r in reader:
            rows.append([vntext.nfc(c) for c in r])
            lines_after.append(reader.line_num)
    except csv.Error:
        pass
    t = _table(rows, name, profile_headers)
    skip_lines = lines_after[t.data_start - 1] if t.data_start else 0
    return {
        "kind": "csv",
        "encoding": enc,
        "delimiter": delim,
        "headers": t.headers,
        "header_rows": [i + 1 for i in t.header_rows],
        "skip_lines": skip_lines,
        "first_row": t.data_start + 1,
        "skipped": [[i + 1, reason] for i, reason in t.skipped],
    }


def _inspect_xlsx(path: Path, name: str, profile_headers: list[str] | None) -> dict:
    from openpyxl import load_workbook

    check_xlsx(path, name)
    first_error = None
    with open(path, "rb") as fh:  # a file object: the stored copy has no .xlsx suffix
        wb = load_workbook(fh, read_only=True, data_only=True)
        try:
            for index, ws in enumerate(wb.worksheets):
                rows = [
                    [_cell_text(c) for c in r]
                    for r in ws.iter_rows(max_row=layout.SCAN_ROWS + 2, values_only=True)
                ]
                try:
                    t = _table(rows, name, profile_headers)
                except SourceError as exc:
                    first_error = first_error or exc
                    continue
                return {
                    "kind": "xlsx",
                    "sheet": index,
                    "sheet_name": ws.title,
                    "headers": t.headers,
                    "header_rows": [i + 1 for i in t.header_rows],
                    "first_row": t.data_start + 1,
                    "skipped": [[i + 1, reason] for i, reason in t.skipped],
                }
        finally:
            wb.close()
    raise first_error or SourceError(f"{name}: tệp Excel không có trang tính nào.")


def materialise(path: Path, info: dict, name: str, tmpdir: Path, progress: Progress) -> tuple[Path, str, int]:
    """(a UTF-8 CSV of the data rows, its delimiter, lines to skip before the first data row)."""
    kind = info["kind"]
    if kind == "json":
        out = tmpdir / "data.csv"
        progress("Đọc bản ghi JSON", 0, 0)
        try:
            sync.flatten(path, out, name)
        except sync.SyncError as exc:
            raise SourceError(str(exc))
        return out, ",", 1
    if kind == "xlsx":
        from openpyxl import load_workbook

        out = tmpdir / "data.csv"
        start = info["first_row"] - 1
        with open(path, "rb") as fin:
            wb = load_workbook(fin, read_only=True, data_only=True)
            try:
                ws = wb.worksheets[info.get("sheet", 0)]
                total = ws.max_row or 0
                with open(out, "w", encoding="utf-8", newline="") as fh:
                    w = csv.writer(fh)
                    for i, row in enumerate(ws.iter_rows(min_row=start + 1, values_only=True)):
                        w.writerow([_cell_text(v) for v in row])
                        if i % 20000 == 0:
                            progress("Đọc tệp Excel", i, total)
            finally:
                wb.close()
        return out, ",", 0
    enc, delim = info["encoding"], info["delimiter"]
    if enc in ("utf-8", "utf-8-sig") and not info.get("empty_lines", True):
        return path, delim, info["skip_lines"]
    out = tmpdir / "data.csv"
    # Windows-1258 writes tone marks as combining characters: recompose them (NFC), line by line;
    # an empty line becomes a row of empty cells (DuckDB would skip it, and shift the row numbers)
    with open(path, encoding=enc, newline="") as fin, open(out, "w", encoding="utf-8", newline="") as fout:
        for line in fin:
            fout.write(vntext.nfc(line) if line.strip("\r\n") else delim + line)
    return out, delim, info["skip_lines"]
