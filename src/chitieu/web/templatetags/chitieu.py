"""Display helpers: Vietnamese numbers, fractions, status chips. Rounding happens only here."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.html import format_html

from chitieu.core import numbers
from chitieu.core.evaluation import STATUS_LABELS_VI, Measurement, Status

register = template.Library()

_STATUS_ICON = {
    Status.MET: "✓",
    Status.NOT_MET: "✗",
    Status.AT_RISK: "!",
    Status.NO_DATA: "–",
    Status.NOT_APPLICABLE: "○",
}


@register.filter
def vnum(value, places: int = 0) -> str:
    if value is None or value == "":
        return ""
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    if places == 0 and value != value.to_integral_value():
        places = 2
    return numbers.format_vi(value, int(places))


@register.filter
def measurement(m: Measurement | None) -> str:
    """ "56/56 (100%)", "12", or "chưa có số liệu"."""
    if m is None or not m.has_data:
        return "chưa có số liệu"
    if m.is_ratio:
        frac = f"{numbers.format_vi(m.numerator)}/{numbers.format_vi(m.denominator)}"
        rate = m.rate
        if rate is None:
            return f"{frac} (không áp dụng)"
        return f"{frac} ({numbers.format_vi(numbers.round_half_up(rate, 2), 2)}%)"
    return numbers.format_vi(m.value, 2)


@register.filter
def rate(m: Measurement | None) -> str:
    if m is None or not m.is_ratio or m.rate is None:
        return ""
    return numbers.format_vi(numbers.round_half_up(m.rate, 2), 2) + "%"


@register.simple_tag
def status_chip(status) -> str:
    s = Status(status)
    return format_html(
        '<span class="chip chip-{}" title="{}"><span aria-hidden="true">{}</span> {}</span>',
        s.value,
        STATUS_LABELS_VI[s],
        _STATUS_ICON[s],
        STATUS_LABELS_VI[s],
    )


@register.filter
def threshold(target) -> str:
    op = {">": "trên", ">=": "tối thiểu", "=": "bằng", "<=": "không quá", "<": "dưới"}[target.operator]
    unit = "%" if target.unit == "%" else ""
    return f"{op} {numbers.format_vi(target.threshold, 2)}{unit}"


@register.filter
def period_label(period_id: str | None) -> str:
    """ "2024Q1" -> "Quý I năm 2024" (English when the interface is English)."""
    if not period_id:
        return ""
    from django.utils.translation import get_language

    from chitieu.core.periods import PeriodError, parse

    try:
        p = parse(period_id)
    except PeriodError:
        return period_id
    return p.label_en if (get_language() or "vi").startswith("en") else p.label_vi


@register.filter
def partial_date(text: str | None) -> str:
    """ "2024-02-05" -> "05/02/2024", "2024-02" -> "02/2024", "2024" -> "2024"."""
    if not text:
        return ""
    return "/".join(reversed(str(text).split("-")))


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def split_list(text: str) -> list[str]:
    return [x for x in str(text).split(",") if x]
