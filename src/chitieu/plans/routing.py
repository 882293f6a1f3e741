"""Who owes what in a plan: each target's lead, reporters and monitoring unit, and each task's lead
units, from the names the document uses (through the one resolver, orgs.naming).

* Lead unit = who is accountable; reporters (``Target.assignees``, or every unit of ``scope_kind``
  in the issuer's reach) = who enters the figures; monitoring unit = who is reminded of others'
  lateness and sees their completeness.
* A target for a level ("80% tại cấp sở, 40% tại cấp huyện, 30% tại cấp xã") applies to the units
  of that level in the issuer's reach; the issuer's own level is the issuer itself; a level with no
  unit in reach (a department's plan quoting the province's commune figure) has no reporter and is
  kept for reference.
* A doer outside the government tree (enterprises, banks) is reported on by the monitoring unit; a
  target that names no unit at all by the issuer.
* A name the resolver cannot settle is left for a person (the review page lists it with ranked
  candidates); it is never replaced by a guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from chitieu.core import vntext
from chitieu.core.unitnames import Resolution, Resolver, resolve_all
from chitieu.orgs.models import Unit, UnitKind
from chitieu.plans.models import Target, Task

_LEVELS = (
    (
        UnitKind.COMMUNE,
        r"^(?:tai |o |doi voi )?(?:cap |cac )?(?:xa|phuong|thi tran|dac khu)(?:,? ?(?:xa|phuong|thi tran))*$",
    ),
    (
        UnitKind.DISTRICT,
        r"^(?:tai |o |doi voi )?(?:cap |cac )?(?:huyen|thi xa|quan)(?:,? ?(?:huyen|thi xa|thanh pho|quan))*$",
    ),
    (
        UnitKind.DEPARTMENT,
        r"^(?:tai |o |doi voi )?(?:cap )?(?:so|tinh|so,? nganh|so,? ban,? nganh|cac so,? ban,? nganh)$",
    ),
)
#: the level word a government uses for its own agencies: a province's "cấp tỉnh / cấp sở", a city's
#: "cấp huyện", a commune's "cấp xã"
_OWN_LEVEL = {
    UnitKind.PROVINCE: UnitKind.DEPARTMENT,
    UnitKind.DISTRICT: UnitKind.DISTRICT,
    UnitKind.COMMUNE: UnitKind.COMMUNE,
}


def level_of(scope: str | None) -> str | None:
    """The kind of unit a level word names ("cấp xã" → commune), or None for another scope."""
    f = vntext.fold(scope or "").strip(" .,;")
    for kind, pattern in _LEVELS:
        if re.match(pattern, f):
            return kind
    return None


def _department_of(unit: Unit) -> Unit:
    u = unit
    while u.kind != UnitKind.DEPARTMENT and u.parent_id:
        u = u.parent
    return u if u.kind == UnitKind.DEPARTMENT else unit


def reach(issuer: Unit) -> Unit:
    """The subtree whose units a plan can oblige: a government's territory, a board's government, a
    department's own divisions."""
    if issuer.kind == UnitKind.BOARD and issuer.parent_id:
        return issuer.parent
    return issuer


@dataclass
class Names:
    """A cell or line of unit names, resolved."""

    text: str
    results: list[Resolution] = field(default_factory=list)

    @property
    def units(self) -> list[int]:
        return sorted({i for r in self.results if r.status in ("unit", "group") for i in r.units})

    @property
    def outside(self) -> bool:
        return bool(self.results) and all(r.status == "outside" for r in self.results)

    @property
    def open(self) -> list[Resolution]:
        """The names a person must settle."""
        return [r for r in self.results if not r.resolved]


def names(resolver: Resolver, text: str | None) -> Names:
    return Names(text or "", resolve_all(resolver, text))


@dataclass
class Routing:
    lead: list[int]
    reporters: list[int]
    scope_kind: str
    monitor: int | None
    reason: str
    open: list[Resolution]
    code: str = "lead"


def route_target(
    resolver: Resolver,
    issuer: Unit,
    *,
    lead_text: str,
    monitor_text: str,
    scope: str,
    pilots: list[int] | tuple[int, ...] = (),
    on=None,
) -> Routing:
    """``pilots``: the units a pilot plan names, whose are its targets that name no unit; ``on``: the
    date the plan speaks of (units that existed then)."""
    lead = names(resolver, lead_text)
    monitor = names(resolver, monitor_text)
    mon = monitor.units[0] if len(monitor.units) == 1 else None
    open_names = lead.open + monitor.open

    def out(code: str, reporters: list[int], reason: str, *, scope_kind: str = "", leads=None) -> Routing:
        return Routing(
            lead.units if leads is None else leads, reporters, scope_kind, mon, reason, open_names, code
        )

    level = level_of(scope)
    if level is not None:
        root = reach(issuer)
        if root.kind in (UnitKind.DEPARTMENT, UnitKind.OFFICE, UnitKind.SERVICE):
            if level == UnitKind.DEPARTMENT:  # "cấp sở" in a department's plan: the department itself,
                # unless the plan shares the figure out to a group of its divisions
                if len(lead.units) > 1:
                    return out("lead", lead.units, "đơn vị chủ trì (cấp của đơn vị ban hành)")
                return out("own_level", [_department_of(issuer).pk], "cấp của đơn vị ban hành")
            return out("reference", [], f"không có đơn vị {scope} thuộc phạm vi")
        if _OWN_LEVEL.get(root.kind) == level:  # "cấp huyện" in the city's plan: the city's own agencies
            agencies = list(
                _existing(
                    Unit.objects.filter(
                        parent=root, kind__in=(UnitKind.OFFICE, UnitKind.DEPARTMENT, UnitKind.SERVICE)
                    ),
                    on,
                ).values_list("pk", flat=True)
            )
            return out("own_level", agencies or [root.pk], f"các cơ quan {scope}")
        if not _has_kind_below(root, level, on):
            return out("reference", [], f"không có đơn vị {scope} thuộc phạm vi")
        return out("level", [], f"mọi đơn vị {scope} thuộc phạm vi", scope_kind=level)
    if lead.outside:
        return out(
            "outside",
            [mon] if mon else [issuer.pk],
            "đơn vị ngoài hệ thống: đơn vị theo dõi báo cáo",
            leads=[],
        )
    if lead.units:
        return out("lead", lead.units, "đơn vị chủ trì")
    if not (lead_text or "").strip() and pilots:
        return out("lead", list(pilots), "các đơn vị thí điểm", leads=list(pilots))
    if not (lead_text or "").strip():
        return out("issuer", [issuer.pk], "không ghi đơn vị: đơn vị ban hành", leads=[])
    return out("unresolved", [], "tên đơn vị chưa xác định", leads=[])


def _existing(qs, on):
    """Units that exist on ``on`` (today's when None)."""
    from django.db.models import Q

    if on is None:
        return qs.filter(valid_to__isnull=True)
    return qs.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on)).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on)
    )


def _has_kind_below(root: Unit, kind: str, on=None) -> bool:
    return (
        _existing(Unit.objects.filter(path__startswith=root.path, kind=kind), on).exclude(pk=root.pk).exists()
    )


def apply_target(target: Target, r: Routing) -> None:
    """Write a routing on a target (the caller saves it and records the change)."""
    units = {
        u.pk: u
        for u in Unit.objects.filter(pk__in=[*r.lead, *r.reporters, *([r.monitor] if r.monitor else [])])
    }
    target.lead_unit = units.get(r.lead[0]) if len(r.lead) == 1 else None
    target.monitoring_unit = units.get(r.monitor) if r.monitor else None
    target.scope_kind = r.scope_kind
    target.routing = r.code
    target.routing_note = r.reason[:255]
    target.save()
    target.assignees.set([units[i] for i in r.reporters if i in units])


def route_task(
    resolver: Resolver, issuer: Unit, *, lead_text: str, coordinating: list[str], pilots=()
) -> tuple[list[int], list[int], list[Resolution]]:
    lead = names(resolver, lead_text)
    coord = [names(resolver, c) for c in coordinating]
    leads = lead.units or ([] if (lead_text or "").strip() else list(pilots) or [issuer.pk])
    return leads, sorted({i for c in coord for i in c.units}), lead.open


def apply_task(task: Task, leads: list[int], coordinating: list[int]) -> None:
    units = {u.pk: u for u in Unit.objects.filter(pk__in=[*leads, *coordinating])}
    task.lead_unit = units.get(leads[0]) if leads else None
    task.save()
    task.leads.set([units[i] for i in leads if i in units])
    task.coordinating_units.set([units[i] for i in coordinating if i in units])
