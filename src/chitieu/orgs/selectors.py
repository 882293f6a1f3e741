from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from chitieu.core import vntext
from chitieu.orgs.models import Unit, UnitSuccession


def subtree(unit: Unit, *, include_self: bool = True) -> QuerySet[Unit]:
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs if include_self else qs.exclude(pk=unit.pk)


def valid_on(qs: QuerySet[Unit], day: dt.date) -> QuerySet[Unit]:
    return qs.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def current_successor(unit: Unit, *, on: dt.date | None = None) -> Unit:
    """Follow primary successor links to the unit that carries ``unit``'s history today."""
    seen = {unit.pk}
    current = unit
    while True:
        link = (
            UnitSuccession.objects.filter(predecessor=current, primary=True)
            .filter(**({"effective__lte": on} if on else {}))
            .select_related("successor")
            .order_by("-effective")
            .first()
        )
        if link is None or link.successor_id in seen:
            return current
        seen.add(link.successor_id)
        current = link.successor


def successor_map(*, on: dt.date | None = None) -> dict[int, int]:
    """unit id -> id of the unit that carries its history on ``on`` (only units that moved)."""
    links = UnitSuccession.objects.filter(primary=True)
    if on:
        links = links.filter(effective__lte=on)
    direct = dict(links.order_by("effective").values_list("predecessor_id", "successor_id"))
    out = {}
    for pred in direct:
        cur, seen = pred, {pred}
        while cur in direct and direct[cur] not in seen:
            cur = direct[cur]
            seen.add(cur)
        out[pred] = cur
    return out


def find_by_name(text: str, *, within: QuerySet[Unit] | None = None) -> list[Unit]:
    """Units whose name, short name, abbreviation or alias equals ``text`` (accent-insensitive)."""
    key = vntext.fold(text)
    qs = within if within is not None else Unit.objects.all()
    return [u for u in qs.filter(search_key__contains=key) if key in u.search_key.split(" | ")]


def visible_units(user) -> QuerySet[Unit]:
    """Units the person may see: their units' subtrees (everything for a system administrator)."""
    from chitieu.orgs import permissions

    return permissions.units_for(user, permissions.VIEW)


def tree_roots(user) -> QuerySet[Unit]:
    """The highest units the person sees (the top of each subtree they were given)."""
    from chitieu.orgs import permissions

    if permissions.is_global_admin(user):
        return Unit.objects.filter(parent__isnull=True)
    visible = visible_units(user)
    return visible.exclude(parent__in=visible)


def unit_search(user, text: str, *, limit: int = 100) -> list[Unit]:
    key = vntext.fold(text or "").strip()
    if not key:
        return []
    return list(
        visible_units(user).filter(Q(search_key__contains=key) | Q(code__iexact=text.strip()))[:limit]
    )
