"""The shell's own views: health, and the error pages (403, 404, 400) in the product's layout.
Every domain app owns its pages."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from chitieu.ui.errors import error_page


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _message(exception) -> str:
    text = str(exception or "")
    # Django's own 404s carry a technical explanation ("No Plan matches the given query."): not shown
    return text if text and not text.isascii() else ""


def forbidden(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 403, _message(exception))


def not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 404, _message(exception))


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    return error_page(request, 400, "")
