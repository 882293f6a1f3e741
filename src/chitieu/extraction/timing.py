"""Dates and deadline phrases as Vietnamese documents write them.

* :func:`parse_date` - "ngày 11/12/2023", "ngày 15 tháng 9 năm 2022", "ngày tháng 02 năm 2024"
  (-> "2024-02"), "ngày /3/2024" (-> "2024-03") - partial ISO dates.
* :func:`parse_deadline` - a deadline phrase -> (last day it is due, recurrence), following the
  contract's conventions: "Quý II/2024" -> 2024-06-30, "trước tháng 11/2024" -> 2024-10-31,
  "Thường xuyên" -> continuous, "Hằng quý" -> quarterly ...
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from functools import lru_cache

from chitieu.core import vntext

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


def _iso(y: int, m: int | None = None, d: int | None = None) -> str | None:
    try:
        if d is not None and m is not None:
            return date(y, m, d).isoformat()
        if m is not None:
            if not 1 <= m <= 12:
                return None
            return f"{y:04d}-{m:02d}"
        return f"{y:04d}"
    except ValueError:
        return None


def _valid_year(y: int) -> bool:
    return 1945 <= y <= 2100


# "ngày 15 tháng 9 năm 2022", "ngày   tháng 02 năm 2024", "ngày tháng năm 2024"
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})")
# "11/12/2023", "11-12-2023", "11.12.2023", " /02/2024", "ngày /3/2024"
_DATE_NUM = re.compile(r"(?<![\d/])(\d{1,2})?\s*/\s*(\d{1,2})\s*/\s*(\d{4})(?!\d)")
_DATE_DASH = re.compile(r"(?<![\d/.-])(\d{1,2})[-.](\d{1,2})[-.](\d{4})(?!\d)")


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as (possibly partial) ISO, or None."""
    found = find_dates(text)
    return found[0][0] if found else None


def find_dates(text: str) -> list[tuple[str, int, int]]:
    """All dates in ``text``: (ISO, start, end) in order. Offsets refer to ``text``."""
    folded = _fold_same_length(text)
    out: list[tuple[str, int, int]] = []
    for m in _DATE_WORDS.finditer(folded):
        y = int(m.group(3))
        mo = int(m.group(2)) if m.group(2) else None
        d = int(m.group(1)) if m.group(1) else None
        if not _valid_year(y):
            continue
        iso = _iso(y, mo, d if mo else None)
        if iso:
            out.append((iso, m.start(), m.end()))
    for rx in (_DATE_NUM, _DATE_DASH):
        for m in rx.finditer(folded):
            if any(s <= m.start() < e for _, s, e in out):
                continue
            y, mo = int(m.group(3)), int(m.group(2))
            d = int(m.group(1)) if m.group(1) else None
            if not _valid_year(y):
                continue
            iso = _iso(y, mo, d)
            if iso:
                out.append((iso, m.start(), m.end()))
    return sorted(out, key=lambda x: x[1])


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if not c.strip():
        return c
    f = vntext.fold(c)
    return f[:1] if f else c.lower()


def _fold_same_length(text: str) -> str:
    """Accent-fold character by character so offsets stay valid."""
    return "".join(map(_fold_char, text))


def fold_keep_offsets(text: str) -> str:
    return _fold_same_length(text)


# --- deadlines ------------------------------------------------------------------------------------
def _end_of_month(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _before_month(y: int, m: int) -> date:
    """ "trước tháng 11/2024" -> the last day of October."""
    y2, m2 = (y, m - 1) if m > 1 else (y - 1, 12)
    return _end_of_month(y2, m2)


_RECUR = [
    (re.compile(r"\b(?:hang|moi)\s+thang\b|\bthang\s+mot\s+lan\b"), "monthly"),
    (re.compile(r"\b(?:hang|moi)\s+quy\b|\bthang\s+cuoi\s+quy\b|\bdinh\s+ky\s+quy\b|^quy\s*,"), "quarterly"),
    (re.compile(r"\b(?:hang|moi)\s+nam\b"), "yearly"),
]


def parse_deadline(phrase: str | None, *, default_year: int | None = None) -> tuple[str | None, str | None]:
    """(ISO deadline or None, recurrence or None) for a deadline phrase."""
    if not phrase or not phrase.strip():
        return None, None
    f = _fold_same_length(vntext.nfc(phrase)).strip()
    f = re.sub(r"\s+", " ", f)
    if re.match(r"^(?:thuc hien\s+)?thuong xuyen\b", f) or f.startswith("lien tuc"):
        return None, "continuous"
    for rx, rec in _RECUR:
        if rx.search(f):
            return None, rec
    if re.search(r"\bdinh ky\b", f) and re.search(r"\bquy\b", f):
        return None, "quarterly"

    # "Từ 01/6/2022 đến 31/8/2022", "từ tháng 01/8/2022 đến 30/8/2022": the end of the range
    m = re.search(r"\bden\s+(?:ngay\s+)?(.*)$", f)
    if m and re.search(r"\btu\b", f[: m.start()]):
        d, _ = parse_deadline(m.group(1), default_year=default_year)
        if d:
            return d, None
    # "2026 - 2027", "giai đoạn 2024-2025"
    m = re.search(r"(?<!\d)(\d{4})\s*[-–]\s*(\d{4})(?!\d)", f)
    if m and _valid_year(int(m.group(2))) and not re.search(r"\d{1,2}/\d{1,2}/", f):
        return date(int(m.group(2)), 12, 31).isoformat(), None

    before = bool(re.search(r"\b(?:truoc|cham nhat)\b", f))
    # a full date (the named day)
    dates = find_dates(phrase)
    full = [d for d, _, _ in dates if len(d) == 10]
    if full:
        return full[0], None
    # "quý II/2024", "quý 2 năm 2024"
    m = re.search(r"\bquy\s+(iv|iii|ii|i|[1-4])\s*(?:/|nam|-)\s*(\d{4})", f)
    if m:
        q = _ROMAN.get(m.group(1)) or int(m.group(1))
        y = int(m.group(2))
        if before:
            return _before_month(y, 3 * (q - 1) + 1).isoformat(), None
        return _end_of_month(y, 3 * q).isoformat(), None
    # "6 tháng đầu năm 2024", "9 tháng năm 2024"
    m = re.search(r"\b(0?6|0?9)\s+thang\s+(dau|cuoi)?\s*(?:nam\s+)?(\d{4})", f)
    if m:
        n, which, y = int(m.group(1)), m.group(2), int(m.group(3))
        month = 12 if (n == 6 and which == "cuoi") else n
        return _end_of_month(y, month).isoformat(), None
    # "tháng 8/2024", "trong tháng 3/2023", "trước tháng 11/2024", "tháng 03 năm 2024"
    m = re.search(r"\bthang\s+(\d{1,2})\s*(?:/|nam|-)\s*(\d{4})", f)
    if m and 1 <= int(m.group(1)) <= 12:
        y, mo = int(m.group(2)), int(m.group(1))
        if re.search(r"\btruoc\s+thang\b", f):
            return _before_month(y, mo).isoformat(), None
        return _end_of_month(y, mo).isoformat(), None
    # a partial date "ngày /3/2024" or "tháng 02 năm 2024"
    partial = [d for d, _, _ in dates if len(d) == 7]
    if partial:
        y, mo = (int(x) for x in partial[0].split("-"))
        return (
            _before_month(y, mo) if re.search(r"\btruoc\s+thang\b", f) else _end_of_month(y, mo)
        ).isoformat(), None
    # "Năm 2025", "Trong năm 2025", "2024", "trước năm 2025"
    m = re.search(r"(?:\bnam\s+|^)(\d{4})\b", f) or re.fullmatch(r"\s*(\d{4})\s*\.?", f)
    if m and _valid_year(int(m.group(1))):
        y = int(m.group(1))
        if re.search(r"\btruoc\s+nam\b", f):
            return date(y - 1, 12, 31).isoformat(), None
        return date(y, 12, 31).isoformat(), None
    return None, None


# Time phrases inside a task sentence ("... xong trước 01/6/2024", "hằng quý tổng hợp ...").
_IN_TEXT = re.compile(
    r"^tu\s+(?:thang\s+|ngay\s+)?\d{1,2}/\d{1,2}/\d{4}\s+den\s+(?:thang\s+|ngay\s+)?\d{1,2}/\d{1,2}/\d{4}"
    r"|(?:(?:hoan thanh|xong)\s+)?(?:truoc|cham nhat|trong)\s+(?:ngay\s+)?\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}"
    r"|(?:truoc|cham nhat)\s+ngay\s+\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
    r"|(?:truoc|trong)\s+thang\s+\d{1,2}\s*/\s*\d{4}"
    r"|trong\s+(?:quy\s+(?:iv|iii|ii|i|[1-4])\s*/\s*\d{4}|nam\s+\d{4})"
    r"|(?:hoan thanh\s+)?trong\s+(?:0?6|0?9)\s+thang\s+(?:dau|cuoi)\s+nam\s+\d{4}"
    r"|(?:thuc hien\s+)?trong\s+giai doan\s+\d{4}\s*[-–]\s*\d{4}"
    r"|(?:dinh ky\s+)?(?:truoc\s+ngay\s+\d{1,2}\s+(?:cua\s+)?thang\s+cuoi\s+quy|truoc\s+ngay\s+\d{1,2}\s+(?:hang|moi)\s+thang)"
    r"|(?:(?<=^)|(?<=[;:,.]\s)|(?<=dinh ky\s))(?:hang|moi)\s+(?:thang|quy|nam)"
    r"|(?:hang|moi)\s+(?:thang|quy|nam)(?=\s*[.;]|\s*$)"
)


def find_time_phrase(text: str) -> tuple[str, int] | None:
    """The first deadline-like phrase inside a sentence: (phrase as written, offset)."""
    folded = _fold_same_length(vntext.nfc(text))
    m = _IN_TEXT.search(folded)
    if not m:
        return None
    return text[m.start() : m.end()], m.start()
