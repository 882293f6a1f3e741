"""Find the table of dossiers in an export as offices get it (pure Python, no Django).

Exports are made for people: a title ("DANH SÁCH HỒ SƠ THỦ TỤC HÀNH CHÍNH TỪ 15/12/2023 ĐẾN
14/12/2024"), the issuing unit, a blank row, then the header, sometimes on two rows with merged
group cells ("Thông tin hồ sơ" over "Mã hồ sơ", "Mã TTHC", ...), sometimes a row numbering the
columns ("(1)", "(2)", ...). :func:`find_table` reads the first rows, scores every row (and every
pair of rows) as a header by how many dossier fields its cells name (aliases only, no fuzzy
guess), and says which rows before the data were skipped and why. Rows inside the table that are
not dossiers (blank rows, "Tổng cộng", signatures) are recognised by the import's SQL (see
:mod:`.normalize`), since they can be anywhere in millions of rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.dossiers.fields import BY_NAME, exact_matches, header_key

SCAN_ROWS = 60  # the header must start within the first rows
MIN_FIELDS = 3  # a header names at least this many dossier fields ...
KEY_FIELDS = ("code", "received_at", "procedure_code", "unit")  # ... at least one of them
LOOKED_FOR = ("code", "procedure_code", "unit", "received_at", "due_at", "channel")

REASONS = {
    "title": "dòng tiêu đề, tên đơn vị hoặc ghi chú phía trên bảng",
    "blank": "dòng trống",
    "group": "dòng tiêu đề nhóm cột (tiêu đề bảng hai tầng)",
    "header": "dòng tiêu đề cột",
    "numbering": "dòng đánh số cột",
    "total": "dòng tổng cộng",
    "numbers": "dòng chỉ có số, không có mã hồ sơ (dòng tổng)",
    "note": "dòng chữ ngoài bảng (không có mã hồ sơ, không có ngày tiếp nhận)",
    "repeat": "dòng tiêu đề cột lặp lại",
}


class NoTable(ValueError):
    """No row of the first ones looks like the header of a dossier table."""


@dataclass
class Table:
    headers: list[str]  # one name per column (two-row headers joined)
    header_rows: list[int]  # 0-based indexes of the header row(s)
    data_start: int  # 0-based index of the first row after the header (and numbering row)
    skipped: list[tuple[int, str]] = field(default_factory=list)  # (0-based row, reason code)
    matched: dict[str, str] = field(default_factory=dict)  # field -> header


def _clean(v) -> str:
    return vntext.nfc(str(v)).strip() if v is not None else ""


def _is_numbering(cells: list[str]) -> bool:
    filled = [c for c in cells if c]
    if len(filled) < 3:
        return False
    marks = [c for c in filled if re.fullmatch(r"\(?\s*([0-9]{1,2}|[A-Za-z]|[IVX]{1,4})\s*\)?", c)]
    return len(marks) >= 0.8 * len(filled)


def _dedupe(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, n in enumerate(names):
        n = n or f"Cột {i + 1}"
        if n in seen:
            seen[n] += 1
            n = f"{n} ({seen[n]})"
        else:
            seen[n] = 1
        out.append(n)
    return out


def _two_row(top: list[str], bottom: list[str]) -> list[str]:
    """Column names of a header on two rows: a group cell merged over several columns keeps its
    text in the first one only (Excel's merged cells), so it is carried right over the columns
    whose lower cell is filled; a column merged down keeps its upper text."""
    width = max(len(top), len(bottom))
    top = top + [""] * (width - len(top))
    bottom = bottom + [""] * (width - len(bottom))
    filled_top = []
    current = ""
    for j in range(width):
        if top[j]:
            current = top[j]
        elif not bottom[j]:
            current = ""
        filled_top.append(top[j] or (current if bottom[j] else ""))
    subs = [b for b in bottom if b]
    names = []
    for j in range(width):
        t, b = filled_top[j], bottom[j]
        if not b:
            names.append(t)
        elif not t or t == b:
            names.append(b)
        else:
            # the lower cell alone when it names a field and is unique; else "Ngày (Tiếp nhận)"
            # when that names one ("ngay tiep nhan"); else "group - sub"
            if exact_matches([b]) and subs.count(b) == 1:
                names.append(b)
            elif exact_matches([f"{b} ({t})"]):
                names.append(f"{b} ({t})")
            else:
                names.append(f"{t} - {b}")
    return names


def _score(names: list[str]) -> tuple[int, dict[str, str]]:
    m = exact_matches(names)
    if not any(k in m for k in KEY_FIELDS):
        return 0, m
    return len(m), m


def find_table(rows: list[list], *, profile_headers: list[str] | None = None, name: str = "tệp") -> Table:
    """The header of the dossier table among the first rows of a sheet.

    ``profile_headers``: the headers of a chosen mapping profile (a row naming most of them is a
    header even when its names are the province's own). Raises :class:`NoTable` naming what
    was looked for."""
    rows = [[_clean(c) for c in r] for r in rows[: SCAN_ROWS + 2]]
    wanted = {header_key(h) for h in (profile_headers or []) if h}
    best: tuple[int, int, int] | None = None  # (score, -depth, -index)
    best_table: Table | None = None
    for i, row in enumerate(rows[:SCAN_ROWS]):
        if not any(row):
            continue
        candidates = [(1, _dedupe(row))]
        if i + 1 < len(rows) and any(rows[i + 1]):
            candidates.append((2, _dedupe(_two_row(row, rows[i + 1]))))
        for depth, names in candidates:
            score, matched = _score(names)
            if wanted:
                hits = len(wanted & {header_key(n) for n in names})
                if hits >= max(2, (len(wanted) + 1) // 2):
                    score = max(score, hits)
            if score < MIN_FIELDS:
                continue
            key = (score, -depth, -i)
            if best is None or key > best:
                best = key
                best_table = Table(names, list(range(i, i + depth)), i + depth, matched=matched)
    if best_table is None:
        looked = ", ".join(f"'{BY_NAME[f].label}'" for f in LOOKED_FOR)
        extra = " hoặc các cột của mẫu ghép cột đã chọn" if wanted else ""
        raise NoTable(
            f"{name}: không tìm thấy bảng hồ sơ trong {SCAN_ROWS} dòng đầu: cần một dòng tiêu đề có ít nhất "
            f"{MIN_FIELDS} cột như {looked}{extra}. Kiểm tra tệp có đúng là danh sách hồ sơ xuất từ hệ thống một cửa."
        )
    t = best_table
    first = t.header_rows[0]
    for i in range(first):
        t.skipped.append((i, "title" if any(rows[i]) else "blank"))
    if len(t.header_rows) == 2:
        t.skipped.append((t.header_rows[0], "group"))
        t.skipped.append((t.header_rows[1], "header"))
    else:
        t.skipped.append((first, "header"))
    # a row numbering the columns, and blank rows, between the header and the first dossier
    j = t.data_start
    while j < len(rows) and (not any(rows[j]) or _is_numbering(rows[j])):
        t.skipped.append((j, "blank" if not any(rows[j]) else "numbering"))
        j += 1
    t.data_start = j
    return t
