"""Single sign-on through OpenID Connect (a provincial SSO): the signed-in person's unit and role
come from configurable claims (``CHITIEU_OIDC_UNIT_CLAIM``, ``CHITIEU_OIDC_ROLE_CLAIM``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from chitieu.orgs.models import Role, Unit
from chitieu.orgs.services import membership_grant


def apply_claims(user, claims: dict) -> None:
    """Give the person the role on the unit the identity provider vouches for (added, never
    removed here: memberships given in chitieu itself stay)."""
    code = str(claims.get(settings.CHITIEU_OIDC_UNIT_CLAIM) or "").strip()
    role = str(claims.get(settings.CHITIEU_OIDC_ROLE_CLAIM) or Role.VIEWER).strip()
    if role not in Role.values:
        role = Role.VIEWER
    unit = Unit.objects.filter(code=code, valid_to__isnull=True).first() if code else None
    if unit is None:
        return
    # the identity provider vouches for it: granted by the system, recorded as SSO
    membership_grant(actor=None, user=user, unit=unit, role=role, reason="SSO")


class UnitOIDCBackend(OIDCAuthenticationBackend):
    def create_user(self, claims):
        with transaction.atomic():
            user = super().create_user(claims)
            user.first_name = str(claims.get("name", ""))[:150]
            user.save(update_fields=["first_name"])
            apply_claims(user, claims)
        return user

    def update_user(self, user, claims):
        apply_claims(user, claims)
        return user
