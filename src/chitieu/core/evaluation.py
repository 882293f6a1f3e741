"""Target evaluation: operators, status, exact ratio arithmetic and aggregation.

Pure Python. Percentages are computed exactly (fractions) from numerator and denominator and
compared before any rounding; ratios aggregate by summing numerators and denominators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from chitieu.core import numbers
from chitieu.core.numbers import percent, to_fraction


class Operator(StrEnum):
    GT = ">"
    GE = ">="
    EQ = "="
    LE = "<="
    LT = "<"

    def holds(self, left: Fraction, right: Fraction) -> bool:
        match self:
            case Operator.GT:
                return left > right
            case Operator.GE:
                return left >= right
            case Operator.EQ:
                return left == right
            case Operator.LE:
                return left <= right
            case _:
                return left < right

    @property
    def phrase_vi(self) -> str:
        return {">": "trên", ">=": "tối thiểu", "=": "bằng", "<=": "không quá", "<": "dưới"}[self.value]

    @property
    def higher_is_better(self) -> bool:
        return self in (Operator.GT, Operator.GE)


class Status(StrEnum):
    MET = "met"
    NOT_MET = "not_met"
    AT_RISK = "at_risk"
    NO_DATA = "no_data"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label_vi(self) -> str:
        return STATUS_LABELS_VI[self]


STATUS_LABELS_VI = {
    Status.MET: "Đạt",
    Status.NOT_MET: "Chưa đạt",
    Status.AT_RISK: "Có nguy cơ không đạt",
    Status.NO_DATA: "Chưa có số liệu",
    Status.NOT_APPLICABLE: "Không áp dụng",
}


class Unit(StrEnum):
    PERCENT = "%"
    COUNT = "count"
    OTHER = "other"


@dataclass(frozen=True)
class TargetSpec:
    operator: Operator
    threshold: Decimal
    unit: Unit = Unit.PERCENT

    def describe_vi(self) -> str:
        value = numbers.decimal_text(self.threshold)
        suffix = "%" if self.unit is Unit.PERCENT else ""
        return f"{self.operator.phrase_vi} {value}{suffix}"


@dataclass(frozen=True)
class Measurement:
    """What a unit reported for a period: a fraction, a plain value, or nothing at all.

    ``numerator`` and ``denominator`` are set for ratios; ``value`` for counts, yes/no (1/0)
    and scores. A measurement with neither is "no data" - which is not the same as zero.
    """

    numerator: Decimal | None = None
    denominator: Decimal | None = None
    value: Decimal | None = None

    @property
    def is_ratio(self) -> bool:
        return self.numerator is not None and self.denominator is not None

    @property
    def has_data(self) -> bool:
        return self.is_ratio or self.value is not None

    @property
    def rate(self) -> Fraction | None:
        """Exact percentage, or None when the denominator is 0 or this is not a ratio."""
        if self.is_ratio:
            return percent(self.numerator, self.denominator)
        return None

    def observed(self, unit: Unit) -> Fraction | None:
        """The number to compare with the threshold."""
        if self.is_ratio:
            if unit is Unit.PERCENT:
                return self.rate
            return to_fraction(self.numerator)
        if self.value is not None:
            return to_fraction(self.value)
        return None


def evaluate(spec: TargetSpec, m: Measurement | None) -> Status:
    """Status of a target for one measurement (no projection; see :func:`project`)."""
    if m is None or not m.has_data:
        return Status.NO_DATA
    if m.is_ratio and spec.unit is Unit.PERCENT and to_fraction(m.denominator) == 0:
        # nothing to count (e.g. no feedback received): the target does not apply this period
        return Status.NOT_APPLICABLE
    observed = m.observed(spec.unit)
    if observed is None:
        return Status.NO_DATA
    return Status.MET if spec.operator.holds(observed, to_fraction(spec.threshold)) else Status.NOT_MET


def sum_ratios(
    pairs: Iterable[tuple[Decimal | int | None, Decimal | int | None]],
) -> tuple[Decimal, Decimal] | None:
    """Aggregate ratios by summing numerators and denominators (never averaging percentages).

    Pairs with a missing part are skipped; returns None when nothing was summed.
    """
    num = den = Decimal(0)
    seen = False
    for n, d in pairs:
        if n is None or d is None:
            continue
        num += Decimal(n)
        den += Decimal(d)
        seen = True
    return (num, den) if seen else None


def aggregate(measurements: Iterable[Measurement]) -> Measurement:
    """Combine the measurements of several units into one (ratios summed, values summed)."""
    ms = [m for m in measurements if m is not None and m.has_data]
    ratios = [(m.numerator, m.denominator) for m in ms if m.is_ratio]
    if ratios:
        total = sum_ratios(ratios)
        assert total is not None
        return Measurement(numerator=total[0], denominator=total[1])
    values = [m.value for m in ms if m.value is not None]
    if values:
        return Measurement(value=sum(values, Decimal(0)))
    return Measurement()


def project(
    spec: TargetSpec,
    history: list[tuple[float, Fraction]],
    due: float,
) -> Fraction | None:
    """Linear projection of the observed value to time ``due`` from ``(time, value)`` points.

    The slope is the least-squares slope over the points; the line starts from the latest point
    ("if things go on as they have from where we are now"), so a flat series projects its latest
    value, not its average. None with fewer than two distinct times.
    """
    pts = [(float(t), float(v)) for t, v in history]
    if len({t for t, _ in pts}) < 2:
        return None
    n = len(pts)
    mt = sum(t for t, _ in pts) / n
    mv = sum(v for _, v in pts) / n
    sxx = sum((t - mt) ** 2 for t, _ in pts)
    sxy = sum((t - mt) * (v - mv) for t, v in pts)
    slope = sxy / sxx
    t_last, v_last = max(pts, key=lambda p: p[0])
    return Fraction(v_last + slope * (due - t_last)).limit_denominator(10**6)


def evaluate_with_trend(
    spec: TargetSpec,
    current: Measurement | None,
    history: list[tuple[float, Fraction]],
    now: float,
    due: float | None,
) -> Status:
    """Status with "at risk": before the due date, a target met today whose trend, projected to
    the due date, misses the threshold is at risk - the early warning. A target not met today
    stays "not met" (whatever the trend); after the due date, or without enough history to draw
    a trend, the plain status stands.
    """
    status = evaluate(spec, current)
    if status is not Status.MET or due is None or due <= now:
        return status
    projected = project(spec, history, due)
    if projected is not None and not spec.operator.holds(projected, to_fraction(spec.threshold)):
        return Status.AT_RISK
    return status
