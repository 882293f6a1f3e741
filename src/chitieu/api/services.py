"""API tokens are credentials: issuing and revoking one is recorded like any other change."""

from __future__ import annotations

from django.db import transaction

from chitieu.api.models import ApiToken
from chitieu.audit.services import record
from chitieu.core.errors import Invalid, NotAllowed


@transaction.atomic
def token_issue(*, actor, user, name: str) -> tuple[ApiToken, str]:
    """A new token for ``user`` (the person themself, or a superuser for them); the raw token is
    returned once and never stored."""
    if actor is not None and actor != user and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Chỉ chính người dùng hoặc quản trị hệ thống cấp khóa API.")
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise Invalid("Tên khóa API phải có từ 1 đến 100 ký tự.", field="name")
    tok, raw = ApiToken.issue(user, name)
    record(
        actor=actor or "console",
        action="create",
        obj=tok,
        after={"user": user.pk, "name": name, "prefix": tok.prefix},
    )
    return tok, raw


@transaction.atomic
def token_revoke(*, actor, token: ApiToken) -> ApiToken:
    if actor is not None and actor != token.user and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Chỉ chính người dùng hoặc quản trị hệ thống thu hồi khóa API.")
    if not token.revoked:
        token.revoked = True
        token.save(update_fields=["revoked"])
        record(
            actor=actor or "console",
            action="update",
            obj=token,
            before={"revoked": False},
            after={"revoked": True},
        )
    return token
