"""Writing the change log. Every domain service calls :func:`record` inside its transaction."""

from __future__ import annotations

import datetime as dt
import decimal
from typing import Any

from django.db import models

from chitieu.audit import context
from chitieu.audit.models import ChangeRecord


def _jsonable(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_jsonable(v) for v in value]
    if isinstance(value, models.Model):
        return value.pk
    return value


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict:
    """The concrete field values of ``obj`` (foreign keys as ids), JSON-ready."""
    out = {}
    for f in obj._meta.concrete_fields:
        if fields is not None and f.name not in fields:
            continue
        if f.name in ("password",):
            continue
        out[f.attname] = _jsonable(getattr(obj, f.attname))
    return out


def record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | int | None = None,
    before: dict | None = None,
    after: dict | None = None,
    reason: str = "",
) -> ChangeRecord:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id if object_id is not None else obj.pk
    user = actor if getattr(actor, "is_authenticated", False) else None
    name = ""
    if user is not None:
        name = user.get_username()
    elif isinstance(actor, str):
        name = actor
    return ChangeRecord.objects.create(
        actor=user,
        actor_name=name[:150],
        action=action,
        object_type=object_type or "",
        object_id=str(object_id or ""),
        object_repr=(str(obj) if obj is not None else "")[:300],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason,
        request_id=context.current_request_id(),
    )


def diff(before: dict, after: dict) -> tuple[dict, dict]:
    """Only the keys that changed, as (before, after)."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
