"""How Vietnamese offices write the parts of a report (pure Python).

Dates and numbers follow Decree 30/2020 (Phụ lục I): "Bắc Ninh, ngày 05 tháng 02 năm 2025" - day
below 10 and months 1-2 with a leading zero; "Số: 05/BC-SNV" - numbers below 10 with a leading zero.
Result sentences follow what offices write by hand: "Tỷ lệ hồ sơ trực tuyến: 56/56 hồ sơ, đạt 100%
(chỉ tiêu: trên 70%) — Đạt". Every percent is computed here from its own fraction, so the lint on
the finished report (percent-follows-fraction) holds by construction.
"""

from __future__ import annotations

import datetime as dt
import re

from chitieu.core import numbers, vntext
from chitieu.core.evaluation import Measurement, MeasureUnit, Status, TargetSpec

# nouns counted by a ratio, guessed from the target's wording (longest match first)
_NOUNS = [
    ("phan anh, kien nghi", "phản ánh, kiến nghị"),
    ("thu tuc hanh chinh", "thủ tục"),
    ("he thong thong tin", "hệ thống"),
    ("van ban", "văn bản"),
    ("ho so", "hồ sơ"),
    ("tthc", "thủ tục"),
    ("thu tuc", "thủ tục"),
    ("giao dich", "giao dịch"),
    ("doanh nghiep", "doanh nghiệp"),
    ("cong chuc", "công chức"),
    ("can bo", "cán bộ"),
]

STATUS_WORDS = {
    Status.MET: "Đạt",
    Status.NOT_MET: "Chưa đạt",
    Status.AT_RISK: "Có nguy cơ không đạt",
    Status.NO_DATA: "Chưa có số liệu",
    Status.NOT_APPLICABLE: "Không phát sinh",
}


def date_line(place: str, day: dt.date) -> str:
    """ "Bắc Ninh, ngày 05 tháng 02 năm 2025"; "Hà Nội, ngày 15 tháng 3 năm 2024"."""
    d = f"{day.day:02d}"
    m = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    place = place.strip()
    return f"{place}, ngày {d} tháng {m} năm {day.year}" if place else f"ngày {d} tháng {m} năm {day.year}"


def number_symbol(number: int | None, kind_abbr: str, agency_abbr: str) -> str:
    """ "05/BC-SNV"; without a number (to be numbered by the clerk) "     /BC-SNV"."""
    symbol = f"{kind_abbr}-{agency_abbr}" if agency_abbr else kind_abbr
    if number is None:
        return f"{' ' * 6}/{symbol}"
    return f"{number:02d}/{symbol}"


def date_vi(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def guess_noun(text: str) -> str:
    """The thing counted: the first of the known nouns in the wording ("Tỷ lệ hồ sơ thủ tục hành
    chính ..." counts "hồ sơ"; "Tỷ lệ thủ tục hành chính có hồ sơ ..." counts "thủ tục")."""
    key = vntext.fold(text)
    found = [(key.find(p), -len(p), noun) for p, noun in _NOUNS if p in key]
    return min(found)[2] if found else ""


def lower_first(text: str) -> str:
    """ "Quý III năm 2026" -> "quý III năm 2026" (only the first letter: roman numerals stay)."""
    return text[:1].lower() + text[1:] if text else text


# words for a level of administration that are written in lower case inside a sentence when a
# place name follows them ("của tỉnh Bắc Ninh", "xã An Bình báo cáo"); longest first
_LEVEL_WORDS = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Huyện", "Quận", "Phường", "Tỉnh", "Xã")


def in_sentence(name: str) -> str:
    """A unit's name as written inside a sentence: "Tỉnh Bắc Ninh" -> "tỉnh Bắc Ninh", "Xã An Bình"
    -> "xã An Bình"; names of bodies ("Sở Nội vụ", "Ủy ban nhân dân tỉnh ...") are left as they are."""
    for w in _LEVEL_WORDS:
        rest = name[len(w) :]
        if name.startswith(w) and rest[:1] == " " and rest[1:2].isupper():
            return w.lower() + rest
    return name


def pct(num, den) -> str:
    """The percent of a fraction, rounded half up to at most two decimals ("100", "79,93")."""
    rate = numbers.percent(num, den)
    return numbers.format_vi(numbers.round_half_up(rate, 2), 2)


def result_sentence(
    text: str, spec: TargetSpec, m: Measurement, status: Status, *, measure_unit: str = ""
) -> str:
    """One target's result in an office's words, with the target and the verdict."""
    text = text.strip().rstrip(".:;")
    goal = f"(chỉ tiêu: {spec.describe_vi()})"
    verdict = STATUS_WORDS.get(status, "")
    if m is None or not m.has_data:
        return f"{text}: chưa có số liệu {goal}."
    if m.is_ratio:
        noun = guess_noun(text)
        frac = f"{numbers.format_vi(m.numerator, 2)}/{numbers.format_vi(m.denominator, 2)}"
        if noun:
            frac += f" {noun}"
        if not m.denominator:
            return f"{text}: {frac}, không phát sinh trong kỳ {goal}."
        if spec.unit is MeasureUnit.PERCENT:
            return f"{text}: {frac}, đạt {pct(m.numerator, m.denominator)}% {goal} — {verdict}."
        return f"{text}: {frac} {goal} — {verdict}."
    unit = f" {measure_unit}" if measure_unit and measure_unit != "%" else ""
    value = numbers.format_vi(m.value, 2)
    if spec.unit is MeasureUnit.PERCENT:
        return f"{text}: đạt {value}% {goal} — {verdict}."
    return f"{text}: {value}{unit} {goal} — {verdict}."


_SPACES = re.compile(r"\s+")


def one_line(text: str) -> str:
    return _SPACES.sub(" ", text or "").strip()
