"""The one permission entry point. Services call :func:`require`; selectors call :func:`units_for`.

Rules (a role on a unit covers that unit's subtree unless said otherwise):

=========  ======================================================================================
role       may
=========  ======================================================================================
viewer     view the unit and its subtree
reporter   view the subtree; enter and submit data of **its own unit only**
approver   view the subtree; approve / return submissions of units in the subtree and of units
           whose targets its unit monitors (see reporting.selectors.monitored_unit_ids)
admin      everything on the subtree (units, plans, memberships, data)
=========  ======================================================================================

Superusers may do everything. Anonymous users may do nothing.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from chitieu.core import errors
from chitieu.orgs.models import Membership, Role, Unit

VIEW = "view"
ENTER = "enter"  # create/update data values, tasks progress, evidence
SUBMIT = "submit"
APPROVE = "approve"
MANAGE = "manage"  # units, plans, memberships, regimes

_ROLES_FOR = {
    VIEW: {Role.VIEWER, Role.REPORTER, Role.APPROVER, Role.ADMIN},
    ENTER: {Role.REPORTER, Role.ADMIN},
    SUBMIT: {Role.REPORTER, Role.ADMIN},
    APPROVE: {Role.APPROVER, Role.ADMIN},
    MANAGE: {Role.ADMIN},
}
# roles whose right stops at their own unit (no subtree)
_OWN_UNIT_ONLY = {(ENTER, Role.REPORTER), (SUBMIT, Role.REPORTER)}


class NotAllowed(errors.NotAllowed, PermissionDenied):
    """Raised by :func:`require`; pages answer 403, the API 403, the CLI exit code 2. It is also
    Django's ``PermissionDenied``, so a refusal met outside our pages (the admin) is still a 403."""


def _memberships(user) -> list[Membership]:
    cache = getattr(user, "_chitieu_memberships", None)
    if cache is None:
        cache = list(Membership.objects.filter(user=user).select_related("unit"))
        with contextlib.suppress(AttributeError):
            user._chitieu_memberships = cache
    return cache


def is_global_admin(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_superuser)


def has(user, action: str, unit: Unit | None, *, extra_unit_ids: Iterable[int] = ()) -> bool:
    """Whether ``user`` may do ``action`` on ``unit`` (None = the whole system)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if is_global_admin(user):
        return True
    if unit is None:
        return False
    roles = _ROLES_FOR[action]
    for m in _memberships(user):
        if m.role not in roles:
            continue
        if (action, m.role) in _OWN_UNIT_ONLY:
            if m.unit_id == unit.pk:
                return True
        elif unit.path.startswith(m.unit.path):
            return True
    return bool(action == APPROVE and unit.pk in set(extra_unit_ids))


def require(
    user, action: str, unit: Unit | None, *, extra_unit_ids: Iterable[int] = (), message: str = ""
) -> None:
    if not has(user, action, unit, extra_unit_ids=extra_unit_ids):
        name = unit.display_name if unit is not None else "hệ thống"
        raise NotAllowed(message or f"Bạn không có quyền '{ACTION_LABELS_VI[action]}' đối với {name}.")


ACTION_LABELS_VI = {
    VIEW: "xem",
    ENTER: "nhập số liệu",
    SUBMIT: "gửi báo cáo",
    APPROVE: "duyệt",
    MANAGE: "quản trị",
}


def units_for(user, action: str) -> QuerySet[Unit]:
    """Units on which ``user`` may do ``action`` (not counting monitoring-based approval)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return Unit.objects.none()
    if is_global_admin(user):
        return Unit.objects.all()
    roles = _ROLES_FOR[action]
    cond = Q(pk__in=[])
    for m in _memberships(user):
        if m.role not in roles:
            continue
        if (action, m.role) in _OWN_UNIT_ONLY:
            cond |= Q(pk=m.unit_id)
        else:
            cond |= Q(path__startswith=m.unit.path)
    return Unit.objects.filter(cond)


def restrict(qs: QuerySet, user, action: str = VIEW, unit_field: str = "unit") -> QuerySet:
    """Narrow a queryset of unit-owned rows to what ``user`` may ``action``."""
    if is_global_admin(user):
        return qs
    return qs.filter(**{f"{unit_field}__in": units_for(user, action)})


def roles_of(user) -> set[str]:
    return {m.role for m in _memberships(user)} if getattr(user, "is_authenticated", False) else set()


def home_unit(user) -> Unit | None:
    ms = _memberships(user) if getattr(user, "is_authenticated", False) else []
    return min((m.unit for m in ms), key=lambda u: u.depth, default=None)


def get_visible(visible: QuerySet, pk, *, what: str):
    """The object ``pk`` from ``visible`` (a queryset already restricted to what the person may
    see); :class:`NotAllowed` when it exists but is not theirs to see; :class:`NotFound` when it does
    not exist. ``what`` names it in the message ("kế hoạch", "báo cáo")."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise errors.NotFound(f"Không tìm thấy {what}.")
    if not 0 < key < 2**63:
        raise errors.NotFound(f"Không tìm thấy {what}.")
    obj = visible.filter(pk=key).first()
    if obj is not None:
        return obj
    if visible.model._default_manager.filter(pk=key).exists():
        raise NotAllowed(f"Bạn không có quyền xem {what} này.")
    raise errors.NotFound(f"Không tìm thấy {what}.")
