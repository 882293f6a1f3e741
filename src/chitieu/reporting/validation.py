"""Validation of a unit's values for a period: the built-in checks, the rules kept as data
(:class:`~chitieu.reporting.models.ValidationRule`), parts adding up to their total, and outliers
against the unit's own history. Messages are Vietnamese and name the indicator."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from chitieu.core import expressions
from chitieu.core.numbers import format_vi, round_half_up, to_fraction
from chitieu.core.periods import parse as parse_period
from chitieu.indicators.models import Indicator, IndicatorKind
from chitieu.reporting.models import DataValue, Importance, ValidationRule


@dataclass
class Violation:
    code: str
    importance: str  # error | warning
    message: str
    indicator: str | None = None  # code of the indicator it is about, for the form


def _measure(num, den, value, part: str | None) -> Fraction | None:
    if part == "num":
        return to_fraction(num) if num is not None else None
    if part == "den":
        return to_fraction(den) if den is not None else None
    if value is not None:
        return to_fraction(value)
    if num is not None and den is not None and den != 0:
        return to_fraction(num) * 100 / to_fraction(den)
    return None


def current_values(unit, period: str) -> dict[str, tuple]:
    return {
        code: (n, d, v)
        for code, n, d, v in DataValue.objects.filter(unit=unit, period=period).values_list(
            "indicator__code", "numerator", "denominator", "value"
        )
    }


def check_rules(values: dict[str, tuple]) -> list[Violation]:
    out = []
    for rule in ValidationRule.objects.filter(active=True):
        try:
            left = expressions.compile_expr(rule.left)
            right = expressions.compile_expr(rule.right)
        except expressions.ExpressionError:
            continue  # a broken rule is reported where rules are edited, not to reporters

        def lookup(code, part):
            v = values.get(code)
            return _measure(*v, part) if v else None

        result = expressions.holds(left(lookup), rule.operator, right(lookup))
        if result is False:
            refs = left.references + right.references
            out.append(
                Violation(f"rule:{rule.pk}", rule.importance, rule.message, refs[0][0] if refs else None)
            )
    return out


def check_parts(values: dict[str, tuple]) -> list[Violation]:
    """Indicators that are parts of a total (Indicator.parent) must not add up to more than it."""
    out = []
    parts_of: dict[int, list[Indicator]] = {}
    for ind in Indicator.objects.filter(parent__isnull=False).select_related("parent"):
        parts_of.setdefault(ind.parent_id, []).append(ind)
    for parts in parts_of.values():
        total_ind = parts[0].parent
        total = values.get(total_ind.code)
        got = [values.get(p.code) for p in parts]
        if total is None or any(g is None for g in got):
            continue
        t = _measure(*total, "num" if total_ind.kind == IndicatorKind.RATIO else None)
        s = sum(
            (
                _measure(*g, "num" if p.kind == IndicatorKind.RATIO else None) or 0
                for g, p in zip(got, parts, strict=True)
            ),
            Fraction(0),
        )
        if t is not None and s > t:
            out.append(
                Violation(
                    "parts",
                    Importance.ERROR,
                    f"{total_ind.name}: các thành phần cộng lại {format_vi(round_half_up(s, 2), 2)} "
                    f"lớn hơn tổng {format_vi(round_half_up(t, 2), 2)}.",
                    total_ind.code,
                )
            )
    return out


def outlier(indicator: Indicator, unit, period: str, num, den, value) -> Violation | None:
    """A value far outside the unit's own history for the same kind of period (at least three
    earlier periods): robust distance from the median of the last six."""
    x = _measure(num, den, value, None)
    if x is None:
        return None
    p = parse_period(period)
    history = list(
        DataValue.objects.filter(
            indicator=indicator, unit=unit, period_kind=p.kind.value, period_end__lt=p.calendar_window.start
        )
        .order_by("-period_end")[:6]
        .values_list("numerator", "denominator", "value")
    )
    xs = [float(m) for m in (_measure(n, d, v, None) for n, d, v in history) if m is not None]
    if len(xs) < 3:
        return None
    med = statistics.median(xs)
    mad = statistics.median(abs(v - med) for v in xs)
    dev = abs(float(x) - med)
    scale = 1.4826 * mad
    far = dev > max(3 * scale, 0.5 * abs(med) if scale == 0 else 0, 10 if indicator.is_ratio else 1)
    if not far:
        return None
    unit_txt = "%" if indicator.is_ratio else ""
    return Violation(
        "outlier",
        Importance.WARNING,
        f"{indicator.name}: {format_vi(round_half_up(x, 2), 2)}{unit_txt} khác xa các kỳ trước "
        f"(trung vị {format_vi(Decimal(str(round(med, 2))), 2)}{unit_txt}); hãy kiểm tra lại và ghi chú lý do.",
        indicator.code,
    )
