"""Reads on plans, restricted to what the user may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from chitieu.core.evaluation import MeasureUnit, TargetSpec
from chitieu.core.evaluation import Operator as EvalOperator
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


def _plan_span(plan: Plan):
    import datetime as dt

    year = plan.year or (plan.issued_on.year if plan.issued_on else None)
    if year is None:
        return None
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def in_plan_years(qs: QuerySet[Unit], plan: Plan) -> QuerySet[Unit]:
    """The units that exist during the plan's year (a 2024 plan's communes, even those merged in 2025);
    without a year, the units that exist today."""
    span = _plan_span(plan)
    if span is None:
        return qs.filter(valid_to__isnull=True)
    start, end = span
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=start)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=end)
    )


def _exists_in_plan_years(unit: Unit, plan: Plan) -> bool:
    span = _plan_span(plan)
    if span is None:
        return unit.valid_to is None
    start, end = span
    return (unit.valid_to is None or unit.valid_to >= start) and (
        unit.valid_from is None or unit.valid_from <= end
    )


def target_spec(target: Target) -> TargetSpec:
    return TargetSpec(EvalOperator(target.operator), target.threshold, MeasureUnit(target.unit))


def target_units(target: Target) -> list[Unit]:
    """The units that report on this target: assignees, else the lead unit, else every unit of
    the target's scope kind under the issuer, else the issuer. A target kept for reference (no unit
    of its level in reach) or whose unit name is not settled has none."""
    if target.routing in ("reference", "unresolved"):
        return []
    assignees = list(target.assignees.all())
    if assignees:
        return assignees
    if target.lead_unit_id:
        return [target.lead_unit]
    issuer = target.plan.issuer
    if target.scope_kind and issuer is not None:
        root = scope_root(issuer)
        return list(
            in_plan_years(
                Unit.objects.filter(path__startswith=root.path, kind=target.scope_kind), target.plan
            )
        )
    return [issuer] if issuer is not None else []


def target_applies_to(target: Target, unit: Unit, *, roots: dict | None = None) -> bool:
    """Whether ``unit`` reports on ``target`` - the rule of :func:`target_units`, without listing
    every unit of a scope ("every commune of the province" can be thousands)."""
    if target.routing in ("reference", "unresolved"):
        return False
    assignees = list(target.assignees.all())
    if assignees:
        return any(a.pk == unit.pk for a in assignees)
    if target.lead_unit_id:
        return target.lead_unit_id == unit.pk
    issuer = target.plan.issuer
    if target.scope_kind and issuer is not None:
        cache = roots if roots is not None else {}
        root = cache.get(issuer.pk) or cache.setdefault(issuer.pk, scope_root(issuer))
        return (
            unit.kind == target.scope_kind
            and unit.path.startswith(root.path)
            and _exists_in_plan_years(unit, target.plan)
        )
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


@dataclass
class Conflict:
    message: str
    source_line: int | None
    targets: list[int]


def _same_indicator(a: Target, b: Target) -> bool:
    if a.indicator_id and b.indicator_id:
        return a.indicator_id == b.indicator_id
    from rapidfuzz import fuzz

    from chitieu.core import vntext

    ka, kb = vntext.match_key(a.text), vntext.match_key(b.text)
    return ka == kb or fuzz.ratio(ka, kb) >= 92


def plan_conflicts(plan: Plan) -> list[Conflict]:
    """One unit given two different thresholds for the same indicator in one plan (a figure cannot
    be both met and not met): the review page shows each, and activation waits for a person."""
    targets = list(
        plan.targets.select_related("plan__issuer", "lead_unit", "indicator").prefetch_related("assignees")
    )
    owners = {t.pk: {u.pk for u in target_units(t)} for t in targets}
    out: list[Conflict] = []
    for i, a in enumerate(targets):
        for b in targets[i + 1 :]:
            if (a.operator, a.threshold, a.unit) == (b.operator, b.threshold, b.unit):
                continue
            shared = owners[a.pk] & owners[b.pk]
            if not shared or not _same_indicator(a, b):
                continue
            unit = Unit.objects.filter(pk=min(shared)).first()
            out.append(
                Conflict(
                    f"“{a.text[:70]}”: {unit.display_name if unit else 'một đơn vị'} được giao hai mức "
                    f"({a.get_operator_display()} {a.threshold.normalize():f} ở dòng {a.source_line or '?'}; "
                    f"{b.get_operator_display()} {b.threshold.normalize():f} ở dòng {b.source_line or '?'}). "
                    "Hãy sửa hoặc xóa một chỉ tiêu.",
                    a.source_line,
                    [a.pk, b.pk],
                )
            )
    return out


@dataclass
class OpenName:
    """A unit name of the plan the resolver could not settle: where it is used and the candidates."""

    phrase: str
    uses: list[str]
    candidates: list[tuple[Unit, float]]
    kind: str  # ambiguous | none


def open_names(plan: Plan) -> list[OpenName]:
    from chitieu.core.unitnames import resolve_all
    from chitieu.plans.services import _resolver

    if plan.issuer is None:
        return []
    resolver = _resolver(plan)
    found: dict[str, OpenName] = {}
    ids: set[int] = set()

    def see(text: str, use: str) -> None:
        for res in resolve_all(resolver, text):
            if res.resolved:
                continue
            k = res.phrase.strip()
            if k not in found:
                found[k] = OpenName(k, [], [(c, s) for c, s in res.candidates], res.status)
                ids.update(c for c, _ in res.candidates)
            if use not in found[k].uses:
                found[k].uses.append(use)

    for t in plan.targets.order_by("position"):
        see(t.lead_unit_text, f"chỉ tiêu dòng {t.source_line or '?'}: chủ trì")
        see(t.monitoring_unit_text, f"chỉ tiêu dòng {t.source_line or '?'}: theo dõi")
    for k in plan.tasks.order_by("position"):
        see(k.lead_unit_text, f"nhiệm vụ dòng {k.source_line or '?'}: chủ trì")
    units = Unit.objects.in_bulk(ids)
    for o in found.values():
        o.candidates = [(units[c], s) for c, s in o.candidates if c in units]
    return list(found.values())
