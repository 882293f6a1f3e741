"""Reads on plans, restricted to what the user may see."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from chitieu.core.evaluation import Operator as EvalOperator
from chitieu.core.evaluation import TargetSpec
from chitieu.core.evaluation import Unit as EvalUnit
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit
from chitieu.plans.models import Plan, PlanStatus, Target


def visible_plans(user) -> QuerySet[Plan]:
    """Plans issued inside the user's scope, or assigning something to a unit in it."""
    if permissions.is_global_admin(user):
        return Plan.objects.all()
    units = permissions.units_for(user, permissions.VIEW)
    return Plan.objects.filter(
        Q(issuer__in=units)
        | Q(targets__lead_unit__in=units)
        | Q(targets__assignees__in=units)
        | Q(targets__monitoring_unit__in=units)
        | Q(tasks__lead_unit__in=units)
    ).distinct()


def plans_with_targets(user, *, status: str | None = None) -> QuerySet[Plan]:
    qs = visible_plans(user).select_related("issuer")
    if status:
        qs = qs.filter(status=status)
    targets = Target.objects.select_related("indicator", "lead_unit", "monitoring_unit").order_by(
        "position", "id"
    )
    return qs.prefetch_related(Prefetch("targets", queryset=targets))


def target_spec(target: Target) -> TargetSpec:
    return TargetSpec(EvalOperator(target.operator), target.threshold, EvalUnit(target.unit))


def target_units(target: Target) -> list[Unit]:
    """The units that report on this target: assignees, else the lead unit, else every unit of
    the target's scope kind under the issuer, else the issuer."""
    assignees = list(target.assignees.all())
    if assignees:
        return assignees
    if target.lead_unit_id:
        return [target.lead_unit]
    issuer = target.plan.issuer
    if target.scope_kind and issuer is not None:
        root = scope_root(issuer)
        return list(
            Unit.objects.filter(path__startswith=root.path, kind=target.scope_kind, valid_to__isnull=True)
        )
    return [issuer] if issuer is not None else []


def target_applies_to(target: Target, unit: Unit, *, roots: dict | None = None) -> bool:
    """Whether ``unit`` reports on ``target`` - the rule of :func:`target_units`, without listing
    every unit of a scope ("every commune of the province" can be thousands)."""
    assignees = list(target.assignees.all())
    if assignees:
        return any(a.pk == unit.pk for a in assignees)
    if target.lead_unit_id:
        return target.lead_unit_id == unit.pk
    issuer = target.plan.issuer
    if target.scope_kind and issuer is not None:
        cache = roots if roots is not None else {}
        root = cache.get(issuer.pk) or cache.setdefault(issuer.pk, scope_root(issuer))
        return unit.kind == target.scope_kind and unit.path.startswith(root.path) and unit.valid_to is None
    return issuer is not None and issuer.pk == unit.pk


_TERRITORIAL = {"nation", "province", "district", "commune"}


def scope_root(issuer: Unit) -> Unit:
    """The territory a plan's "every commune" or "every department" means: the issuer itself when
    it is a province or commune, else its nearest territorial ancestor (a province's steering
    board or People's Committee speaks for the province)."""
    if issuer.kind in _TERRITORIAL:
        return issuer
    ids = [int(x) for x in issuer.path.strip("/").split("/") if x][:-1]
    for u in sorted(Unit.objects.filter(pk__in=ids), key=lambda u: -u.depth):
        if u.kind in _TERRITORIAL:
            return u
    return issuer


def active_plans(user) -> QuerySet[Plan]:
    return plans_with_targets(user, status=PlanStatus.ACTIVE)
