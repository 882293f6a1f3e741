"""Response schemas every API router shares."""

from __future__ import annotations

from ninja import Schema


class Message(Schema):
    detail: str


class FieldErrors(Schema):
    detail: str
    errors: dict[str, str] = {}
