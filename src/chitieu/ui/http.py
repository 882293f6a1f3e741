"""Small readers of request input shared by every app's views."""

from __future__ import annotations


def int_param(raw: str | None, *, max_digits: int = 12) -> int | None:
    """A whole number typed in a query or form ("42"); None for anything else ("²", "4e2", 5,000
    digits). ``str.isdigit`` accepts "²", which ``int`` refuses: never test with it."""
    raw = (raw or "").strip()
    if not raw or len(raw) > max_digits or not raw.isascii() or not raw.isdecimal():
        return None
    return int(raw)
