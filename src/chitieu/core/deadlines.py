"""Deadline rules for sending reports, as data, and the working-day calendar.

Pure Python. A rule turns a :class:`~chitieu.core.periods.Period` into a :class:`Due`: the date
named by the rule and whether it is exclusive ("trước ngày 15" - before the 15th) or inclusive
("chậm nhất ngày 15", "n ngày làm việc sau ...").

Rule kinds (``to_dict``/``from_dict`` give their JSON form, stored on reporting regimes):

* ``day_of_last_month``: "trước ngày 15 của tháng cuối quý", "trước ngày 20 hằng tháng"
  (for a monthly period the last month is the month itself).
* ``working_days_after_cutoff``: "2 ngày làm việc sau ngày chốt số liệu".
* ``explicit``: one day per period tag: "quý I trước 13/3, 6 tháng trước 13/6, 9 tháng trước
  13/9, năm trước 08/11" -> ``{"Q1": "03-13", "S1": "06-13", "N9": "09-13", "Y": "11-08"}``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from chitieu.core import vntext
from chitieu.core.periods import DECREE_09, Period, PeriodKind, WindowRule


class DeadlineError(ValueError):
    pass


@dataclass(frozen=True)
class WorkCalendar:
    """Working days: Monday to Friday minus public holidays (configurable list)."""

    holidays: frozenset[date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})  # Saturday, Sunday
    extra_working_days: frozenset[date] = frozenset()  # make-up Saturdays

    @classmethod
    def from_dates(
        cls, holidays: Iterable[date | str], extra_working_days: Iterable[date | str] = ()
    ) -> WorkCalendar:
        def conv(d: date | str) -> date:
            return d if isinstance(d, date) else date.fromisoformat(d)

        return cls(
            frozenset(map(conv, holidays)), extra_working_days=frozenset(map(conv, extra_working_days))
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.extra_working_days:
            return True
        return day.weekday() not in self.weekend and day not in self.holidays

    def add_working_days(self, day: date, n: int) -> date:
        """The n-th working day after ``day`` (n >= 1), or ``day`` itself for n = 0."""
        if n < 0:
            raise DeadlineError("n must be >= 0")
        current = day
        while n > 0:
            current += timedelta(days=1)
            if self.is_working_day(current):
                n -= 1
        return current

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in (start, end]."""
        count, d = 0, start
        while d < end:
            d += timedelta(days=1)
            if self.is_working_day(d):
                count += 1
        return count


@dataclass(frozen=True)
class Due:
    day: date
    exclusive: bool  # "trước ngày X": must arrive before X

    @property
    def last_day(self) -> date:
        """The last day a report still counts as on time."""
        return self.day - timedelta(days=1) if self.exclusive else self.day

    def on_time(self, submitted: date | datetime) -> bool:
        d = submitted.date() if isinstance(submitted, datetime) else submitted
        return d <= self.last_day


def _clamp_day(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    day: int | None = None
    exclusive: bool = True
    working_days: int | None = None
    dates: dict[str, str] = field(default_factory=dict)
    window: WindowRule = DECREE_09

    def due(self, period: Period, cal: WorkCalendar | None = None) -> Due:
        cal = cal or WorkCalendar()
        match self.kind:
            case "day_of_last_month":
                assert self.day is not None
                return Due(_clamp_day(period.year, period.last_month, self.day), self.exclusive)
            case "working_days_after_cutoff":
                assert self.working_days is not None
                end = period.window(self.window).end
                return Due(cal.add_working_days(end, self.working_days), False)
            case "explicit":
                tag = period_tag(period)
                if tag not in self.dates:
                    raise DeadlineError(f"no deadline set for {period.label_vi}")
                month, day = (int(x) for x in self.dates[tag].split("-"))
                due = _clamp_day(period.year, month, day)
                # a date in the first half of the period cannot be its deadline: it is next year's
                # (a year report "trước 10/01" is due on 10 January of the following year)
                cal = period.calendar_window
                if due < cal.start + (cal.end - cal.start) / 2:
                    due = _clamp_day(period.year + 1, month, day)
                return Due(due, self.exclusive)
            case _:
                raise DeadlineError(f"unknown deadline rule {self.kind!r}")

    def applies_to(self, period: Period) -> bool:
        return self.kind != "explicit" or period_tag(period) in self.dates

    def to_dict(self) -> dict:
        d: dict = {"kind": self.kind, "exclusive": self.exclusive}
        if self.day is not None:
            d["day"] = self.day
        if self.working_days is not None:
            d["working_days"] = self.working_days
            d["window"] = self.window.to_dict()
        if self.dates:
            d["dates"] = dict(self.dates)
        return d

    @classmethod
    def from_dict(cls, data: dict) -> DeadlineRule:
        kind = data.get("kind")
        if kind not in ("day_of_last_month", "working_days_after_cutoff", "explicit"):
            raise DeadlineError(f"unknown deadline rule {kind!r}")
        rule = cls(
            kind=kind,
            day=data.get("day"),
            exclusive=bool(data.get("exclusive", True)),
            working_days=data.get("working_days"),
            dates=dict(data.get("dates") or {}),
            window=WindowRule.from_dict(data.get("window")),
        )
        rule.validate()
        return rule

    def validate(self) -> None:
        if self.kind == "day_of_last_month" and not (isinstance(self.day, int) and 1 <= self.day <= 31):
            raise DeadlineError("day must be 1-31")
        if self.kind == "working_days_after_cutoff" and not (
            isinstance(self.working_days, int) and 0 <= self.working_days <= 60
        ):
            raise DeadlineError("working_days must be 0-60")
        if self.kind == "explicit":
            if not self.dates:
                raise DeadlineError("explicit rule needs dates")
            for tag, md in self.dates.items():
                if not re.fullmatch(r"(M(0[1-9]|1[0-2])|Q[1-4]|S[12]|N9|Y)", tag):
                    raise DeadlineError(f"bad period tag {tag!r}")
                if not re.fullmatch(r"\d{2}-\d{2}", md):
                    raise DeadlineError(f"bad month-day {md!r}")


def period_tag(period: Period) -> str:
    match period.kind:
        case PeriodKind.MONTH:
            return f"M{period.index:02d}"
        case PeriodKind.QUARTER:
            return f"Q{period.index}"
        case PeriodKind.HALF:
            return f"S{period.index}"
        case PeriodKind.NINE:
            return "N9"
        case _:
            return "Y"


# --- phrases -------------------------------------------------------------------------------------


def parse_rule(text: str) -> DeadlineRule:
    """A deadline rule from the phrase a plan uses.

    >>> parse_rule("trước ngày 15 của tháng cuối quý").to_dict()["day"]
    15
    """
    key = vntext.fold(text)
    key = re.sub(r"[()*]", " ", key)
    key = re.sub(r"\s+", " ", key).strip()

    m = re.search(r"(\d{1,2}) ngay lam viec (?:ke tu |sau )(?:ngay |thoi diem |khi )?(?:chot|ket thuc)", key)
    if m:
        return DeadlineRule("working_days_after_cutoff", working_days=int(m.group(1)), exclusive=False)

    # explicit dates per period: "quy i truoc 13/3, 6 thang truoc 13/6, 9 thang truoc 13/9 va nam truoc ngay 08/11"
    tags = {
        r"quy (?:i|1)\b": "Q1",
        r"quy (?:ii|2)\b": "Q2",
        r"quy (?:iii|3)\b": "Q3",
        r"quy (?:iv|4)\b": "Q4",
        r"(?:06|6) thang": "S1",
        r"(?:09|9) thang": "N9",
        r"(?<!\d )\bnam\b": "Y",
    }
    found: dict[str, str] = {}
    for pat, tag in tags.items():
        mm = re.search(pat + r"[^0-9]{0,20}?(?:truoc|cham nhat)?\s*(?:ngay )?(\d{1,2})/(\d{1,2})\b", key)
        if mm:
            found[tag] = f"{int(mm.group(2)):02d}-{int(mm.group(1)):02d}"
    if len(found) >= 2:
        rule = DeadlineRule("explicit", dates=found, exclusive="truoc" in key)
        rule.validate()
        return rule

    m = re.search(r"(truoc|cham nhat|den het|den)?\s*ngay (\d{1,2})\b(?!/)", key)
    if m and re.search(r"thang cuoi (?:quy|ky|nam)|hang thang|hang quy|moi thang|thang cuoi", key):
        exclusive = (m.group(1) or "truoc") == "truoc"
        return DeadlineRule("day_of_last_month", day=int(m.group(2)), exclusive=exclusive)
    raise DeadlineError(f"không hiểu quy định thời hạn báo cáo: {text!r}")
