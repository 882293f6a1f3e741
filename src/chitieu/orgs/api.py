"""The units endpoints of the REST API (django-ninja router; the API itself is chitieu.api)."""

from __future__ import annotations

from ninja import Query, Router

from chitieu.core import vntext
from chitieu.orgs import permissions, schemas
from chitieu.ui.http import actor

router = Router(tags=["Đơn vị"])


@router.get("/units", response=list[schemas.UnitOut], summary="Đơn vị trong phạm vi được xem")
def units(request, parent: str | None = None, q: str | None = None, limit: int = Query(200, ge=1, le=1000)):
    qs = permissions.units_for(actor(request), permissions.VIEW)
    if parent:
        qs = qs.filter(parent=permissions.unit_by_code(parent))
    if q:
        qs = qs.filter(search_key__contains=vntext.fold(q))
    return [
        {
            "id": u.pk,
            "code": u.code,
            "name": u.name,
            "kind": u.kind,
            "parent_id": u.parent_id,
            "valid_from": u.valid_from.isoformat() if u.valid_from else None,
            "valid_to": u.valid_to.isoformat() if u.valid_to else None,
        }
        for u in qs.order_by("path")[:limit]
    ]
