from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chitieu.core.periods import (
    CALENDAR,
    DECREE_09,
    Period,
    PeriodError,
    PeriodKind,
    WindowRule,
    parse,
    periods_between,
)


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        ("2024M01", date(2024, 1, 1), date(2024, 1, 31)),
        ("2024M02", date(2024, 2, 1), date(2024, 2, 29)),  # leap year
        ("2023M02", date(2023, 2, 1), date(2023, 2, 28)),
        ("2100M02", date(2100, 2, 1), date(2100, 2, 28)),  # not a leap year
        ("2000M02", date(2000, 2, 1), date(2000, 2, 29)),  # leap year (divisible by 400)
        ("2024M12", date(2024, 12, 1), date(2024, 12, 31)),
        ("2024Q1", date(2024, 1, 1), date(2024, 3, 31)),
        ("2024Q2", date(2024, 4, 1), date(2024, 6, 30)),
        ("2024Q4", date(2024, 10, 1), date(2024, 12, 31)),
        ("2024S1", date(2024, 1, 1), date(2024, 6, 30)),
        ("2024S2", date(2024, 7, 1), date(2024, 12, 31)),
        ("2024N9", date(2024, 1, 1), date(2024, 9, 30)),
        ("2024", date(2024, 1, 1), date(2024, 12, 31)),
    ],
)
def test_calendar_windows(pid, start, end):
    p = Period.parse_id(pid)
    assert p.id == pid
    assert p.calendar_window.start == start
    assert p.calendar_window.end == end


@pytest.mark.parametrize(
    ("pid", "start", "end"),
    [
        # Decree 09/2019 art. 12, as in domain.md §1.2
        ("2024Q1", date(2023, 12, 15), date(2024, 3, 14)),
        ("2024", date(2023, 12, 15), date(2024, 12, 14)),
        ("2024M01", date(2023, 12, 15), date(2024, 1, 14)),  # crosses the year boundary
        ("2024M03", date(2024, 2, 15), date(2024, 3, 14)),  # February of a leap year inside
        ("2024Q2", date(2024, 3, 15), date(2024, 6, 14)),
        ("2024Q4", date(2024, 9, 15), date(2024, 12, 14)),
        ("2024S1", date(2023, 12, 15), date(2024, 6, 14)),
        ("2024S2", date(2024, 6, 15), date(2024, 12, 14)),
        ("2024N9", date(2023, 12, 15), date(2024, 9, 14)),  # Khánh Hòa QĐ 01/2023
    ],
)
def test_decree_09_cutoff_windows(pid, start, end):
    w = Period.parse_id(pid).window(DECREE_09)
    assert (w.start, w.end) == (start, end)


def test_window_rule_is_configuration():
    p = Period.quarter(2024, 1)
    assert p.window(CALENDAR) == p.calendar_window
    w = p.window(WindowRule("cutoff", 20))
    assert (w.start, w.end) == (date(2023, 12, 20), date(2024, 3, 19))
    with pytest.raises(PeriodError):
        WindowRule("cutoff", 31)
    with pytest.raises(PeriodError):
        WindowRule("weekly", 15)
    assert WindowRule.from_dict(DECREE_09.to_dict()) == DECREE_09


@pytest.mark.parametrize(
    ("phrase", "pid"),
    [
        ("Quý I năm 2024", "2024Q1"),
        ("quý 1/2024", "2024Q1"),
        ("QUÝ IV NĂM 2023", "2023Q4"),
        ("Quý II/2024", "2024Q2"),
        ("quý III - 2025", "2025Q3"),
        ("6 tháng đầu năm 2024", "2024S1"),
        ("06 tháng đầu năm 2024", "2024S1"),
        ("6 tháng cuối năm 2024", "2024S2"),
        ("9 tháng năm 2024", "2024N9"),
        ("9 tháng đầu năm 2024", "2024N9"),
        ("năm 2024", "2024"),
        ("Năm 2024", "2024"),
        ("tháng 3/2024", "2024M03"),
        ("tháng 03 năm 2024", "2024M03"),
        ("Tháng 12 năm 2023", "2023M12"),
        ("2024Q1", "2024Q1"),
        ("2024m03", "2024M03"),
        # decomposed input (NFD) and old/new tone placement must not matter
        ("Qu\u0079\u0301 I na\u0306m 2024", "2024Q1"),
    ],
)
def test_parse_vietnamese_phrases(phrase, pid):
    assert parse(phrase).id == pid


@pytest.mark.parametrize(
    "bad", ["", "   ", "Quý V năm 2024", "tháng 13/2024", "2024Q5", "2024N8", "hôm qua", "quý 1"]
)
def test_parse_rejects_with_clear_error(bad):
    with pytest.raises(PeriodError):
        parse(bad)


@pytest.mark.parametrize(
    ("pid", "label"),
    [
        ("2024Q1", "Quý I năm 2024"),
        ("2024S1", "6 tháng đầu năm 2024"),
        ("2024S2", "6 tháng cuối năm 2024"),
        ("2024N9", "9 tháng năm 2024"),
        ("2024", "Năm 2024"),
        ("2024M03", "Tháng 3 năm 2024"),
    ],
)
def test_labels_round_trip(pid, label):
    p = Period.parse_id(pid)
    assert p.label_vi == label
    assert parse(label) == p


def test_navigation_across_year_boundaries():
    assert Period.quarter(2024, 4).next() == Period.quarter(2025, 1)
    assert Period.quarter(2024, 1).previous() == Period.quarter(2023, 4)
    assert Period.month(2024, 12).next() == Period.month(2025, 1)
    assert Period.half(2024, 1).previous() == Period.half(2023, 2)
    assert Period.whole_year(2024).next() == Period.whole_year(2025)
    assert [p.id for p in periods_between(Period.quarter(2023, 3), Period.quarter(2024, 2))] == [
        "2023Q3",
        "2023Q4",
        "2024Q1",
        "2024Q2",
    ]


def test_containing_and_contains():
    assert Period.containing(date(2024, 2, 29), PeriodKind.QUARTER).id == "2024Q1"
    assert Period.containing(date(2024, 7, 1), PeriodKind.HALF).id == "2024S2"
    assert Period.whole_year(2024).contains(Period.month(2024, 2))
    assert not Period.quarter(2024, 1).contains(Period.month(2024, 4))
    with pytest.raises(PeriodError):
        Period.containing(date(2024, 10, 1), PeriodKind.NINE)


@given(st.integers(1901, 2199), st.sampled_from(list(PeriodKind)), st.integers(1, 12))
def test_ids_round_trip_and_windows_tile(year, kind, index):
    limits = {
        PeriodKind.MONTH: 12,
        PeriodKind.QUARTER: 4,
        PeriodKind.HALF: 2,
        PeriodKind.NINE: 1,
        PeriodKind.YEAR: 1,
    }
    index = (index - 1) % limits[kind] + 1
    p = Period(year, kind, index)
    assert Period.parse_id(p.id) == p
    assert parse(p.label_vi) == p
    cut = p.window(DECREE_09)
    # the cut-off window has the same length in months, shifted back half a month
    assert cut.end.day == 14 and cut.start.day == 15
    if kind in (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.HALF, PeriodKind.YEAR):
        # consecutive periods' cut-off windows tile the calendar without gaps
        nxt = p.next().window(DECREE_09)
        assert (nxt.start - cut.end).days == 1
