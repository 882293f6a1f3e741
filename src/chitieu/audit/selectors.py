from __future__ import annotations

from django.db.models import QuerySet

from chitieu.audit.models import ChangeRecord


def history_for(object_type: str, object_id: str | int) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(object_type=object_type, object_id=str(object_id)).order_by(
        "time", "id"
    )
