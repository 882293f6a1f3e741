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
def membership_grant(*, actor, user, unit: Unit, role: str, reason: str = "") -> Membership:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, unit)
    if role not in Role.values:
        raise UnitError(f"Vai trò không hợp lệ: {role}")
    m, created = Membership.objects.get_or_create(user=user, unit=unit, role=role)
    if created:
        record(
            actor=actor or "hệ thống",
            action="create",
            obj=m,
            after={"user": user.pk, "unit": unit.pk, "role": role},
            reason=reason,
        )
    return m


@transaction.atomic
def membership_revoke(*, actor, membership: Membership) -> None:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, membership.unit)
    record(
        actor=actor,
        action="delete",
        obj=membership,
        before={"user": membership.user_id, "unit": membership.unit_id, "role": membership.role},
    )
    membership.delete()


@transaction.atomic
def unit_rename(
    *, actor, unit: Unit, name: str, short_name: str, abbreviation: str, aliases: list[str], reason: str
) -> Unit:
    """A unit's names change (the old ones stay in the change log and, unless removed, as aliases so
    documents written before still resolve)."""
    name = vntext.nfc((name or "").strip())
    if not name:
        raise UnitError("Tên đơn vị không được để trống.", field="name")
    if len(name) > 255:
        raise UnitError("Tên đơn vị dài quá 255 ký tự.", field="name")
    if not (reason or "").strip():
        raise UnitError("Cần ghi lý do đổi tên (ví dụ: số quyết định).", field="reason")
    kept = [vntext.nfc(a.strip()) for a in aliases if a.strip()]
    if unit.name != name and unit.name not in kept:
        kept.append(unit.name)  # the old name is how earlier documents still call it
    kept = [a for a in dict.fromkeys(kept) if vntext.fold(a) != vntext.fold(name)][:20]
    return unit_update(
        actor=actor,
        unit=unit,
        reason=reason.strip()[:255],
        name=name,
        short_name=vntext.nfc(short_name.strip())[:120],
        abbreviation=abbreviation.strip()[:40],
        aliases=kept,
    )


@transaction.atomic
def unit_merge(
    *, actor, units: list[Unit], successor: Unit, effective: dt.date, note: str = ""
) -> list[UnitSuccession]:
    """Units merged into ``successor`` (2025: districts into wards, divisions into one): the merged
    ones end the day before ``effective``; their history counts for the successor."""
    for u in units:
        permissions.require(actor, permissions.MANAGE, u)
    permissions.require(actor, permissions.MANAGE, successor)
    if not units:
        raise UnitError("Chưa chọn đơn vị được sáp nhập.", field="units")
    if successor.valid_to and successor.valid_to < effective:
        raise UnitError(
            f"Đơn vị kế thừa '{successor.name}' hết hiệu lực từ {successor.valid_to:%d/%m/%Y}.",
            field="successor",
        )
    for u in units:
        if u.valid_from and u.valid_from >= effective:
            raise UnitError(
                f"'{u.name}' bắt đầu từ {u.valid_from:%d/%m/%Y}, không thể kết thúc trước ngày đó.",
                field="effective",
            )
        if successor.path.startswith(u.path):
            raise UnitError(f"'{successor.name}' là đơn vị cấp dưới của '{u.name}'.", field="successor")
    return unit_succeed(actor=actor, predecessors=units, successor=successor, effective=effective, note=note)


@transaction.atomic
def unit_alias_forget(*, actor, alias) -> None:
    """A confirmed name that was wrong: the next plans ask again."""
    permissions.require(actor, permissions.MANAGE, alias.scope or alias.unit)
    record(
        actor=actor,
        action="delete",
        obj=alias,
        before={"phrase": alias.phrase, "unit": alias.unit_id, "scope": alias.scope_id},
    )
    alias.delete()
