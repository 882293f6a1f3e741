"""The REST API (django-ninja, OpenAPI at /api/docs): token or session authentication, the error
mapping (problem JSON, Vietnamese messages), the shell's own endpoints. Each app owns its router
(orgs.api, plans.api, reporting.api), with the same services, checks and permissions as the pages."""

from __future__ import annotations

from django.db import DataError
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import NinjaAPI, Status
from ninja.security import HttpBearer, django_auth

from chitieu.api import schemas as S
from chitieu.api.models import ApiToken, hash_token
from chitieu.core.errors import DomainError, NotFound
from chitieu.core.periods import DECREE_09, PeriodError
from chitieu.core.periods import parse as parse_period
from chitieu.orgs import permissions
from chitieu.orgs.api import router as orgs_router
from chitieu.plans.api import router as plans_router
from chitieu.reporting.api import router as reporting_router
from chitieu.ui.errors import TITLES
from chitieu.ui.http import actor


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        tok = (
            ApiToken.objects.select_related("user").filter(key_hash=hash_token(token), revoked=False).first()
        )
        if tok is None or not tok.user.is_active:
            return None
        ApiToken.objects.filter(pk=tok.pk).update(last_used_at=timezone.now())
        request.user = tok.user
        return tok.user


api = NinjaAPI(
    title="chitieu API",
    version="1",
    description="Kế hoạch, chỉ tiêu, số liệu và báo cáo định kỳ.",
    auth=[TokenAuth(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(DataError)
def _bad_data(request, exc):
    # e.g. a NUL character inside a JSON string: no database stores it
    return api.create_response(
        request, {"detail": "Dữ liệu không hợp lệ (có ký tự không lưu được)."}, status=400
    )


def problem(exc: DomainError) -> dict:
    """Problem details (RFC 9457) with the Vietnamese message and where each problem is:
    ``errors`` maps a field to its message, ``problems`` lists them with row and cell."""
    body = {
        "type": f"https://chitieu.gov.vn/loi/{exc.code}",
        "title": TITLES.get(exc.status, TITLES[400]),
        "status": exc.status,
        "detail": exc.message,
        "code": exc.code,
        "problems": [p.as_dict() for p in exc.all_problems()],
    }
    fields = {p.field: p.message for p in exc.all_problems() if p.field}
    if fields:
        body["errors"] = fields
    return body


@api.exception_handler(DomainError)
def _domain_error(request, exc):
    return api.create_response(request, problem(exc), status=exc.status)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, problem(NotFound(str(exc) or "Không tìm thấy.")), status=404)


@api.get("/me", response=dict, summary="Người dùng hiện tại và vai trò")
def me(request):
    user = actor(request)
    return {
        "username": user.get_username(),
        "roles": sorted(permissions.roles_of(user)),
        "superuser": bool(user.is_superuser),
    }


@api.get(
    "/periods/{phrase}", response={200: S.PeriodOut, 400: S.Message}, auth=None, summary="Hiểu một kỳ báo cáo"
)
def period(request, phrase: str):
    try:
        p = parse_period(phrase)
    except PeriodError as exc:
        return Status(400, {"detail": str(exc)})
    cal, cut = p.calendar_window, p.window(DECREE_09)
    return {
        "id": p.id,
        "label": p.label_vi,
        "calendar": [cal.start.isoformat(), cal.end.isoformat()],
        "cutoff": [cut.start.isoformat(), cut.end.isoformat()],
    }


api.add_router("", orgs_router)
api.add_router("", plans_router)
api.add_router("", reporting_router)
