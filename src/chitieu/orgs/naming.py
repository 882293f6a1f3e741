"""The unit resolver (core.unitnames) over the unit tree: which units a document of an issuer can
mean, the names people confirmed before, and learning a confirmed name. Used by plan import, the
review page, the dossier import and the unit-tree import alike."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from chitieu.audit.services import record
from chitieu.core import unitnames
from chitieu.core.errors import Invalid
from chitieu.orgs import permissions
from chitieu.orgs.models import Unit, UnitAlias

TERRITORIAL = unitnames.TERRITORIAL


def _ids(path: str) -> tuple[int, ...]:
    return tuple(int(x) for x in path.strip("/").split("/") if x)


def reach_root(unit: Unit) -> Unit:
    """The province (or nation) whose units a document of ``unit`` can name."""
    ids = _ids(unit.path)
    top = Unit.objects.filter(pk__in=ids, kind__in=("province", "nation")).order_by("-depth").first()
    return top or Unit.objects.filter(pk=ids[0]).first() or unit


def records(issuer: Unit, *, on: dt.date | None = None) -> list[unitnames.UnitRecord]:
    """The issuer's province with its whole subtree, the bodies above it, and the nation's bodies."""
    root = reach_root(issuer)
    qs = Unit.objects.filter(Q(path__startswith=root.path) | Q(pk__in=_ids(issuer.path)) | Q(depth__lte=1))
    out = []
    for u in qs.only(
        "id",
        "name",
        "kind",
        "parent_id",
        "path",
        "short_name",
        "abbreviation",
        "aliases",
        "valid_from",
        "valid_to",
    ):
        # a document of a known date means the units of that date; an undated one any unit of the tree
        active = on is None or (
            (u.valid_from is None or u.valid_from <= on) and (u.valid_to is None or on <= u.valid_to)
        )
        out.append(
            unitnames.UnitRecord(
                id=u.pk,
                name=u.name,
                kind=u.kind,
                parent=u.parent_id,
                path=_ids(u.path),
                short_name=u.short_name,
                abbreviation=u.abbreviation,
                aliases=tuple(u.aliases or ()),
                active=active or u.pk == issuer.pk,
            )
        )
    return out


def learned_for(issuer: Unit) -> dict[str, list[int]]:
    """Names confirmed for documents of the issuer or of any unit above it, or for everyone."""
    scopes = list(_ids(issuer.path))
    out: dict[str, list[int]] = {}
    rows = UnitAlias.objects.filter(Q(scope__in=scopes) | Q(scope__isnull=True)).order_by("scope_id", "id")
    for a in rows:
        out.setdefault(a.key, []).append(a.unit_id)
    return {k: sorted(set(v)) for k, v in out.items()}


def resolver_for(issuer: Unit, *, on: dt.date | None = None, groups: dict[str, list[int]] | None = None):
    return unitnames.Resolver(records(issuer, on=on), issuer.pk, learned=learned_for(issuer), groups=groups)


@transaction.atomic
def unit_alias_learn(*, actor, phrase: str, units: list[Unit], scope: Unit | None) -> list[UnitAlias]:
    """A person says what a name means (one unit, or a group): kept for the next documents of
    ``scope``. Replaces what that name meant before for that scope."""
    permissions.require(actor, permissions.MANAGE, scope)
    k = unitnames.key(phrase)
    if not k:
        raise Invalid("Tên đơn vị trống.", field="phrase")
    if not units:
        raise Invalid(f"Chưa chọn đơn vị cho '{phrase}'.", field="units")
    UnitAlias.objects.filter(key=k, scope=scope).delete()
    made = [
        UnitAlias.objects.create(
            phrase=phrase[:255],
            key=k[:255],
            unit=u,
            scope=scope,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        for u in units
    ]
    record(
        actor=actor,
        action="create",
        object_type="orgs.unitalias",
        object_id=k[:100],
        after={"phrase": phrase, "units": [u.code for u in units], "scope": scope.code if scope else None},
        reason="xác nhận tên đơn vị",
    )
    return made
