"""The plans endpoints of the REST API."""

from __future__ import annotations

from ninja import Router

from chitieu.orgs import permissions
from chitieu.plans import schemas, selectors
from chitieu.ui.http import actor

router = Router(tags=["Kế hoạch"])


def _plan_out(p, with_targets: bool) -> dict:
    out = {
        "id": p.pk,
        "number_symbol": p.number_symbol,
        "title": p.title,
        "status": p.status,
        "issuer": p.issuer_name,
        "date": p.date_text,
    }
    if with_targets:
        out["targets"] = [
            {
                "id": t.pk,
                "text": t.text,
                "operator": t.operator,
                "threshold": t.threshold,
                "unit": t.unit,
                "scope": t.scope,
                "indicator": t.indicator.code if t.indicator else None,
                "lead_unit": t.lead_unit.code if t.lead_unit else t.lead_unit_text or None,
                "source_line": t.source_line,
            }
            for t in p.targets.select_related("indicator", "lead_unit")
        ]
    return out


@router.get("/plans", response=list[schemas.PlanOut], summary="Kế hoạch trong phạm vi")
def plans(request, status: str | None = None):
    qs = selectors.visible_plans(actor(request))
    if status:
        qs = qs.filter(status=status)
    return [_plan_out(p, False) for p in qs.order_by("-id")[:500]]


@router.get("/plans/{plan_id}", response=schemas.PlanOut, summary="Một kế hoạch và các chỉ tiêu")
def plan(request, plan_id: int):
    return _plan_out(
        permissions.get_visible(selectors.visible_plans(actor(request)), plan_id, what="kế hoạch"), True
    )
