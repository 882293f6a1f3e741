from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from chitieu.audit.services import diff, record, snapshot
from chitieu.core import vntext
from chitieu.core.errors import Invalid
from chitieu.indicators.models import Indicator
from chitieu.orgs import permissions


class IndicatorError(Invalid):
    pass


def _clean(ind: Indicator) -> None:
    try:
        ind.full_clean(validate_unique=False)
    except ValidationError as exc:
        msgs = "; ".join(
            f"{Indicator._meta.get_field(f).verbose_name}: {' '.join(m)}" if f != "__all__" else " ".join(m)
            for f, m in exc.message_dict.items()
        )
        raise IndicatorError(msgs)


def _key(ind: Indicator) -> str:
    return vntext.match_key(ind.name)[:500]


@transaction.atomic
def indicator_create(*, actor, code: str, name: str, audit: bool = True, **fields) -> Indicator:
    if actor is not None:
        permissions.require(actor, permissions.MANAGE, None)
    code = code.strip().upper()
    if not code or not name.strip():
        raise IndicatorError("Mã và tên chỉ tiêu không được để trống.")
    if Indicator.objects.filter(code=code).exists():
        raise IndicatorError(f"Mã chỉ tiêu '{code}' đã tồn tại.")
    ind = Indicator(code=code, name=vntext.nfc(name.strip()), **fields)
    ind.aliases = [vntext.nfc(a) for a in ind.aliases]
    ind.match_key = _key(ind)
    _clean(ind)
    ind.save()
    if audit:
        record(actor=actor, action="create", obj=ind, after=snapshot(ind))
    return ind


@transaction.atomic
def indicator_update(*, actor, indicator: Indicator, reason: str = "", **changes) -> Indicator:
    permissions.require(actor, permissions.MANAGE, None)
    before = snapshot(Indicator.objects.get(pk=indicator.pk))
    for k, v in changes.items():
        if k in ("id", "code", "match_key"):
            raise IndicatorError(f"Không sửa được trường {k}.")
        setattr(indicator, k, v)
    indicator.match_key = _key(indicator)
    _clean(indicator)
    indicator.save()
    b, a = diff(before, snapshot(indicator))
    record(actor=actor, action="update", obj=indicator, before=b, after=a, reason=reason)
    return indicator


@transaction.atomic
def indicator_add_alias(*, actor, indicator: Indicator, alias: str) -> Indicator:
    alias = vntext.nfc(alias.strip())
    if alias and alias not in indicator.aliases:
        return indicator_update(
            actor=actor, indicator=indicator, aliases=[*indicator.aliases, alias], reason="thêm cách gọi khác"
        )
    return indicator
