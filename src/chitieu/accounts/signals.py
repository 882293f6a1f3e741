"""Sign-in, sign-out and failed sign-ins go to the one change log (who, when, from where)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from chitieu.audit.services import record


def _address(request) -> str:
    if request is None:
        return ""
    return request.META.get("REMOTE_ADDR", "")


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    record(
        actor=user,
        action="login",
        object_type="auth.user",
        object_id=user.pk,
        after={"ip": _address(request)},
    )


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(
            actor=user,
            action="logout",
            object_type="auth.user",
            object_id=user.pk,
            after={"ip": _address(request)},
        )


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    name = str((credentials or {}).get("username", ""))[:150]
    record(
        actor=name or "?",
        action="login_failed",
        object_type="auth.user",
        after={"username": name, "ip": _address(request)},
    )
