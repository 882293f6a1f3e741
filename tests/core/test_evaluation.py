from decimal import Decimal as D
from fractions import Fraction

import pytest

from chitieu.core.evaluation import (
    Measurement,
    MeasureUnit,
    Operator,
    Status,
    TargetSpec,
    aggregate,
    evaluate,
    evaluate_with_trend,
    project,
    sum_ratios,
)


def spec(op, th, unit=MeasureUnit.PERCENT):
    return TargetSpec(Operator(op), D(th), unit)


@pytest.mark.parametrize(
    ("op", "threshold", "num", "den", "expected"),
    [
        (">", "70", 71, 100, Status.MET),
        (">", "70", 70, 100, Status.NOT_MET),  # "trên 70%": exactly 70% is not above
        (">=", "70", 70, 100, Status.MET),
        (">=", "70", 69, 100, Status.NOT_MET),
        ("=", "100", 56, 56, Status.MET),
        ("=", "100", 55, 56, Status.NOT_MET),
        ("<=", "5", 5, 100, Status.MET),
        ("<=", "5", 6, 100, Status.NOT_MET),
        ("<", "5", 4, 100, Status.MET),
        ("<", "5", 5, 100, Status.NOT_MET),
    ],
)
def test_every_operator_on_ratios(op, threshold, num, den, expected):
    assert evaluate(spec(op, threshold), Measurement(D(num), D(den))) is expected


def test_comparison_is_exact_before_rounding():
    # 2/3 = 66.666...% : displayed as 66.67% but it is below 66.67
    assert evaluate(spec(">=", "66.67"), Measurement(D(2), D(3))) is Status.NOT_MET
    # 699/1000 = 69.9% rounds to 70% but is not >= 70
    assert evaluate(spec(">=", "70"), Measurement(D(699), D(1000))) is Status.NOT_MET
    # 7/10 is exactly 70
    assert evaluate(spec(">=", "70"), Measurement(D(7), D(10))) is Status.MET
    # 1/3 vs threshold 33.333... never equal
    assert Measurement(D(1), D(3)).rate == Fraction(100, 3)


def test_no_data_is_not_zero():
    assert evaluate(spec(">=", "0"), Measurement()) is Status.NO_DATA
    assert evaluate(spec(">=", "0"), None) is Status.NO_DATA
    assert evaluate(spec(">=", "0"), Measurement(D(0), D(10))) is Status.MET
    assert evaluate(spec(">", "0"), Measurement(D(0), D(10))) is Status.NOT_MET


def test_zero_denominator_is_not_applicable():
    assert evaluate(spec(">=", "100"), Measurement(D(0), D(0))) is Status.NOT_APPLICABLE


def test_counts_and_values():
    assert evaluate(spec(">=", "2", MeasureUnit.COUNT), Measurement(value=D(2))) is Status.MET
    assert evaluate(spec(">=", "2", MeasureUnit.COUNT), Measurement(value=D(1))) is Status.NOT_MET
    # a count target measured by a fraction compares the numerator
    assert evaluate(spec(">=", "3", MeasureUnit.COUNT), Measurement(D(3), D(7))) is Status.MET
    assert evaluate(spec("<=", "0", MeasureUnit.COUNT), Measurement(value=D(0))) is Status.MET


def test_aggregation_sums_numerators_and_denominators():
    # unit A 9/10 (90%), unit B 1/90 (1.1%): the average of percentages would be 45.6%,
    # the true rate is 10/100 = 10%
    parts = [Measurement(D(9), D(10)), Measurement(D(1), D(90))]
    total = aggregate(parts)
    assert (total.numerator, total.denominator) == (D(10), D(100))
    assert total.rate == 10
    assert evaluate(spec(">=", "40"), total) is Status.NOT_MET
    assert sum_ratios([(1, 2), (None, 5), (3, 4)]) == (D(4), D(6))
    assert sum_ratios([]) is None
    assert aggregate([Measurement(value=D(2)), Measurement(value=D(3)), Measurement()]).value == D(5)
    assert not aggregate([Measurement(), None]).has_data


def test_trend_marks_at_risk_before_due_date():
    s = spec(">=", "70")
    history = [(1.0, Fraction(80)), (2.0, Fraction(76)), (3.0, Fraction(72))]
    current = Measurement(D(72), D(100))
    # met today, but falling 4 points a quarter: projected 68 at t=4 -> at risk
    assert evaluate_with_trend(s, current, history, now=3.0, due=4.0) is Status.AT_RISK
    # after the due date the plain status stands
    assert evaluate_with_trend(s, current, history, now=4.0, due=4.0) is Status.MET
    # rising trend stays met
    rising = [(1.0, Fraction(70)), (2.0, Fraction(71)), (3.0, Fraction(72))]
    assert evaluate_with_trend(s, current, rising, now=3.0, due=4.0) is Status.MET
    # one point is not a trend
    assert evaluate_with_trend(s, current, history[-1:], now=3.0, due=4.0) is Status.MET
    # no data stays no data
    assert evaluate_with_trend(s, None, history, now=3.0, due=4.0) is Status.NO_DATA
    # not met today stays "not met", even with a falling trend (at risk is the early warning)
    low = Measurement(D(60), D(100))
    falling = [(1.0, Fraction(66)), (2.0, Fraction(63)), (3.0, Fraction(60))]
    assert evaluate_with_trend(s, low, falling, now=3.0, due=4.0) is Status.NOT_MET


def test_projection_starts_from_the_latest_point():
    s = spec(">=", "100")
    # flat around 100 with one dip: slope 0, so the projection is the latest value, not the mean
    flat = [(1.0, Fraction(100)), (2.0, Fraction(998, 10)), (3.0, Fraction(100))]
    assert project(s, flat, 4.0) == 100
    current = Measurement(D(100), D(100))
    assert evaluate_with_trend(s, current, flat, now=3.0, due=4.0) is Status.MET
    # slope 2 per step from the latest point 72: 72 + 2 * 2 = 76
    assert project(s, [(1.0, Fraction(68)), (2.0, Fraction(70)), (3.0, Fraction(72))], 5.0) == 76
