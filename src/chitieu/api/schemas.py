"""Schemas of the API shell's own endpoints (each app keeps its own in <app>/schemas.py)."""

from __future__ import annotations

from ninja import Schema

from chitieu.ui.schemas import FieldErrors, Message  # noqa: F401


class PeriodOut(Schema):
    id: str
    label: str
    calendar: list[str]
    cutoff: list[str]
