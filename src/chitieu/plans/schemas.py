"""Schemas of the plans endpoints."""

from __future__ import annotations

from decimal import Decimal

from ninja import Schema


class TargetOut(Schema):
    id: int
    text: str
    operator: str
    threshold: Decimal
    unit: str
    scope: str
    indicator: str | None
    lead_unit: str | None
    source_line: int | None


class PlanOut(Schema):
    id: int
    number_symbol: str
    title: str
    status: str
    issuer: str
    date: str
    targets: list[TargetOut] = []
