"""Vietnamese number formats: "1.108.742" is 1108742, "37,19" is 37.19, "05" is 5.

Pure Python. Values come back as :class:`decimal.Decimal` so nothing is lost before display.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

NUMBER_RE = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?"
_GROUPED = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?")


class NumberError(ValueError):
    pass


def parse_number(text: str) -> Decimal:
    """Parse a number as Vietnamese documents write it.

    "1.108.742" -> 1108742 (dots group thousands), "37,19" -> 37.19 (comma is the decimal
    mark), "2.5" -> 2.5 (a single dot followed by other than three digits is a decimal point,
    as typed in spreadsheets), "05" -> 5.
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        raise NumberError("empty number")
    neg = s.startswith("-")
    if neg:
        s = s[1:]
    if _GROUPED.fullmatch(s):
        s = s.replace(".", "").replace(",", ".")
    elif "," in s and "." not in s:
        s = s.replace(",", ".")
    elif s.count(",") >= 1 and s.count(".") >= 1:
        # 1,108,742.5 (English grouping)
        s = s.replace(",", "")
    try:
        value = Decimal(s)
    except InvalidOperation:
        raise NumberError(f"not a number: {text!r}")
    if not value.is_finite():
        raise NumberError(f"not a finite number: {text!r}")
    return -value if neg else value


def to_fraction(value: Decimal | int | float | str | Fraction) -> Fraction:
    if isinstance(value, Fraction):
        return value
    if isinstance(value, float):
        return Fraction(Decimal(repr(value)))
    return Fraction(Decimal(value)) if not isinstance(value, int) else Fraction(value)


def percent(numerator: Decimal | int, denominator: Decimal | int) -> Fraction | None:
    """Exact percentage numerator / denominator * 100, or None when the denominator is 0."""
    den = to_fraction(denominator)
    if den == 0:
        return None
    return to_fraction(numerator) * 100 / den


def round_half_up(value: Fraction | Decimal, places: int = 0) -> Decimal:
    """Round the way people do on paper (0.5 goes up), only at display time."""
    d = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else value
    q = Decimal(1).scaleb(-places)
    return d.quantize(q, rounding=ROUND_HALF_UP)


def format_vi(value: Decimal | Fraction | int, places: int = 0) -> str:
    """Vietnamese display: thousands with dots, decimals with a comma ("1.108.742", "37,19")."""
    if isinstance(value, (Fraction, Decimal)):
        value = round_half_up(value, places)
    else:
        value = Decimal(value)
    sign = "-" if value < 0 else ""
    value = abs(value)
    text = f"{value:.{places}f}"
    whole, _, frac = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    out = ".".join(groups)
    if places and frac:
        frac = frac.rstrip("0")
        if frac:
            out += "," + frac
    return sign + out


def plain(value: Decimal | None) -> str | None:
    """The exact digits of a stored decimal in machine form ("1160", "69.35", never "1.16E+3");
    None stays None. For files and the API, not for people."""
    if value is None:
        return None
    text = f"{Decimal(value).normalize():f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def decimal_text(value: Decimal | int, *, decimal_comma: bool = True) -> str:
    """Every stored digit, no thousands separator, the decimal mark of the language: "5,625" in
    Vietnamese, "5.625" in English. For form fields and thresholds, where a rounded figure would
    change the number when the form is sent back."""
    text = plain(Decimal(value)) or ""
    return text.replace(".", ",") if decimal_comma else text


_SWAP_SEPARATORS = str.maketrans({".": ",", ",": "."})


def swap_separators(text: str) -> str:
    """Between Vietnamese and English digits: "1.160,5" <-> "1,160.5"."""
    return text.translate(_SWAP_SEPARATORS)


def stated_precision(text: str) -> int:
    """Decimal places written in a number ("93" -> 0, "92,9" -> 1, "42,86" -> 2)."""
    s = text.strip()
    if _GROUPED.fullmatch(s):
        return len(s.split(",")[1]) if "," in s else 0
    for mark in (",", "."):
        if mark in s:
            return len(s.split(mark)[1])
    return 0


def percent_follows(numerator: Decimal, denominator: Decimal, stated: Decimal, places: int) -> bool:
    """Whether ``stated`` percent follows from the fraction at the stated precision.

    Accepts round-half-up, and also truncation (offices often cut 92.86 to 92) - what matters
    is that the stated figure is one a careful person could have written.
    """
    exact = percent(numerator, denominator)
    if exact is None:
        return False
    rounded = round_half_up(exact, places)
    if rounded == stated:
        return True
    q = Decimal(1).scaleb(-places)
    d = Decimal(exact.numerator) / Decimal(exact.denominator)
    truncated = d.quantize(q, rounding="ROUND_DOWN")
    return truncated == stated
