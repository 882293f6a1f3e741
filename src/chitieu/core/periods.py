"""Reporting periods: ids, calendar windows, data cut-off windows, Vietnamese phrases.

Pure Python (no Django). A period is one of:

=========  =========  ==================================  =========================
kind       id         Vietnamese                          calendar window
=========  =========  ==================================  =========================
month      2024M03    Tháng 3 năm 2024                    1 Mar - 31 Mar
quarter    2024Q1     Quý I năm 2024                      1 Jan - 31 Mar
half       2024S1     6 tháng đầu năm 2024                1 Jan - 30 Jun
nine       2024N9     9 tháng năm 2024                    1 Jan - 30 Sep
year       2024       Năm 2024                            1 Jan - 31 Dec
=========  =========  ==================================  =========================

The data cut-off window (Decree 09/2019, art. 12) starts on day 15 of the month before the
period's first month and ends on day 14 of the period's last month. Which window a reporting
regime uses, and on which day it turns, is configuration (:class:`WindowRule`).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chitieu.core import vntext


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    NINE = "nine"
    YEAR = "year"


#: months covered by each kind, by index (1-based)
_SPAN = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF: 6,
    PeriodKind.NINE: 9,
    PeriodKind.YEAR: 12,
}
_MAX_INDEX = {
    PeriodKind.MONTH: 12,
    PeriodKind.QUARTER: 4,
    PeriodKind.HALF: 2,
    PeriodKind.NINE: 1,
    PeriodKind.YEAR: 1,
}
ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_ROMAN_TO_INT = {v: k for k, v in ROMAN.items()}

MIN_YEAR, MAX_YEAR = 1900, 2200


class PeriodError(ValueError):
    """A period id or phrase that cannot be understood."""


@dataclass(frozen=True, order=True)
class Window:
    start: date
    end: date  # inclusive

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class WindowRule:
    """How a reporting regime draws a period's data window.

    ``calendar``: the period's own months. ``cutoff``: from ``turn_day`` of the month before
    the first month to ``turn_day - 1`` of the last month (Decree 09: ``turn_day = 15``).
    """

    kind: str = "cutoff"
    turn_day: int = 15

    def __post_init__(self) -> None:
        if self.kind not in ("calendar", "cutoff"):
            raise PeriodError(f"unknown window kind {self.kind!r}")
        if not 2 <= self.turn_day <= 28:
            raise PeriodError("turn_day must be between 2 and 28")

    def to_dict(self) -> dict:
        return {"kind": self.kind, "turn_day": self.turn_day}

    @classmethod
    def from_dict(cls, data: dict | None) -> WindowRule:
        data = data or {}
        return cls(kind=data.get("kind", "cutoff"), turn_day=int(data.get("turn_day", 15)))


DECREE_09 = WindowRule("cutoff", 15)
CALENDAR = WindowRule("calendar", 15)


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    n = year * 12 + (month - 1) + delta
    return n // 12, n % 12 + 1


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. Ordered by (year, kind, index)."""

    year: int
    kind: PeriodKind
    index: int = 1

    def __post_init__(self) -> None:
        if not isinstance(self.kind, PeriodKind):
            object.__setattr__(self, "kind", PeriodKind(self.kind))
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise PeriodError(f"year {self.year} out of range {MIN_YEAR}-{MAX_YEAR}")
        if not 1 <= self.index <= _MAX_INDEX[self.kind]:
            raise PeriodError(f"{self.kind.value} index {self.index} out of range")

    # --- constructors -------------------------------------------------------------------
    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(year, PeriodKind.QUARTER, quarter)

    @classmethod
    def half(cls, year: int, half: int) -> Period:
        return cls(year, PeriodKind.HALF, half)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(year, PeriodKind.NINE, 1)

    @classmethod
    def whole_year(cls, year: int) -> Period:
        return cls(year, PeriodKind.YEAR, 1)

    @classmethod
    def containing(cls, day: date, kind: PeriodKind) -> Period:
        """The calendar period of ``kind`` that contains ``day`` (nine: Jan-Sep only)."""
        kind = PeriodKind(kind)
        if kind is PeriodKind.NINE and day.month > 9:
            raise PeriodError("no nine-month period contains a day after September")
        index = (day.month - 1) // _SPAN[kind] + 1 if kind is not PeriodKind.NINE else 1
        return cls(day.year, kind, index)

    # --- ids ------------------------------------------------------------------------------
    @property
    def id(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{self.year}M{self.index:02d}"
            case PeriodKind.QUARTER:
                return f"{self.year}Q{self.index}"
            case PeriodKind.HALF:
                return f"{self.year}S{self.index}"
            case PeriodKind.NINE:
                return f"{self.year}N9"
            case _:
                return f"{self.year}"

    def __str__(self) -> str:
        return self.id

    @classmethod
    def parse_id(cls, text: str) -> Period:
        m = _ID_RE.fullmatch(text.strip().upper())
        if not m:
            raise PeriodError(
                f"not a period id: {text!r} (expected e.g. 2024M03, 2024Q1, 2024S1, 2024N9, 2024)"
            )
        year = int(m["year"])
        tag, num = m["tag"], m["num"]
        if not tag:
            return cls(year, PeriodKind.YEAR)
        kind = {"M": PeriodKind.MONTH, "Q": PeriodKind.QUARTER, "S": PeriodKind.HALF, "N": PeriodKind.NINE}[
            tag
        ]
        index = int(num)
        if kind is PeriodKind.NINE:
            if index != 9:
                raise PeriodError(f"not a period id: {text!r} (nine months is N9)")
            index = 1
        return cls(year, kind, index)

    # --- windows --------------------------------------------------------------------------
    @property
    def first_month(self) -> int:
        return 1 if self.kind is PeriodKind.NINE else (self.index - 1) * _SPAN[self.kind] + 1

    @property
    def last_month(self) -> int:
        return self.first_month + _SPAN[self.kind] - 1

    @property
    def calendar_window(self) -> Window:
        return Window(date(self.year, self.first_month, 1), _last_day(self.year, self.last_month))

    def cutoff_window(self, turn_day: int = 15) -> Window:
        sy, sm = _add_months(self.year, self.first_month, -1)
        return Window(date(sy, sm, turn_day), date(self.year, self.last_month, turn_day - 1))

    def window(self, rule: WindowRule = DECREE_09) -> Window:
        if rule.kind == "calendar":
            return self.calendar_window
        return self.cutoff_window(rule.turn_day)

    # --- navigation -----------------------------------------------------------------------
    def next(self) -> Period:
        if self.index < _MAX_INDEX[self.kind]:
            return Period(self.year, self.kind, self.index + 1)
        return Period(self.year + 1, self.kind, 1)

    def previous(self) -> Period:
        if self.index > 1:
            return Period(self.year, self.kind, self.index - 1)
        return Period(self.year - 1, self.kind, _MAX_INDEX[self.kind])

    def months(self) -> list[Period]:
        return [Period.month(self.year, m) for m in range(self.first_month, self.last_month + 1)]

    def contains(self, other: Period) -> bool:
        """True when ``other`` lies inside this period's calendar window."""
        a, b = self.calendar_window, other.calendar_window
        return a.start <= b.start and b.end <= a.end

    # --- labels ---------------------------------------------------------------------------
    @property
    def label_vi(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"Tháng {self.index} năm {self.year}"
            case PeriodKind.QUARTER:
                return f"Quý {ROMAN[self.index]} năm {self.year}"
            case PeriodKind.HALF:
                return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
            case PeriodKind.NINE:
                return f"9 tháng năm {self.year}"
            case _:
                return f"Năm {self.year}"

    @property
    def label_en(self) -> str:
        match self.kind:
            case PeriodKind.MONTH:
                return f"{calendar.month_name[self.index]} {self.year}"
            case PeriodKind.QUARTER:
                return f"Q{self.index} {self.year}"
            case PeriodKind.HALF:
                return f"{'First' if self.index == 1 else 'Second'} half of {self.year}"
            case PeriodKind.NINE:
                return f"Nine months of {self.year}"
            case _:
                return f"Year {self.year}"


_ID_RE = re.compile(r"(?P<year>\d{4})(?:(?P<tag>[MQSN])(?P<num>\d{1,2}))?")

# --- phrases ----------------------------------------------------------------------------------
# Matching runs on the accent-folded lower-case text ("quy i nam 2024"), so "Quý", "quý", "QUÝ"
# and decomposed input all match.
_YEAR = r"(?P<year>\d{4})"
_SEP_YEAR = r"\s*(?:nam|/|-|\.)\s*" + _YEAR
_PHRASES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(?:bao cao\s+)?quy\s+(?P<q>iv|iii|ii|i|[1-4])" + _SEP_YEAR + "$"), "quarter"),
    (re.compile(r"^(?:06|6)\s+thang\s+(?:dau\s+)?nam\s+" + _YEAR + "$"), "half1"),
    (re.compile(r"^(?:06|6)\s+thang\s+cuoi\s+nam\s+" + _YEAR + "$"), "half2"),
    (re.compile(r"^(?:nua\s+dau|6\s+thang\s+dau)\s+(?:nam\s+)?" + _YEAR + "$"), "half1"),
    (re.compile(r"^(?:nua\s+cuoi|6\s+thang\s+cuoi)\s+(?:nam\s+)?" + _YEAR + "$"), "half2"),
    (re.compile(r"^(?:09|9)\s+thang\s+(?:dau\s+)?nam\s+" + _YEAR + "$"), "nine"),
    (re.compile(r"^thang\s+(?P<m>\d{1,2})" + _SEP_YEAR + "$"), "month"),
    (re.compile(r"^(?:ca\s+)?nam\s+" + _YEAR + "$"), "year"),
]


def parse(text: str) -> Period:
    """A period from an id ("2024Q1") or a Vietnamese phrase ("Quý I năm 2024", "quý 1/2024",
    "6 tháng đầu năm 2024", "9 tháng năm 2024", "năm 2024", "tháng 3/2024", "tháng 03 năm 2024")."""
    if not isinstance(text, str) or not text.strip():
        raise PeriodError("empty period")
    raw = text.strip()
    if _ID_RE.fullmatch(raw.upper()):
        return Period.parse_id(raw)
    key = vntext.fold(raw)
    key = re.sub(r"\s+", " ", key).strip(" .,:;")
    for pattern, kind in _PHRASES:
        m = pattern.match(key)
        if not m:
            continue
        year = int(m["year"])
        try:
            match kind:
                case "quarter":
                    q = m["q"]
                    return Period.quarter(year, int(q) if q.isdigit() else _ROMAN_TO_INT[q.upper()])
                case "half1":
                    return Period.half(year, 1)
                case "half2":
                    return Period.half(year, 2)
                case "nine":
                    return Period.nine_months(year)
                case "month":
                    return Period.month(year, int(m["m"]))
                case _:
                    return Period.whole_year(year)
        except PeriodError as exc:
            raise PeriodError(f"{text!r}: {exc}") from exc
    raise PeriodError(
        f"không hiểu kỳ báo cáo {text!r} (ví dụ: 'Quý I năm 2024', '6 tháng đầu năm 2024', 'tháng 3/2024', '2024Q1')"
    )


def periods_between(first: Period, last: Period) -> list[Period]:
    """All periods of one kind from ``first`` to ``last`` inclusive."""
    if first.kind != last.kind:
        raise PeriodError("periods of different kinds")
    out, p = [], first
    while p <= last:
        out.append(p)
        p = p.next()
    return out


def shift_days(day: date, n: int) -> date:
    return day + timedelta(days=n)
