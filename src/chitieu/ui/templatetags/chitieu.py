"""Display helpers: Vietnamese numbers, fractions, status chips. Rounding happens only here."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

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


# the operator words of a threshold, as message ids (the English catalogue translates them)
_THRESHOLD = {
    ">": "trên %(value)s",
    ">=": "tối thiểu %(value)s",
    "=": "bằng %(value)s",
    "<=": "không quá %(value)s",
    "<": "dưới %(value)s",
}


def decimal_comma() -> bool:
    """Whether the interface's language writes "1.160,5" (Vietnamese) rather than "1,160.5" (English):
    numbers are shown and read back that way."""
    return not (get_language() or "vi").startswith("en")


def _num(value, places: int = 0) -> str:
    """Vietnamese digits ("1.160,5"); in the English interface the separators swap ("1,160.5"),
    so that no reader takes a thousands dot for a decimal point."""
    text = numbers.format_vi(value, places)
    return text if decimal_comma() else numbers.swap_separators(text)


def status_label(status) -> str:
    return _(STATUS_LABELS_VI[Status(status)])


@register.filter
def tr(text, context: str = "") -> str:
    """A label that lives in data, not in a template (a choice's display, say), in the interface's
    language: the English catalogue carries each of them. A context tells a state ("Đã duyệt",
    status) from the same words on a button or in the change log ("Duyệt", audit)."""
    if not text:
        return ""
    return pgettext(context, str(text)) if context else _(str(text))


@register.filter
def vnum(value, places: int = 0) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, Fraction):
        return _num(value, int(places) or 2)
    if not isinstance(value, Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    if places == 0 and value != value.to_integral_value():
        places = 2
    return _num(value, int(places))


@register.filter
def measurement(m: Measurement | None) -> str:
    """ "56/56 (100%)", "12", or "chưa có số liệu"."""
    if m is None or not m.has_data:
        return _("chưa có số liệu")
    if m.is_ratio:
        frac = f"{_num(m.numerator)}/{_num(m.denominator)}"
        rate = m.rate
        if rate is None:
            return f"{frac} ({_('không áp dụng')})"
        return f"{frac} ({_num(numbers.round_half_up(rate, 2), 2)}%)"
    return _num(m.value, 2)


@register.filter
def rate(m: Measurement | None) -> str:
    if m is None or not m.is_ratio or m.rate is None:
        return ""
    return _num(numbers.round_half_up(m.rate, 2), 2) + "%"


@register.simple_tag
def status_chip(status) -> str:
    s = Status(status)
    label = status_label(s)
    return format_html(
        '<span class="chip chip-{}" title="{}"><span aria-hidden="true">{}</span> {}</span>',
        s.value,
        label,
        _STATUS_ICON[s],
        label,
    )


@register.filter
def threshold(target) -> str:
    unit = "%" if target.unit == "%" else ""
    return _(_THRESHOLD[target.operator]) % {"value": f"{_num(target.threshold, 2)}{unit}"}


@register.filter
def period_label(period_id: str | None) -> str:
    """ "2024Q1" -> "Quý I năm 2024" (English when the interface is English)."""
    if not period_id:
        return ""
    from chitieu.core.periods import PeriodError, parse

    try:
        p = parse(period_id)
    except PeriodError:
        return period_id
    return p.label_vi if decimal_comma() else p.label_en


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


_STATUS_COLOUR = {
    "met": "#0072b2",
    "not_met": "#d55e00",
    "at_risk": "#b8860b",
    "no_data": "#6b7280",
    "not_applicable": "#9ca3af",
}


@register.simple_tag
def sparkline(series, target=None, width: int = 120, height: int = 30) -> str:
    """An inline SVG line of a state's per-period figures, with the target's threshold dashed.
    Each point is a circle marked by status; the text alternative lists every figure."""
    pts = [(p["p"], p["o"], p["s"]) for p in (series or []) if p.get("o") is not None]
    if not pts:
        return format_html('<span class="muted">{}</span>', "—")
    values = [v for _, v, _ in pts]
    thr = float(target.threshold) if target is not None else None
    lo = min(values + ([thr] if thr is not None else []))
    hi = max(values + ([thr] if thr is not None else []))
    span = (hi - lo) or 1.0
    pad = 4

    def xy(i: int, v: float) -> tuple[float, float]:
        x = pad + (width - 2 * pad) * (i / max(len(pts) - 1, 1))
        y = height - pad - (height - 2 * pad) * ((v - lo) / span)
        return round(x, 1), round(y, 1)

    coords = [xy(i, v) for i, (_, v, _) in enumerate(pts)]
    line = " ".join(f"{x},{y}" for x, y in coords)
    label = "; ".join(f"{period_label(p)}: {_num(Decimal(str(v)), 1)}" for p, v, _ in pts)
    parts = [
        f'<svg class="spark" width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img">',
        f"<title>{escape(label)}</title>",
    ]
    if thr is not None:
        _, ty = xy(0, thr)
        parts.append(
            f'<line x1="{pad}" x2="{width - pad}" y1="{ty}" y2="{ty}" stroke="#5b6576" '
            'stroke-dasharray="3 2" stroke-width="1"/>'
        )
    parts.append(f'<polyline fill="none" stroke="#1d2430" stroke-width="1.5" points="{line}"/>')
    for (x, y), (_, _, s) in zip(coords, pts, strict=True):
        shape = (
            f'<rect x="{x - 2.5}" y="{y - 2.5}" width="5" height="5" fill="{_STATUS_COLOUR.get(s, "#000")}"/>'
            if s == "not_met"
            else f'<circle cx="{x}" cy="{y}" r="2.6" fill="{_STATUS_COLOUR.get(s, "#000")}"/>'
        )
        parts.append(shape)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every interpolated value is a number or escaped


@register.filter
def percent_of(part, whole) -> str:
    try:
        return _num(numbers.round_half_up(Decimal(part) * 100 / Decimal(whole), 1), 1) + "%"
    except Exception:
        return ""


@register.filter
def state_measurement(state) -> Measurement:
    if state is None:
        return Measurement()
    return Measurement(state.numerator, state.denominator, state.value)


@register.simple_tag(takes_context=True)
def export_links(context) -> str:
    """Links that download the page's table as XLSX and CSV (same filters as the page)."""
    request = context["request"]
    links = []
    for fmt in ("xlsx", "csv"):
        q = request.GET.copy()
        q["format"] = fmt
        links.append(
            format_html('<a href="?{}" data-export="{}" download>{}</a>', q.urlencode(), fmt, fmt.upper())
        )
    return format_html(
        '<p class="exports">{} {}</p>', _("Tải bảng:"), mark_safe(" · ".join(str(x) for x in links))
    )


@register.simple_tag(takes_context=True)
def query_with(context, **kwargs) -> str:
    """The current query string with some parameters replaced ('' removes one)."""
    q = context["request"].GET.copy()
    q.pop("format", None)
    for k, v in kwargs.items():
        k = k.replace("_", "-")
        if v in ("", None):
            q.pop(k, None)
        else:
            q[k] = str(v)
    return "?" + q.urlencode()


@register.filter
def exact(value) -> str:
    """A number for a form field: every stored digit kept ("5,625"), no thousands separator, so that
    sending the form back unchanged changes nothing."""
    if value is None or value == "":
        return ""
    return numbers.decimal_text(Decimal(str(value)))
