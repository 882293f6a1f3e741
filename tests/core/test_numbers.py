from decimal import Decimal as D

import pytest

from chitieu.core.numbers import (
    NumberError,
    format_vi,
    parse_number,
    percent_follows,
    round_half_up,
    stated_precision,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.108.742", D(1108742)),
        ("37,19", D("37.19")),
        ("05", D(5)),
        ("100", D(100)),
        ("4.500", D(4500)),
        ("2.5", D("2.5")),
        ("1.234,5", D("1234.5")),
        ("-3", D(-3)),
        ("1,108,742.5", D("1108742.5")),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("bad", ["", "abc", "1..2", "NaN", "inf"])
def test_parse_number_rejects(bad):
    with pytest.raises(NumberError):
        parse_number(bad)


def test_format_and_rounding():
    assert format_vi(D(1108742)) == "1.108.742"
    assert format_vi(D("37.19"), 2) == "37,19"
    assert format_vi(D("92.857"), 2) == "92,86"
    assert format_vi(D("100.00"), 2) == "100"
    assert round_half_up(D("42.5")) == D(43)


def test_percent_follows_at_stated_precision():
    assert percent_follows(D(52), D(56), D(93), 0)  # 92.857 -> 93
    assert percent_follows(D(3), D(7), D(43), 0)  # 42.857 -> 43
    assert not percent_follows(D(2), D(2), D(50), 0)  # 02/02 is 100%, not 50%
    assert percent_follows(D(52), D(56), D("92.86"), 2)
    assert percent_follows(D(52), D(56), D("92.9"), 1)
    assert percent_follows(D(52), D(56), D("92.8"), 1)  # truncated, accepted
    assert not percent_follows(D(52), D(56), D("92.7"), 1)
    assert percent_follows(D(52), D(56), D(92), 0)  # truncation is a careful-enough reading
    assert not percent_follows(D(1), D(0), D(100), 0)
    assert stated_precision("93") == 0 and stated_precision("92,86") == 2 and stated_precision("1.108") == 0
