"""Writes on units and memberships. Every function runs in one transaction and logs the change."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from chitieu.audit.services import diff, record, snapshot
from chitieu.core import vntext
from chitieu.core.errors import Invalid
from chitieu.orgs import permissions
from chitieu.orgs.models import Membership, Role, Unit, UnitSuccession


class UnitError(Invalid):
    pass


def _search_key(unit: Unit) -> str:
    names = [unit.name, unit.short_name, unit.abbreviation, *unit.aliases]
    return " | ".join(vntext.fold(n) for n in names if n)[:255]


def _set_path(unit: Unit) -> None:
    parent_path = unit.parent.path if unit.parent_id else "/"
    unit.path = f"{parent_path}{unit.pk}/"
    unit.depth = parent_path.count("/") - 1


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    short_name: str = "",
    abbreviation: str = "",
    aliases: list[str] | None = None,
    admin_code: str = "",
    valid_from: dt.date | None = None,
    valid_to: dt.date | None = None,
    audit: bool = True,
) -> Unit:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, parent)
    code = code.strip()
    if not code or not name.strip():
        raise UnitError("Mã và tên đơn vị không được để trống.")
    if Unit.objects.filter(code=code).exists():
        raise UnitError(f"Mã đơn vị '{code}' đã tồn tại.")
    unit = Unit(
        code=code,
        name=vntext.nfc(name.strip()),
        kind=kind,
        parent=parent,
        short_name=vntext.nfc(short_name),
        abbreviation=abbreviation,
        aliases=[vntext.nfc(a) for a in (aliases or [])],
        admin_code=admin_code,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    unit.search_key = _search_key(unit)
    unit.save()
    _set_path(unit)
    unit.save(update_fields=["path", "depth"])
    if audit:
        record(actor=actor, action="create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, reason: str = "", **changes) -> Unit:
    permissions.require(actor, permissions.MANAGE, unit)
    before = snapshot(Unit.objects.get(pk=unit.pk))
    allowed = {
        "name",
        "short_name",
        "abbreviation",
        "aliases",
        "kind",
        "parent",
        "admin_code",
        "valid_from",
        "valid_to",
    }
    unknown = set(changes) - allowed
    if unknown:
        raise UnitError(f"Không sửa được trường: {', '.join(sorted(unknown))}")
    new_parent = changes.get("parent", unit.parent)
    if new_parent is not None and (new_parent.pk == unit.pk or new_parent.path.startswith(unit.path)):
        raise UnitError("Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.")
    for k, v in changes.items():
        setattr(unit, k, v)
    unit.search_key = _search_key(unit)
    old_path = unit.path
    _set_path(unit)
    unit.save()
    if unit.path != old_path:
        for child in Unit.objects.filter(path__startswith=old_path).exclude(pk=unit.pk).order_by("depth"):
            child.refresh_from_db(fields=["parent"])
            _set_path(child)
            child.save(update_fields=["path", "depth"])
    b, a = diff(before, snapshot(unit))
    record(actor=actor, action="update", obj=unit, before=b, after=a, reason=reason)
    return unit


@transaction.atomic
def unit_succeed(
    *,
    actor,
    predecessors: list[Unit],
    successor: Unit,
    effective: dt.date,
    kind: str = UnitSuccession.Kind.MERGE,
    note: str = "",
) -> list[UnitSuccession]:
    """Record that ``predecessors`` continue in ``successor`` from ``effective`` (they end the day before)."""
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, successor)
    links = []
    for pred in predecessors:
        if pred.pk == successor.pk:
            raise UnitError("Một đơn vị không thể kế thừa chính nó.")
        if pred.valid_to is None or pred.valid_to >= effective:
            pred.valid_to = effective - dt.timedelta(days=1)
            pred.save(update_fields=["valid_to"])
        link, _ = UnitSuccession.objects.update_or_create(
            predecessor=pred,
            successor=successor,
            defaults={"kind": kind, "effective": effective, "note": note},
        )
        links.append(link)
        record(
            actor=actor,
            action="update",
            obj=pred,
            after={"valid_to": pred.valid_to, "successor": successor.code},
            reason=note or "kế thừa",
        )
    return links


@transaction.atomic
def membership_grant(*, actor, user, unit: Unit, role: str) -> Membership:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, unit)
    if role not in Role.values:
        raise UnitError(f"Vai trò không hợp lệ: {role}")
    m, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(actor=actor, action="create", obj=m, after={"user": user.pk, "unit": unit.pk, "role": role})
    return m
