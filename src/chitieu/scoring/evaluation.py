"""Points from data: an indicator's figure for a unit and period (its subtree summed, numerators
and denominators added), where that figure came from (computed from the one-stop-shop dossier
records, entered, imported), survey results, and the totals of an assessment.

Reads only; the cycle in :mod:`chitieu.scoring.services` writes what these return."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chitieu.core import scoring as core
from chitieu.core.evaluation import Measurement
from chitieu.core.numbers import plain
from chitieu.indicators.models import Indicator
from chitieu.orgs.models import Unit
from chitieu.scoring.definitions import definition
from chitieu.scoring.models import Assessment, Criterion, ScoreOrigin, SurveyResult

DATA_METHODS = ("computed", "banded", "survey", "tracked")


def to_decimal(p: Fraction | None) -> Decimal | None:
    """Exact points kept to four places (display rounds to two)."""
    if p is None:
        return None
    return (Decimal(p.numerator) / Decimal(p.denominator)).quantize(Decimal("0.0001"))


@dataclass
class Rate:
    rate: Fraction | None
    source: str
    origin: str  # a ScoreOrigin value, "" when there is nothing
    na: bool = False  # a ratio with nothing to count (0/0): shown N/A, not scored


@dataclass
class DataPoint:
    value: Decimal | None  # the measured value in % (or the count)
    points: Fraction | None
    source: str
    origin: str
    state: str  # computed | na | missing


_ORIGIN_WORDS = {
    ScoreOrigin.DOSSIER: "tính từ hồ sơ một cửa",
    ScoreOrigin.ENTERED: "nhập tay",
    ScoreOrigin.IMPORTED: "nhập từ tệp",
}


def provenance(indicator: Indicator, unit: Unit, period: str) -> tuple[str, str]:
    """(text, origin) of the values behind a unit's figure: one value's own provenance, or how
    many units' values were added and how each was obtained."""
    from chitieu.reporting.models import DataValue, ValueSource

    values = list(
        DataValue.objects.filter(indicator=indicator, period=period, unit__path__startswith=unit.path)
        .select_related("entered_by", "unit")
        .order_by("unit__path")
    )
    kind = {
        ValueSource.COMPUTED: ScoreOrigin.DOSSIER,
        ValueSource.ENTERED: ScoreOrigin.ENTERED,
        ValueSource.IMPORTED: ScoreOrigin.IMPORTED,
    }
    if not values:
        return "", ""
    if len(values) == 1:
        v = values[0]
        return v.provenance_vi(), kind.get(v.source, ScoreOrigin.ENTERED)
    counts = Counter(kind.get(v.source, ScoreOrigin.ENTERED) for v in values)
    parts = ", ".join(f"{n} {_ORIGIN_WORDS[o]}" for o, n in counts.most_common())
    origin = next(iter(counts)) if len(counts) == 1 else ScoreOrigin.MIXED
    return f"cộng từ {len(values)} đơn vị ({parts})", origin


def indicator_rate(indicator: Indicator, unit: Unit, period: str) -> Rate:
    """The unit's figure for the period as a percentage (its subtree summed), with where it came from."""
    from chitieu.analytics.selectors import rollup

    if not period:
        return Rate(None, "bộ chỉ số chưa gắn kỳ đánh giá", "")
    ru = rollup(indicator, period, unit)
    m: Measurement = ru.total
    if not m.has_data:
        return Rate(None, f"chưa có số liệu {indicator.code} kỳ {period}", "")
    text, origin = provenance(indicator, unit, period)
    tail = f" ({text})" if text else ""
    if m.is_ratio:
        if not m.denominator:
            return Rate(None, f"{indicator.code} {period}: không phát sinh (0/0), N/A{tail}", origin, na=True)
        return Rate(
            m.rate,
            f"{indicator.code} {period}: {plain(m.numerator)}/{plain(m.denominator)}{tail}",
            origin,
        )
    return Rate(Fraction(m.value), f"{indicator.code} {period}: {plain(m.value)}{tail}", origin)


def data_points(c: Criterion, cdef: core.CriterionDef, unit: Unit, period: str) -> DataPoint:
    """The value, points and source of a criterion scored from data (an indicator or a survey)."""
    if c.method == "survey":
        s = SurveyResult.objects.filter(criterion=c, unit=unit).first()
        if s is None:
            return DataPoint(None, None, "chưa có kết quả điều tra", "", "missing")
        return DataPoint(
            s.value,
            core.points(cdef, rate=Fraction(s.value)),
            s.source or "kết quả điều tra",
            ScoreOrigin.SURVEY,
            "computed",
        )
    if c.indicator_id is None:
        return DataPoint(None, None, "", "", "missing")
    r = indicator_rate(c.indicator, unit, period)
    rate, source, origin = r.rate, r.source, r.origin
    if r.na:
        return DataPoint(None, None, source, ScoreOrigin.NA, "na")
    if rate is not None and c.multiply_by_id:
        f = indicator_rate(c.multiply_by, unit, period)
        if f.rate is None:
            return DataPoint(None, None, f"{source}; thiếu {f.source}", origin, "na" if f.na else "missing")
        rate = rate * f.rate / 100
        source += f" × {f.source}"
        if f.origin != origin:
            origin = ScoreOrigin.MIXED
    if rate is None:
        return DataPoint(None, None, source, origin, "missing")
    value = Decimal(rate.numerator) / Decimal(rate.denominator)
    return DataPoint(
        value.quantize(Decimal("0.0001")), core.points(cdef, rate=rate), source, origin, "computed"
    )


def entered_points(cdef: core.CriterionDef, score) -> Fraction | None:
    """Points of a criterion the unit supplies in its self-assessment (a value, a count, met or
    not, or the points themselves)."""
    match cdef.entry:
        case "value":
            return core.points(cdef, rate=Fraction(score.value)) if score.value is not None else None
        case "count":
            return core.points(cdef, count=Fraction(score.value)) if score.value is not None else None
    return None


def totals(a: Assessment, which: str) -> tuple[Decimal, dict[str, Decimal]]:
    """(total, points of each criterion) with ``which`` = "self" or "final" (appraised, else self)."""
    fdef = definition(a.framework)
    leaf: dict[str, Fraction | None] = {}
    for s in a.scores.select_related("criterion"):
        p = (
            s.self_points
            if which == "self"
            else (s.appraised_points if s.appraised_points is not None else s.self_points)
        )
        leaf[s.criterion.code] = Fraction(p) if p is not None else None
    by_code = {}
    grand = Fraction(0)
    for c in fdef.walk():
        p, _ = core.total(c, leaf)
        by_code[c.code] = to_decimal(p)
    for c in fdef.criteria:
        grand += core.total(c, leaf)[0]
    return to_decimal(grand), by_code
