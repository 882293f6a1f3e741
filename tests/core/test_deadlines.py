from datetime import date

import pytest

from chitieu.core.deadlines import DeadlineError, DeadlineRule, Due, WorkCalendar, parse_rule
from chitieu.core.periods import Period


def test_day_of_last_month_for_quarters_and_months():
    rule = parse_rule("trước ngày 15 của tháng cuối quý")
    assert rule.kind == "day_of_last_month" and rule.day == 15 and rule.exclusive
    due = rule.due(Period.quarter(2024, 1))
    assert due.day == date(2024, 3, 15)
    assert due.on_time(date(2024, 3, 14)) and not due.on_time(date(2024, 3, 15))
    assert rule.due(Period.quarter(2024, 4)).day == date(2024, 12, 15)
    monthly = parse_rule("trước ngày 20 hằng tháng")
    assert monthly.due(Period.month(2024, 2)).day == date(2024, 2, 20)
    assert parse_rule("định kỳ trước ngày 25 hàng tháng").day == 25


def test_inclusive_phrase():
    rule = parse_rule("chậm nhất ngày 18 của tháng cuối quý")
    due = rule.due(Period.quarter(2024, 2))
    assert due.day == date(2024, 6, 18) and not due.exclusive
    assert due.on_time(date(2024, 6, 18)) and not due.on_time(date(2024, 6, 19))


def test_day_clamped_to_short_months():
    rule = DeadlineRule("day_of_last_month", day=31, exclusive=False)
    assert rule.due(Period.month(2024, 2)).day == date(2024, 2, 29)
    assert rule.due(Period.month(2023, 2)).day == date(2023, 2, 28)


def test_working_days_after_cutoff_skip_weekends_and_holidays():
    rule = parse_rule("02 ngày làm việc sau ngày chốt số liệu")
    assert rule.kind == "working_days_after_cutoff" and rule.working_days == 2
    # Q1 2024 cut-off ends Thursday 14/03/2024 -> Friday 15, Monday 18
    assert rule.due(Period.quarter(2024, 1), WorkCalendar()).day == date(2024, 3, 18)
    # Q2 2024 cut-off ends Friday 14/06/2024 -> Monday 17, Tuesday 18
    assert rule.due(Period.quarter(2024, 2), WorkCalendar()).day == date(2024, 6, 18)
    # a holiday on Monday 17/06 pushes it to Wednesday 19
    cal = WorkCalendar.from_dates(["2024-06-17"])
    assert rule.due(Period.quarter(2024, 2), cal).day == date(2024, 6, 19)
    # the year report (cut-off 14/12/2024, Saturday) -> Monday 16, Tuesday 17
    assert rule.due(Period.whole_year(2024), WorkCalendar()).day == date(2024, 12, 17)


def test_work_calendar_make_up_saturday_and_counts():
    cal = WorkCalendar.from_dates(
        ["2024-04-29", "2024-04-30", "2024-05-01"], extra_working_days=["2024-05-04"]
    )
    assert not cal.is_working_day(date(2024, 4, 30))
    assert cal.is_working_day(date(2024, 5, 4))  # a Saturday worked in exchange
    assert cal.add_working_days(date(2024, 4, 26), 1) == date(2024, 5, 2)
    assert cal.add_working_days(date(2024, 4, 26), 0) == date(2024, 4, 26)
    assert cal.working_days_between(date(2024, 4, 26), date(2024, 5, 6)) == 4  # 2, 3, 4 (Sat), 6
    with pytest.raises(DeadlineError):
        cal.add_working_days(date(2024, 1, 1), -1)


def test_explicit_dates_per_period():
    rule = parse_rule("quý I trước ngày 13/3, 6 tháng trước 13/6, 9 tháng trước 13/9 và năm trước ngày 08/11")
    assert rule.kind == "explicit"
    assert rule.dates == {"Q1": "03-13", "S1": "06-13", "N9": "09-13", "Y": "11-08"}
    assert rule.due(Period.quarter(2024, 1)).day == date(2024, 3, 13)
    assert rule.due(Period.half(2024, 1)).day == date(2024, 6, 13)
    assert rule.due(Period.nine_months(2024)).day == date(2024, 9, 13)
    assert rule.due(Period.whole_year(2024)).day == date(2024, 11, 8)
    assert not rule.applies_to(Period.quarter(2024, 2))
    with pytest.raises(DeadlineError):
        rule.due(Period.quarter(2024, 3))


def test_explicit_year_report_due_next_january():
    rule = DeadlineRule("explicit", dates={"Y": "01-10"}, exclusive=False)
    assert rule.due(Period.whole_year(2024)).day == date(2025, 1, 10)


def test_rules_round_trip_as_data():
    for phrase in [
        "trước ngày 15 của tháng cuối quý",
        "2 ngày làm việc sau ngày chốt số liệu",
        "quý I trước 13/3, 6 tháng trước 13/6, 9 tháng trước 13/9 và năm trước ngày 08/11",
    ]:
        rule = parse_rule(phrase)
        assert DeadlineRule.from_dict(rule.to_dict()) == rule


@pytest.mark.parametrize(
    "bad",
    [
        {"kind": "weekly"},
        {"kind": "day_of_last_month", "day": 40},
        {"kind": "explicit", "dates": {"Q9": "03-13"}},
        {"kind": "working_days_after_cutoff", "working_days": -1},
    ],
)
def test_bad_rule_data_is_refused(bad):
    with pytest.raises(DeadlineError):
        DeadlineRule.from_dict(bad)


def test_unknown_phrase_is_refused():
    with pytest.raises(DeadlineError):
        parse_rule("khi nào xong thì báo")


def test_due_last_day():
    assert Due(date(2024, 3, 15), True).last_day == date(2024, 3, 14)
    assert Due(date(2024, 3, 15), False).last_day == date(2024, 3, 15)
