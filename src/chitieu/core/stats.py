"""Small descriptive statistics for charts (pure Python)."""

from __future__ import annotations

from collections.abc import Sequence


def quantile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolation quantile (the "type 7" rule of R and NumPy) of sorted values."""
    if not sorted_values:
        raise ValueError("no values")
    if not 0 <= q <= 1:
        raise ValueError("q must be within [0, 1]")
    pos = (len(sorted_values) - 1) * q
    lo = int(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def five_numbers(values: Sequence[float]) -> list[float] | None:
    """[min, Q1, median, Q3, max], as a box plot draws them; None for no values."""
    s = sorted(values)
    if not s:
        return None
    return [s[0], quantile(s, 0.25), quantile(s, 0.5), quantile(s, 0.75), s[-1]]
