"""Schemas of the units endpoints."""

from __future__ import annotations

from ninja import Schema


class UnitOut(Schema):
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    valid_from: str | None = None
    valid_to: str | None = None
